// The one-pass classifier of the image build's questions (plan/path_classifier.hpp): its answers, with and
// without the per-name memo, must be exactly what asking every query's may_match would give, question by
// question and probe by probe (the run's classifier over the catalog: needs_test.cpp); and an image built
// with it must equal one built from the four predicates.

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "sotcheck/checks/file_query.hpp"
#include "sotcheck/checks/param_node.hpp"
#include "sotcheck/plan/needs.hpp"
#include "sotcheck/plan/path_classifier.hpp"
#include "sotcheck/plan/plan.hpp"
#include "sotcheck/scaffold/scaffold.hpp"
#include "sotcheck/snapshot/walker.hpp"
#include "support/trees.hpp"

namespace sotcheck {
namespace {

using Query = std::shared_ptr<const checks::FileQuery>;
using Queries = std::vector<Query>;

bool any_may_match(const Queries& queries, std::string_view path) {
  return std::any_of(queries.begin(), queries.end(), [&](const Query& q) { return q->may_match(path); });
}

std::string_view name_of(std::string_view path) { return path.substr(path.rfind('/') + 1); }

/// A query parsed as a rule writes it, e.g. "{patterns: ['*.py'], max_depth: 2}".
Query parse_query(const std::string& yaml, checks::Profile profile) {
  util::Diagnostics diagnostics;
  const auto tree = checks::ParamTree::from_yaml(YAML::Load("query: " + yaml));
  checks::Params params(tree.root(), "t.yaml", diagnostics, 1);
  params.set_profile(profile);
  auto query = checks::FileQuery::parse(params);
  params.finish();
  EXPECT_TRUE(diagnostics.empty()) << yaml << ": " << diagnostics.to_string();
  return query;
}

/// Names that stress the name memo and the suffix index: no extension, hidden, several dots, a trailing dot,
/// a suffix alone, literal braces and wildcard characters, case, and names that are not UTF-8.
const std::vector<std::string>& hostile_names() {
  static const std::vector<std::string> names = {
      "chart.yaml", "Chart.yaml", "Chart.yml", "x.py", "pii.py", "my_pii_x.yaml", "x_pii.yml", ".py", "py", "x.PY",
      ".yaml", "x.tar.gz", "x.", ".", "..", "{a,b}.py", "a.py", "b.py", "*.py", "[x].py", "?.py", "\xc3\xa9.py",
      "\xff.py", "\xffpii.yml", "pii\xfe.yaml", "manifest.yaml", "implementations", "README.md", "Makefile",
      "policy.rego", "policy.rego.bak", "auth.yaml.orig", "service_level.md", "data.json", "a.jsonl"};
  return names;
}

/// Directories the names are put in: root, shallow and deep, the matrix layout at and below the depth limits,
/// dotted, dot-named and non-UTF-8 directories.
const std::vector<std::string>& hostile_directories() {
  static const std::vector<std::string> dirs = {
      "", "a", "a/b", "01_x/shards/02_y", "x/01_x/shards/02_y", ".github/workflows", "a/.github/workflows",
      "23_compliance", "23_compliance/deep/er", "02_audit_logging/x", "dir.yaml", "\xc3\xa9", "\xff\xfe/x.py",
      "implementations/a", "01_x/shards/02_y/implementations/z", "my_compliance_dir", "governance", "contracts/v1",
      "node_modules/pkg"};
  return dirs;
}

std::vector<std::string> hostile_paths() {
  std::vector<std::string> paths;
  for (const auto& dir : hostile_directories())
    for (const auto& name : hostile_names()) paths.push_back(dir.empty() ? name : dir + "/" + name);
  return paths;
}

/// Asks `classifier` about every path, directly and through one session (twice, so that the second round
/// is answered from the memo in another order), and checks each answer against the queries.
void expect_agrees(const plan::PathClassifier& classifier, const plan::PathClassifier::Inputs& inputs,
                   const std::vector<std::string>& paths) {
  const auto session = classifier.session();
  for (int round = 0; round < 2; ++round) {
    for (std::size_t k = 0; k < paths.size(); ++k) {
      const std::string& path = round == 0 ? paths[k] : paths[paths.size() - 1 - k];
      const std::string_view name = name_of(path);
      std::vector<std::uint32_t> expected_ids;
      for (const auto& probed : inputs.probed)
        if (probed.query->may_match(path))
          expected_ids.insert(expected_ids.end(), probed.probe_ids.begin(), probed.probe_ids.end());
      if (!expected_ids.empty())
        expected_ids.insert(expected_ids.end(), inputs.with_any_probe.begin(), inputs.with_any_probe.end());
      std::sort(expected_ids.begin(), expected_ids.end());
      expected_ids.erase(std::unique(expected_ids.begin(), expected_ids.end()), expected_ids.end());

      std::vector<std::uint32_t> direct_ids = {7777};  // answers are appended after what is there
      std::vector<std::uint32_t> memo_ids = {7777};
      const snapshot::FileNeeds direct = classifier.classify(path, name, &direct_ids);
      const snapshot::FileNeeds memo = session->classify(path, name, &memo_ids);
      const snapshot::FileNeeds without_ids = session->classify(path, name, nullptr);
      for (const snapshot::FileNeeds& got : {direct, memo, without_ids}) {
        EXPECT_EQ(got.content, any_may_match(inputs.content, path)) << path;
        EXPECT_EQ(got.keep, any_may_match(inputs.keep, path)) << path;
        EXPECT_EQ(got.yaml, any_may_match(inputs.yaml, path)) << path;
      }
      expected_ids.insert(expected_ids.begin(), 7777);
      EXPECT_EQ(direct_ids, expected_ids) << path;
      EXPECT_EQ(memo_ids, expected_ids) << path;
    }
  }
}

TEST(PathClassifier, AgreesWithEveryQueryOnHostileNames) {
  for (const checks::Profile profile : {checks::Profile::strict, checks::Profile::reference}) {
    // Name-only patterns (memoised by name), path patterns, depth limits on both, braces, classes, a
    // directories-only pattern, equal patterns in several questions, and one query feeding two probes.
    const Query py = parse_query("{patterns: ['*.py']}", profile);
    const Query pii = parse_query("{patterns: ['**/*pii*.{py,yaml,yml}']}", profile);
    const Query shallow_yaml = parse_query("{patterns: ['*.yaml'], max_depth: 2}", profile);
    const Query chart = parse_query("{patterns: ['[0-9][0-9]_*/shards/[0-9][0-9]_*/chart.yaml'], max_depth: 4}", profile);
    const Query charts_anywhere = parse_query("{patterns: ['**/Chart.{yaml,yml}', 'chart.yaml']}", profile);
    const Query workflows = parse_query("{patterns: ['.github/workflows/*.{yaml,yml}']}", profile);
    const Query compliance = parse_query("{patterns: ['*compliance*/*.{rego,py,yaml,yml}', '23_compliance/**/*.md']}",
                                         profile);
    const Query anything_below = parse_query("{patterns: ['**/implementations/*', '?.py', '[!a]*.py', '*.']}", profile);
    const Query dirs_only = parse_query("{patterns: ['implementations/']}", profile);
    const Query suffix_without_dot = parse_query("{patterns: ['*yaml', '*gz']}", profile);
    const Query literal_braces = parse_query("{patterns: ['{a,b}.py']}", profile);
    plan::PathClassifier::Inputs inputs;
    inputs.content = {py, pii, shallow_yaml, chart, workflows, compliance, anything_below, suffix_without_dot};
    inputs.keep = {shallow_yaml, workflows, literal_braces};
    inputs.yaml = {pii, chart, charts_anywhere, shallow_yaml, dirs_only};
    inputs.probed = {{py, {3, 1}}, {pii, {2}}, {compliance, {5, 1}}, {anything_below, {4}}, {chart, {6}}};
    inputs.with_any_probe = {0, 9};
    const plan::PathClassifier classifier(inputs);
    expect_agrees(classifier, inputs, hostile_paths());
  }
}

TEST(PathClassifier, ASessionFullOfNamesStartsOverAndStillAgrees) {
  // More distinct names than a session remembers, each name met twice, with a path pattern in the mix.
  const Query pii = parse_query("{patterns: ['**/*pii*.{py,yaml}', 'a/*.md']}", checks::Profile::strict);
  plan::PathClassifier::Inputs inputs;
  inputs.content = {pii};
  inputs.probed = {{pii, {1}}};
  inputs.with_any_probe = {0};
  const plan::PathClassifier classifier(inputs);
  std::vector<std::string> paths;
  for (std::size_t i = 0; i < plan::PathClassifier::k_most_remembered_names + 100; ++i) {
    const std::string name = (i % 3 == 0 ? "pii_" : "x_") + std::to_string(i) + (i % 2 == 0 ? ".py" : ".md");
    paths.push_back("a/" + name);
    paths.push_back("b/c/" + name);
  }
  expect_agrees(classifier, inputs, paths);
}

TEST(PathClassifier, AnswersNothingWithoutQueries) {
  const plan::PathClassifier classifier({});
  std::vector<std::uint32_t> ids;
  const auto needs = classifier.session()->classify("a/b.py", "b.py", &ids);
  EXPECT_FALSE(needs.content || needs.keep || needs.yaml);
  EXPECT_TRUE(ids.empty());
}

TEST(PathClassifier, AnImageBuiltWithItEqualsOneBuiltFromThePredicates) {
  testing::MemoryTree tree;
  scaffold::visit_planned_files(scaffold::Size::small, 1, [&](const scaffold::PlannedFileView& f) {
    tree.add_file(std::string(f.path), std::string(f.content));
  });
  // The hostile paths that can be files of one tree: no "." or ".." name, no file where another has a directory.
  const std::vector<std::string> hostile = hostile_paths();
  for (const std::string& path : hostile) {
    const std::string_view name = name_of(path);
    const bool a_directory_too = std::any_of(hostile.begin(), hostile.end(), [&](const std::string& other) {
      return other.size() > path.size() && other.starts_with(path + "/");
    });
    if (name != "." && name != ".." && !a_directory_too) tree.add_file(path, "token: x\n");
  }
  const auto walked = snapshot::walk(tree, {});
  auto plan = plan::build_plan(testing::builtin_catalog(), {});
  ASSERT_TRUE(plan.ok());
  const auto needs = plan::snapshot_needs(testing::builtin_catalog(), *plan, checks::Profile::strict);
  snapshot::BuildOptions predicates;
  predicates.root_path = "/repo";
  predicates.wants_content = needs.wants_content;
  predicates.wants_yaml = needs.wants_yaml;
  predicates.keep_content = needs.keep_content;
  predicates.scanner = needs.scanner;
  predicates.threads = 2;
  snapshot::BuildOptions classified = predicates;
  classified.classifier = needs.classifier;
  snapshot::BuildStats predicate_stats, classified_stats;
  const auto a = snapshot::HeapImage::build(walked, tree, predicates, &predicate_stats);
  const auto b = snapshot::HeapImage::build(walked, tree, classified, &classified_stats);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_GT(classified_stats.files_loaded, 100u);
  EXPECT_GT(classified_stats.probe_values, 100u);
  EXPECT_GT(classified_stats.yaml_documents, 100u);
  ASSERT_EQ(a->size(), b->size());
  EXPECT_TRUE(std::equal(a->data(), a->data() + a->size(), b->data()));
}

}  // namespace
}  // namespace sotcheck
