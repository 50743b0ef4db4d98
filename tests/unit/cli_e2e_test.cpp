// End to end: the real binary on real (scaffolded) trees. Exit codes, error
// messages, and golden text/JSON reports.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>

#include "sotcheck/cli/validate.hpp"
#include "support/process.hpp"
#include "support/shared_trees.hpp"
#include "support/trees.hpp"

namespace sotcheck {
namespace {

using testing::run_sotcheck;
using testing::TempDir;
namespace fs = std::filesystem;

/// Strips what depends on the run (the `run` key, timestamps) and the temp path.
nlohmann::ordered_json normalise(nlohmann::ordered_json report, const std::string& root) {
  report.erase("run");
  report.erase("timestamp");
  report["repo_root"] = "<ROOT>";
  for (auto& r : report["results"]) r.erase("timestamp");
  for (auto& r : report["summary"]["critical_failures"]) r.erase("timestamp");
  (void)root;
  return report;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

/// Compares with tests/golden/NAME; SOTCHECK_UPDATE_GOLDEN=1 rewrites it.
void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(SOTCHECK_SOURCE_DIR) + "/tests/golden/" + name;
  if (std::getenv("SOTCHECK_UPDATE_GOLDEN") != nullptr) testing::write_file(path, actual);
  const std::string expected = testing::read_file(path);
  EXPECT_EQ(expected, actual) << "golden " << name << " differs; rerun with SOTCHECK_UPDATE_GOLDEN=1 if intended";
}

/// The seed-7 scaffold, shared read-only by every case (support/shared_trees.hpp).
class CliEndToEnd : public ::testing::Test {
 protected:
  static std::string tree() { return testing::shared_tree(testing::seed7_scaffold()); }
  /// The same scaffold without the root folder 07_governance_legal.
  static std::string tree_without_a_root() { return testing::shared_tree(testing::seed7_without_a_root()); }
};

TEST_F(CliEndToEnd, FreshScaffoldPassesEveryArRuleAndExitsZero) {
  const auto r = run_sotcheck({"validate", tree(), "--select", "AR", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const auto report = nlohmann::ordered_json::parse(r.out);
  EXPECT_EQ(report["total_rules"], 10);
  EXPECT_EQ(report["passed_count"], 10);
  expect_golden("ar_strict_pass.json", normalise(report, tree()).dump(2) + "\n");
}

TEST_F(CliEndToEnd, DeletingARootMakesAr001FailWithExitOne) {
  const std::string broken = tree_without_a_root();
  const auto r = run_sotcheck({"validate", broken, "--select", "AR", "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto report = nlohmann::ordered_json::parse(r.out);
  EXPECT_EQ(report["results"][0]["rule_id"], "AR001");
  EXPECT_EQ(report["results"][0]["status"], "FAIL");
  expect_golden("ar_strict_missing_root.json", normalise(report, broken).dump(2) + "\n");

  const auto text = run_sotcheck({"validate", broken, "--select", "AR"}, {"NO_COLOR=1"});
  EXPECT_EQ(text.exit_code, 1);
  // The golden names the tree <ROOT>/ssid.
  expect_golden("ar_strict_missing_root.txt",
                replace_all(text.out, fs::path(broken).parent_path().string(), "<ROOT>"));
}

TEST_F(CliEndToEnd, ReferenceProfileOnTheMasterDefinitionTreeFailsAr002AndAr003) {
  const auto r = run_sotcheck({"validate", tree(), "--select", "AR", "--profile", "reference", "--format", "json"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const auto report = nlohmann::ordered_json::parse(r.out);
  std::map<std::string, std::string> status;
  for (const auto& v : report["results"]) status[v["rule_id"]] = v["status"];
  EXPECT_EQ(status["AR002"], "FAIL");
  EXPECT_EQ(status["AR003"], "FAIL");
  EXPECT_EQ(status["AR008"], "FAIL");
  EXPECT_EQ(status["AR001"], "PASS");
  EXPECT_EQ(report["profile"], "reference");
}

TEST_F(CliEndToEnd, SequentialAndThreadReportsAreIdenticalWithoutRunAndTimestamps) {
  const auto seq = run_sotcheck({"validate", tree(), "--mode", "sequential", "--format", "json"});
  const auto thr = run_sotcheck({"validate", tree(), "--mode", "thread", "--workers", "4", "--format", "json"});
  ASSERT_EQ(seq.exit_code, thr.exit_code);
  EXPECT_EQ(normalise(nlohmann::ordered_json::parse(seq.out), tree()).dump(),
            normalise(nlohmann::ordered_json::parse(thr.out), tree()).dump());
}

TEST_F(CliEndToEnd, OutputFileAndSeveralFormatsInOneRun) {
  TempDir out;
  const auto r = run_sotcheck({"validate", tree(), "--select", "AR001", "--format", "json=" + out.path() + "/r.json",
                               "--format", "text=" + out.path() + "/r.txt"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::ordered_json::parse(testing::read_file(out.path() + "/r.json"))["total_rules"], 1);
  const std::string text = testing::read_file(out.path() + "/r.txt");
  EXPECT_NE(text.find("(profile strict, 1 rule)"), std::string::npos) << text;
  EXPECT_NE(text.find("1 passed, 0 failed"), std::string::npos) << text;
}

TEST_F(CliEndToEnd, StatsGoToStderr) {
  const auto r = run_sotcheck({"validate", tree(), "--select", "AR001", "--stats", "--format", "json"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.err.find("walk"), std::string::npos);
  EXPECT_NE(r.err.find("image_bytes"), std::string::npos);
  EXPECT_TRUE(nlohmann::ordered_json::accept(r.out));
}

TEST(CliErrors, NonexistentPathExitsTwoWithOneLine) {
  const auto r = run_sotcheck({"validate", "/nonexistent/sotcheck/path"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "sotcheck: error: repository path '/nonexistent/sotcheck/path' does not exist\n");
}

TEST(CliErrors, AFileInsteadOfADirectoryExitsTwo) {
  TempDir dir;
  testing::write_file(dir.path() + "/file", "x");
  const auto r = run_sotcheck({"validate", dir.path() + "/file"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is not a directory"), std::string::npos);
}

TEST(CliErrors, ABadCatalogExitsTwoAndListsItsProblems) {
  TempDir dir;
  testing::write_file(dir.path() + "/catalog.yaml", "files: [x.yaml]\nprofiles: {}\n");
  testing::write_file(dir.path() + "/x.yaml", "family: X\nrules:\n  - id: X1\n    severity: NOPE\n");
  const auto r = run_sotcheck({"validate", dir.path(), "--force", "--catalog", dir.path()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("x.yaml:4:"), std::string::npos) << r.err;
  const auto check = run_sotcheck({"rules", "check", dir.path()});
  EXPECT_EQ(check.exit_code, 2);
  EXPECT_EQ(check.err, r.err);
}

TEST(CliErrors, UnknownOptionAndSelectionOfNothingExitTwo) {
  EXPECT_EQ(run_sotcheck({"validate", "--no-such-flag"}).exit_code, 2);
  TempDir dir;
  const auto r = run_sotcheck({"validate", dir.path(), "--force", "--select", "ZZ999"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("matches no rule"), std::string::npos);
}

TEST(CliRules, ListJsonHasTheDocumentedFields) {
  const auto r = run_sotcheck({"rules", "list", "--format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto list = nlohmann::ordered_json::parse(r.out);
  ASSERT_GE(list.size(), 10u);
  for (const auto& rule : list)
    for (const char* key : {"id", "family", "severity", "batch", "title"}) EXPECT_TRUE(rule.contains(key)) << key;
  EXPECT_EQ(list[0]["id"], "AR001");
}

TEST(CliRules, ShowAndCheck) {
  const auto show = run_sotcheck({"rules", "show", "AR004", "--format", "json"});
  ASSERT_EQ(show.exit_code, 0);
  const auto rule = nlohmann::ordered_json::parse(show.out);
  EXPECT_EQ(rule["severity"], "CRITICAL");
  EXPECT_EQ(run_sotcheck({"rules", "show", "NOPE"}).exit_code, 2);
  const auto check = run_sotcheck({"rules", "check", std::string(SOTCHECK_SOURCE_DIR) + "/rules"});
  EXPECT_EQ(check.exit_code, 0) << check.err;
}

TEST(CliVersion, PrintsTheVersion) {
  const auto r = run_sotcheck({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("sotcheck 0."), std::string::npos);
}

// ---- --honour-dependencies (issue 6, item 6) ---------------------------------------

exec::Verdict verdict_for(const std::string& id, exec::Status status) {
  exec::Verdict v;
  v.rule_id = id;
  v.status = status;
  v.message = id + " evaluated";
  v.evidence = {{"evaluated", true}};
  return v;
}

TEST(HonourDependencies, BlockedRulesBecomeSkippedTransitivelyInBatchOrder) {
  const auto& catalog = testing::builtin_catalog();
  // AR002 fails (batch 2); AR003 (batch 3) depends on AR001 and AR002; AR006 only on AR001.
  std::vector<exec::Verdict> verdicts = {verdict_for("AR001", exec::Status::pass),
                                         verdict_for("AR002", exec::Status::fail),
                                         verdict_for("AR003", exec::Status::pass),
                                         verdict_for("AR006", exec::Status::pass)};
  cli::block_on_failed_dependencies(catalog, verdicts);
  EXPECT_EQ(verdicts[0].status, exec::Status::pass);
  EXPECT_EQ(verdicts[1].status, exec::Status::fail);
  EXPECT_EQ(verdicts[2].status, exec::Status::skipped);
  EXPECT_FALSE(verdicts[2].passed());
  EXPECT_EQ(verdicts[2].evidence, nlohmann::ordered_json({{"blocked_by", {"AR002"}}}));
  EXPECT_EQ(verdicts[2].message, "Skipped: prerequisite AR002 did not pass");
  EXPECT_EQ(verdicts[3].status, exec::Status::pass);
  // A prerequisite that was skipped itself blocks too; one outside the selection blocks nothing.
  std::vector<exec::Verdict> chain = {verdict_for("AR001", exec::Status::error),
                                      verdict_for("AR002", exec::Status::pass),
                                      verdict_for("AR003", exec::Status::pass)};
  cli::block_on_failed_dependencies(catalog, chain);
  EXPECT_EQ(chain[1].evidence["blocked_by"], nlohmann::ordered_json({"AR001"}));
  EXPECT_EQ(chain[2].evidence["blocked_by"], nlohmann::ordered_json({"AR001", "AR002"}));
  std::vector<exec::Verdict> alone = {verdict_for("AR003", exec::Status::pass)};
  cli::block_on_failed_dependencies(catalog, alone);
  EXPECT_EQ(alone[0].status, exec::Status::pass);
}

TEST_F(CliEndToEnd, HonourDependenciesSkipsWhatAFailedRootRuleBlocks) {
  const std::string broken = tree_without_a_root();
  const auto plain = run_sotcheck({"validate", broken, "--select", "AR", "--format", "json"});
  const auto honoured =
      run_sotcheck({"validate", broken, "--select", "AR", "--format", "json", "--honour-dependencies"});
  EXPECT_EQ(honoured.exit_code, 1) << honoured.err;
  const auto before = nlohmann::ordered_json::parse(plain.out);
  const auto after = nlohmann::ordered_json::parse(honoured.out);
  ASSERT_EQ(after["results"].size(), before["results"].size());
  EXPECT_EQ(after["results"][0]["status"], "FAIL");  // AR001 itself
  for (std::size_t i = 1; i < after["results"].size(); ++i) {
    EXPECT_EQ(after["results"][i]["status"], "SKIPPED") << after["results"][i]["rule_id"];
    EXPECT_EQ(after["results"][i]["passed"], false);
    EXPECT_EQ(after["results"][i]["evidence"]["blocked_by"][0], "AR001");
  }
  EXPECT_EQ(after["status_counts"]["SKIPPED"], after["results"].size() - 1);
}

}  // namespace
}  // namespace sotcheck
