// Baselines: the file format, matching by (rule id, fingerprint), entries that
// no longer occur, and the round trip through the binary: write a baseline,
// pass with it, fail on something new, see what was fixed.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>

#include "sotcheck/cli/baseline.hpp"
#include "support/process.hpp"

namespace sotcheck {
namespace {

using json = nlohmann::ordered_json;
using testing::ProcessResult;
using testing::TempDir;
namespace fs = std::filesystem;

exec::Verdict verdict(const std::string& id, exec::Status status, std::vector<std::string> missing) {
  exec::Verdict v;
  v.rule_id = id;
  v.status = status;
  v.severity = catalog::Severity::high;
  v.message = id + " message";
  v.evidence = {{"missing", missing}};
  return v;
}

report::RunInfo info_at(const std::string& root) {
  report::RunInfo info;
  info.repo_root = root;
  return info;
}

TEST(Baseline, WritesOneEntryPerFailOrErrorAndReadsItBack) {
  const std::vector<exec::Verdict> verdicts = {verdict("A1", exec::Status::pass, {}),
                                               verdict("A2", exec::Status::fail, {"/r/x/README.md"}),
                                               verdict("A3", exec::Status::error, {}),
                                               verdict("A4", exec::Status::skipped, {})};
  const json doc = cli::baseline_json(verdicts, info_at("/r"));
  EXPECT_EQ(doc["sotcheck_baseline"], cli::k_baseline_version);
  EXPECT_EQ(doc["profile"], "strict");
  ASSERT_EQ(doc["entries"].size(), 2u);
  EXPECT_EQ(doc["entries"][0]["rule_id"], "A2");
  EXPECT_EQ(doc["entries"][0]["paths"][0], "x/README.md");
  EXPECT_EQ(doc["entries"][0]["fingerprint"], report::fingerprint(verdicts[1], "/r"));
  EXPECT_EQ(doc["entries"][1]["status"], "ERROR");
  const auto parsed = cli::parse_baseline(doc.dump(), "b.json");
  ASSERT_TRUE(parsed) << parsed.error();
  ASSERT_EQ(parsed->entries.size(), 2u);
  EXPECT_EQ(parsed->entries[0].fingerprint, doc["entries"][0]["fingerprint"]);
  EXPECT_EQ(parsed->profile, "strict");
}

TEST(Baseline, MatchesKnownFailuresAndListsEntriesThatNoLongerOccur) {
  const std::vector<exec::Verdict> before = {verdict("A1", exec::Status::fail, {"/old/a"}),
                                             verdict("A2", exec::Status::fail, {"/old/b"}),
                                             verdict("A3", exec::Status::fail, {"/old/c"})};
  const auto baseline = cli::parse_baseline(cli::baseline_json(before, info_at("/old")).dump(), "b.json");
  ASSERT_TRUE(baseline);
  // Another checkout: A1 unchanged, A2 fails on a new path, A3 fixed, B9 not evaluated this run.
  const std::vector<exec::Verdict> after = {verdict("A1", exec::Status::fail, {"/new/a"}),
                                            verdict("A2", exec::Status::fail, {"/new/b", "/new/d"}),
                                            verdict("A3", exec::Status::pass, {})};
  auto b = *baseline;
  b.entries.push_back({"B9", "0000000000000000", "FAIL", "other rule"});
  report::RunInfo info = info_at("/new");
  cli::apply_baseline(b, after, info);
  ASSERT_EQ(info.dispositions.size(), 3u);
  EXPECT_TRUE(info.dispositions[0].baselined);
  EXPECT_FALSE(info.dispositions[1].baselined);  // a new offending path is a new failure
  ASSERT_EQ(info.baseline_resolved.size(), 2u);   // A2's old fingerprint and A3; never B9
  EXPECT_EQ(info.baseline_resolved[0].rule_id, "A2");
  EXPECT_EQ(info.baseline_resolved[1].rule_id, "A3");
  EXPECT_EQ(info.baseline_resolved[1].message, "A3 message");
}

TEST(Baseline, RejectsFilesThatAreNotBaselines) {
  EXPECT_FALSE(cli::parse_baseline("not json", "b.json"));
  EXPECT_FALSE(cli::parse_baseline("{\"entries\": []}", "b.json"));
  EXPECT_FALSE(cli::parse_baseline("{\"sotcheck_baseline\": 99, \"entries\": []}", "b.json"));
  const auto bad_entry = cli::parse_baseline("{\"sotcheck_baseline\": 1, \"entries\": [{\"rule_id\": 1}]}", "b.json");
  ASSERT_FALSE(bad_entry);
  EXPECT_NE(bad_entry.error().find("b.json: entry 0"), std::string::npos) << bad_entry.error();
  EXPECT_FALSE(cli::load_baseline("/nonexistent/baseline.json"));
}

// ---- the binary --------------------------------------------------------------------

ProcessResult run_clean(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/usr/bin/env", "-u", "CI", "-u", "SOTCHECK_CATALOG", "-u", "NO_COLOR",
                                   "-u", "FORCE_COLOR", "-u", "CLICOLOR_FORCE", SOTCHECK_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return testing::run_process(argv);
}

TEST(BaselineRoundTrip, KnownFailuresPassNewOnesFailFixedOnesAreListed) {
  TempDir dir;
  const std::string tree = dir.path() + "/ssid";
  const std::string base = dir.path() + "/baseline.json";
  ASSERT_EQ(run_clean({"scaffold", tree, "--seed", "7"}).exit_code, 0);
  fs::remove(tree + "/03_core/README.md");                                    // AR006
  fs::remove(tree + "/01_ai_layer/shards/02_dokumente_nachweise/values.yaml");  // AR005

  // 1. Record today's failures; the run itself still reports them.
  const auto write = run_clean({"validate", tree, "--select", "AR", "--write-baseline", base, "--format", "json"});
  EXPECT_EQ(write.exit_code, 1) << write.err;
  const json recorded = json::parse(testing::read_file(base));
  ASSERT_EQ(recorded["entries"].size(), 2u);
  EXPECT_EQ(recorded["entries"][0]["rule_id"], "AR005");
  EXPECT_EQ(recorded["entries"][1]["rule_id"], "AR006");
  EXPECT_EQ(recorded["entries"][1]["paths"][0], "03_core");

  // 2. Nothing new: the run passes, the failures are marked known.
  const auto known = run_clean({"validate", tree, "--select", "AR", "--baseline", base, "--format", "json"});
  EXPECT_EQ(known.exit_code, 0) << known.err;
  const json k = json::parse(known.out);
  EXPECT_EQ(k["baseline"]["known"], 2);
  EXPECT_EQ(k["baseline"]["new"], 0);
  EXPECT_EQ(k["baseline"]["no_longer_occurring"].size(), 0u);

  // 3. A new failure fails the run; the same rule on a new path counts as new.
  fs::remove(tree + "/05_documentation/README.md");
  const auto fresh = run_clean({"validate", tree, "--select", "AR", "--baseline", base, "--format", "json"});
  EXPECT_EQ(fresh.exit_code, 1) << fresh.err;
  const json f = json::parse(fresh.out);
  EXPECT_EQ(f["baseline"]["known"], 1);
  EXPECT_EQ(f["baseline"]["new"], 1);
  for (const auto& r : f["results"]) {
    if (r["rule_id"] == "AR006") {
      EXPECT_EQ(r["baseline"], "new");
    }
  }

  // 4. Fix everything: the run passes and both entries are reported as gone, in JSON and text.
  testing::write_file(tree + "/03_core/README.md", "# 03_core\n");
  testing::write_file(tree + "/05_documentation/README.md", "# 05_documentation\n");
  testing::write_file(tree + "/01_ai_layer/shards/02_dokumente_nachweise/values.yaml", "replicas: 1\n");
  const auto fixed = run_clean({"validate", tree, "--select", "AR", "--baseline", base, "--format", "json"});
  EXPECT_EQ(fixed.exit_code, 0) << fixed.err;
  const json x = json::parse(fixed.out);
  ASSERT_EQ(x["baseline"]["no_longer_occurring"].size(), 2u);
  EXPECT_EQ(x["baseline"]["no_longer_occurring"][0]["rule_id"], "AR005");
  const auto text = run_clean({"validate", tree, "--select", "AR", "--baseline", base});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("Baseline " + base + "\n  0 known, 0 new\n  no longer occurring (remove from the baseline):\n"
                          "    AR005  " + recorded["entries"][0]["fingerprint"].get<std::string>()),
            std::string::npos)
      << text.out;

  // 5. Only rules this run evaluates are judged: selecting AR001 reports nothing gone.
  const auto narrow = run_clean({"validate", tree, "--select", "AR001", "--baseline", base, "--format", "json"});
  EXPECT_EQ(json::parse(narrow.out)["baseline"]["no_longer_occurring"].size(), 0u);
}

}  // namespace
}  // namespace sotcheck
