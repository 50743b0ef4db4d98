// The load planner: the one indexed matcher over every query must say exactly what asking each query's
// may_match would say, for the files to read, the files to keep and the files to parse as YAML.

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "sotcheck/checks/file_query.hpp"
#include "sotcheck/plan/needs.hpp"
#include "sotcheck/plan/plan.hpp"
#include "sotcheck/scaffold/scaffold.hpp"
#include "support/trees.hpp"

namespace sotcheck {
namespace {

using Queries = std::vector<std::shared_ptr<const checks::FileQuery>>;

bool any_may_match(const Queries& queries, std::string_view path) {
  for (const auto& q : queries)
    if (q->may_match(path)) return true;
  return false;
}

TEST(SnapshotNeeds, TheIndexedMatcherAgreesWithEveryQueryOnTheScaffold) {
  const auto& catalog = testing::builtin_catalog();
  // Every path of the scaffold, plus names that stress the extension index: no extension, hidden files,
  // several dots, and a dot in a directory name only.
  std::vector<std::string> paths;
  scaffold::visit_planned_files(scaffold::Size::small, 1,
                                [&](const scaffold::PlannedFileView& f) { paths.emplace_back(f.path); });
  for (const char* extra : {"Makefile", ".yaml", "a.b/c", "x/.hidden.py", "deep/er/notes.tar.gz", "policy.rego.bak",
                            "03_core/privacy/gdpr_rights.PY", "a/b/chart.yaml.orig"})
    paths.emplace_back(extra);
  for (const checks::Profile profile : {checks::Profile::strict, checks::Profile::reference}) {
    auto plan = plan::build_plan(catalog, {});
    ASSERT_TRUE(plan.ok());
    Queries content, unprobed, yaml;
    for (std::size_t index : plan->selected) {
      const auto& check = catalog.rules[index].for_profile(profile).check;
      if (!check) continue;
      check->content_queries(&content);
      check->unprobed_content_queries(&unprobed);
      check->yaml_queries(&yaml);
    }
    const auto needs = plan::snapshot_needs(catalog, *plan, profile);
    ASSERT_TRUE(needs.wants_content && needs.keep_content && needs.wants_yaml && needs.scanner);
    std::size_t read = 0;
    for (const std::string& path : paths) {
      const std::string_view name = std::string_view(path).substr(path.rfind('/') + 1);
      EXPECT_EQ(needs.wants_content(path, name), any_may_match(content, path)) << path;
      EXPECT_EQ(needs.keep_content(path, name), any_may_match(unprobed, path)) << path;
      EXPECT_EQ(needs.wants_yaml(path, name), any_may_match(yaml, path)) << path;
      read += needs.wants_content(path, name) ? 1 : 0;
    }
    EXPECT_GT(read, 10u) << "the content rules read files of the scaffold";
  }
}

}  // namespace
}  // namespace sotcheck
