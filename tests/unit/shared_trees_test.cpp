// The shared-tree fixture (tests/support/shared_trees.hpp, private_tree.hpp):
// each tree is built once per build and reused across processes, racing
// processes end up with the one published tree, and nothing half-built,
// changed, foreign or stale is ever handed to a test. Each case has its own
// cache directory, so it never touches the suite's `test-trees/`.

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "support/private_tree.hpp"
#include "support/process.hpp"
#include "support/shared_trees.hpp"

namespace sotcheck {
namespace {

namespace fs = std::filesystem;
using testing::shared_tree;
using testing::TempDir;
using testing::TreeRecipe;

/// How often this process ran the recipe's change, i.e. built the tree.
int g_builds = 0;

TreeRecipe counted_recipe(const std::string& name) {
  return {.name = name, .seed = 3, .change = [](const std::string& tree) {
            ++g_builds;
            testing::remove_existing(tree + "/05_documentation/README.md");
          }};
}

/// The names in `directory`, sorted.
std::vector<std::string> names_in(const fs::path& directory) {
  std::vector<std::string> names;
  for (const auto& child : fs::directory_iterator(directory)) names.push_back(child.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

/// The one generation directory a fresh cache holds after a build.
fs::path generation_of(const std::string& cache) {
  const auto generations = names_in(cache);
  EXPECT_EQ(generations.size(), 1u);
  return fs::path(cache) / generations.at(0);
}

ino_t inode_of(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_ino;
}

// The process memory answers a repeated (cache, recipe) pair; a second path
// spelling of the same cache makes a call go to the disk like another process.
TEST(SharedTrees, ATreeIsBuiltOnceAndFoundOnDiskAfterwards) {
  TempDir cache;
  g_builds = 0;
  const fs::path tree = shared_tree(counted_recipe("counted"), cache.path());
  EXPECT_EQ(g_builds, 1);
  EXPECT_EQ(tree.filename(), "ssid");
  EXPECT_TRUE(fs::is_directory(tree / "01_ai_layer"));
  EXPECT_FALSE(fs::exists(tree / "05_documentation/README.md")) << "the change was applied";
  const ino_t published = inode_of(tree.parent_path());

  EXPECT_EQ(fs::path(shared_tree(counted_recipe("counted"), cache.path() + "/.")).lexically_normal(),
            tree.lexically_normal());
  EXPECT_EQ(g_builds, 1) << "found on disk, not rebuilt";
  EXPECT_EQ(inode_of(tree.parent_path()), published);
  EXPECT_EQ(names_in(generation_of(cache.path())), std::vector<std::string>{"counted"})
      << "no build or trash directory left behind";
}

TEST(SharedTrees, ProcessesRacingForOneTreeAllGetTheOnePublishedTree) {
  TempDir cache, answers;
  const TreeRecipe recipe = counted_recipe("raced");
  std::vector<pid_t> children;
  for (int i = 0; i < 2; ++i) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // Each child writes the path it got; any exception is exit 1.
      try {
        testing::write_file(answers.path() + "/" + std::to_string(::getpid()), shared_tree(recipe, cache.path()));
        ::_exit(0);
      } catch (...) {
        ::_exit(1);
      }
    }
    children.push_back(pid);
  }
  std::vector<std::string> got;
  for (const pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child " << pid << " status " << status;
    got.push_back(testing::read_file(answers.path() + "/" + std::to_string(pid)));
  }
  const std::string expected = shared_tree(recipe, cache.path());
  for (const auto& answer : got) EXPECT_EQ(answer, expected);
  EXPECT_EQ(names_in(generation_of(cache.path())), std::vector<std::string>{"raced"})
      << "the losers' builds are gone";
}

TEST(SharedTrees, ATreeChangedByATestFailsItsNextUserAndIsThenRebuilt) {
  TempDir cache;
  g_builds = 0;
  const std::string tree = shared_tree(counted_recipe("changed"), cache.path());
  // What a test that forgot its PrivateTree would do: write into a file in place.
  std::ofstream(tree + "/01_ai_layer/README.md", std::ios::app) << "one more line\n";
  try {
    shared_tree(counted_recipe("changed"), cache.path() + "/.");
    ADD_FAILURE() << "a changed tree was handed out";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("was changed after it was built"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("PrivateTree"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(tree)) << "the changed tree is discarded";
  const std::string rebuilt = shared_tree(counted_recipe("changed"), cache.path() + "/./.");
  EXPECT_EQ(g_builds, 2);
  EXPECT_EQ(testing::read_file(rebuilt + "/01_ai_layer/README.md").find("one more line"), std::string::npos);
}

TEST(SharedTrees, AnUnmarkedEntryIsRebuiltAFailedChangePublishesNothingAndNamesMustNotClash) {
  TempDir cache;
  g_builds = 0;
  const fs::path tree = shared_tree(counted_recipe("unmarked"), cache.path());
  fs::remove(tree.parent_path() / "complete");  // as if published half-built
  EXPECT_EQ(fs::path(shared_tree(counted_recipe("unmarked"), cache.path() + "/.")).lexically_normal(),
            tree.lexically_normal());
  EXPECT_EQ(g_builds, 2) << "rebuilt, not used";
  EXPECT_TRUE(fs::is_regular_file(tree.parent_path() / "complete"));

  const TreeRecipe failing{.name = "failing", .seed = 3, .change = [](const std::string& t) {
                             testing::remove_existing(t + "/99_no_such_root");
                           }};
  try {
    shared_tree(failing, cache.path());
    ADD_FAILURE() << "a tree whose change failed was handed out";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("99_no_such_root is not in the scaffold"), std::string::npos) << e.what();
  }
  EXPECT_EQ(names_in(generation_of(cache.path())), std::vector<std::string>{"unmarked"});

  // Two recipes with one name are an error, not a rebuild (they would discard
  // each other's tree forever); a name that is not a plain file name too.
  try {
    shared_tree(TreeRecipe{.name = "unmarked", .seed = 8, .change = {}}, cache.path());
    ADD_FAILURE() << "the seed-3 tree was handed out for seed 8";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("another recipe of the same name"), std::string::npos) << e.what();
  }
  EXPECT_THROW(shared_tree(TreeRecipe{.name = "../escape", .seed = 7, .change = {}}, cache.path()),
               std::runtime_error);
}

TEST(SharedTrees, OtherGenerationsAndAbandonedBuildsAreRemoved) {
  TempDir cache;
  // Entries of earlier binaries, and a build whose process died.
  fs::create_directories(cache.path() + "/00000000deadbeef/small-seed7/ssid");
  const pid_t dead = ::fork();
  ASSERT_GE(dead, 0);
  if (dead == 0) ::_exit(0);
  ASSERT_EQ(::waitpid(dead, nullptr, 0), dead);
  shared_tree(counted_recipe("first"), cache.path());
  const fs::path generation = generation_of(cache.path());
  const fs::path abandoned = generation / (".building." + std::to_string(dead) + ".second.Xy12Zq");
  fs::create_directories(abandoned / "ssid");
  shared_tree(counted_recipe("second"), cache.path());
  EXPECT_EQ(names_in(cache.path()), std::vector<std::string>{generation.filename().string()});
  EXPECT_EQ(names_in(generation), (std::vector<std::string>{"first", "second"}));
}

TEST(PrivateTree, IsACopyOfEveryByteSoWritingInPlaceLeavesTheSharedTreeAlone) {
  const std::string shared = shared_tree(testing::seed7_scaffold());
  const std::string file = "/03_core/README.md";
  const std::string original = testing::read_file(shared + file);
  {
    const testing::PrivateTree copy(testing::seed7_scaffold());
    EXPECT_EQ(testing::read_file(copy.path() + file), original);
    EXPECT_NE(inode_of(copy.path() + file), inode_of(shared + file)) << "a hard link would share the writes";
    std::ofstream(copy.path() + file, std::ios::trunc) << "overwritten\n";
    fs::permissions(copy.path() + "/03_core", fs::perms::none);
    EXPECT_EQ(testing::read_file(copy.path() + file), "overwritten\n");
    fs::permissions(copy.path() + "/03_core", fs::perms::owner_all);
  }
  EXPECT_EQ(testing::read_file(shared + file), original);
  EXPECT_NE(fs::status(shared + "/03_core").permissions(), fs::perms::none);
}

}  // namespace
}  // namespace sotcheck
