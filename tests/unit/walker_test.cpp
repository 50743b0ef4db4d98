// The walk on several threads (walker.cpp, listing_queue.cpp): helpers list
// directories ahead of the one thread that records the tree, so the tree, and
// the image built from it, must be the same entries in the same order with
// the same flags whatever the thread count, on trees with loops, links out of
// the tree, unreadable and vanished entries and deep chains; a listing that
// throws must come back to the caller without leaving a helper waiting.

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <mutex>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "sotcheck/snapshot/image.hpp"
#include "sotcheck/snapshot/walker.hpp"
#include "support/memory_tree.hpp"
#include "support/process.hpp"

namespace sotcheck {
namespace {

using snapshot::EntryKind;
using snapshot::SourceEntry;
using snapshot::WalkTree;
using testing::MemoryTree;
using testing::write_file;
namespace fs = std::filesystem;

/// Lets a source that is not thread-safe be listed from several threads (one
/// call at a time), and makes listings finish out of order: each waits a
/// little, longer for some paths than others, outside the lock.
class ConcurrentJitteredSource final : public snapshot::TreeSource {
 public:
  explicit ConcurrentJitteredSource(snapshot::TreeSource& inner) : m_inner(inner) {}
  /// The listing of `path` throws instead.
  std::string throw_on;

  bool list(std::string_view relpath, std::vector<SourceEntry>* out, int* error) override {
    std::this_thread::sleep_for(std::chrono::microseconds(std::hash<std::string_view>()(relpath) % 120));
    if (!throw_on.empty() && relpath == throw_on) throw std::runtime_error("listing failed on purpose");
    const std::lock_guard lock(m_mutex);
    return m_inner.list(relpath, out, error);
  }
  long long read(std::string_view relpath, char* dest, std::uint64_t capacity) override {
    const std::lock_guard lock(m_mutex);
    return m_inner.read(relpath, dest, capacity);
  }
  bool concurrent_lists() const override { return true; }
  void root_identity(std::uint64_t* device, std::uint64_t* inode) override {
    const std::lock_guard lock(m_mutex);
    m_inner.root_identity(device, inode);
  }

 private:
  snapshot::TreeSource& m_inner;
  std::mutex m_mutex;
};

/// Every field of every node, so a difference names the entry and the field.
void expect_same_tree(const WalkTree& expected, const WalkTree& actual, const std::string& label) {
  ASSERT_EQ(expected.nodes.size(), actual.nodes.size()) << label;
  for (std::size_t i = 0; i < expected.nodes.size(); ++i) {
    const snapshot::WalkNode& e = expected.nodes[i];
    const snapshot::WalkNode& a = actual.nodes[i];
    const std::string where = label + ", entry " + std::to_string(i) + " '" +
                              snapshot::walk_path(expected, static_cast<std::uint32_t>(i)) + "'";
    EXPECT_EQ(e.name, a.name) << where;
    EXPECT_EQ(e.parent, a.parent) << where;
    EXPECT_EQ(e.first_child, a.first_child) << where;
    EXPECT_EQ(e.child_count, a.child_count) << where;
    EXPECT_EQ(e.kind, a.kind) << where;
    EXPECT_EQ(e.target_kind, a.target_kind) << where;
    EXPECT_EQ(e.flags, a.flags) << where;
    EXPECT_EQ(e.error, a.error) << where;
    EXPECT_EQ(e.size, a.size) << where;
    EXPECT_EQ(e.link_target, a.link_target) << where;
    EXPECT_EQ(e.unreadable_reason, a.unreadable_reason) << where;
  }
}

snapshot::WalkOptions with_threads(unsigned threads) {
  snapshot::WalkOptions options;
  options.do_not_descend = {".git"};
  options.threads = threads;
  return options;
}

/// A wide tree (24 roots x 16 shards, as an SSID repository) with the cases
/// the walk must keep: unreadable directories, entries that vanish, links into
/// and out of the tree, a link loop, a skipped .git, a chain 200 deep.
MemoryTree hostile_memory_tree() {
  MemoryTree tree;
  for (int r = 0; r < 24; ++r) {
    const std::string root = "root_" + std::to_string(r);
    for (int s = 0; s < 16; ++s) {
      const std::string shard = root + "/shards/s" + std::to_string(s);
      tree.add_file(shard + "/chart.yaml", "a: " + std::to_string(s) + "\n").add_file(shard + "/impl/x.py", "x");
    }
  }
  tree.fail("root_3/shards/s7", EACCES).fail("root_5/shards", EIO);
  tree.add_symlink("root_1/linked_shards", "../root_2/shards", EntryKind::directory);
  tree.add_symlink("root_1/again", "../root_2/shards", EntryKind::directory);
  tree.add_symlink("root_4/up", "..", EntryKind::directory);
  tree.add_outside_link("root_6/escape", "/etc");
  tree.add_symlink("root_7/dangling", "nowhere", EntryKind::missing);
  tree.add_file(".git/objects/pack/p", "pack");
  std::string chain = "chain";
  for (int depth = 0; depth < 200; ++depth) chain += "/d";
  tree.add_file(chain + "/bottom.txt", "bottom");
  return tree;
}

TEST(ParallelWalk, EveryThreadCountRecordsTheSameTreeAsTheSequentialWalk) {
  MemoryTree tree = hostile_memory_tree();
  const WalkTree sequential = snapshot::walk(tree, with_threads(1));
  ASSERT_GT(sequential.nodes.size(), 24u * 16u * 4u);
  for (const unsigned threads : {1u, 2u, 3u, 8u}) {
    ConcurrentJitteredSource concurrent(tree);
    expect_same_tree(sequential, snapshot::walk(concurrent, with_threads(threads)),
                     std::to_string(threads) + " threads");
  }
}

TEST(PathSpeller, SpellsEveryEntryAsWalkPathDoesInAnyOrder) {
  MemoryTree tree = hostile_memory_tree();
  const WalkTree walked = snapshot::walk(tree, with_threads(1));
  std::vector<std::uint32_t> order;
  for (std::uint32_t i = 1; i < walked.nodes.size(); ++i) order.push_back(i);
  std::vector<std::uint32_t> backwards(order.rbegin(), order.rend());
  std::vector<std::uint32_t> shuffled = order;
  std::mt19937 random(11);
  std::shuffle(shuffled.begin(), shuffled.end(), random);
  for (const auto* sequence : {&order, &backwards, &shuffled}) {
    snapshot::PathSpeller speller(walked);
    for (const std::uint32_t i : *sequence) ASSERT_EQ(speller.path_of(i), snapshot::walk_path(walked, i)) << i;
  }
}

TEST(ParallelWalk, AListingThatThrowsComesBackToTheCallerWithNoHelperLeftWaiting) {
  MemoryTree tree = hostile_memory_tree();
  for (const char* throw_on : {"root_0", "root_9/shards/s3", "chain/d/d/d"}) {
    ConcurrentJitteredSource concurrent(tree);
    concurrent.throw_on = throw_on;
    // Returns (the helpers joined) and rethrows the listing's exception here.
    EXPECT_THROW(snapshot::walk(concurrent, with_threads(4)), std::runtime_error) << throw_on;
  }
}

TEST(ParallelWalk, WhenNoHelperCanStartTheCallerWalksAlone) {
  MemoryTree tree = hostile_memory_tree();
  const WalkTree sequential = snapshot::walk(tree, with_threads(1));
  ConcurrentJitteredSource concurrent(tree);
  ::setenv("SOTCHECK_TEST_THREAD_LIMIT", "0", 1);
  const WalkTree alone = snapshot::walk(concurrent, with_threads(4));
  ::unsetenv("SOTCHECK_TEST_THREAD_LIMIT");
  expect_same_tree(sequential, alone, "no helper started");
}

/// The image as validate builds it from the filesystem with `threads` for the walk and the build.
struct BuiltImage {
  WalkTree tree;
  snapshot::HeapImage image;
};

BuiltImage build_from_disk(const std::string& root, unsigned threads) {
  auto source = snapshot::make_filesystem_source(root);
  BuiltImage built;
  built.tree = snapshot::walk(*source, with_threads(threads));
  snapshot::BuildOptions build;
  build.root_path = root;
  build.threads = threads;
  build.wants_content = [](std::string_view, std::string_view) { return true; };
  build.wants_yaml = [](std::string_view, std::string_view name) { return name.ends_with(".yaml"); };
  auto image = snapshot::HeapImage::build(built.tree, *source, build);
  if (!image) throw std::runtime_error(image.error());
  built.image = std::move(*image);
  return built;
}

TEST(ParallelWalk, TheFilesystemWalkAndItsImageAreByteIdenticalOnEveryThreadCount) {
  const testing::TempDir dir;
  const std::string repo = dir.path() + "/repo";
  for (int r = 0; r < 24; ++r) {
    for (int s = 0; s < 16; ++s) {
      const std::string shard = repo + "/" + std::to_string(r) + "_root/shards/" + std::to_string(s) + "_shard";
      write_file(shard + "/chart.yaml", "root: " + std::to_string(r) + "\nshard: " + std::to_string(s) + "\n");
      write_file(shard + "/src/main.py", "print(" + std::to_string(s) + ")\n");
    }
  }
  // Links: into the tree twice (the second is a loop), to an ancestor, out of the tree, dangling, a cycle.
  fs::create_directories(dir.path() + "/outside");
  fs::create_symlink("../1_root/shards", repo + "/0_root/linked_shards");
  fs::create_symlink("../1_root/shards", repo + "/0_root/linked_again");
  fs::create_symlink("..", repo + "/2_root/up");
  fs::create_symlink(dir.path() + "/outside", repo + "/3_root/escape");
  fs::create_symlink("nowhere", repo + "/4_root/dangling");
  fs::create_symlink("b", repo + "/5_root/a");
  fs::create_symlink("a", repo + "/5_root/b");
  write_file(repo + "/.git/objects/p", "pack");
  // A name that is not UTF-8, an empty directory, and a chain 300 deep.
  write_file(repo + "/6_root/bad\xff" "name.txt", "x");
  fs::create_directories(repo + "/7_root/empty");
  std::string chain = repo + "/chain";
  for (int depth = 0; depth < 300; ++depth) chain += "/d";
  write_file(chain + "/bottom.yaml", "bottom: true\n");

  const BuiltImage one = build_from_disk(repo, 1);
  ASSERT_GT(one.tree.nodes.size(), 24u * 16u * 5u);
  for (const unsigned threads : {2u, 4u}) {
    const BuiltImage many = build_from_disk(repo, threads);
    const std::string label = std::to_string(threads) + " threads";
    expect_same_tree(one.tree, many.tree, label);
    ASSERT_EQ(one.image.size(), many.image.size()) << label;
    EXPECT_EQ(std::memcmp(one.image.data(), many.image.data(), one.image.size()), 0) << label;
  }
}

}  // namespace
}  // namespace sotcheck
