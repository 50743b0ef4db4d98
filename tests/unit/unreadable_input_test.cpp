// Unreadable input is an ERROR, never a FAIL or a match (docs/robustness.md "Unreadable input"): the
// whole built-in catalog on the in-memory scaffold with one entry that cannot be listed or read, or a
// link out of the tree, exactly as `validate` evaluates it.

#include <gtest/gtest.h>

#include <cerrno>
#include <set>
#include <string>

#include "sotcheck/checks/finding.hpp"
#include "support/rule_harness.hpp"

namespace sotcheck {
namespace {

using checks::FindingKind;
using checks::Profile;
using exec::Status;
using testing::MemoryTree;

constexpr std::size_t k_rule_count = 384;
const std::string k_shard = "01_ai_layer/shards/01_identitaet_personen";
const std::string k_python = "02_audit_logging/anchoring/locked_anchor.py";
const std::string k_contract = "16_codex/contracts/sot/sot_contract_data.yaml";

/// True if the verdict is an ERROR whose findings are all `unreadable` and one names `path` with `reason`.
::testing::AssertionResult unreadable_error(const exec::Verdict& v, const std::string& path, const std::string& reason) {
  if (v.status != Status::error) return ::testing::AssertionFailure() << v.rule_id << " is " << exec::status_name(v.status);
  bool named = false;
  for (const auto& f : v.findings) {
    if (f.kind != FindingKind::unreadable)
      return ::testing::AssertionFailure() << v.rule_id << " has a finding of another kind: " << f.message;
    named = named || (f.path == path && f.actual == reason);
  }
  if (!named) return ::testing::AssertionFailure() << v.rule_id << " does not name " << path << " (" << reason << ")";
  return ::testing::AssertionSuccess();
}

/// The ids whose verdicts changed from the clean run, and that none of them is a FAIL or PASS.
std::set<std::string> changed_rules(const testing::RunResult& clean, const testing::RunResult& run) {
  std::set<std::string> changed;
  for (const auto& v : run.verdicts)
    if (v.status != clean.at(v.rule_id).status) changed.insert(v.rule_id);
  return changed;
}

TEST(UnreadableInput, AnUnlistableShardMakesTheRulesThatLookInsideItErrorNotFail) {
  MemoryTree clean_tree = testing::scaffold_tree();
  const auto clean = testing::run_catalog(clean_tree, Profile::strict);
  ASSERT_TRUE(clean.not_passing().empty());
  MemoryTree tree = testing::scaffold_tree();
  tree.fail(k_shard, EACCES);
  const auto run = testing::run_catalog(tree, Profile::strict);
  ASSERT_EQ(run.verdicts.size(), k_rule_count);  // every rule still gets a verdict
  for (const auto& v : run.verdicts) EXPECT_NE(v.status, Status::fail) << v.rule_id << ": " << v.message;
  // The reproduction: these three failed with no word about permissions.
  for (const char* id : {"AR004", "AR005", "AR010"}) EXPECT_TRUE(unreadable_error(run.at(id), k_shard, "Permission denied"));
  // Rules that never look below the shard (the root's README, the roots themselves) are unaffected.
  EXPECT_EQ(run.at("AR001").status, Status::pass);
  for (const auto& id : changed_rules(clean, run)) EXPECT_TRUE(unreadable_error(run.at(id), k_shard, "Permission denied"));
}

TEST(UnreadableInput, AnUnreadablePythonFileIsNeverASecret) {
  // Strict only: the reference's CP011 pattern keeps its braces literal and reads no .py at all (RC-1).
  for (const Profile profile : {Profile::strict}) {
    MemoryTree tree = testing::scaffold_tree();
    tree.add_file(k_python, "api_key = 'abcdefghijklmnop1234'\n");  // a secret nobody can read is not reported
    tree.fail(k_python, EACCES);
    const auto run = testing::run_catalog(tree, profile, {"CP011"});
    ASSERT_EQ(run.verdicts.size(), 1u);
    const auto& v = run.at("CP011");
    EXPECT_TRUE(unreadable_error(v, k_python, "Permission denied"));
    EXPECT_EQ(v.evidence.dump().find("Errno 13"), std::string::npos) << v.evidence.dump();
    EXPECT_EQ(v.evidence.value("error_type", ""), "unreadable");
  }
}

TEST(UnreadableInput, AnUnreadableChartIsAnErrorOfTheRulesThatParseIt) {
  MemoryTree tree = testing::scaffold_tree();
  tree.fail(k_shard + "/chart.yaml", EACCES);
  const auto run = testing::run_catalog(tree, Profile::strict);
  ASSERT_EQ(run.verdicts.size(), k_rule_count);
  EXPECT_TRUE(unreadable_error(run.at("VG001"), k_shard + "/chart.yaml", "Permission denied"));
  // Existence is not reading: the rule that only asks whether each shard has a chart still passes.
  EXPECT_EQ(run.at("AR004").status, Status::pass);
  for (const auto& v : run.verdicts) EXPECT_NE(v.status, Status::fail) << v.rule_id;
}

TEST(UnreadableInput, StrictReportsALinkOutOfTheRepositoryInsteadOfReadingIt) {
  MemoryTree tree = testing::scaffold_tree();
  tree.remove(k_contract);
  tree.add_outside_link(k_contract, "/etc/passwd");
  const auto run = testing::run_catalog(tree, Profile::strict);
  ASSERT_EQ(run.verdicts.size(), k_rule_count);
  std::size_t errors = 0;
  for (const auto& v : run.verdicts) {
    EXPECT_NE(v.status, Status::fail) << v.rule_id << ": " << v.message;
    if (v.status != Status::error) continue;
    ++errors;
    EXPECT_TRUE(unreadable_error(v, k_contract, "points outside the repository"));
  }
  EXPECT_GT(errors, 0u);  // the SoT contract rules all read it
}

TEST(UnreadableInput, AnUnreadableFileNobodyReadsChangesNothing) {
  MemoryTree clean_tree = testing::scaffold_tree();
  const auto clean = testing::run_catalog(clean_tree, Profile::strict);
  MemoryTree tree = testing::scaffold_tree();
  tree.add_file("05_documentation/notes.bin", "x");
  tree.fail("05_documentation/notes.bin", EACCES);
  const auto run = testing::run_catalog(tree, Profile::strict);
  EXPECT_TRUE(changed_rules(clean, run).empty());
}

}  // namespace
}  // namespace sotcheck
