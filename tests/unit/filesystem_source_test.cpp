// The walk over the real filesystem (filesystem_source.cpp, walker.cpp):
// every open relative to an open directory, symlinks resolved inside the tree
// and refused when they leave it, symlinked directories entered once, deep
// chains in linear work with a bounded number of descriptors, and a symlink
// swapped in during the walk never leading outside; and the image build's
// per-thread FileReader, which must read exactly what the source reads. Each
// case runs with openat2 and with the portable per-component path.

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sotcheck/snapshot/image.hpp"
#include "sotcheck/snapshot/tree_source.hpp"
#include "sotcheck/snapshot/walker.hpp"
#include "support/process.hpp"

namespace sotcheck {
namespace {

using snapshot::EntryKind;
using snapshot::FilesystemSourceOptions;
using snapshot::WalkTree;
using testing::TempDir;
namespace fs = std::filesystem;

void write_file(const std::string& path, const std::string& content) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

/// The walk and an image that loads every file, as validate builds them.
struct Snapshot {
  WalkTree tree;
  snapshot::HeapImage image;
  snapshot::ImageView view;

  std::optional<std::uint32_t> find(const std::string& path) const {
    for (std::uint32_t i = 0; i < view.entry_count(); ++i)
      if (view.path(i) == path) return i;
    return std::nullopt;
  }
  bool any_content_contains(const std::string& needle) const {
    for (std::uint32_t i = 0; i < view.entry_count(); ++i)
      if (view.content(i).find(needle) != std::string_view::npos) return true;
    return false;
  }
  bool any_path_contains(const std::string& needle) const {
    for (std::uint32_t i = 0; i < view.entry_count(); ++i)
      if (view.path(i).find(needle) != std::string_view::npos) return true;
    return false;
  }
};

Snapshot take_snapshot(const std::string& root, FilesystemSourceOptions options = {}) {
  auto source = snapshot::make_filesystem_source(root, std::move(options));
  Snapshot s;
  s.tree = snapshot::walk(*source, {});
  snapshot::BuildOptions build;
  build.root_path = root;
  build.wants_content = [](std::string_view, std::string_view) { return true; };
  auto image = snapshot::HeapImage::build(s.tree, *source, build);
  if (!image) throw std::runtime_error(image.error());
  s.image = std::move(*image);
  s.view = *s.image.view();
  return s;
}

/// Each case runs with openat2 (when the kernel has it) and without.
class FilesystemWalk : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    fs::create_directories(repo());
    fs::create_directories(outside());
    write_file(outside() + "/secret.yaml", "outside_marker: 1\n");
    write_file(outside() + "/sub/only_outside.txt", "outside_marker\n");
  }
  std::string repo() const { return m_dir.path() + "/repo"; }
  std::string outside() const { return m_dir.path() + "/outside"; }
  std::string at(const std::string& relpath) const { return repo() + "/" + relpath; }
  FilesystemSourceOptions options() const {
    FilesystemSourceOptions o;
    o.use_openat2 = GetParam();
    return o;
  }
  Snapshot snap() const { return take_snapshot(repo(), options()); }

  TempDir m_dir;
};

INSTANTIATE_TEST_SUITE_P(Openat2, FilesystemWalk, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& param_info) { return param_info.param ? "openat2" : "per_component"; });

TEST_P(FilesystemWalk, FileSymlinksOutOfTheTreeAreUnreadableWithTheirReasonAndNeverRead) {
  fs::create_directories(at("16_codex/contracts/sot"));
  fs::create_symlink(outside() + "/secret.yaml", at("16_codex/contracts/sot/sot_contract_data.yaml"));
  fs::create_symlink("../../../../outside/secret.yaml", at("16_codex/contracts/sot/relative.yaml"));
  fs::create_symlink("/etc/passwd", at("16_codex/chart.yaml"));
  const Snapshot s = snap();
  for (const std::string path : {"16_codex/contracts/sot/sot_contract_data.yaml", "16_codex/contracts/sot/relative.yaml",
                                 "16_codex/chart.yaml"}) {
    const auto i = s.find(path);
    ASSERT_TRUE(i) << path;
    EXPECT_EQ(s.view.kind(*i), EntryKind::symlink) << path;
    EXPECT_TRUE(s.view.entry(*i).flags & snapshot::k_flag_unreadable) << path;
    EXPECT_EQ(s.view.unreadable_reason(*i), "points outside the repository") << path;
    EXPECT_FALSE(s.view.entry(*i).flags & snapshot::k_flag_content_loaded) << path;
    EXPECT_NE(s.view.followed_kind(*i), EntryKind::file) << path << ": its target must not be looked at";
  }
  EXPECT_FALSE(s.any_content_contains("outside_marker"));
  EXPECT_FALSE(s.any_content_contains("root:"));
}

TEST_P(FilesystemWalk, FollowingOutsideLinksIsAnExplicitOptIn) {
  fs::create_directories(at("16_codex"));
  fs::create_symlink(outside() + "/secret.yaml", at("16_codex/linked.yaml"));
  fs::create_symlink(outside() + "/sub", at("16_codex/linked_dir"));
  auto o = options();
  o.follow_outside_links = true;
  const Snapshot s = take_snapshot(repo(), o);
  const auto i = s.find("16_codex/linked.yaml");
  ASSERT_TRUE(i);
  EXPECT_EQ(s.view.content(*i), "outside_marker: 1\n");
  EXPECT_FALSE(s.view.entry(*i).flags & snapshot::k_flag_unreadable);
  // Outside directories are still never walked.
  EXPECT_FALSE(s.any_path_contains("only_outside"));
}

TEST_P(FilesystemWalk, FileSymlinksInsideTheTreeAreFollowed) {
  write_file(at("real/chart.yaml"), "inside: 1\n");
  fs::create_directories(at("a/b"));
  fs::create_symlink("../../real/chart.yaml", at("a/b/relative.yaml"));
  fs::create_symlink(at("real/chart.yaml"), at("a/b/absolute.yaml"));
  fs::create_symlink("relative.yaml", at("a/b/chained.yaml"));
  fs::create_symlink("../b/./relative.yaml", at("a/b/dotted.yaml"));
  const Snapshot s = snap();
  for (const std::string path : {"a/b/relative.yaml", "a/b/absolute.yaml", "a/b/chained.yaml", "a/b/dotted.yaml"}) {
    const auto i = s.find(path);
    ASSERT_TRUE(i) << path;
    EXPECT_EQ(s.view.followed_kind(*i), EntryKind::file) << path;
    EXPECT_EQ(s.view.content(*i), "inside: 1\n") << path;
    EXPECT_TRUE(s.view.unreadable_reason(*i).empty()) << path;
  }
}

TEST_P(FilesystemWalk, SymlinkedShardsAndShardDirectoriesAreDescendedOnce) {
  write_file(at("shared_shards/01_a/chart.yaml"), "shard: a\n");
  write_file(at("shared_shards/01_a/deep/x.py"), "print(1)\n");
  write_file(at("elsewhere/02_b/chart.yaml"), "shard: b\n");
  fs::create_directories(at("01_root"));
  fs::create_symlink("../shared_shards", at("01_root/shards"));
  fs::create_directories(at("02_root/shards"));
  fs::create_symlink("../../elsewhere/02_b", at("02_root/shards/02_b"));
  // The same target through a second link is not walked again.
  fs::create_symlink("../shared_shards", at("01_root/shards_again"));
  const Snapshot s = snap();
  const auto chart_a = s.find("01_root/shards/01_a/chart.yaml");
  ASSERT_TRUE(chart_a);
  EXPECT_EQ(s.view.content(*chart_a), "shard: a\n");
  EXPECT_TRUE(s.find("01_root/shards/01_a/deep/x.py"));
  const auto chart_b = s.find("02_root/shards/02_b/chart.yaml");
  ASSERT_TRUE(chart_b);
  EXPECT_EQ(s.view.content(*chart_b), "shard: b\n");
  // The real locations are walked as well.
  EXPECT_TRUE(s.find("shared_shards/01_a/chart.yaml"));
  EXPECT_TRUE(s.find("elsewhere/02_b/chart.yaml"));
  const auto again = s.find("01_root/shards_again");
  ASSERT_TRUE(again);
  EXPECT_TRUE(s.view.entry(*again).flags & snapshot::k_flag_loop);
  EXPECT_EQ(s.view.child_count(*again), 0u);
  // And through the image's own lookup, as the root/shard rules resolve them.
  EXPECT_TRUE(s.view.lookup(0, "01_root/shards/01_a/chart.yaml"));
}

TEST_P(FilesystemWalk, SymlinkLoopsEndAndLinksCannotMultiplyTheTree) {
  fs::create_directories(at("d"));
  fs::create_symlink("..", at("d/up"));
  fs::create_symlink(".", at("d/self"));
  fs::create_symlink(repo(), at("d/root_by_absolute_path"));
  fs::create_symlink("b_link", at("a_link"));
  fs::create_symlink("a_link", at("b_link"));
  // A ladder of directories each linking twice to the next: 2^12 paths if links multiplied.
  for (int level = 0; level < 12; ++level) {
    const std::string dir = at("ladder/" + std::to_string(level));
    fs::create_directories(dir);
    write_file(dir + "/f.txt", "x");
    fs::create_symlink("../" + std::to_string(level + 1), dir + "/left");
    fs::create_symlink("../" + std::to_string(level + 1), dir + "/right");
  }
  const auto started = std::chrono::steady_clock::now();
  const Snapshot s = snap();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30));
  for (const std::string path : {"d/up", "d/self", "d/root_by_absolute_path"}) {
    const auto i = s.find(path);
    ASSERT_TRUE(i) << path;
    EXPECT_TRUE(s.view.entry(*i).flags & snapshot::k_flag_loop) << path;
  }
  const auto a = s.find("a_link");
  ASSERT_TRUE(a);
  EXPECT_EQ(s.view.followed_kind(*a), EntryKind::missing);
  EXPECT_LT(s.view.entry_count(), 400u) << "links multiplied the tree";
}

TEST_P(FilesystemWalk, ADirectoryNamedLikeAContentFileIsListedAsADirectoryAndNeverRead) {
  write_file(at("12_tooling/dir_hash.py/inner.txt"), "inner\n");
  const Snapshot s = snap();
  const auto i = s.find("12_tooling/dir_hash.py");
  ASSERT_TRUE(i);
  EXPECT_EQ(s.view.kind(*i), EntryKind::directory);
  EXPECT_FALSE(s.view.entry(*i).flags & (snapshot::k_flag_content_loaded | snapshot::k_flag_read_error));
  EXPECT_TRUE(s.find("12_tooling/dir_hash.py/inner.txt"));
  bool in_walk_order = false;
  for (const std::uint32_t* it = s.view.walk_order_begin(); it != s.view.walk_order_end(); ++it)
    in_walk_order |= *it == *i;
  EXPECT_TRUE(in_walk_order) << "listing rules iterate the walk order";
}

TEST_P(FilesystemWalk, SpecialFilesAndDirectoriesAreTypedFromTheListing) {
  write_file(at("f.txt"), "12345");
  fs::create_directories(at("dir"));
  ASSERT_EQ(::mkfifo(at("pipe").c_str(), 0600), 0);
  const Snapshot s = snap();
  EXPECT_EQ(s.view.kind(*s.find("pipe")), EntryKind::fifo);
  EXPECT_EQ(s.view.kind(*s.find("dir")), EntryKind::directory);
  EXPECT_EQ(s.view.entry(*s.find("f.txt")).size, 5u);
  EXPECT_EQ(s.view.content(*s.find("f.txt")), "12345");
}

/// Creates `depth` nested directories "d" below `top` (relative opens: the
/// chain is far deeper than PATH_MAX), with a file at the bottom.
void make_chain(const std::string& top, int depth) {
  fs::create_directories(top);
  int fd = ::open(top.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  for (int level = 0; level < depth && fd >= 0; ++level) {
    ::mkdirat(fd, "d", 0755);
    const int next = ::openat(fd, "d", O_PATH | O_DIRECTORY | O_CLOEXEC);
    ::close(fd);
    fd = next;
  }
  const int file = ::openat(fd, "bottom.txt", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (file >= 0) {
    (void)::write(file, "bottom\n", 7);
    ::close(file);
  }
  ::close(fd);
}

/// TempDir's remove_all cannot delete below PATH_MAX (and is slow on long
/// paths): cut the chain into single directories parked next to it first.
void cut_chain(const std::string& top, const std::string& parking) {
  const int parking_fd = ::open(parking.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  int fd = ::open(top.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  for (int level = 1; fd >= 0; ++level) {
    const int next = ::openat(fd, "d", O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    if (next >= 0) ::renameat(fd, "d", parking_fd, ("piece_" + std::to_string(level)).c_str());
    ::close(fd);
    fd = next;
  }
  ::close(parking_fd);
}

int open_descriptor_count() {
  int count = 0;
  if (DIR* d = ::opendir("/proc/self/fd")) {
    while (::readdir(d) != nullptr) ++count;
    ::closedir(d);
  }
  return count;
}

struct ChainWalk {
  std::size_t entries = 0;
  bool bottom_read = false;
  std::map<std::string, long> syscalls;
  int peak_descriptors = 0;
};

ChainWalk walk_chain(const std::string& root, bool use_openat2) {
  ChainWalk result;
  FilesystemSourceOptions o;
  o.use_openat2 = use_openat2;
  const int baseline = open_descriptor_count();
  long calls = 0;
  o.on_syscall = [&](const char* name) {
    ++result.syscalls[name];
    if (++calls % 256 == 0) result.peak_descriptors = std::max(result.peak_descriptors, open_descriptor_count() - baseline);
  };
  const Snapshot s = take_snapshot(root, o);
  result.entries = s.view.entry_count();
  for (std::uint32_t i = 0; i < s.view.entry_count(); ++i)
    if (s.view.name(i) == "bottom.txt") result.bottom_read = s.view.content(i) == "bottom\n";
  return result;
}

TEST_P(FilesystemWalk, ADirectoryChainSixThousandDeepIsWalkedToTheBottomWithBoundedDescriptors) {
  make_chain(at("chain"), 6000);
  const ChainWalk w = walk_chain(repo(), GetParam());
  cut_chain(at("chain"), m_dir.path());
  EXPECT_EQ(w.entries, 6000u + 3u);  // root, chain, 6000 x d, bottom.txt
  EXPECT_TRUE(w.bottom_read);
  EXPECT_LE(w.peak_descriptors, 64 + 8) << "directory descriptors are bounded";
}

TEST_P(FilesystemWalk, TheWalkOfAChainOpensEachDirectoryOnce) {
  // Linear, not quadratic: the number of opens grows with the depth, not its square.
  make_chain(at("chain"), 500);
  const ChainWalk shallow = walk_chain(repo(), GetParam());
  cut_chain(at("chain"), m_dir.path());
  fs::remove_all(at("chain"));
  make_chain(at("chain"), 1000);
  const ChainWalk deep = walk_chain(repo(), GetParam());
  cut_chain(at("chain"), m_dir.path());
  const long opens_shallow = shallow.syscalls.count("openat") ? shallow.syscalls.at("openat") : 0;
  const long opens_deep = deep.syscalls.count("openat") ? deep.syscalls.at("openat") : 0;
  const long opens2_shallow = shallow.syscalls.count("openat2") ? shallow.syscalls.at("openat2") : 0;
  const long opens2_deep = deep.syscalls.count("openat2") ? deep.syscalls.at("openat2") : 0;
  EXPECT_LE(opens_deep + opens2_deep, 2 * (opens_shallow + opens2_shallow) + 16);
  EXPECT_LE(opens_deep + opens2_deep, 2 * 1000 + 16) << "about one open per directory and file";
  EXPECT_LE(deep.syscalls.count("fstatat") ? deep.syscalls.at("fstatat") : 0, 4) << "directories are not stat'ed by name";
}

TEST_P(FilesystemWalk, ADirectorySwappedForAnOutsideSymlinkDuringTheWalkNeverLeadsOutside) {
  // renameat2(RENAME_EXCHANGE) in a loop between an in-tree directory and a
  // symlink to an outside directory holding a marker, while the walk and the
  // image build run again and again: nothing from outside may be listed or read.
  write_file(at("01_root/shards/01_a/chart.yaml"), "inside: 1\n");
  write_file(at("01_root/shards/01_a/only_inside.txt"), "inside\n");
  write_file(outside() + "/chart.yaml", "outside_marker: 1\n");
  fs::create_symlink(outside(), at("01_root/swap"));
  std::atomic<bool> stop{false};
  std::atomic<long> swaps{0};
  std::atomic<bool> swapper_done{false};
  const std::string shards = at("01_root/shards");
  const std::string shard = at("01_root/shards/01_a");
  const std::string swap = at("01_root/swap");
  // Two places swapped: the shard directory and the shards/ directory above it
  // (an intermediate component of every path below).
  fs::create_symlink(outside(), at("01_root/shards/swap_shard"));
  std::thread swapper([&] {
    // Also swaps back and forth while the walks below run; the first swap is awaited so none runs unraced.
    for (long n = 0; n < 20000 && !stop.load(); ++n) {
      if (::renameat2(AT_FDCWD, shard.c_str(), AT_FDCWD, (shards + "/swap_shard").c_str(), RENAME_EXCHANGE) == 0) ++swaps;
      if (::renameat2(AT_FDCWD, shards.c_str(), AT_FDCWD, swap.c_str(), RENAME_EXCHANGE) == 0) ++swaps;
    }
    swapper_done = true;
  });
  while (swaps.load() == 0 && !swapper_done.load()) std::this_thread::yield();
  const auto started = std::chrono::steady_clock::now();
  int iterations = 0;
  for (; iterations < 30 && std::chrono::steady_clock::now() - started < std::chrono::seconds(4); ++iterations) {
    const Snapshot s = snap();
    EXPECT_FALSE(s.any_content_contains("outside_marker")) << "iteration " << iterations;
    EXPECT_FALSE(s.any_path_contains("only_outside")) << "iteration " << iterations;
    EXPECT_FALSE(s.any_path_contains("secret.yaml")) << "iteration " << iterations;
  }
  stop = true;
  swapper.join();
  EXPECT_GT(swaps.load(), 0);
  EXPECT_GE(iterations, 5);
}

TEST_P(FilesystemWalk, ADirectoryReopenedByNameMustBeTheOneFirstSeen) {
  // One cached descriptor: every directory is reopened by name from the root.
  // A directory exchanged (renameat2) for another after it was listed, itself
  // or as a component above, is refused with ESTALE, never read as the same.
  write_file(at("a/inner/f.txt"), "inside\n");
  write_file(at("b/g.txt"), "b\n");
  write_file(outside() + "/odir/f.txt", "outside_marker\n");
  write_file(outside() + "/oparent/inner/f.txt", "outside_marker\n");
  FilesystemSourceOptions o = options();
  o.max_open_directories = 1;
  auto source = snapshot::make_filesystem_source(repo(), o);
  std::vector<snapshot::SourceEntry> listing;
  int error = 0;
  for (const char* dir : {"", "a", "a/inner", "b"}) ASSERT_TRUE(source->list(dir, &listing, &error)) << dir;
  char buffer[64];
  ASSERT_EQ(source->read("a/inner/f.txt", buffer, sizeof buffer), 7);  // unchanged: read as before
  ASSERT_TRUE(source->list("b", &listing, &error));                      // evicts a/inner

  const auto exchange = [](const std::string& x, const std::string& y) {
    ASSERT_EQ(::renameat2(AT_FDCWD, x.c_str(), AT_FDCWD, y.c_str(), RENAME_EXCHANGE), 0) << std::strerror(errno);
  };
  exchange(at("a/inner"), outside() + "/odir");
  EXPECT_EQ(source->read("a/inner/f.txt", buffer, sizeof buffer), -ESTALE);
  listing.clear();
  EXPECT_FALSE(source->list("a/inner", &listing, &error));
  EXPECT_EQ(error, ESTALE);
  EXPECT_TRUE(listing.empty());
  exchange(at("a/inner"), outside() + "/odir");  // back: the same directory again
  EXPECT_EQ(source->read("a/inner/f.txt", buffer, sizeof buffer), 7);
  ASSERT_TRUE(source->list("b", &listing, &error));

  // An intermediate component swapped: "a" is another directory with an inner/f.txt.
  exchange(at("a"), outside() + "/oparent");
  EXPECT_EQ(source->read("a/inner/f.txt", buffer, sizeof buffer), -ESTALE);
  EXPECT_FALSE(source->list("a/inner", &listing, &error));
  EXPECT_EQ(error, ESTALE);
}

TEST_P(FilesystemWalk, DirectoriesExchangedWithOutsideDirectoriesDuringTheWalkAreNeverMixedUp) {
  // renameat2(RENAME_EXCHANGE) between a shard (and the shards/ directory
  // above it) and directories outside holding a marker, while walks and image
  // builds run with a single cached descriptor (so directories are reopened by
  // name): a file is read only from the directory the walk listed under its
  // name. Listing the outside directory is possible only when it was swapped
  // in before its listing; then it is what the walk saw, consistently.
  write_file(at("01_root/shards/01_a/chart.yaml"), "inside: 1\n");
  write_file(at("01_root/shards/01_a/only_inside.txt"), "inside\n");
  write_file(outside() + "/shard/chart.yaml", "outside_marker: 1\n");
  write_file(outside() + "/shard/only_outside.txt", "outside_marker\n");
  write_file(outside() + "/shards/01_a/chart.yaml", "outside_marker: 2\n");
  write_file(outside() + "/shards/01_a/only_outside.txt", "outside_marker\n");
  const std::string shard = at("01_root/shards/01_a"), shards = at("01_root/shards");
  const std::string other_shard = outside() + "/shard", other_shards = outside() + "/shards";
  std::atomic<bool> stop{false};
  std::atomic<long> swaps{0};
  std::atomic<bool> swapper_done{false};
  std::thread swapper([&] {
    for (long n = 0; n < 20000 && !stop.load(); ++n) {
      if (::renameat2(AT_FDCWD, shard.c_str(), AT_FDCWD, other_shard.c_str(), RENAME_EXCHANGE) == 0) ++swaps;
      if (::renameat2(AT_FDCWD, shards.c_str(), AT_FDCWD, other_shards.c_str(), RENAME_EXCHANGE) == 0) ++swaps;
    }
    swapper_done = true;
  });
  while (swaps.load() == 0 && !swapper_done.load()) std::this_thread::yield();
  FilesystemSourceOptions o = options();
  o.max_open_directories = 1;
  const auto started = std::chrono::steady_clock::now();
  int iterations = 0;
  for (; iterations < 30 && std::chrono::steady_clock::now() - started < std::chrono::seconds(4); ++iterations) {
    const Snapshot s = take_snapshot(repo(), o);
    const auto chart = s.find("01_root/shards/01_a/chart.yaml");
    if (!chart || !(s.view.entry(*chart).flags & snapshot::k_flag_content_loaded)) continue;
    const bool listed_outside = s.find("01_root/shards/01_a/only_outside.txt").has_value();
    const bool read_outside = s.view.content(*chart).find("outside_marker") != std::string_view::npos;
    EXPECT_EQ(listed_outside, read_outside) << "iteration " << iterations << ": chart.yaml read from another directory";
  }
  stop = true;
  swapper.join();
  EXPECT_GT(swaps.load(), 0);
  EXPECT_GE(iterations, 5);
}


// ---- The per-thread FileReader -----------------------------------------
// It keeps the directories of the last path open, and must answer every read
// exactly as TreeSource::read does (bytes and errors), open each directory
// once when files come in tree order, refuse a directory swapped since the
// walk (ESTALE), and give its descriptors back.

/// What one read gave: the bytes, or the negative errno.
std::string read_outcome(long long got, const char* buffer) {
  return got < 0 ? "error " + std::to_string(-got) : std::string(buffer, static_cast<std::size_t>(got));
}

/// Lists the directories (relative paths) as the walk does before any read.
void list_all_directories(snapshot::TreeSource& source, const std::vector<std::string>& dirs) {
  std::vector<snapshot::SourceEntry> listing;
  int error = 0;
  for (const std::string& dir : dirs) ASSERT_TRUE(source.list(dir, &listing, &error)) << dir;
}

TEST_P(FilesystemWalk, ReaderEveryReadGivesWhatTheSourceGivesInAnyOrder) {
  write_file(at("01_a/shards/01_x/chart.yaml"), "chart: 1\n");
  write_file(at("01_a/shards/01_x/impl/manifest.yaml"), "m: 1\n");
  write_file(at("01_a/shards/02_y/chart.yaml"), "chart: 2\n");
  write_file(at("02_b/readme.md"), "# b\n");
  write_file(at("top.txt"), "top\n");
  fs::create_directories(at("01_a/shards/03_dir_named_like_a_file.yaml"));
  fs::create_symlink("chart.yaml", at("01_a/shards/01_x/link_inside.yaml"));
  fs::create_symlink(outside() + "/secret.yaml", at("01_a/shards/01_x/link_outside.txt"));
  fs::create_symlink("01_x", at("01_a/shards/04_linked_dir"));
  ASSERT_EQ(::mkfifo(at("02_b/fifo").c_str(), 0644), 0);
  const std::vector<std::string> paths = {
      "01_a/shards/01_x/chart.yaml",          "01_a/shards/01_x/impl/manifest.yaml",
      "01_a/shards/02_y/chart.yaml",          "01_a/shards/01_x/link_inside.yaml",
      "01_a/shards/01_x/link_outside.txt",    "01_a/shards/04_linked_dir/chart.yaml",
      "01_a/shards/03_dir_named_like_a_file.yaml", "02_b/fifo",
      "02_b/readme.md",                       "02_b/missing.txt",
      "missing_dir/file.txt",                 "top.txt",
  };
  auto source = snapshot::make_filesystem_source(repo(), options());
  list_all_directories(*source, {"", "01_a", "01_a/shards", "01_a/shards/01_x", "01_a/shards/01_x/impl", "01_a/shards/02_y", "02_b"});
  std::map<std::string, std::string> expected;
  char buffer[256];
  for (const std::string& path : paths) expected[path] = read_outcome(source->read(path, buffer, sizeof buffer), buffer);
  EXPECT_EQ(expected["01_a/shards/01_x/link_inside.yaml"], "chart: 1\n");
  EXPECT_EQ(expected["01_a/shards/04_linked_dir/chart.yaml"], "chart: 1\n");
  EXPECT_EQ(expected["01_a/shards/01_x/link_outside.txt"], "error " + std::to_string(EXDEV));
  EXPECT_EQ(expected["02_b/fifo"], "error " + std::to_string(EINVAL));
  EXPECT_EQ(expected["02_b/missing.txt"], "error " + std::to_string(ENOENT));

  // Forwards, backwards and interleaved: the held directories change under every pattern.
  std::vector<std::string> order = paths;
  for (int pass = 0; pass < 3; ++pass) {
    const auto reader = source->reader();
    for (const std::string& path : order)
      EXPECT_EQ(read_outcome(reader->read(path, buffer, sizeof buffer), buffer), expected[path]) << path << " pass " << pass;
    if (pass == 0) std::reverse(order.begin(), order.end());
    if (pass == 1) std::rotate(order.begin(), order.begin() + 5, order.end());
  }
}

TEST_P(FilesystemWalk, ReaderFilesReadInTreeOrderOpenEachDirectoryOnce) {
  for (const char* dir : {"01_a/shards/01_x", "01_a/shards/02_y", "02_b/shards/01_z"})
    for (const char* name : {"chart.yaml", "values.yaml", "readme.md"}) write_file(at(std::string(dir) + "/" + name), "x\n");
  std::map<std::string, int> calls;
  FilesystemSourceOptions o = options();
  o.on_syscall = [&](const char* name) { ++calls[name]; };
  auto source = snapshot::make_filesystem_source(repo(), o);
  const auto reader = source->reader();
  char buffer[16];
  for (const char* dir : {"01_a/shards/01_x", "01_a/shards/02_y", "02_b/shards/01_z"})
    for (const char* name : {"chart.yaml", "values.yaml", "readme.md"})
      ASSERT_EQ(reader->read(std::string(dir) + "/" + name, buffer, sizeof buffer), 2);
  // Directories: 01_a, shards, 01_x, 02_y, 02_b, shards, 01_z (7); files: 9.
  EXPECT_EQ(calls["openat"], 7 + 9);
  EXPECT_EQ(calls["openat2"], 0);
}

TEST_P(FilesystemWalk, ReaderADirectorySwappedSinceTheWalkIsRefusedAndAHeldOneStaysTheListedOne) {
  write_file(at("a/inner/f.txt"), "inside\n");
  write_file(at("b/g.txt"), "b\n");
  write_file(outside() + "/odir/f.txt", "outside_marker\n");
  // The source's own cache (8 directories, so 2 held by the reader) must not
  // still hold a/inner when the reader falls back to it: ten more listings evict it.
  std::vector<std::string> listed = {"", "a", "a/inner", "b"};
  for (int i = 0; i < 10; ++i) {
    fs::create_directories(at("c" + std::to_string(i)));
    listed.push_back("c" + std::to_string(i));
  }
  FilesystemSourceOptions o = options();
  o.max_open_directories = 8;
  auto source = snapshot::make_filesystem_source(repo(), o);
  list_all_directories(*source, listed);
  const auto exchange = [](const std::string& x, const std::string& y) {
    ASSERT_EQ(::renameat2(AT_FDCWD, x.c_str(), AT_FDCWD, y.c_str(), RENAME_EXCHANGE), 0) << std::strerror(errno);
  };
  const auto reader = source->reader();
  char buffer[64];
  ASSERT_EQ(read_outcome(reader->read("a/inner/f.txt", buffer, sizeof buffer), buffer), "inside\n");
  // Held across the swap: still the directory the walk listed, never the one swapped in.
  exchange(at("a/inner"), outside() + "/odir");
  EXPECT_EQ(read_outcome(reader->read("a/inner/f.txt", buffer, sizeof buffer), buffer), "inside\n");
  // Reopened by name after another directory's read: refused.
  ASSERT_EQ(reader->read("b/g.txt", buffer, sizeof buffer), 2);
  EXPECT_EQ(reader->read("a/inner/f.txt", buffer, sizeof buffer), -ESTALE);
  exchange(at("a/inner"), outside() + "/odir");  // back: the listed directory again
  EXPECT_EQ(read_outcome(reader->read("a/inner/f.txt", buffer, sizeof buffer), buffer), "inside\n");
}

TEST_P(FilesystemWalk, ReaderPathsDeeperThanItsShareOfDescriptorsAreStillReadAndDescriptorsComeBack) {
  std::string deep = "d1/d2/d3/d4/d5/d6/d7/d8";
  write_file(at(deep + "/f.txt"), "deep\n");
  write_file(at("d1/g.txt"), "shallow\n");
  FilesystemSourceOptions o = options();
  o.max_open_directories = 8;  // a share of 2 held directories per reader
  auto source = snapshot::make_filesystem_source(repo(), o);
  const int before = open_descriptor_count();
  {
    const auto reader = source->reader();
    char buffer[16];
    for (int round = 0; round < 3; ++round) {
      EXPECT_EQ(read_outcome(reader->read(deep + "/f.txt", buffer, sizeof buffer), buffer), "deep\n");
      EXPECT_EQ(read_outcome(reader->read("d1/g.txt", buffer, sizeof buffer), buffer), "shallow\n");
      EXPECT_LE(open_descriptor_count(), before + 8 + 2);
    }
  }
  source.reset();
  EXPECT_LE(open_descriptor_count(), before - 1);  // the source's root descriptor is gone too, the reader's with it
}


// ---- The per-thread DirectoryLister --------------------------------------

/// A listing as names, kinds and sizes, sorted (the source lists in any order), or the error.
std::string listing_outcome(bool listed, int error, std::vector<snapshot::SourceEntry> entries) {
  if (!listed) return "error " + std::to_string(error);
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  std::string out;
  for (const auto& e : entries)
    out += e.name + ":" + std::to_string(static_cast<int>(e.kind)) + ":" + std::to_string(static_cast<int>(e.target_kind)) +
           ":" + std::to_string(e.size) + ":" + e.unreadable_reason + "\n";
  return out;
}

TEST_P(FilesystemWalk, ListerListsWhatTheSourceListsWithTheSameIdentity) {
  write_file(at("01_a/shards/01_x/chart.yaml"), "chart: 1\n");
  write_file(at("01_a/shards/02_y/impl/x.py"), "x\n");
  write_file(at("02_b/readme.md"), "# b\n");
  fs::create_symlink("01_x", at("01_a/shards/03_linked"));
  fs::create_symlink(outside() + "/sub", at("02_b/escape"));
  fs::create_symlink("../../02_b", at("01_a/shards/04_up"));
  write_file(at("02_b/not_a_dir"), "f\n");
  const std::vector<std::string> dirs = {"", "01_a", "02_b", "01_a/shards", "01_a/shards/01_x",
                                         "01_a/shards/02_y", "01_a/shards/03_linked", "01_a/shards/04_up",
                                         "01_a/shards/02_y/impl", "02_b/escape", "02_b/not_a_dir", "02_b/missing"};
  std::map<std::string, std::string> expected;
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> expected_identity;
  {
    auto source = snapshot::make_filesystem_source(repo(), options());
    for (const std::string& dir : dirs) {
      std::vector<snapshot::SourceEntry> entries;
      int error = 0;
      const bool listed = source->list(dir, &entries, &error);
      expected[dir] = listing_outcome(listed, error, entries);
      if (listed) source->listed_identity(&expected_identity[dir].first, &expected_identity[dir].second);
    }
  }
  EXPECT_EQ(expected["01_a/shards/03_linked"], expected["01_a/shards/01_x"]);
  EXPECT_EQ(expected["01_a/shards/04_up"], expected["02_b"]);
  EXPECT_EQ(expected["02_b/missing"], "error " + std::to_string(ENOENT));
  EXPECT_EQ(expected["02_b/escape"].rfind("error ", 0), 0u) << "a directory outside is never listed";
  // Breadth-first as the walk asks, then backwards: the held directories change under both.
  std::vector<std::string> order = dirs;
  for (int pass = 0; pass < 2; ++pass) {
    auto source = snapshot::make_filesystem_source(repo(), options());
    const auto lister = source->lister();
    for (const std::string& dir : order) {
      std::vector<snapshot::SourceEntry> entries;
      int error = 0;
      std::optional<std::pair<std::uint64_t, std::uint64_t>> identity;
      const bool listed = lister->list(dir, &entries, &error, &identity);
      EXPECT_EQ(listing_outcome(listed, error, entries), expected[dir]) << dir << " pass " << pass;
      if (listed) {
        EXPECT_EQ(identity, expected_identity[dir]) << dir;
      }
    }
    std::reverse(order.begin(), order.end());
  }
}

TEST_P(FilesystemWalk, ListerOpensEachDirectoryOnceBreadthFirstAndRefusesOneSwappedSinceItWasSeen) {
  for (const char* dir : {"01_a/shards/01_x", "01_a/shards/02_y", "02_b/shards/01_z"}) write_file(at(std::string(dir) + "/f"), "x");
  write_file(outside() + "/odir/f", "outside_marker");
  std::map<std::string, int> calls;
  FilesystemSourceOptions o = options();
  o.on_syscall = [&](const char* name) { ++calls[name]; };
  auto source = snapshot::make_filesystem_source(repo(), o);
  const auto lister = source->lister();
  std::vector<snapshot::SourceEntry> entries;
  int error = 0;
  std::optional<std::pair<std::uint64_t, std::uint64_t>> identity;
  for (const char* dir : {"", "01_a", "02_b", "01_a/shards", "02_b/shards", "01_a/shards/01_x", "01_a/shards/02_y",
                          "02_b/shards/01_z"})
    ASSERT_TRUE(lister->list(dir, &entries, &error, &identity)) << dir;
  // Each of the 7 directories below the root is opened once for its listing (the root is the source's own),
  // and a parent is opened (O_PATH) only when the next listing's parent differs from the held one: 01_a for
  // 01_a/shards, 02_b for 02_b/shards, 01_a and shards for 01_a/shards/01_x (02_y shares them), 02_b and
  // shards for 02_b/shards/01_z. Going through the source's cache instead would open 7 and no O_PATH parent.
  EXPECT_EQ(calls["openat"], 7 + 6);
  EXPECT_EQ(calls["fstat"], 7 + 6) << "each directory opened is checked once against the one first seen";
  EXPECT_EQ(calls["openat2"], 0);

  ASSERT_EQ(::renameat2(AT_FDCWD, at("01_a/shards/02_y").c_str(), AT_FDCWD, (outside() + "/odir").c_str(),
                        RENAME_EXCHANGE), 0);
  entries.clear();
  EXPECT_FALSE(lister->list("01_a/shards/02_y", &entries, &error, &identity));
  EXPECT_EQ(error, ESTALE);
  EXPECT_TRUE(entries.empty());
}

}  // namespace
}  // namespace sotcheck
