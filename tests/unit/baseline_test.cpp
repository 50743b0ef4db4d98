// Baselines per finding: the file format (version, sorted, one entry per
// line), matching by (rule id, finding fingerprint), fixed entries, the old
// format refused, and issue 12's reproductions end to end through the binary.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>

#include "sotcheck/cli/baseline.hpp"
#include "support/private_tree.hpp"
#include "support/process.hpp"

namespace sotcheck {
namespace {

using json = nlohmann::ordered_json;
using testing::ProcessResult;
using testing::TempDir;
namespace fs = std::filesystem;

checks::Finding finding(const std::string& path, std::uint32_t line = 0, const std::string& identity = "") {
  checks::Finding f = checks::make_finding(path, checks::FindingKind::missing, path + " is missing");
  f.line = line;
  f.identity = identity;
  return f;
}

exec::Verdict verdict(const std::string& id, exec::Status status, std::vector<checks::Finding> findings) {
  exec::Verdict v;
  v.rule_id = id;
  v.status = status;
  v.severity = catalog::Severity::high;
  v.message = id + " message";
  v.findings = std::move(findings);
  return v;
}

report::RunInfo info_at(const std::string& root) {
  report::RunInfo info;
  info.repo_root = root;
  return info;
}

cli::Baseline round_trip(const std::vector<exec::Verdict>& verdicts) {
  const auto parsed = cli::parse_baseline(cli::baseline_text(verdicts, info_at("/r")), "b.json");
  EXPECT_TRUE(parsed) << parsed.error();
  return parsed ? *parsed : cli::Baseline{};
}

TEST(Baseline, OneSortedEntryPerFindingOnePerLineWithAFormatVersion) {
  const std::vector<exec::Verdict> verdicts = {
      verdict("A2", exec::Status::fail, {finding("z/values.yaml"), finding("a/values.yaml")}),
      verdict("A1", exec::Status::pass, {}),
      verdict("A3", exec::Status::error, {}),  // no findings: one entry for the verdict
      verdict("A4", exec::Status::skipped, {})};
  const std::string text = cli::baseline_text(verdicts, info_at("/r"));
  const json doc = json::parse(text);
  EXPECT_EQ(doc["sotcheck_baseline"], 2);
  EXPECT_EQ(doc["profile"], "strict");
  ASSERT_EQ(doc["entries"].size(), 3u);
  EXPECT_EQ(doc["entries"][0]["path"], "a/values.yaml");  // sorted, not in finding order
  EXPECT_EQ(doc["entries"][1]["path"], "z/values.yaml");
  EXPECT_EQ(doc["entries"][0]["fingerprint"], report::finding_fingerprint("A2", verdicts[0].findings[1]));
  EXPECT_EQ(doc["entries"][2]["rule_id"], "A3");
  EXPECT_EQ(doc["entries"][2]["kind"], "verdict");
  // One entry per line: a finding that comes or goes is a one-line diff.
  std::size_t entry_lines = 0;
  for (std::size_t at = 0; (at = text.find("\n    {\"rule_id\":", at)) != std::string::npos; ++at) ++entry_lines;
  EXPECT_EQ(entry_lines, 3u) << text;
  const auto parsed = round_trip(verdicts);
  ASSERT_EQ(parsed.entries.size(), 3u);
  EXPECT_EQ(parsed.entries[1].path, "z/values.yaml");
  EXPECT_EQ(parsed.profile, "strict");
}

TEST(Baseline, AFindingStaysKnownWhenItsLineMovesAndOnlyTheNewOneIsNew) {
  const auto baseline = round_trip({verdict("S1", exec::Status::fail,
                                            {finding("a.py", 3, "h1"), finding("b.py", 7, "h2")})});
  // An edit above moved both lines; a third secret appeared.
  const std::vector<exec::Verdict> after = {
      verdict("S1", exec::Status::fail, {finding("a.py", 9, "h1"), finding("b.py", 12, "h2"), finding("c.py", 1, "h3")})};
  report::RunInfo info = info_at("/r");
  cli::apply_baseline(baseline, after, info);
  ASSERT_EQ(info.dispositions.size(), 1u);
  EXPECT_EQ(info.dispositions[0].known_findings, (std::vector<bool>{true, true, false}));
  EXPECT_FALSE(info.dispositions[0].baselined);  // one new finding: the rule fails the run
  EXPECT_TRUE(info.baseline_resolved.empty());
}

TEST(Baseline, FixedEntriesAreListedAndAKnownRuleWithFewerFindingsStaysKnown) {
  auto baseline = round_trip({verdict("A5", exec::Status::fail, {finding("x/v.yaml"), finding("y/v.yaml")}),
                              verdict("A6", exec::Status::fail, {finding("z/README.md")})});
  baseline.entries.push_back({"B9", "0000000000000000", "q", "missing", "a rule this run did not evaluate"});
  const std::vector<exec::Verdict> after = {verdict("A5", exec::Status::fail, {finding("y/v.yaml")}),
                                            verdict("A6", exec::Status::pass, {})};
  report::RunInfo info = info_at("/r");
  cli::apply_baseline(baseline, after, info);
  EXPECT_TRUE(info.dispositions[0].baselined);
  ASSERT_EQ(info.baseline_resolved.size(), 2u);  // x/v.yaml and z/README.md; never B9
  EXPECT_EQ(info.baseline_resolved[0].path, "x/v.yaml");
  EXPECT_EQ(info.baseline_resolved[1].rule_id, "A6");
}

TEST(Baseline, TwoIdenticalFindingsNeedTwoEntries) {
  const auto baseline = round_trip({verdict("S1", exec::Status::fail, {finding("a.py", 1, "h")})});
  report::RunInfo info = info_at("/r");
  cli::apply_baseline(baseline, {verdict("S1", exec::Status::fail, {finding("a.py", 1, "h"), finding("a.py", 5, "h")})},
                      info);
  EXPECT_EQ(info.dispositions[0].known_findings, (std::vector<bool>{true, false}));
}

TEST(Baseline, RejectsFilesThatAreNotBaselinesAndExplainsTheOldFormat) {
  EXPECT_FALSE(cli::parse_baseline("not json", "b.json"));
  EXPECT_FALSE(cli::parse_baseline("{\"entries\": []}", "b.json"));
  EXPECT_FALSE(cli::parse_baseline("{\"sotcheck_baseline\": 99, \"entries\": []}", "b.json"));
  const auto old = cli::parse_baseline("{\"sotcheck_baseline\": 1, \"entries\": []}", "b.json");
  ASSERT_FALSE(old);
  EXPECT_NE(old.error().find("format 1"), std::string::npos) << old.error();
  EXPECT_NE(old.error().find("--write-baseline b.json"), std::string::npos) << old.error();
  const auto bad_entry = cli::parse_baseline("{\"sotcheck_baseline\": 2, \"entries\": [{\"rule_id\": 1}]}", "b.json");
  ASSERT_FALSE(bad_entry);
  EXPECT_NE(bad_entry.error().find("b.json: entry 0"), std::string::npos) << bad_entry.error();
  EXPECT_FALSE(cli::load_baseline("/nonexistent/baseline.json"));
}

// ---- the binary: issue 12's reproductions -----------------------------------------

ProcessResult run_clean(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/env", "-u", "CI", "-u", "SOTCHECK_CATALOG", "-u", "NO_COLOR",
                                   "-u", "FORCE_COLOR", "-u", "CLICOLOR_FORCE", SOTCHECK_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return testing::run_process(argv);
}

class BaselineRuns : public ::testing::Test {
 protected:
  std::string tree() const { return m_tree.path(); }
  std::string base() const { return m_tree.scratch() + "/baseline.json"; }
  ProcessResult validate(std::vector<std::string> extra) const {
    std::vector<std::string> args = {"validate", tree(), "--select", "AR005,CP011"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_clean(args);
  }
  void add_secret(const std::string& relative) const {
    testing::write_file(tree() + "/" + relative, "api_key = \"abcdefghijklmnop1234\"\n");
  }
  /// The findings of `rule` in a JSON report whose baseline_state is `state`.
  static std::vector<std::string> paths_in_state(const json& report, const std::string& rule, const std::string& state) {
    std::vector<std::string> paths;
    for (const auto& r : report["results"])
      if (r["rule_id"] == rule)
        for (const auto& f : r["findings"])
          if (f.value("baseline_state", "") == state) paths.push_back(f["path"]);
    return paths;
  }
  /// Each case adds secrets: a private copy of the shared seed-7 scaffold.
  testing::PrivateTree m_tree{testing::seed7_scaffold()};
};

TEST_F(BaselineRuns, ANewSecretAfterWriteBaselineFailsTheGateAndIsNamed) {
  add_secret("03_core/old.py");
  const auto write = validate({"--write-baseline", base(), "--format", "json"});
  EXPECT_EQ(write.exit_code, 0) << write.err;  // recording is the point: exit 0
  EXPECT_NE(write.err.find("wrote 1 entry to the baseline " + base()), std::string::npos) << write.err;
  EXPECT_EQ(validate({"--baseline", base()}).exit_code, 0);

  add_secret("04_deployment/new.py");
  const auto gate = validate({"--baseline", base(), "--format", "json"});
  EXPECT_EQ(gate.exit_code, 1) << gate.err;
  const json report = json::parse(gate.out);
  EXPECT_EQ(paths_in_state(report, "CP011", "new"), (std::vector<std::string>{"04_deployment/new.py"}));
  EXPECT_EQ(paths_in_state(report, "CP011", "unchanged"), (std::vector<std::string>{"03_core/old.py"}));
  EXPECT_EQ(report["baseline"]["new"], 1);
  const auto text = validate({"--baseline", base()});
  EXPECT_NE(text.out.find("04_deployment/new.py"), std::string::npos) << text.out;
}

TEST_F(BaselineRuns, AddingOneSecretToManyMarksOnlyThatOneNew) {
  for (const char* name : {"01_ai_layer/a.py", "02_audit_logging/b.py", "03_core/c.py"}) add_secret(name);
  ASSERT_EQ(validate({"--write-baseline", base()}).exit_code, 0);
  add_secret("05_documentation/d.py");
  const json report = json::parse(validate({"--baseline", base(), "--format", "json"}).out);
  EXPECT_EQ(paths_in_state(report, "CP011", "new"), (std::vector<std::string>{"05_documentation/d.py"}));
  EXPECT_EQ(paths_in_state(report, "CP011", "unchanged").size(), 3u);
}

TEST_F(BaselineRuns, FixingOneOfManyMissingFilesStaysGreenAndIsListedAsFixed) {
  const std::vector<std::string> removed = {"/01_ai_layer/shards/02_dokumente_nachweise/values.yaml",
                                            "/02_audit_logging/shards/02_dokumente_nachweise/values.yaml",
                                            "/03_core/shards/02_dokumente_nachweise/values.yaml"};
  const std::string kept = testing::read_file(tree() + removed[0]);
  for (const auto& path : removed) fs::remove(tree() + path);
  ASSERT_EQ(validate({"--write-baseline", base()}).exit_code, 0);
  testing::write_file(tree() + removed[1], kept);  // one fixed
  const auto r = validate({"--baseline", base(), "--format", "json"});
  EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
  const json report = json::parse(r.out);
  ASSERT_EQ(report["baseline"]["fixed"].size(), 1u);
  EXPECT_EQ(report["baseline"]["fixed"][0]["rule_id"], "AR005");
  EXPECT_EQ(report["baseline"]["fixed"][0]["path"], removed[1].substr(1));
  EXPECT_EQ(report["baseline"]["known"], 2);
  const auto text = validate({"--baseline", base()});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("Fixed since the baseline"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find(removed[1].substr(1)), std::string::npos) << text.out;
}

TEST_F(BaselineRuns, TextShowsNewFindingsFirstAndKnownOnesOnlyAsACountUnlessAsked) {
  for (const char* root : {"01_ai_layer", "02_audit_logging", "03_core"})
    fs::remove(tree() + "/" + root + "/shards/02_dokumente_nachweise/values.yaml");
  ASSERT_EQ(validate({"--write-baseline", base()}).exit_code, 0);
  add_secret("03_core/new.py");
  const auto r = validate({"--baseline", base()});
  EXPECT_EQ(r.exit_code, 1);
  const std::string& out = r.out;
  const auto fresh = out.find("New (not in the baseline");
  const auto secret = out.find("03_core/new.py");
  const auto count = out.find("3 known findings of 1 rule in the baseline not shown (--show-known lists them)");
  ASSERT_NE(fresh, std::string::npos) << out;
  ASSERT_NE(secret, std::string::npos) << out;
  ASSERT_NE(count, std::string::npos) << out;
  EXPECT_LT(fresh, secret);
  EXPECT_LT(secret, count);
  EXPECT_EQ(out.find("01_ai_layer/shards/02_dokumente_nachweise/values.yaml"), std::string::npos) << out;
  EXPECT_NE(out.find("baseline: 1 new, 3 known, 0 fixed: exit 1"), std::string::npos) << out;

  const auto all = validate({"--baseline", base(), "--show-known"});
  const auto known = all.out.find("Known (in the baseline)");
  ASSERT_NE(known, std::string::npos) << all.out;
  EXPECT_GT(all.out.find("01_ai_layer/shards/02_dokumente_nachweise/values.yaml"), known);
  EXPECT_LT(all.out.find("03_core/new.py"), known);
}

TEST_F(BaselineRuns, SarifMarksEveryResultAndTheFixedEntriesAbsent) {
  add_secret("03_core/old.py");
  add_secret("04_deployment/fixed.py");
  ASSERT_EQ(validate({"--write-baseline", base()}).exit_code, 0);
  fs::remove(tree() + "/04_deployment/fixed.py");
  add_secret("05_documentation/new.py");
  const json sarif = json::parse(validate({"--baseline", base(), "--format", "sarif"}).out);
  std::map<std::string, std::string> state;
  for (const auto& r : sarif["runs"][0]["results"])
    state[r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]] = r["baselineState"];
  EXPECT_EQ(state["03_core/old.py"], "unchanged");
  EXPECT_EQ(state["05_documentation/new.py"], "new");
  EXPECT_EQ(state["04_deployment/fixed.py"], "absent");
}

TEST_F(BaselineRuns, ABaselineOfTheOldFormatExitsTwoWithHowToRegenerate) {
  testing::write_file(base(), "{\"sotcheck_baseline\": 1, \"profile\": \"strict\", \"entries\": []}\n");
  const auto r = validate({"--baseline", base()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--write-baseline " + base()), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST_F(BaselineRuns, ExitZeroAndFailOnNoneReportEverythingAndSayWhy) {
  add_secret("03_core/old.py");
  for (const auto& flags : {std::vector<std::string>{"--exit-zero"}, std::vector<std::string>{"--fail-on", "none"}}) {
    const auto r = validate(flags);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("03_core/old.py"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(": exit 0 (" + flags.front()), std::string::npos) << r.out;
  }
  // A run that itself failed keeps its code: a usage error is still 2.
  EXPECT_EQ(validate({"--exit-zero", "--fail-on", "bogus"}).exit_code, 2);
}

TEST_F(BaselineRuns, FailuresBelowTheThresholdAreLabelledAndTheLastLineSaysWhy) {
  fs::remove(tree() + "/03_core/README.md");  // AR006 is HIGH
  const auto r = validate({"--select", "AR006", "--fail-on", "CRITICAL"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("[below --fail-on CRITICAL]"), std::string::npos) << r.out;
  const std::string last = r.out.substr(r.out.rfind('\n', r.out.size() - 2) + 1);
  EXPECT_NE(last.find("exit 0 (every failing rule is below --fail-on CRITICAL)"), std::string::npos) << last;
}

}  // namespace
}  // namespace sotcheck
