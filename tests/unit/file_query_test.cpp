// FileQuery::run works out the filters that depend on an entry's directory once per directory; what it
// returns must be exactly each pattern's matches, in walk order, that accepts() keeps when it decides for the
// entry alone.

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "sotcheck/checks/file_query.hpp"
#include "sotcheck/checks/param_node.hpp"
#include "sotcheck/snapshot/image_build.hpp"
#include "sotcheck/snapshot/walker.hpp"
#include "support/memory_tree.hpp"

namespace sotcheck {
namespace {

std::shared_ptr<const checks::FileQuery> parse_query(const std::string& yaml, checks::Profile profile) {
  util::Diagnostics diagnostics;
  const auto tree = checks::ParamTree::from_yaml(YAML::Load("query: " + yaml));
  checks::Params params(tree.root(), "t.yaml", diagnostics, 1);
  checks::ProfileContext context(profile);
  context.query_excluded_dirs = std::make_shared<const std::vector<std::string>>(
      std::vector<std::string>{"node_modules", ".git", "__pycache__"});
  params.set_profile(context);
  auto query = checks::FileQuery::parse(params);
  params.finish();
  EXPECT_TRUE(diagnostics.empty()) << yaml << ": " << diagnostics.to_string();
  return query;
}

/// A tree whose directories and names meet every filter both ways: excluded directories at the top, in the
/// middle and as a file's own name; exclusion words as whole components and inside longer ones; the matrix
/// layout with good and bad root and shard names, above and below the depth limit; a symlinked directory.
testing::MemoryTree hostile_tree() {
  const std::vector<std::string> dirs = {"",
                                         "01_ai_layer/shards/02_shard",
                                         "01_ai_layer/shards/02_shard/deep",
                                         "01_ai_layer/shards/02_shard/node_modules/pkg",
                                         "01_AI/shards/02_shard",
                                         "1_ai/shards/02_shard",
                                         "01_ai_layer/x/bad shard",
                                         "node_modules/a",
                                         "a/node_modules",
                                         "a/node_modules_x",
                                         "tmp/a",
                                         "a/tmpdir",
                                         ".git/hooks",
                                         "x.git/y",
                                         "examples/z",
                                         "\xff\xfe/\xc3\xa9"};
  const std::vector<std::string> names = {"a.py",      "skip.py",   "example_a.py", "chart.yaml", "tmp",
                                          "x.tmp.py",  ".git",      "__pycache__",  "notes.md",   "Chart.yaml",
                                          "node_mod.py", "\xff.py"};
  std::vector<std::string> paths;
  for (const auto& dir : dirs)
    for (const auto& name : names) paths.push_back(dir.empty() ? name : dir + "/" + name);
  testing::MemoryTree tree;
  for (const std::string& path : paths) {
    // A name that is also one of the directories above stays a directory.
    const bool a_directory_too = std::any_of(dirs.begin(), dirs.end(), [&](const std::string& dir) {
      return dir == path || dir.starts_with(path + "/");
    });
    if (!a_directory_too) tree.add_file(path, "x");
  }
  tree.add_symlink("01_ai_layer/shards/03_link", "02_shard", snapshot::EntryKind::directory);
  return tree;
}

TEST(FileQueryRun, EqualsEachMatchKeptByAcceptsAlone) {
  testing::MemoryTree tree = hostile_tree();
  const auto walked = snapshot::walk(tree, {});
  snapshot::BuildOptions options;
  options.root_path = "/r/repo";
  const auto image = snapshot::HeapImage::build(walked, tree, options);
  ASSERT_TRUE(image.ok());
  const auto view = image->view();
  ASSERT_TRUE(view.ok());
  std::size_t returned = 0, filtered_out = 0;
  for (const checks::Profile profile : {checks::Profile::strict, checks::Profile::reference}) {
    for (const char* yaml : {
             "{patterns: ['*.py', '*']}",
             "{patterns: ['*'], exclude_path_contains: [tmp, .git, 'repo/x'], exclude_name_contains: [example]}",
             "{patterns: ['*.py', '**/*.yaml'], exclude_names: [skip.py, chart.yaml], entry_kind: file}",
             "{patterns: ['*', '*/'], entry_kind: dir}",
             "{patterns: ['*.py', 'chart.yaml'], matrix_name_regex: '[0-9]{2}_[a-z_]+'}",
             "{patterns: ['*'], matrix_name_regex: '[0-9]{2}_[a-z_]+', max_depth: 4}",
             "{patterns: ['[0-9][0-9]_*/shards/[0-9][0-9]_*/*'], max_depth: 4, exclude_path_contains: [shards]}",
             "{patterns: ['*'], max_depth: 1, sample: 3}",
         }) {
      const auto query = parse_query(yaml, profile);
      ASSERT_TRUE(query) << yaml;
      std::vector<std::uint32_t> expected;
      for (const util::Glob& glob : query->globs()) {
        for (const std::uint32_t* it = view->walk_order_begin(); it != view->walk_order_end(); ++it) {
          if (!glob.matches(view->path(*it))) continue;
          if (glob.directories_only() && !view->is_dir_following_links(*it)) continue;
          if (query->accepts(*view, *it)) {
            expected.push_back(*it);
          } else {
            ++filtered_out;
          }
        }
      }
      const auto matches = query->run(*view);
      EXPECT_EQ(matches.found, expected) << yaml;
      returned += matches.found.size();
    }
  }
  // The tree exercises both answers of the filters.
  EXPECT_GT(returned, 100u);
  EXPECT_GT(filtered_out, 100u);
}

}  // namespace
}  // namespace sotcheck
