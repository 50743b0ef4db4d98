// The config file: parsing (every key, every problem with file and line),
// precedence (the command line wins), and its effect on real runs:
// `.sotcheck.yaml` at the root, --config, suppressions, exclusions.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <set>

#include "sotcheck/cli/config.hpp"
#include "support/private_tree.hpp"
#include "support/process.hpp"

namespace sotcheck {
namespace {

using json = nlohmann::ordered_json;
using testing::ProcessResult;
using testing::TempDir;
namespace fs = std::filesystem;

TEST(ConfigParse, EveryKey) {
  const auto config = cli::parse_config(R"(
version: 1
profile: reference
mode: thread
workers: 3
select: [AR, CP001]
ignore: AR009
min_severity: high
fail_on: CRITICAL
exit_code_style: reference
formats: [text, sarif=out/r.sarif, {name: junit, file: /abs/j.xml}, json=-]
baseline: base.json
honour_dependencies: yes
progress: never
exclusions: [vendor, node_modules]
suppressions:
  - rule: AR009
    reason: legacy folders, removed in Q3
  - rule: "AR00*"
    reason: migration
    paths: ["01_*", "02_*"]
)",
                                        "/etc/proj/.sotcheck.yaml");
  ASSERT_TRUE(config) << config.error();
  EXPECT_EQ(config->profile, checks::Profile::reference);
  EXPECT_EQ(config->mode, exec::Mode::thread);
  EXPECT_EQ(config->workers, 3u);
  EXPECT_EQ(*config->select, (std::vector<std::string>{"AR", "CP001"}));
  EXPECT_EQ(*config->ignore, (std::vector<std::string>{"AR009"}));
  EXPECT_EQ(config->min_severity, catalog::Severity::high);
  EXPECT_EQ(config->fail_on, catalog::Severity::critical);
  EXPECT_EQ(config->exit_code_style, cli::ExitCodeStyle::reference);
  ASSERT_EQ(config->formats->size(), 4u);
  EXPECT_EQ((*config->formats)[1].format, "sarif");
  EXPECT_EQ((*config->formats)[1].file, "/etc/proj/out/r.sarif");  // relative to the config file
  EXPECT_EQ((*config->formats)[2].file, "/abs/j.xml");
  EXPECT_EQ((*config->formats)[3].file, "-");
  EXPECT_EQ(config->baseline, "/etc/proj/base.json");
  EXPECT_EQ(config->honour_dependencies, true);
  EXPECT_EQ(config->progress, "never");
  EXPECT_EQ(config->exclusions, (std::vector<std::string>{"vendor", "node_modules"}));
  ASSERT_EQ(config->suppressions.size(), 2u);
  EXPECT_EQ(config->suppressions[0].reason, "legacy folders, removed in Q3");
  EXPECT_EQ(config->suppressions[0].origin, "/etc/proj/.sotcheck.yaml:17");
  EXPECT_EQ(config->suppressions[1].paths, (std::vector<std::string>{"01_*", "02_*"}));
}

TEST(ConfigParse, AnEmptyFileSetsNothing) {
  const auto config = cli::parse_config("# nothing yet\n", "c.yaml");
  ASSERT_TRUE(config) << config.error();
  EXPECT_FALSE(config->select.has_value());
  EXPECT_TRUE(config->suppressions.empty());
}

TEST(ConfigParse, EveryProblemIsReportedWithFileAndLine) {
  const auto config = cli::parse_config(
      "select: [AR]\n"           // 1
      "fail_onn: HIGH\n"         // 2: typo
      "min_severity: URGENT\n"   // 3
      "mode: fast\n"             // 4
      "workers: many\n"          // 5
      "formats: [xml]\n"         // 6
      "exclusions: [a/b]\n"      // 7
      "suppressions:\n"          // 8
      "  - rule: AR001\n"        // 9: no reason
      "  - rule: AR002\n"        // 10
      "    reason: ok\n"         // 11
      "    why: typo\n"          // 12
      "select: [CP]\n",          // 13: duplicate
      "/p/.sotcheck.yaml");
  ASSERT_FALSE(config);
  const std::string& e = config.error();
  EXPECT_NE(e.find("/p/.sotcheck.yaml:2:1: unknown key 'fail_onn'"), std::string::npos) << e;
  EXPECT_NE(e.find("/p/.sotcheck.yaml:3:15: 'min_severity': 'URGENT'"), std::string::npos) << e;
  EXPECT_NE(e.find("/p/.sotcheck.yaml:4:7: 'mode': 'fast' is not one of"), std::string::npos) << e;
  EXPECT_NE(e.find("/p/.sotcheck.yaml:5:10: 'workers'"), std::string::npos) << e;
  EXPECT_NE(e.find("/p/.sotcheck.yaml:6:11: unknown format 'xml'"), std::string::npos) << e;
  EXPECT_NE(e.find("/p/.sotcheck.yaml:7:13: 'exclusions' takes directory names"), std::string::npos) << e;
  EXPECT_NE(e.find("/p/.sotcheck.yaml:9:5: the suppression of 'AR001' needs a 'reason'"), std::string::npos) << e;
  EXPECT_NE(e.find("/p/.sotcheck.yaml:12:5: unknown key 'why' in a suppression"), std::string::npos) << e;
  EXPECT_NE(e.find("/p/.sotcheck.yaml:13:1: duplicate key 'select' (first at line 1)"), std::string::npos) << e;
}

TEST(ConfigParse, InvalidYamlAndNonMapsAreErrorsWithALine) {
  const auto broken = cli::parse_config("select: [AR\nfail_on: HIGH\n", "c.yaml");
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().rfind("c.yaml:", 0), 0u) << broken.error();
  EXPECT_NE(broken.error().find("invalid YAML"), std::string::npos);
  const auto list = cli::parse_config("- AR001\n", "c.yaml");
  ASSERT_FALSE(list);
  EXPECT_NE(list.error().find("c.yaml:1:1: the config must be a map"), std::string::npos) << list.error();
  const auto blank_reason = cli::parse_config("suppressions:\n  - rule: AR001\n    reason: '  '\n", "c.yaml");
  ASSERT_FALSE(blank_reason);
  EXPECT_NE(blank_reason.error().find("needs a 'reason'"), std::string::npos);
}

TEST(ConfigApply, TheCommandLineWins) {
  auto config = cli::parse_config("select: [AR]\nfail_on: HIGH\nworkers: 3\nformats: [json]\n"
                                  "exclusions: [vendor]\nsuppressions: [{rule: AR009, reason: r}]\n",
                                  "c.yaml");
  ASSERT_TRUE(config) << config.error();
  cli::ValidateOptions options;
  options.selection.select = {"CP"};
  options.workers = 8;
  const std::set<std::string> given = {"--select", "--workers"};
  cli::apply_config(*config, [&](std::string_view name) { return given.count(std::string(name)) != 0; }, options);
  EXPECT_EQ(options.selection.select, (std::vector<std::string>{"CP"}));  // command line
  EXPECT_EQ(options.workers, 8u);                                         // command line
  EXPECT_EQ(options.fail_on, catalog::Severity::high);                    // config
  ASSERT_EQ(options.outputs.size(), 1u);                                  // config
  EXPECT_EQ(options.outputs[0].format, "json");
  EXPECT_EQ(options.exclusions, (std::vector<std::string>{"vendor"}));
  ASSERT_EQ(options.suppressions.size(), 1u);
}

// ---- the binary --------------------------------------------------------------------

ProcessResult run_clean(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/env", "-u", "CI", "-u", "SOTCHECK_CATALOG", SOTCHECK_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return testing::run_process(argv);
}

class ConfigRuns : public ::testing::Test {
 protected:
  std::string tree() const { return m_tree.path(); }
  std::string scratch() const { return m_tree.scratch(); }
  std::vector<std::string> rule_ids(const std::string& report_json) const {
    std::vector<std::string> ids;
    const json report = json::parse(report_json);
    for (const auto& r : report["results"]) ids.push_back(r["rule_id"]);
    return ids;
  }
  /// Each case writes a .sotcheck.yaml: a private copy of the seed-7 scaffold
  /// without 03_core/README.md, so that AR006 fails.
  testing::PrivateTree m_tree{testing::seed7_without_a_root_readme()};
};

TEST_F(ConfigRuns, TheRepositoryConfigIsReadAndTheCommandLineOverridesIt) {
  testing::write_file(tree() + "/.sotcheck.yaml", "select: [AR006, AR001]\nformats: [json]\n");
  const auto from_config = run_clean({"validate", tree()});
  EXPECT_EQ(from_config.exit_code, 1) << from_config.err;
  EXPECT_EQ(rule_ids(from_config.out), (std::vector<std::string>{"AR001", "AR006"}));
  const auto overridden = run_clean({"validate", tree(), "--select", "AR001"});
  EXPECT_EQ(overridden.exit_code, 0) << overridden.err;
  EXPECT_EQ(rule_ids(overridden.out), (std::vector<std::string>{"AR001"}));
}

TEST_F(ConfigRuns, AnExplicitConfigReplacesTheRepositoryOne) {
  testing::write_file(tree() + "/.sotcheck.yaml", "select: [AR006]\nformats: [json]\n");
  testing::write_file(scratch() + "/other.yaml", "select: [AR001]\nformats: [json]\n");
  const auto r = run_clean({"validate", tree(), "--config", scratch() + "/other.yaml"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(rule_ids(r.out), (std::vector<std::string>{"AR001"}));
}

TEST_F(ConfigRuns, AnUnknownKeyExitsTwoNamingFileAndLine) {
  testing::write_file(tree() + "/.sotcheck.yaml", "select: [AR]\n\nfail_onn: HIGH\n");
  const auto r = run_clean({"validate", tree()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(tree() + "/.sotcheck.yaml:3:1: unknown key 'fail_onn'"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(ConfigRuns, FailOnFromTheConfigAndFromTheCommandLine) {
  testing::write_file(tree() + "/.sotcheck.yaml", "select: [AR]\nfail_on: CRITICAL\n");
  EXPECT_EQ(run_clean({"validate", tree()}).exit_code, 0);  // AR006 is HIGH
  EXPECT_EQ(run_clean({"validate", tree(), "--fail-on", "HIGH"}).exit_code, 1);
}

TEST_F(ConfigRuns, ARuleWhoseFindingsAreAllSuppressedPassesAndSaysSoInEveryFormat) {
  testing::write_file(tree() + "/.sotcheck.yaml",
                      "select: [AR]\nformats: [json]\nsuppressions:\n"
                      "  - rule: ar006\n    reason: \"03_core's README is generated in CI\"\n");
  const auto r = run_clean({"validate", tree()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const json report = json::parse(r.out);
  bool seen = false;
  for (const auto& v : report["results"])
    if (v["rule_id"] == "AR006") {
      seen = true;
      EXPECT_EQ(v["status"], "PASS");
      EXPECT_EQ(v["suppressed"]["reason"], "03_core's README is generated in CI");
      ASSERT_EQ(v["suppressed_findings"].size(), 1u);
      EXPECT_EQ(v["suppressed_findings"][0]["finding"]["path"].get<std::string>().rfind("03_core", 0), 0u);
      EXPECT_TRUE(v["findings"].empty());
    }
  EXPECT_TRUE(seen);
  EXPECT_EQ(report["summary"]["suppressed_count"], 1);
  EXPECT_EQ(report["run"]["config"]["suppressed"], 1);
  const auto text = run_clean({"validate", tree(), "--format", "text"});
  EXPECT_NE(text.out.find("Suppressed (config)\n  AR006  03_core"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("(reason: 03_core's README is generated in CI)"), std::string::npos) << text.out;
  const auto sarif = run_clean({"validate", tree(), "--format", "sarif"});
  const json log = json::parse(sarif.out);
  bool suppressed_result = false;
  for (const auto& result : log["runs"][0]["results"])
    if (result["ruleId"] == "AR006") {
      suppressed_result = true;
      EXPECT_EQ(result["suppressions"][0]["justification"], "03_core's README is generated in CI");
    }
  EXPECT_TRUE(suppressed_result);
  EXPECT_EQ(log["runs"][0]["properties"]["config"]["suppressed"], 1);
  const auto junit = run_clean({"validate", tree(), "--format", "junit"});
  EXPECT_NE(junit.out.find("<system-out>suppressed by the config:\n03_core"), std::string::npos) << junit.out;
  EXPECT_NE(junit.out.find("<property name=\"config.suppressed\" value=\"1\"/>"), std::string::npos);
}

TEST_F(ConfigRuns, ASuppressionThatMatchesNoFindingIsReportedAsStale) {
  testing::write_file(tree() + "/.sotcheck.yaml",
                      "select: [AR006]\nformats: [json]\n"
                      "suppressions: [{rule: AR006, reason: old, paths: ['99_*']}]\n");
  const auto r = run_clean({"validate", tree()});
  EXPECT_EQ(r.exit_code, 1) << r.err;  // 03_core is not covered
  EXPECT_NE(r.err.find("warning: " + tree() + "/.sotcheck.yaml:3: suppression 'AR006' matches no finding"),
            std::string::npos)
      << r.err;
  const json report = json::parse(r.out);
  ASSERT_EQ(report["run"]["config"]["stale"].size(), 1u);
  EXPECT_EQ(report["run"]["config"]["stale"][0]["entry"], "AR006");
  const auto text = run_clean({"validate", tree(), "--format", "text"});
  EXPECT_NE(text.out.find("'AR006' matches no finding in this run (stale: remove it)"), std::string::npos) << text.out;
}

TEST_F(ConfigRuns, ASuppressionNamingAnUnknownRuleExitsTwoWithASuggestion) {
  testing::write_file(tree() + "/.sotcheck.yaml", "select: [AR]\nsuppressions:\n  - {rule: AR0O6, reason: typo}\n");
  const auto r = run_clean({"validate", tree()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(tree() + "/.sotcheck.yaml:3: suppression 'AR0O6' matches no rule id or family in the catalog; "
                       "did you mean AR006?"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(ConfigRuns, APathLimitedSuppressionCoversOnlyMatchingPaths) {
  testing::write_file(tree() + "/.sotcheck.yaml",
                      "select: [AR006]\nsuppressions: [{rule: AR, reason: known, paths: ['04_*']}]\n");
  EXPECT_EQ(run_clean({"validate", tree()}).exit_code, 1);  // 03_core is not covered
  testing::write_file(tree() + "/.sotcheck.yaml",
                      "select: [AR006]\nsuppressions: [{rule: AR, reason: known, paths: ['03_*']}]\n");
  EXPECT_EQ(run_clean({"validate", tree()}).exit_code, 0);
}

TEST_F(ConfigRuns, ExclusionsKeepTheWalkOutOfNamedDirectories) {
  fs::create_directories(tree() + "/01_ai_layer/vendor/a/b");
  for (int i = 0; i < 20; ++i) testing::write_file(tree() + "/01_ai_layer/vendor/a/b/f" + std::to_string(i), "x");
  const auto entries = [&](const std::string& config) {
    testing::write_file(tree() + "/.sotcheck.yaml", config);
    const auto r = run_clean({"validate", tree(), "--select", "AR001", "--format", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out)["run"]["counters"]["entries"].get<long>();
  };
  const long all = entries("select: [AR001]\n");
  const long fewer = entries("exclusions: [vendor]\n");
  EXPECT_EQ(all - fewer, 22);  // a/, a/b/ and the 20 files are not walked; vendor itself is recorded
}

}  // namespace
}  // namespace sotcheck
