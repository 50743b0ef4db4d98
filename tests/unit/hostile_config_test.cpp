// A repository under validation is untrusted input (in CI it is often a pull
// request), and so is its .sotcheck.yaml. These end-to-end tests run the real
// binary on the smallest tree that shows each case -- an empty directory with
// a config -- and check the config can neither write nor read outside the
// tree, hang or exhaust the run, nor switch checks off unseen
// (docs/robustness.md, "Hostile configuration"; docs/ci-integration.md).

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "sotcheck/cli/config.hpp"
#include "support/process.hpp"

namespace sotcheck {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using testing::read_file;
using testing::run_sotcheck;
using testing::TempDir;
using testing::write_file;

/// One scratch directory per test: "repo" (empty, so a run of AR001 fails
/// fast) and "outside", a sibling the config must not reach.
class HostileConfig : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(repo() + "/01_ai_layer");  // a root folder: validate takes it for a repository
    fs::create_directories(outside());
  }
  std::string repo() const { return m_scratch.path() + "/repo"; }
  std::string outside() const { return m_scratch.path() + "/outside"; }
  std::string config() const { return repo() + "/.sotcheck.yaml"; }
  void write_config(const std::string& text) const { write_file(config(), text); }

 private:
  TempDir m_scratch;
};

TEST_F(HostileConfig, AbsoluteReportPathFromTheTreeIsRefusedAndNothingIsWritten) {
  write_file(outside() + "/deploy.sh", "#!/bin/sh\necho deploy\n");
  write_config("select: [AR001]\nformats: [{name: text, file: " + outside() + "/deploy.sh}]\n");
  const auto r = run_sotcheck({"validate", repo()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("absolute path"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(outside() + "/deploy.sh"), "#!/bin/sh\necho deploy\n");
}

TEST_F(HostileConfig, DotDotReportPathFromTheTreeIsRefused) {
  write_config("select: [AR001]\nformats: [{name: json, file: ../outside/escaped.json}]\n");
  const auto r = run_sotcheck({"validate", repo()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("escapes the repository"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(outside() + "/escaped.json"));
}

TEST_F(HostileConfig, ReportDirectorySymlinkedOutOfTheTreeIsRefused) {
  fs::create_directory_symlink(outside(), repo() + "/reports");
  write_config("select: [AR001]\nformats: [sarif=reports/r.sarif]\n");
  const auto r = run_sotcheck({"validate", repo()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("through a symlink"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::is_empty(outside()));
}

TEST_F(HostileConfig, ReportFileSymlinkedOutOfTheTreeIsReplacedNotWrittenThrough) {
  write_file(outside() + "/victim", "precious\n");
  fs::create_symlink(outside() + "/victim", repo() + "/r.json");
  write_config("select: [AR001]\nformats: [json=r.json]\n");
  const auto r = run_sotcheck({"validate", repo()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(read_file(outside() + "/victim"), "precious\n");
  EXPECT_FALSE(fs::is_symlink(repo() + "/r.json"));
  EXPECT_TRUE(json::accept(read_file(repo() + "/r.json")));
}

TEST_F(HostileConfig, ReportFileLinkedToADeviceIsRefused) {
  fs::create_symlink("/dev/null", repo() + "/r.json");
  write_config("select: [AR001]\nformats: [json=r.json]\n");
  const auto r = run_sotcheck({"validate", repo()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("not a regular file"), std::string::npos) << r.err;
}

TEST_F(HostileConfig, BaselineOutsideTheTreeIsRefused) {
  write_file(outside() + "/b.json", R"({"sotcheck_baseline": 1, "entries": []})");
  write_config("select: [AR001]\nbaseline: ../outside/b.json\n");
  EXPECT_EQ(run_sotcheck({"validate", repo()}).exit_code, 2);
  fs::create_symlink(outside() + "/b.json", repo() + "/b.json");
  write_config("select: [AR001]\nbaseline: b.json\n");
  const auto r = run_sotcheck({"validate", repo()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("through a symlink"), std::string::npos) << r.err;
}

TEST_F(HostileConfig, ReportInsideTheTreeIsStillAllowed) {
  write_config("select: [AR001]\nformats: [json=out/../r.json]\n");
  const auto r = run_sotcheck({"validate", repo()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(fs::is_regular_file(repo() + "/r.json")) << r.err;
}

TEST_F(HostileConfig, ExplicitConfigIsTrustedLikeTheCommandLine) {
  const std::string trusted = outside() + "/trusted.yaml";
  write_file(trusted, "select: [AR001]\nformats: [{name: json, file: " + outside() + "/r.json}]\n");
  const auto r = run_sotcheck({"validate", repo(), "--config", trusted});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_TRUE(fs::is_regular_file(outside() + "/r.json"));
}

TEST_F(HostileConfig, ConfigSymlinkedOutOfTheTreeIsRefused) {
  write_file(outside() + "/c.yaml", "select: [AR001]\n");
  fs::create_symlink(outside() + "/c.yaml", config());
  const auto r = run_sotcheck({"validate", repo()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("outside the repository"), std::string::npos) << r.err;
}

TEST_F(HostileConfig, FifoConfigIsRefusedAtOnceInsteadOfBlocking) {
  ASSERT_EQ(::mkfifo(config().c_str(), 0600), 0);
  const auto r = run_sotcheck({"validate", repo(), "--select", "AR001"});  // would block forever in open()
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("a FIFO, not a regular file"), std::string::npos) << r.err;
}

TEST_F(HostileConfig, DevZeroConfigIsRefusedInsteadOfReadForever) {
  // Given explicitly (a symlink in the tree to /dev/zero is already refused as leaving the tree).
  const auto r = run_sotcheck({"validate", repo(), "--config", "/dev/zero", "--select", "AR001"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("character device"), std::string::npos) << r.err;
}

TEST_F(HostileConfig, OversizedConfigIsRefused) {
  write_config("select: [AR001]\n# " + std::string(2u << 20, 'x') + "\n");
  const auto r = run_sotcheck({"validate", repo()});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("byte limit"), std::string::npos) << r.err;
}

TEST_F(HostileConfig, FifoBaselineAndFifoCatalogFileAreRefused) {
  const std::string fifo = outside() + "/fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto r = run_sotcheck({"validate", repo(), "--select", "AR001", "--baseline", fifo});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("a FIFO"), std::string::npos) << r.err;
  // A catalog directory (say, one inside the tree) with a FIFO among its rules files.
  const std::string catalog = outside() + "/catalog";
  fs::copy(std::string(SOTCHECK_SOURCE_DIR) + "/rules", catalog);
  ASSERT_EQ(::mkfifo((catalog + "/zz.yaml").c_str(), 0600), 0);
  r = run_sotcheck({"validate", repo(), "--select", "AR001", "--catalog", catalog});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("a FIFO"), std::string::npos) << r.err;
}

TEST_F(HostileConfig, AConfigThatDeselectsRulesSaysSoInTheHeaderAndTheJson) {
  write_config("select: [AR001]\n");
  const auto text = run_sotcheck({"validate", repo()});
  EXPECT_NE(text.out.find("config " + config() + " (deselected 383 rules"), std::string::npos) << text.out;
  const auto r = run_sotcheck({"validate", repo(), "--format", "json"});
  const json report = json::parse(r.out);
  EXPECT_EQ(report["run"]["config"]["file"], config());
  EXPECT_EQ(report["run"]["config"]["deselected"], 383);
  EXPECT_EQ(report["run"]["config"]["suppressed"], 0);
}

TEST_F(HostileConfig, AConfigThatSuppressesFailuresSaysHowMany) {
  write_config("select: [AR001]\nsuppressions:\n  - rule: AR001\n    reason: accepted\n");
  const auto r = run_sotcheck({"validate", repo(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const json report = json::parse(r.out);
  // Suppressions count findings: AR001's 23 missing roots (the fixture has 01_ai_layer), all taken out, so the rule passes.
  EXPECT_EQ(report["run"]["config"]["suppressed"], 23);
  EXPECT_EQ(report["results"][0]["status"], "PASS");
}

TEST_F(HostileConfig, NoConfigIgnoresTheTreesConfig) {
  write_config("select: [AR006]\nformats: [{name: json, file: /nonexistent/x.json}]\n");
  const auto r = run_sotcheck({"validate", repo(), "--no-config", "--select", "AR001", "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const json report = json::parse(r.out);
  EXPECT_TRUE(report["run"]["config"].is_null());
  EXPECT_EQ(report["total_rules"], 1);
}

TEST(ParseRuleTimeout, RefusesNanInfinityAndNonPositiveAndClampsHugeValues) {
  EXPECT_FALSE(cli::parse_rule_timeout("nan"));
  EXPECT_FALSE(cli::parse_rule_timeout("inf"));
  EXPECT_FALSE(cli::parse_rule_timeout("-infinity"));
  EXPECT_FALSE(cli::parse_rule_timeout("0"));
  EXPECT_FALSE(cli::parse_rule_timeout("-3"));
  EXPECT_FALSE(cli::parse_rule_timeout("10s"));
  EXPECT_FALSE(cli::parse_rule_timeout(""));
  EXPECT_EQ(*cli::parse_rule_timeout("2.5"), 2.5);
  EXPECT_EQ(*cli::parse_rule_timeout("9.3e9"), cli::k_max_rule_timeout_seconds);
  EXPECT_EQ(*cli::parse_rule_timeout("1e999"), cli::k_max_rule_timeout_seconds);
}

TEST_F(HostileConfig, HugeRuleTimeoutMeansNoTimeoutNotAnImmediateOne) {
  const auto r = run_sotcheck({"validate", repo(), "--no-config", "--select", "AR", "--mode", "process",
                               "--rule-timeout", "9.3e9", "--format", "json"});
  if (r.err.find("unavailable") != std::string::npos) GTEST_SKIP() << "no process pool here: " << r.err;
  EXPECT_EQ(r.exit_code, 1) << r.err;  // failures of an empty tree, no ERROR verdict (that would be 3)
  EXPECT_EQ(json::parse(r.out)["status_counts"]["ERROR"], 0);
  const auto nan = run_sotcheck({"validate", repo(), "--rule-timeout", "nan"});
  EXPECT_EQ(nan.exit_code, 2);
  EXPECT_NE(nan.err.find("finite"), std::string::npos) << nan.err;
}

}  // namespace
}  // namespace sotcheck
