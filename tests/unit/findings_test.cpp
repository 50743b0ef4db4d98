// Findings, primitive by primitive, on small in-memory trees: a FAIL names
// every offending path (the real one, e.g. R/shards/S/chart.yaml), with the
// line and column where the check looked at YAML or text, and a kind from
// the closed set of docs/findings.md. Then the whole catalog on a broken
// scaffold: every FAIL has findings, and findings survive the JSON form the
// process pool sends verdicts in.

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "sotcheck/exec/verdict.hpp"
#include "support/memory_tree.hpp"
#include "support/one_check.hpp"
#include "support/rule_harness.hpp"

namespace sotcheck {
namespace {

using checks::Finding;
using checks::FindingKind;
using checks::Outputs;
using checks::Profile;
using testing::MemoryTree;

/// The check compiled and evaluated on `tree` (support/one_check.hpp).
Outputs run(const std::string& yaml, MemoryTree& tree, Profile profile = Profile::strict) {
  const auto check = testing::compile_check(yaml, profile);
  if (!check) throw std::runtime_error("the check did not compile");
  return testing::evaluate_check(*check, tree, profile);
}

/// "path:line:column kind" for each finding, sorted, so a test states all of them at once.
std::vector<std::string> where(const Outputs& out) {
  std::vector<std::string> lines;
  for (const Finding& f : out.findings)
    lines.push_back(f.path + ":" + std::to_string(f.line) + ":" + std::to_string(f.column) + " " +
                    std::string(checks::finding_kind_name(f.kind)));
  std::sort(lines.begin(), lines.end());
  return lines;
}

using Lines = std::vector<std::string>;

constexpr const char* k_nn = "'^[0-9]{2}_[a-z_]+$'";

// ------------------------------------------------------------ structure

TEST(Findings, DirCountNamesEachMissingRootNumber) {
  MemoryTree tree;
  tree.add_dir("01_a").add_dir("03_c");
  const Outputs out = run(std::string("kind: dir_count\nbase: repo\nname_regex: ") + k_nn + "\nexpected: 3", tree);
  ASSERT_FALSE(out.passed);
  EXPECT_EQ(where(out), (Lines{"02_*:0:0 missing"}));
}

TEST(Findings, DirCountPerRootNamesTheShardFolderAndItsCount) {
  MemoryTree tree;
  tree.add_dir("01_a/shards/01_x").add_dir("01_a/shards/02_y").add_dir("02_b/shards/01_x");
  const Outputs out = run(std::string("kind: dir_count\nbase: each_root\ncontainer: shards\nexpected: 2\nname_regex: ") +
                              k_nn,
                          tree);
  ASSERT_FALSE(out.passed);
  EXPECT_EQ(where(out), (Lines{"02_b/shards:0:0 invalid_value"}));
  EXPECT_EQ(out.findings[0].expected, "2");
  EXPECT_EQ(out.findings[0].actual, "1");
}

TEST(Findings, EachHasPathNamesTheRealMissingPathInsideTheContainer) {
  MemoryTree tree;
  tree.add_file("01_a/shards/01_x/chart.yaml").add_dir("01_a/shards/02_y");
  const Outputs out = run("kind: each_has_path\nscope: shards\nrelpath: chart.yaml\ncontainer: shards", tree);
  ASSERT_FALSE(out.passed);
  EXPECT_EQ(where(out), (Lines{"01_a/shards/02_y/chart.yaml:0:0 missing"}));
}

TEST(Findings, ChildSetsIdenticalNamesMissingAndExtraShards) {
  MemoryTree tree;
  tree.add_dir("01_a/shards/01_x").add_dir("01_a/shards/02_y").add_dir("02_b/shards/01_x").add_dir("02_b/shards/03_z");
  const Outputs out = run("kind: child_sets_identical\ncontainer: shards", tree);
  ASSERT_FALSE(out.passed);
  EXPECT_EQ(where(out), (Lines{"02_b/shards/02_y:0:0 missing", "02_b/shards/03_z:0:0 forbidden_entry"}));
}

TEST(Findings, DirNamePolicyNamesEveryBadlyNamedFolder) {
  MemoryTree tree;
  tree.add_dir("01_a").add_dir("99_z").add_dir("Docs").add_dir(".hidden");
  const Outputs out = run(
      "kind: dir_name_policy\nbase: repo\nname_regex: '^([0-9]{2})_[a-z_]+$'\nrange: [1, 24]\n"
      "issues: {out_of_range: 'number {num} out of range', bad_pattern: 'bad name'}",
      tree);
  ASSERT_FALSE(out.passed);
  EXPECT_EQ(where(out), (Lines{"99_z:0:0 forbidden_entry", "Docs:0:0 forbidden_entry"}));
}

TEST(Findings, ShardPathRatioNamesEachShardWithoutTheFileAndTheThreshold) {
  MemoryTree tree;
  tree.add_file("01_a/shards/01_x/chart.yaml").add_dir("01_a/shards/02_y").add_dir("01_a/shards/03_z");
  const Outputs out = run(std::string("kind: shard_path_ratio\nroot_regex: ") + k_nn + "\nratio: 0.9", tree);
  ASSERT_FALSE(out.passed);
  EXPECT_EQ(where(out), (Lines{"01_a/shards/02_y/chart.yaml:0:0 missing", "01_a/shards/03_z/chart.yaml:0:0 missing"}));
  EXPECT_NE(out.findings[0].message.find("1/3 shards have chart.yaml; needs at least 90 %"), std::string::npos)
      << out.findings[0].message;
}

// ------------------------------------------------------------ paths

TEST(Findings, PathExistsNamesWhatItLookedFor) {
  MemoryTree tree;
  tree.add_file("README.md");
  const Outputs out = run("kind: path_exists\npath: .github/settings.yml", tree);
  ASSERT_FALSE(out.passed);
  EXPECT_EQ(where(out), (Lines{".github/settings.yml:0:0 missing"}));
  EXPECT_EQ(out.findings[0].message, "no file or folder at .github/settings.yml");
}

TEST(Findings, PathExistsWithContentNamesTheFileThatLacksIt) {
  MemoryTree tree;
  tree.add_file(".github/CODEOWNERS", "* @team\n");
  const Outputs out = run("kind: path_exists\npath: .github/CODEOWNERS\ncontains: chart.yaml", tree);
  ASSERT_FALSE(out.passed);
  EXPECT_EQ(where(out), (Lines{".github/CODEOWNERS:0:0 invalid_value"}));
  EXPECT_NE(out.findings[0].message.find("contains \"chart.yaml\""), std::string::npos) << out.findings[0].message;
}

TEST(Findings, GlobCountNamesThePatternWhenNothingMatches) {
  MemoryTree tree;
  tree.add_file("policy.txt");
  const Outputs out = run("kind: glob_count\nquery: {patterns: ['*.rego']}", tree);
  ASSERT_FALSE(out.passed);
  EXPECT_EQ(where(out), (Lines{"*.rego:0:0 missing"}));
  EXPECT_EQ(out.findings[0].message, "no file matches *.rego");
}

TEST(Findings, GlobCountAtMostNamesEveryMatch) {
  MemoryTree tree;
  tree.add_file("a/x.exe").add_file("b/y.exe").add_file("c/z.txt");
  const Outputs out = run("kind: glob_count\nquery: {patterns: ['*.exe']}\nop: le\nvalue: 0", tree);
  ASSERT_FALSE(out.passed);
  EXPECT_EQ(where(out), (Lines{"a/x.exe:0:0 forbidden_entry", "b/y.exe:0:0 forbidden_entry"}));
}

TEST(Findings, GlobRatioNamesEachEntryThatFallsShortAndTheThreshold) {
  MemoryTree tree;
  tree.add_file("impl/a/manifest.yaml").add_dir("impl/b").add_dir("impl/c");
  const Outputs out = run(
      "kind: glob_ratio\nnumerator: {patterns: ['impl/*/manifest.yaml']}\n"
      "denominator: {patterns: ['impl/*'], entry_kind: dir}\nratio: 0.7",
      tree);
  ASSERT_FALSE(out.passed);
  EXPECT_EQ(where(out), (Lines{"impl/b:0:0 below_threshold", "impl/c:0:0 below_threshold"}));
  EXPECT_NE(out.findings[0].message.find("1/3 match impl/*/manifest.yaml; needs at least 70 %"), std::string::npos)
      << out.findings[0].message;
}

TEST(Findings, GroupedChildrenStatesWhatItCountedAndTheBar) {
  MemoryTree tree;
  tree.add_file("a/x.yaml").add_file("b/y.yaml");
  const Outputs out = run("kind: grouped_children\nquery: {patterns: ['*.yaml']}\ngroup_by_ancestor: 1", tree);
  ASSERT_FALSE(out.passed);
  EXPECT_EQ(where(out), (Lines{"*.yaml:0:0 below_threshold"}));
}

// ------------------------------------------------------------ content

TEST(Findings, ContentMatchNamesEveryFileThatLacksTheText) {
  MemoryTree tree;
  tree.add_file("docs/a.md", "License: MIT\n").add_file("docs/b.md", "nothing\n").add_file("c.md", "none\n");
  const Outputs out = run("kind: content_match\nquery: {patterns: ['*.md']}\npredicate: {contains: License}\n"
                          "quantifier: all",
                          tree);
  ASSERT_FALSE(out.passed);
  EXPECT_EQ(where(out), (Lines{"c.md:0:0 invalid_value", "docs/b.md:0:0 invalid_value"}));
}

TEST(Findings, ContentMatchNoneNamesTheFilesThatMatch) {
  MemoryTree tree;
  tree.add_file("a.py", "import pickle\n").add_file("b.py", "print(1)\n");
  const Outputs out = run("kind: content_match\nquery: {patterns: ['*.py']}\npredicate: {contains: pickle}\n"
                          "quantifier: none",
                          tree);
  ASSERT_FALSE(out.passed);
  EXPECT_EQ(where(out), (Lines{"a.py:0:0 forbidden_content"}));
}

constexpr const char* k_secret_check =
    "kind: content_regex_absent\nquery: {patterns: ['*.py']}\nicase: true\n"
    "regexes:\n  - {regex: 'password\\s*=\\s*\"[^\"]{8,}\"', description: hard-coded password}\n";

TEST(Findings, ContentRegexAbsentGivesLineAndColumnOfTheFirstMatch) {
  MemoryTree tree;
  tree.add_file("app/settings.py", "import os\n\n  é = 1; PASSWORD = \"hunter2hunter2\"\n")
      .add_file("app/clean.py", "x = 1\n")
      .add_file("other.py", "password=\"abcdefghij\"");
  const Outputs out = run(k_secret_check, tree);
  ASSERT_FALSE(out.passed);
  // Columns count characters: the é before the match is one column.
  EXPECT_EQ(where(out), (Lines{"app/settings.py:3:10 forbidden_content", "other.py:1:1 forbidden_content"}));
  EXPECT_NE(out.findings[0].message.find("hard-coded password"), std::string::npos) << out.findings[0].message;
}

// ------------------------------------------------------------ YAML

TEST(Findings, YamlFieldPointsAtTheWrongValue) {
  MemoryTree tree;
  tree.add_file("a/chart.yaml", "name: a\nmetadata:\n  owner: x\n  version: \"1.0\"\n")
      .add_file("b/chart.yaml", "name: b\nmetadata:\n  version: 1.2.3\n");
  const Outputs out = run(
      "kind: yaml_files_field\nquery: {patterns: ['*/chart.yaml']}\n"
      "predicate: {matches: {at: metadata.version, default: '', regex: '^[0-9]+\\.[0-9]+\\.[0-9]+$'}}\nquantifier: all",
      tree);
  ASSERT_FALSE(out.passed);
  EXPECT_EQ(where(out), (Lines{"a/chart.yaml:4:12 invalid_value"}));
  EXPECT_EQ(out.findings[0].message,
            "metadata.version is \"1.0\": expected a value matching /^[0-9]+\\.[0-9]+\\.[0-9]+$/");
  EXPECT_EQ(out.findings[0].actual, "\"1.0\"");
}

TEST(Findings, AMissingYamlKeyPointsAtTheMappingThatShouldHoldIt) {
  MemoryTree tree;
  tree.add_file("a/chart.yaml", "name: a\ngovernance:\n  reviewers: [x]\n");
  const Outputs out = run(
      "kind: yaml_files_field\nquery: {patterns: ['*/chart.yaml']}\npredicate: {truthy: governance.owner}\n"
      "quantifier: all",
      tree);
  ASSERT_FALSE(out.passed);
  EXPECT_EQ(where(out), (Lines{"a/chart.yaml:3:3 missing"}));
  EXPECT_EQ(out.findings[0].message, "governance.owner is missing: expected a non-empty value");
}

TEST(Findings, AYamlSyntaxErrorIsUnreadableAtItsPosition) {
  MemoryTree tree;
  tree.add_file("a/chart.yaml", "name: a\nlist: [1, 2\n");
  const Outputs out = run(
      "kind: yaml_files_field\nquery: {patterns: ['*/chart.yaml']}\npredicate: {truthy: name}\nquantifier: all", tree);
  ASSERT_FALSE(out.passed);
  ASSERT_EQ(out.findings.size(), 1u);
  EXPECT_EQ(out.findings[0].kind, FindingKind::unreadable);
  EXPECT_EQ(out.findings[0].path, "a/chart.yaml");
  EXPECT_GT(out.findings[0].line, 0u);
}

TEST(Findings, ARatioOverYamlFilesStatesTheBarOnEachFile) {
  MemoryTree tree;
  tree.add_file("a/chart.yaml", "owner: x\n").add_file("b/chart.yaml", "other: 1\n").add_file("c/chart.yaml", "z: 1\n");
  const Outputs out = run(
      "kind: yaml_files_field\nquery: {patterns: ['*/chart.yaml']}\npredicate: {truthy: owner}\n"
      "quantifier: {ratio_ge: {x: 0.7, empty: fail}}",
      tree);
  ASSERT_FALSE(out.passed);
  EXPECT_EQ(where(out), (Lines{"b/chart.yaml:1:1 below_threshold", "c/chart.yaml:1:1 below_threshold"}));
  EXPECT_NE(out.findings[0].message.find("1/3 files pass; needs at least 70 % of the files"), std::string::npos)
      << out.findings[0].message;
}

constexpr const char* k_contract_check =
    "kind: contract_field_present\n"
    "contract: {patterns: ['**/contracts/**/*.yaml'], prefer_name_contains: sot_contract_data,\n"
    "           exact_path: 16_codex/contracts/sot/sot_contract_data.yaml}\n"
    "path: business_model.revenue.streams\n";

TEST(Findings, AMissingContractFieldPointsAtItsParentMapping) {
  MemoryTree tree;
  tree.add_file("16_codex/contracts/sot/sot_contract_data.yaml",
                "version: 1\nbusiness_model:\n  revenue:\n    fees: 1\n");
  const Outputs out = run(k_contract_check, tree);
  ASSERT_FALSE(out.passed);
  EXPECT_EQ(where(out), (Lines{"16_codex/contracts/sot/sot_contract_data.yaml:4:5 missing"}));
  EXPECT_EQ(out.findings[0].identity, "business_model.revenue.streams");
}

TEST(Findings, NoContractIsAMissingFindingAtTheExpectedPath) {
  MemoryTree tree;
  tree.add_file("README.md");
  const Outputs out = run(k_contract_check, tree);
  ASSERT_FALSE(out.passed);
  EXPECT_EQ(where(out), (Lines{"16_codex/contracts/sot/sot_contract_data.yaml:0:0 missing"}));
}

// ------------------------------------------------------------ combinators

TEST(Findings, CombinatorsReportTheirFailedChildren) {
  MemoryTree tree;
  tree.add_file("a.rego");
  const std::string children =
      "checks:\n  - {kind: path_exists, path: .github/CODEOWNERS}\n  - {kind: glob_count, query: {patterns: ['*.rego']}}\n"
      "  - {kind: glob_count, query: {patterns: ['*.cue']}}\n";
  const Outputs all = run("kind: all_of\n" + children, tree);
  ASSERT_FALSE(all.passed);
  EXPECT_EQ(where(all), (Lines{"*.cue:0:0 missing", ".github/CODEOWNERS:0:0 missing"}));
  const Outputs at_least = run("kind: count_at_least\nk: 2\n" + children, tree);
  ASSERT_FALSE(at_least.passed);
  EXPECT_EQ(where(at_least), (Lines{"*.cue:0:0 missing", ".github/CODEOWNERS:0:0 missing"}));
  MemoryTree none;
  none.add_file("x.txt");
  const Outputs any = run("kind: any_of\n" + children, none);
  ASSERT_FALSE(any.passed);
  EXPECT_EQ(where(any), (Lines{"*.cue:0:0 missing", "*.rego:0:0 missing", ".github/CODEOWNERS:0:0 missing"}));
  const Outputs passing = run("kind: any_of\n" + children, tree);
  EXPECT_TRUE(passing.passed);
  EXPECT_TRUE(passing.findings.empty());
}

// ------------------------------------------------------------ the whole catalog

/// True if `path` names an entry of `tree` ("." is the root).
bool exists_in(MemoryTree& tree, const std::string& path) {
  if (path == ".") return true;
  const auto slash = path.rfind('/');
  const std::string parent = slash == std::string::npos ? "" : path.substr(0, slash);
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  std::vector<snapshot::SourceEntry> entries;
  int error = 0;
  if (!tree.list(parent, &entries, &error)) return false;
  return std::any_of(entries.begin(), entries.end(), [&](const snapshot::SourceEntry& e) { return e.name == name; });
}

/// Every FAIL has a finding; a finding names an entry of the tree, or (kind missing) the thing that is not
/// there: a path that does not exist or a glob.
void expect_findings_name_the_tree(MemoryTree& tree, const testing::RunResult& result, const std::string& what) {
  std::size_t failures = 0;
  for (const exec::Verdict& v : result.verdicts) {
    if (v.status != exec::Status::fail) {
      EXPECT_TRUE(v.findings.empty()) << what << " " << v.rule_id << " passed with findings";
      continue;
    }
    ++failures;
    EXPECT_FALSE(v.findings.empty()) << what << " " << v.rule_id << " fails without findings: " << v.message;
    for (const Finding& f : v.findings) {
      EXPECT_FALSE(f.message.empty()) << what << " " << v.rule_id;
      const bool glob = f.path.find_first_of("*?[{") != std::string::npos;
      if (f.kind == FindingKind::missing && f.line != 0) {
        // A key missing from a YAML document: the document is there, the line is the mapping to fix.
        EXPECT_TRUE(exists_in(tree, f.path)) << what << " " << v.rule_id << ": " << f.path << " is not in the tree";
      } else if (f.kind == FindingKind::missing) {
        EXPECT_TRUE(glob || !exists_in(tree, f.path) || f.path == ".")
            << what << " " << v.rule_id << ": missing " << f.path << " exists";
      } else {
        EXPECT_TRUE(exists_in(tree, f.path) || glob)
            << what << " " << v.rule_id << ": " << f.path << " (" << checks::finding_kind_name(f.kind)
            << ") is not in the tree";
      }
    }
  }
  EXPECT_GT(failures, 0u) << what;
}

/// The small scaffold broken in many ways at once: roots and shards gone, charts and values removed or
/// wrong, a planted secret, the contract gone.
MemoryTree broken_scaffold() {
  MemoryTree tree = testing::scaffold_tree();
  tree.remove("24_meta_orchestration");
  tree.remove("01_ai_layer/shards/01_identitaet_personen/values.yaml");
  tree.remove("02_audit_logging/shards/03_zugang_berechtigungen");
  tree.add_file("03_core/shards/01_identitaet_personen/chart.yaml", "version: 1.0\nname: [broken\n");
  tree.add_file("03_core/shards/02_dokumente_nachweise/chart.yaml", "metadata: {}\n");
  tree.add_file("04_deployment/config.py", "\n\nAPI_KEY = \"sk-live-0123456789abcdef\"\n");
  tree.add_file("04_deployment/Bad Name/x.txt", "x");
  tree.remove("16_codex/contracts");
  tree.remove(".github");
  return tree;
}

TEST(FindingsOverTheCatalog, EveryFailOnABrokenScaffoldNamesWhatIsWrong) {
  for (const Profile profile : {Profile::strict, Profile::reference}) {
    MemoryTree tree = broken_scaffold();
    const auto result = testing::run_catalog(tree, profile);
    expect_findings_name_the_tree(tree, result, profile == Profile::strict ? "strict" : "reference");
  }
}

TEST(FindingsOverTheCatalog, EveryFailOnAnEmptyTreeNamesWhatIsMissing) {
  for (const Profile profile : {Profile::strict, Profile::reference}) {
    MemoryTree tree;
    tree.add_file("README.md", "nothing here\n");
    const auto result = testing::run_catalog(tree, profile);
    expect_findings_name_the_tree(tree, result, profile == Profile::strict ? "strict" : "reference");
  }
}

TEST(FindingsOverTheCatalog, FindingsSurviveTheJsonFormTheProcessPoolSends) {
  MemoryTree tree = broken_scaffold();
  const auto result = testing::run_catalog(tree, Profile::strict);
  std::size_t with_findings = 0;
  for (const exec::Verdict& v : result.verdicts) {
    const std::string wire = exec::to_json(v).dump();
    const auto back = exec::verdict_from_json(nlohmann::ordered_json::parse(wire));
    ASSERT_TRUE(back) << back.error();
    EXPECT_EQ(back->findings, v.findings) << v.rule_id;
    EXPECT_EQ(exec::to_json(*back).dump(), wire) << v.rule_id;
    with_findings += v.findings.empty() ? 0 : 1;
  }
  EXPECT_GT(with_findings, 10u);
}

TEST(FindingsOverTheCatalog, ThePlantedSecretIsNamedWithItsLine) {
  MemoryTree tree = broken_scaffold();
  const auto result = testing::run_catalog(tree, Profile::strict);
  bool named = false;
  for (const exec::Verdict& v : result.verdicts)
    for (const Finding& f : v.findings)
      if (f.path == "04_deployment/config.py" && f.kind == FindingKind::forbidden_content) {
        EXPECT_EQ(f.line, 3u) << v.rule_id;
        EXPECT_EQ(f.column, 1u) << v.rule_id;
        named = true;
      }
  EXPECT_TRUE(named);
}

TEST(FindingsOverTheCatalog, AnErrorNamesTheFileThatCausedIt) {
  // The reference reads every *hash*.py entry unguarded; a directory of that name ends the rule as an ERROR.
  MemoryTree tree = testing::scaffold_tree();
  tree.add_dir("03_core/hashing/legacy_hash.py");
  const auto result = testing::run_catalog(tree, Profile::reference, {"HASH_ALG_001"});
  const exec::Verdict& v = result.at("HASH_ALG_001");
  ASSERT_EQ(v.status, exec::Status::error) << v.message;
  ASSERT_EQ(v.findings.size(), 1u);
  EXPECT_EQ(v.findings[0].path, "03_core/hashing/legacy_hash.py");
  EXPECT_EQ(v.findings[0].kind, FindingKind::unreadable);
  EXPECT_NE(v.findings[0].message.find("Is a directory"), std::string::npos) << v.findings[0].message;
}

}  // namespace
}  // namespace sotcheck
