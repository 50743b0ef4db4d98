// The catalog loader: the built-in catalog is valid, and every kind of broken
// catalog is reported, all problems at once, each with file and line.

#include <gtest/gtest.h>

#include "sotcheck/catalog/loader.hpp"
#include "sotcheck/exec/evaluate.hpp"
#include "sotcheck/plan/plan.hpp"
#include "sotcheck/snapshot/image_build.hpp"
#include "support/trees.hpp"

namespace sotcheck {
namespace {

using catalog::SourceFile;

const char* k_index = R"(files: [x.yaml]
profiles:
  strict: {do_not_descend: [".git"], vars: {container: shards}}
  reference: {do_not_descend: [], vars: {container: ""}}
)";

const char* k_batches = R"(batches:
  - {id: 0, name: first, depends_on: [], rules: [X001]}
  - {id: 1, name: second, depends_on: [0], rules: [X002]}
)";

std::string rule(const std::string& id, int batch, const std::string& extra = "",
                 const std::string& check = "{kind: dir_count, base: repo, name_regex: '^a$', expected: 1}",
                 const std::string& message = "n={count}") {
  return "  - id: " + id + "\n    title: t\n    severity: HIGH\n    batch: " + std::to_string(batch) +
         "\n    check: " + check + "\n    message: \"" + message + "\"\n" + extra + "    rationale: r\n    fix: f\n";
}

util::Result<catalog::Catalog> load(const std::string& rules, const std::string& batches, util::Diagnostics& d) {
  return catalog::load_catalog({{"catalog.yaml", k_index}, {"batches.yaml", batches}, {"x.yaml", "family: X\nrules:\n" + rules}},
                               "test", d);
}

bool has(const util::Diagnostics& d, const std::string& file, int line, const std::string& fragment) {
  for (const auto& item : d.items())
    if (item.file == file && (line == 0 || item.line == line) && item.message.find(fragment) != std::string::npos)
      return true;
  return false;
}

TEST(Catalog, BuiltInCatalogLoadsWithAllArRulesInTheirBatches) {
  const auto& c = testing::builtin_catalog();
  ASSERT_GE(c.rules.size(), 10u);
  EXPECT_EQ(c.rules[0].id, "AR001");
  EXPECT_EQ(c.batches.size(), 9u);
  EXPECT_EQ(c.find("AR003")->batch, 3);
  EXPECT_EQ(c.find("AR006")->severity, catalog::Severity::high);
  EXPECT_EQ(c.find("AR004")->depends_on, (std::vector<std::string>{"AR001", "AR002"}));
}

TEST(Catalog, AValidSmallCatalogLoads) {
  util::Diagnostics d;
  const auto c = load(rule("X001", 0) + rule("X002", 1, "    depends_on: [X001]\n"), k_batches, d);
  ASSERT_TRUE(c.ok()) << d.to_string();
  EXPECT_EQ(c->rules.size(), 2u);
}

TEST(Catalog, ReportsEveryProblemAtOnceWithFileAndLine) {
  util::Diagnostics d;
  const std::string rules = rule("X001", 0, "    colour: red\n") +                                 // unknown key, line 9
                            rule("X002", 1, "", "{kind: no_such_primitive}") +                     // unknown primitive
                            rule("X001", 1);                                                        // duplicate id
  const auto c = load(rules, k_batches, d);
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(has(d, "x.yaml", 9, "unknown key 'colour'")) << d.to_string();
  EXPECT_TRUE(has(d, "x.yaml", 16, "unknown check primitive 'no_such_primitive'")) << d.to_string();
  EXPECT_TRUE(has(d, "x.yaml", 0, "duplicate rule id 'X001'")) << d.to_string();
  EXPECT_GE(d.items().size(), 3u);
}

TEST(Catalog, RejectsAnInvalidRegexWithRe2sMessage) {
  util::Diagnostics d;
  const auto c = load(rule("X001", 0, "", "{kind: dir_count, base: repo, name_regex: '([a-', expected: 1}") + rule("X002", 1),
                      k_batches, d);
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(has(d, "x.yaml", 0, "invalid regex '([a-'")) << d.to_string();
}

TEST(Catalog, RejectsUnknownCheckParameters) {
  util::Diagnostics d;
  const auto c = load(rule("X001", 0, "", "{kind: dir_count, base: repo, name_regex: '^a$', expected: 1, colour: 2}") +
                          rule("X002", 1),
                      k_batches, d);
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(has(d, "x.yaml", 0, "unknown check parameter 'colour'")) << d.to_string();
}

TEST(Catalog, RejectsForwardAndSameBatchDependencies) {
  util::Diagnostics d;
  const auto c = load(rule("X001", 0, "    depends_on: [X002]\n") + rule("X002", 1), k_batches, d);
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(has(d, "x.yaml", 3, "must run in an earlier batch")) << d.to_string();
}

TEST(Catalog, RejectsSelfDependencyAndUnknownDependency) {
  util::Diagnostics d;
  const auto c = load(rule("X001", 0, "    depends_on: [X001]\n") + rule("X002", 1, "    depends_on: [X999]\n"), k_batches, d);
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(has(d, "x.yaml", 0, "depends on itself")) << d.to_string();
  EXPECT_TRUE(has(d, "x.yaml", 0, "depends on unknown rule X999")) << d.to_string();
}

TEST(Catalog, RejectsARuleInNoBatchAndABatchListingAnUnknownRule) {
  util::Diagnostics d;
  const auto c = load(rule("X001", 0) + rule("X002", 1) + rule("X003", 1),
                      "batches:\n  - {id: 0, name: a, depends_on: [], rules: [X001, X404]}\n"
                      "  - {id: 1, name: b, depends_on: [0], rules: [X002]}\n",
                      d);
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(has(d, "x.yaml", 0, "rule X003 is in no batch")) << d.to_string();
  EXPECT_TRUE(has(d, "batches.yaml", 2, "lists unknown rule X404")) << d.to_string();
}

TEST(Catalog, RejectsABatchThatDependsOnALaterBatch) {
  util::Diagnostics d;
  const auto c = load(rule("X001", 0) + rule("X002", 1),
                      "batches:\n  - {id: 0, name: a, depends_on: [1], rules: [X001]}\n"
                      "  - {id: 1, name: b, depends_on: [0], rules: [X002]}\n",
                      d);
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(has(d, "batches.yaml", 2, "depends on batch 1")) << d.to_string();
}

TEST(Catalog, GarbageYamlAndEmptyFilesAreReported) {
  util::Diagnostics d;
  const auto c = catalog::load_catalog(
      {{"catalog.yaml", k_index}, {"batches.yaml", ""}, {"x.yaml", "family: X\nrules: [ {id: X001\n"}}, "test", d);
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(has(d, "x.yaml", 0, "invalid YAML")) << d.to_string();
  EXPECT_TRUE(has(d, "batches.yaml", 0, "must hold 'batches:'")) << d.to_string();
}

TEST(Catalog, AFileNotListedInTheIndexIsAnError) {
  util::Diagnostics d;
  const auto c = catalog::load_catalog({{"catalog.yaml", k_index},
                                        {"batches.yaml", k_batches},
                                        {"x.yaml", "family: X\nrules:\n" + rule("X001", 0) + rule("X002", 1)},
                                        {"stray.yaml", "family: Y\nrules: []\n"}},
                                       "test", d);
  ASSERT_FALSE(c.ok());
  EXPECT_TRUE(has(d, "stray.yaml", 0, "not listed")) << d.to_string();
}

TEST(Catalog, ProblemsInsideAProfileDependentCheckKeepTheirLines) {
  // The check is rebuilt per profile; its keys still point at their own lines.
  util::Diagnostics d;
  const auto c = load(rule("X001", 0) +
                          rule("X002", 1, "",
                               "\n      kind: dir_count\n      base: {strict: repo, reference: repo}\n"
                               "      name_regex: '^a$'\n      expected: 1\n      bogus: 2"),
                      k_batches, d);
  EXPECT_FALSE(c.ok());
  // x.yaml: line 1 family, 2 rules:, 3-10 X001, 11 id X002 ... 15 check:, 16 kind, 17 base, ..., 20 bogus.
  EXPECT_TRUE(has(d, "x.yaml", 20, "unknown check parameter 'bogus'")) << d.to_string();
}

TEST(Catalog, ProfileMapsAndProfileVariablesResolvePerProfile) {
  util::Diagnostics d;
  const std::string r =
      rule("X001", 0, "",
           "{kind: each_has_path, scope: shards, container: $profile.container, relpath: {strict: a, reference: B}}",
           "missing {missing_count}") +
      rule("X002", 1);
  const auto c = load(r, k_batches, d);
  ASSERT_TRUE(c.ok()) << d.to_string();
  testing::MemoryTree tree;
  tree.add_file("01_root/shards/01_shard/a").add_file("01_root/01_shard/B");
  // Each profile finds its own file in its own layout.
  const auto& rule_x = c->rules[0];
  const auto walked = snapshot::walk(tree, {});
  snapshot::BuildOptions options;
  auto image = snapshot::HeapImage::build(walked, tree, options);
  auto view = image->view();
  EXPECT_EQ(exec::evaluate_rule(rule_x, checks::Profile::strict, *view).status, exec::Status::pass);
  EXPECT_EQ(exec::evaluate_rule(rule_x, checks::Profile::reference, *view).status, exec::Status::pass);
  tree.remove("01_root/01_shard/B");
  const auto walked2 = snapshot::walk(tree, {});
  auto image2 = snapshot::HeapImage::build(walked2, tree, options);
  EXPECT_EQ(exec::evaluate_rule(rule_x, checks::Profile::reference, *image2->view()).status, exec::Status::fail);
}

TEST(Catalog, AMisspeltOutputNameIsRejectedWithFileAndLine) {
  util::Diagnostics d;
  const std::string r = "  - id: X001\n    title: t\n    severity: HIGH\n    batch: 0\n"
                        "    check: {kind: dir_count, base: repo, name_regex: '^a$', expected: 1}\n"
                        "    message: \"n={violaton_count}\"\n"
                        "    evidence:\n      - ok: count\n      - bad: first(3, nmes)\n    rationale: r\n    fix: f\n" +
                        rule("X002", 1, "", "{kind: all_of, checks: [{name: a, kind: glob_count, query: {patterns: [x]}}]}",
                             "{a.count} files") +
                        "    evidence:\n      - fine: a.count\n      - verdict: a.passed\n      - wrong: b.count\n    rationale: r\n    fix: f\n";
  const auto c = load(r, k_batches, d);
  EXPECT_FALSE(c.ok());
  EXPECT_TRUE(has(d, "x.yaml", 8, "message uses unknown output 'violaton_count' of dir_count")) << d.to_string();
  EXPECT_TRUE(has(d, "x.yaml", 11, "evidence 'bad' uses unknown output 'nmes'")) << d.to_string();
  EXPECT_TRUE(has(d, "x.yaml", 0, "evidence 'wrong' uses unknown output 'b.count'")) << d.to_string();
  EXPECT_EQ(d.items().size(), 3u) << d.to_string();
}

TEST(Catalog, RulesNeedTitleRationaleAndFixOwnOrSharedByTheirFamily) {
  util::Diagnostics d;
  const std::string bare = "  - id: X001\n    severity: HIGH\n    batch: 0\n"
                           "    check: {kind: each_has_path, scope: roots, relpath: README.md}\n    message: \"m\"\n";
  const auto missing = load(bare + rule("X002", 1), k_batches, d);
  EXPECT_FALSE(missing.ok());
  EXPECT_TRUE(has(d, "x.yaml", 3, "X001: missing 'title'")) << d.to_string();
  EXPECT_TRUE(has(d, "x.yaml", 3, "X001: missing 'rationale'")) << d.to_string();
  EXPECT_TRUE(has(d, "x.yaml", 3, "X001: missing 'fix'")) << d.to_string();

  util::Diagnostics d2;
  const std::string texts = "texts:\n  X:\n    title: \"Every root has {relpath}\"\n    rationale: because\n"
                            "    fix: \"Add {relpath} ({id})\"\n";
  const auto shared = catalog::load_catalog(
      {{"catalog.yaml", k_index}, {"batches.yaml", k_batches},
       {"x.yaml", "family: X\n" + texts + "rules:\n" + bare + rule("X002", 1)}},
      "test", d2);
  ASSERT_TRUE(shared.ok()) << d2.to_string();
  EXPECT_EQ(shared->rules[0].title, "Every root has README.md");
  EXPECT_EQ(shared->rules[0].fix, "Add README.md (X001)");
  EXPECT_EQ(shared->rules[1].title, "t");  // a rule's own text wins
  EXPECT_EQ(shared->rules[1].rationale, "r");

  util::Diagnostics d3;
  const auto unknown = catalog::load_catalog(
      {{"catalog.yaml", k_index}, {"batches.yaml", k_batches},
       {"x.yaml", "family: X\ntexts:\n  X: {rationale: \"{relpaht}\"}\nrules:\n" + bare + rule("X002", 1)}},
      "test", d3);
  EXPECT_FALSE(unknown.ok());
  EXPECT_TRUE(has(d3, "x.yaml", 0, "text placeholder {relpaht} is not a parameter")) << d3.to_string();
}

const char* k_index_with_queries = R"(files: [x.yaml]
queries:
  charts:
    strict: {patterns: ['*/shards/*/chart.yaml'], matrix_name_regex: $profile.name, max_depth: 4}
    reference: {patterns: ['**/Chart.yaml']}
  loop: {patterns: [$query.charts]}
profiles:
  strict: {do_not_descend: [], vars: {name: '^[0-9]{2}_[a-z]+$'}}
  reference: {do_not_descend: [], vars: {name: x}}
)";

TEST(Catalog, NamedQueriesResolvePerProfileAndUnknownNamesAreReported) {
  util::Diagnostics d;
  const std::string count_charts = "{kind: glob_count, query: $query.charts, op: ge, value: 1}";
  const auto bad = catalog::load_catalog(
      {{"catalog.yaml", k_index_with_queries},
       {"batches.yaml", k_batches},
       {"x.yaml", "family: X\nrules:\n" + rule("X001", 0, "", count_charts) +
                      rule("X002", 1, "", "{kind: glob_count, query: $query.chrats, op: ge, value: 1}")}},
      "test", d);
  EXPECT_FALSE(bad.ok());
  EXPECT_TRUE(has(d, "catalog.yaml", 0, "named query 'loop' may not use another named query")) << d.to_string();
  EXPECT_TRUE(has(d, "x.yaml", 0, "unknown named query 'chrats'")) << d.to_string();

  util::Diagnostics d2;
  std::string index = k_index_with_queries;
  index.erase(index.find("  loop:"), std::string("  loop: {patterns: [$query.charts]}\n").size());
  const auto c = catalog::load_catalog({{"catalog.yaml", index},
                                        {"batches.yaml", k_batches},
                                        {"x.yaml", "family: X\nrules:\n" + rule("X001", 0, "", count_charts) + rule("X002", 1)}},
                                       "test", d2);
  ASSERT_TRUE(c.ok()) << d2.to_string();
  testing::MemoryTree tree;
  tree.add_file("01_Bad/shards/01_x/chart.yaml").add_file("z/Chart.yaml");
  snapshot::BuildOptions options;
  const auto walked = snapshot::walk(tree, {});
  auto image = snapshot::HeapImage::build(walked, tree, options);
  const auto& rule_x = c->rules[0];
  // Strict: the only chart sits under a root whose name breaks the pattern. Reference: Chart.yaml anywhere.
  EXPECT_EQ(exec::evaluate_rule(rule_x, checks::Profile::strict, *image->view()).status, exec::Status::fail);
  EXPECT_EQ(exec::evaluate_rule(rule_x, checks::Profile::reference, *image->view()).status, exec::Status::pass);
  tree.add_file("01_good/shards/01_x/chart.yaml");
  const auto walked2 = snapshot::walk(tree, {});
  auto image2 = snapshot::HeapImage::build(walked2, tree, options);
  EXPECT_EQ(exec::evaluate_rule(rule_x, checks::Profile::strict, *image2->view()).status, exec::Status::pass);
}

TEST(Plan, SelectionByIdFamilyAndGlobKeepsCatalogOrder) {
  const auto& c = testing::builtin_catalog();
  auto p = plan::build_plan(c, {{"AR00[12]", "AR010"}, {}});
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->selected.size(), 3u);
  EXPECT_EQ(c.rules[p->selected[0]].id, "AR001");
  EXPECT_EQ(c.rules[p->selected[2]].id, "AR010");
  auto family = plan::build_plan(c, {{"AR"}, {"AR009"}});
  ASSERT_TRUE(family.ok());
  EXPECT_EQ(family->selected.size(), 9u);
}

TEST(Plan, ASelectionThatMatchesNothingIsAnError) {
  const auto& c = testing::builtin_catalog();
  EXPECT_FALSE(plan::build_plan(c, {{"NOPE"}, {}}).ok());
  EXPECT_FALSE(plan::build_plan(c, {{"AR001"}, {"AR001"}}).ok());
}

TEST(Plan, BatchesKeepTheirRulesAndOrder) {
  const auto& c = testing::builtin_catalog();
  auto p = plan::build_plan(c, {});
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->batches.size(), 9u);
  ASSERT_EQ(p->batches[1].rules.size(), 2u);
  EXPECT_EQ(c.rules[p->batches[1].rules[0]].id, "AR006");
  EXPECT_EQ(c.rules[p->batches[1].rules[1]].id, "AR009");
}

}  // namespace
}  // namespace sotcheck
