// AR001-AR010 in both profiles: each passes on a tree laid out for its
// profile and fails on the smallest tree that breaks it, with the reference
// validator's message and evidence.

#include <gtest/gtest.h>

#include "support/trees.hpp"

namespace sotcheck {
namespace {

using checks::Profile;
using exec::Status;
using testing::MemoryTree;
using testing::reference_tree;
using testing::run_rule;
using testing::strict_tree;

const std::vector<std::string> k_ar_ids = {"AR001", "AR002", "AR003", "AR004", "AR005",
                                           "AR006", "AR007", "AR008", "AR009", "AR010"};

TEST(ArRules, AllPassOnTheMasterDefinitionLayoutInStrict) {
  MemoryTree tree = strict_tree();
  for (const auto& id : k_ar_ids) {
    const auto v = run_rule(id, tree, Profile::strict);
    EXPECT_EQ(v.status, Status::pass) << id << ": " << v.message << " " << v.evidence.dump();
  }
}

TEST(ArRules, AllPassOnTheFlatLayoutInReference) {
  MemoryTree tree = reference_tree();
  for (const auto& id : k_ar_ids) {
    const auto v = run_rule(id, tree, Profile::reference);
    EXPECT_EQ(v.status, Status::pass) << id << ": " << v.message << " " << v.evidence.dump();
  }
}

TEST(ArRules, ReferenceOnAMasterDefinitionTreeReproducesTheDocumentedOutcome) {
  // docs/reference-compatibility.md#rc-8: the reference finds 0 shards per root, so AR002/AR003 fail,
  // AR004/AR005/AR010/AR007 pass vacuously and AR008 lists every non-shard folder.
  MemoryTree tree = strict_tree();
  EXPECT_EQ(run_rule("AR002", tree, Profile::reference).status, Status::fail);
  const auto ar003 = run_rule("AR003", tree, Profile::reference);
  EXPECT_EQ(ar003.status, Status::fail);
  EXPECT_EQ(ar003.message, "Matrix structure: 0 charts (required: 384)");
  for (const char* id : {"AR004", "AR005", "AR007", "AR010"})
    EXPECT_EQ(run_rule(id, tree, Profile::reference).status, Status::pass) << id;
  const auto ar008 = run_rule("AR008", tree, Profile::reference);
  EXPECT_EQ(ar008.status, Status::fail);
  EXPECT_EQ(ar008.message, "Shard naming validation: 24 violations found");
  EXPECT_EQ(ar008.evidence["violations"][0]["path"], "01_ai_layer/shards");
  EXPECT_EQ(ar008.evidence["violations"][0]["issue"], "Invalid shard name pattern");
  EXPECT_EQ(ar008.evidence["violations"].size(), 20u);  // first 20
  EXPECT_EQ(ar008.evidence["total_violations"], 24);
}

TEST(ArRules, Ar001FailsWhenARootIsMissingAndNamesIt) {
  for (Profile p : {Profile::strict, Profile::reference}) {
    MemoryTree tree = p == Profile::strict ? strict_tree() : reference_tree();
    tree.remove("07_governance_legal");
    const auto v = run_rule("AR001", tree, p);
    EXPECT_EQ(v.status, Status::fail);
    EXPECT_EQ(v.message, "Root folder count: 23 (required: 24)");
    EXPECT_EQ(v.evidence["expected_count"], 24);
    EXPECT_EQ(v.evidence["actual_count"], 23);
    EXPECT_EQ(v.evidence["missing_roots"], nlohmann::ordered_json::array({"07_*"}));
  }
}

TEST(ArRules, Ar001WithAnExtraRootFailsWithNoMissingRoots) {
  MemoryTree tree = strict_tree();
  tree.add_dir("25_extra");
  const auto v = run_rule("AR001", tree, Profile::strict);
  EXPECT_EQ(v.status, Status::fail);
  EXPECT_EQ(v.evidence["missing_roots"], nlohmann::ordered_json::array());
}

TEST(ArRules, Ar001IgnoresFilesAndBadlyNamedDirectories) {
  MemoryTree tree = strict_tree();
  tree.add_file("25_not_a_dir").add_dir("26_Upper").add_dir("27_ai-layer");
  EXPECT_EQ(run_rule("AR001", tree, Profile::strict).status, Status::pass);
}

TEST(ArRules, Ar002FailsOnARootWithFifteenShards) {
  for (Profile p : {Profile::strict, Profile::reference}) {
    MemoryTree tree = p == Profile::strict ? strict_tree() : reference_tree();
    tree.remove(p == Profile::strict ? "03_core/shards/05_gesundheit_medizin" : "03_core/05_gesundheit_medizin");
    const auto v = run_rule("AR002", tree, p);
    EXPECT_EQ(v.status, Status::fail);
    EXPECT_EQ(v.message, "Shard count validation: 1 violations found");
    EXPECT_EQ(v.evidence["violations"][0]["root"], "03_core");
    EXPECT_EQ(v.evidence["violations"][0]["actual_shards"], 15);
  }
}

TEST(ArRules, Ar003FailsWhenTheMatrixTotalIsNot384) {
  MemoryTree tree = strict_tree();
  tree.remove("24_meta_orchestration/shards/16_behoerden_verwaltung");
  const auto v = run_rule("AR003", tree, Profile::strict);
  EXPECT_EQ(v.status, Status::fail);
  EXPECT_EQ(v.message, "Matrix structure: 383 charts (required: 384)");
}

TEST(ArRules, Ar003OnlyChecksTheTotal) {
  // docs/reference-compatibility.md#rc-20: one root with 32 shards and one with 0 still sum to 384.
  MemoryTree tree = strict_tree();
  tree.remove("02_audit_logging/shards");
  tree.add_dir("02_audit_logging/shards");
  for (const auto& shard : testing::shard_names()) tree.add_dir("01_ai_layer/shards/" + shard.substr(0, 2) + "_copy_" + shard.substr(3));
  EXPECT_EQ(run_rule("AR003", tree, Profile::strict).status, Status::pass);
}

TEST(ArRules, Ar004FailsOnAShardWithoutItsChart) {
  MemoryTree strict = strict_tree();
  strict.remove("05_documentation/shards/02_dokumente_nachweise/chart.yaml");
  auto v = run_rule("AR004", strict, Profile::strict);
  EXPECT_EQ(v.status, Status::fail);
  EXPECT_EQ(v.message, "Chart.yaml validation: 1 missing (total shards: 384)");
  EXPECT_EQ(v.evidence["missing_charts"][0], "05_documentation/02_dokumente_nachweise");

  MemoryTree reference = reference_tree();
  reference.remove("05_documentation/02_dokumente_nachweise/Chart.yaml");
  EXPECT_EQ(run_rule("AR004", reference, Profile::reference).status, Status::fail);
}

TEST(ArRules, Ar004IsCaseSensitivePerProfile) {
  // strict wants the SoT chart.yaml; reference looks for Helm-style Chart.yaml (docs/reference-compatibility.md#rc-7).
  MemoryTree reference = reference_tree();
  reference.remove("01_ai_layer/01_identitaet_personen/Chart.yaml");
  reference.add_file("01_ai_layer/01_identitaet_personen/chart.yaml");
  EXPECT_EQ(run_rule("AR004", reference, Profile::reference).status, Status::fail);
}

TEST(ArRules, Ar004DanglingSymlinkIsMissing) {
  MemoryTree tree = strict_tree();
  tree.remove("01_ai_layer/shards/01_identitaet_personen/chart.yaml");
  tree.add_symlink("01_ai_layer/shards/01_identitaet_personen/chart.yaml", "gone.yaml", snapshot::EntryKind::missing);
  EXPECT_EQ(run_rule("AR004", tree, Profile::strict).status, Status::fail);
}

TEST(ArRules, Ar005FailsOnAShardWithoutValues) {
  MemoryTree tree = strict_tree();
  tree.remove("16_codex/shards/09_arbeit_karriere/values.yaml");
  const auto v = run_rule("AR005", tree, Profile::strict);
  EXPECT_EQ(v.status, Status::fail);
  EXPECT_EQ(v.evidence["missing_values"][0], "16_codex/09_arbeit_karriere");
}

TEST(ArRules, Ar006FailsOnARootWithoutReadme) {
  MemoryTree tree = strict_tree();
  tree.remove("12_tooling/README.md");
  const auto v = run_rule("AR006", tree, Profile::strict);
  EXPECT_EQ(v.status, Status::fail);
  EXPECT_EQ(v.message, "README.md validation: 1 missing (total roots: 24)");
  EXPECT_EQ(v.evidence["missing_readme"], nlohmann::ordered_json::array({"12_tooling"}));
}

TEST(ArRules, Ar007FailsWhenOneRootHasADifferentShardSet) {
  MemoryTree tree = strict_tree();
  tree.remove("09_meta_identity/shards/04_kommunikation_daten");
  tree.add_dir("09_meta_identity/shards/04_kommunikation_extra");
  const auto v = run_rule("AR007", tree, Profile::strict);
  EXPECT_EQ(v.status, Status::fail);
  EXPECT_EQ(v.message, "Shard consistency: 1 inconsistencies found");
  EXPECT_EQ(v.evidence["inconsistencies"][0]["root"], "09_meta_identity");
  EXPECT_EQ(v.evidence["inconsistencies"][0]["missing_shards"][0], "04_kommunikation_daten");
  EXPECT_EQ(v.evidence["inconsistencies"][0]["extra_shards"][0], "04_kommunikation_extra");
}

TEST(ArRules, Ar007WithNoRootsFailsWithTheFixedMessage) {
  MemoryTree tree;
  tree.add_dir("docs");
  for (Profile p : {Profile::strict, Profile::reference}) {
    const auto v = run_rule("AR007", tree, p);
    EXPECT_EQ(v.status, Status::fail);
    EXPECT_EQ(v.message, "No root directories found");
    EXPECT_EQ(v.evidence["error"], "No root directories to validate");
  }
}

TEST(ArRules, EmptyScopesFailInStrictButPassVacuouslyInReference) {
  // docs/reference-compatibility.md#rc-20: 24 roots without any shard.
  MemoryTree tree;
  for (const auto& root : testing::root_names()) tree.add_file(root + "/README.md");
  for (const char* id : {"AR004", "AR005", "AR010", "AR007"}) {
    EXPECT_EQ(run_rule(id, tree, Profile::strict).status, Status::fail) << id;
    EXPECT_EQ(run_rule(id, tree, Profile::reference).status, Status::pass) << id;
  }
}

TEST(ArRules, Ar008FlagsOutOfRangeAndBadlyNamedShards) {
  MemoryTree tree = strict_tree();
  tree.add_dir("02_audit_logging/shards/17_zu_viel");
  tree.add_dir("02_audit_logging/shards/Docs");
  tree.add_dir("02_audit_logging/shards/.hidden");
  const auto v = run_rule("AR008", tree, Profile::strict);
  EXPECT_EQ(v.status, Status::fail);
  EXPECT_EQ(v.message, "Shard naming validation: 2 violations found");
  EXPECT_EQ(v.evidence["violations"][0]["path"], "02_audit_logging/shards/17_zu_viel");
  EXPECT_EQ(v.evidence["violations"][0]["issue"], "Shard number 17 outside valid range 01-16");
  EXPECT_EQ(v.evidence["violations"][1]["issue"], "Invalid shard name pattern");
}

TEST(ArRules, Ar009FlagsBadRootNamesButIgnoresHiddenAndToolFolders) {
  MemoryTree tree = strict_tree();
  tree.add_dir("00_zero").add_dir("docs").add_dir(".github").add_dir("node_modules").add_dir("venv");
  const auto v = run_rule("AR009", tree, Profile::strict);
  EXPECT_EQ(v.status, Status::fail);
  EXPECT_EQ(v.message, "Root naming validation: 2 violations found");
  EXPECT_EQ(v.evidence["violations"][0]["dir"], "00_zero");
  EXPECT_EQ(v.evidence["violations"][0]["issue"], "Root number 00 outside valid range 01-24");
  EXPECT_EQ(v.evidence["violations"][1]["dir"], "docs");
  EXPECT_EQ(v.evidence["violations"][1]["issue"], "Invalid root name pattern");
  EXPECT_EQ(v.evidence["valid_roots"].size(), 24u);
}

TEST(ArRules, Ar010FailsWhenTemplatesIsAFile) {
  MemoryTree tree = strict_tree();
  tree.remove("11_test_simulation/shards/13_unternehmen_gewerbe/templates");
  tree.add_file("11_test_simulation/shards/13_unternehmen_gewerbe/templates", "not a dir");
  const auto v = run_rule("AR010", tree, Profile::strict);
  EXPECT_EQ(v.status, Status::fail);
  EXPECT_EQ(v.evidence["missing_templates"][0], "11_test_simulation/13_unternehmen_gewerbe");
}

TEST(ArRules, SymlinkedShardDirectoriesCount) {
  // docs/reference-compatibility.md#rc-16: is_dir() follows links, so a symlinked shard is a shard.
  MemoryTree tree = strict_tree();
  tree.remove("01_ai_layer/shards/16_behoerden_verwaltung");
  tree.add_symlink("01_ai_layer/shards/16_behoerden_verwaltung", "../../02_audit_logging/shards/16_behoerden_verwaltung",
                   snapshot::EntryKind::directory);
  EXPECT_EQ(run_rule("AR002", tree, Profile::strict).status, Status::pass);
}

}  // namespace
}  // namespace sotcheck
