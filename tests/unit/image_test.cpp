// The snapshot: walk order, image layout and the attach-time validation that
// makes a corrupt image an error instead of undefined behaviour.

#include <gtest/gtest.h>

#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "sotcheck/snapshot/image.hpp"
#include "sotcheck/snapshot/walker.hpp"
#include "sotcheck/util/glob.hpp"
#include "support/memory_tree.hpp"

namespace sotcheck {
namespace {

using snapshot::EntryKind;
using testing::MemoryTree;

snapshot::HeapImage build(MemoryTree& tree, const snapshot::WalkOptions& walk_options = {},
                          std::function<bool(std::string_view, std::string_view)> wants = nullptr) {
  const auto walked = snapshot::walk(tree, walk_options);
  snapshot::BuildOptions options;
  options.root_path = "/repo";
  options.wants_content = std::move(wants);
  auto image = snapshot::HeapImage::build(walked, tree, options);
  EXPECT_TRUE(image.ok()) << image.error();
  return std::move(*image);
}

TEST(Image, ChildrenAreSortedBytewiseAndContiguous) {
  MemoryTree tree;
  tree.add_file("b.txt").add_file("B.txt").add_file("a/z").add_file("a/y").add_dir("_x");
  const auto image = build(tree);
  const auto view = image.view();
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->child_count(0), 4u);
  const std::uint32_t first = view->first_child(0);
  EXPECT_EQ(view->name(first), "B.txt");  // uppercase sorts before lowercase byte-wise
  EXPECT_EQ(view->name(first + 1), "_x");
  EXPECT_EQ(view->name(first + 2), "a");
  EXPECT_EQ(view->name(first + 3), "b.txt");
  const auto a = view->lookup(0, "a/y");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(view->path(*a), "a/y");
  EXPECT_FALSE(view->lookup(0, "a/missing").has_value());
  EXPECT_EQ(view->root_path(), "/repo");
}

TEST(Image, PathsShareTheirPrefixesSoADeepChainCostsLinearSpace) {
  // A chain 1,000 directories deep with a sibling file and a sibling
  // directory at every level: every path and name reads back exactly as the
  // walk spells it, though a directory's path is stored as the start of its
  // first child's.
  std::string path;
  MemoryTree tree;
  for (int level = 0; level < 1000; ++level) {
    path += level == 0 ? "d" : "/d";
    tree.add_file(path + "_file.txt", "x");  // sorts after "d": never a first child
    tree.add_dir(path + "_zdir");
  }
  tree.add_file(path + "/leaf.yaml", "leaf: 1\n");
  const auto walked = snapshot::walk(tree, {});
  const auto image = build(tree);
  const auto view = image.view();
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->entry_count(), walked.nodes.size());
  std::string expected;
  for (std::uint32_t i = 0; i < view->entry_count(); ++i) {
    snapshot::walk_path(walked, i, &expected);
    ASSERT_EQ(view->path(i), expected) << i;
    ASSERT_EQ(view->name(i), walked.nodes[i].name) << i;
  }
  const auto leaf = view->lookup(0, path + "/leaf.yaml");
  ASSERT_TRUE(leaf.has_value());
  EXPECT_EQ(view->path(*leaf), path + "/leaf.yaml");

  // A bare chain 3,000 deep: its paths would take 3000 * 3000 = 9 MB one per
  // entry; stored once, the pool is the deepest path, 6 KB.
  MemoryTree chain;
  std::string deep;
  for (int level = 0; level < 3000; ++level) deep += level == 0 ? "d" : "/d";
  chain.add_file(deep + "/leaf.yaml", "leaf: 1\n");
  const auto chain_image = build(chain);
  EXPECT_LT(chain_image.size(), 1u << 20) << "a chain is stored once, not once per level";
  const auto chain_view = chain_image.view();
  ASSERT_TRUE(chain_view.ok());
  const auto chain_leaf = chain_view->lookup(0, deep + "/leaf.yaml");
  ASSERT_TRUE(chain_leaf.has_value());
  EXPECT_EQ(chain_view->path(chain_view->entry(*chain_leaf).parent), deep);
}

TEST(Image, LoadsOnlyTheContentRulesAskFor) {
  MemoryTree tree;
  tree.add_file("keep.py", "print('hi')").add_file("skip.bin", "xxxx");
  const auto image = build(tree, {}, [](std::string_view, std::string_view name) { return name == "keep.py"; });
  const auto view = image.view();
  ASSERT_TRUE(view.ok());
  const auto keep = *view->lookup(0, "keep.py");
  const auto skip = *view->lookup(0, "skip.bin");
  EXPECT_EQ(view->content(keep), "print('hi')");
  EXPECT_TRUE(view->entry(keep).flags & snapshot::k_flag_content_loaded);
  EXPECT_EQ(view->content(skip), "");
  EXPECT_FALSE(view->entry(skip).flags & snapshot::k_flag_content_loaded);
}

TEST(Image, RecordsUnreadableDirectoriesAndFilesWithoutFailing) {
  MemoryTree tree;
  tree.add_file("locked/secret").add_file("bad.py", "x").fail("locked", EACCES).fail("bad.py", EACCES);
  const auto image = build(tree, {}, [](std::string_view, std::string_view) { return true; });
  const auto view = image.view();
  ASSERT_TRUE(view.ok());
  const auto locked = *view->lookup(0, "locked");
  EXPECT_TRUE(view->entry(locked).flags & snapshot::k_flag_dir_unreadable);
  EXPECT_EQ(view->entry(locked).error, EACCES);
  const auto bad = *view->lookup(0, "bad.py");
  EXPECT_TRUE(view->entry(bad).flags & snapshot::k_flag_read_error);
}

TEST(Image, DoesNotDescendIntoConfiguredDirectoriesButRecordsThem) {
  MemoryTree tree;
  tree.add_file(".git/config").add_file("src/a.py");
  snapshot::WalkOptions options;
  options.do_not_descend = {".git"};
  const auto image = build(tree, options);
  const auto view = image.view();
  ASSERT_TRUE(view.ok());
  const auto git = view->lookup(0, ".git");
  ASSERT_TRUE(git.has_value());
  EXPECT_EQ(view->child_count(*git), 0u);
  EXPECT_TRUE(view->entry(*git).flags & snapshot::k_flag_not_descended);
  EXPECT_TRUE(view->lookup(0, "src/a.py").has_value());
}

TEST(Image, SymlinksAreRecordedWithTheirTargetKindAndNotFollowed) {
  MemoryTree tree;
  tree.add_dir("real").add_file("real/f").add_symlink("link", "real", EntryKind::directory);
  tree.add_symlink("dangling", "nowhere", EntryKind::missing);
  const auto image = build(tree);
  const auto view = image.view();
  ASSERT_TRUE(view.ok());
  const auto link = *view->lookup(0, "link");
  EXPECT_EQ(view->kind(link), EntryKind::symlink);
  EXPECT_TRUE(view->is_dir_following_links(link));
  EXPECT_EQ(view->child_count(link), 0u);
  EXPECT_EQ(view->link_target(link), "real");
  const auto dangling = *view->lookup(0, "dangling");
  EXPECT_FALSE(view->exists_following_links(dangling));
}

TEST(Image, AttachRejectsEveryTruncationAndBadHeader) {
  MemoryTree tree;
  tree.add_file("a/b/c.txt", "hello").add_file("d.txt", "world");
  const auto image = build(tree, {}, [](std::string_view, std::string_view) { return true; });
  std::vector<std::uint64_t> copy((image.size() + 7) / 8);
  std::memcpy(copy.data(), image.data(), image.size());
  auto* bytes = reinterpret_cast<std::byte*>(copy.data());
  for (std::size_t len = 0; len < image.size(); len += 8)
    EXPECT_FALSE(snapshot::ImageView::attach(bytes, len).ok()) << "accepted a truncation to " << len;
  bytes[0] = std::byte{'X'};
  const auto bad_magic = snapshot::ImageView::attach(bytes, image.size());
  ASSERT_FALSE(bad_magic.ok());
  EXPECT_NE(bad_magic.error().find("magic"), std::string::npos);
}

TEST(Image, AttachRejectsAFlippedByteThroughTheChecksum) {
  MemoryTree tree;
  tree.add_file("x.txt", "payload");
  const auto image = build(tree, {}, [](std::string_view, std::string_view) { return true; });
  std::vector<std::uint64_t> copy((image.size() + 7) / 8);
  std::memcpy(copy.data(), image.data(), image.size());
  auto* bytes = reinterpret_cast<std::byte*>(copy.data());
  for (std::size_t at = sizeof(snapshot::Header); at < image.size(); ++at) {
    bytes[at] ^= std::byte{0x5a};
    EXPECT_FALSE(snapshot::ImageView::attach(bytes, image.size()).ok()) << "flip at " << at;
    bytes[at] ^= std::byte{0x5a};
  }
  EXPECT_TRUE(snapshot::ImageView::attach(bytes, image.size()).ok());
}

TEST(Image, MaxImageSizeIsAClearError) {
  MemoryTree tree;
  tree.add_file("big.txt", std::string(4096, 'x'));
  const auto walked = snapshot::walk(tree, {});
  snapshot::BuildOptions options;
  options.max_image_size = 1024;
  options.wants_content = [](std::string_view, std::string_view) { return true; };
  const auto image = snapshot::HeapImage::build(walked, tree, options);
  ASSERT_FALSE(image.ok());
  EXPECT_NE(image.error().find("--max-image-size"), std::string::npos);
}

TEST(Image, FilesOverTheSizeCapAreRecordedNotLoaded) {
  MemoryTree tree;
  tree.add_file("huge.txt", std::string(100, 'x'));
  const auto walked = snapshot::walk(tree, {});
  snapshot::BuildOptions options;
  options.max_file_size = 10;
  options.wants_content = [](std::string_view, std::string_view) { return true; };
  auto image = snapshot::HeapImage::build(walked, tree, options);
  ASSERT_TRUE(image.ok());
  const auto view = image->view();
  const auto huge = *view->lookup(0, "huge.txt");
  EXPECT_TRUE(view->entry(huge).flags & snapshot::k_flag_too_large);
  EXPECT_EQ(view->entry(huge).size, 100u);
  EXPECT_EQ(view->content(huge), "");
}

// ------------------------------------------------------------ entries_matching

TEST(ImageGlobIndex, IndexedMatchingEqualsAScanOfTheWholeTree) {
  // Names and extensions that the name/extension index must get right: several files of one name at different
  // depths (rglob order across directories), no extension, several dots, a trailing dot, a directory with a
  // dotted name, and a wildcard pattern whose suffix has no dot (no index: full scan).
  MemoryTree tree;
  for (const char* path : {"chart.yaml", "b/chart.yaml", "a/x/chart.yaml", "a/chart.yml", "a/Chart.yaml",
                           "a/notes.tar.gz", "a/gz", "a/odd.", "a/x.d/inner.py", "z.py", "a/x/deep.py", "Makefile",
                           "a/myyaml", "b/data.yaml"})
    tree.add_file(path, "");
  const auto image = build(tree);
  const auto view = image.view();
  ASSERT_TRUE(view.ok());
  for (const util::BraceMode mode : {util::BraceMode::expand, util::BraceMode::literal}) {
    for (const char* pattern : {"chart.yaml", "**/chart.yaml", "a/*/chart.yaml", "Chart.{yaml,yml}",
                                "chart.{yaml,yml}", "*.py", "*.{py,yaml}", "*.gz", "*.tar.gz", "*.", "*yaml", "*",
                                "x.d", "*.d/", "Makefile", "a/**", "missing.txt", "a/*", "*/x/*", "x.d/*.py",
                                "a/**/*.py", "{a,b}/*.yaml", "*/*", "a/x/*.{py,yaml}", "[ab]/*"}) {
      const auto glob = util::Glob::compile(pattern, mode);
      ASSERT_TRUE(glob.ok()) << pattern;
      std::vector<std::uint32_t> scanned;
      for (const std::uint32_t* it = view->walk_order_begin(); it != view->walk_order_end(); ++it)
        if (glob->matches(view->path(*it))) scanned.push_back(*it);
      EXPECT_EQ(view->entries_matching(*glob), scanned) << pattern;
      EXPECT_EQ(view->entries_matching(*glob), scanned) << pattern << " (memoised)";
    }
  }
}

TEST(ImageGlobIndex, ThreadsAskingAtOnceGetTheOneList) {
  // Rules on several threads ask for the same patterns at the same moment: each pattern is matched once and
  // every thread gets that list (the same object), equal to a scan of the whole tree.
  MemoryTree tree;
  for (int d = 0; d < 40; ++d)
    for (const char* name : {"chart.yaml", "a.py", "b.py", "notes.md", "x/values.yaml", "x/y/deep.py"})
      tree.add_file("d" + std::to_string(d) + "/" + name, "");
  const auto image = build(tree);
  const auto view = image.view();
  ASSERT_TRUE(view.ok());
  std::vector<util::Glob> globs;
  for (const char* pattern : {"*.py", "x/*.{yaml,py}", "**/y/*", "chart.yaml", "*"})
    globs.push_back(*util::Glob::compile(pattern, util::BraceMode::expand));
  constexpr int k_threads = 8;
  std::vector<std::vector<const std::vector<std::uint32_t>*>> seen(k_threads);
  std::vector<std::thread> threads;
  for (int t = 0; t < k_threads; ++t)
    threads.emplace_back([&, t] {
      for (const auto& glob : globs) seen[t].push_back(&view->entries_matching(glob));
    });
  for (auto& thread : threads) thread.join();
  for (std::size_t g = 0; g < globs.size(); ++g) {
    std::vector<std::uint32_t> scanned;
    for (const std::uint32_t* it = view->walk_order_begin(); it != view->walk_order_end(); ++it)
      if (globs[g].matches(view->path(*it))) scanned.push_back(*it);
    EXPECT_FALSE(scanned.empty()) << globs[g].pattern();
    for (int t = 0; t < k_threads; ++t) {
      EXPECT_EQ(seen[t][g], seen[0][g]) << globs[g].pattern();
      EXPECT_EQ(*seen[t][g], scanned) << globs[g].pattern();
    }
  }
}

// ------------------------------------------------------------ fused content scan

/// Probes 0 and 1 apply to *.py (count of 'a', byte length), probe 2 to *.txt (always 7).
class CountingScanner final : public snapshot::ContentScanner {
 public:
  const std::vector<std::uint64_t>& probe_keys() const override { return m_keys; }
  void probes_for(std::string_view relpath, std::string_view, std::vector<std::uint32_t>* ids) const override {
    if (relpath.ends_with(".py")) ids->insert(ids->end(), {0, 1});
    if (relpath.ends_with(".txt")) ids->push_back(2);
  }
  bool scan(std::string_view bytes, const std::uint32_t* ids, std::size_t count, std::int32_t* values) const override {
    for (std::size_t i = 0; i < count; ++i) {
      if (ids[i] == 0) values[i] = static_cast<std::int32_t>(std::count(bytes.begin(), bytes.end(), 'a'));
      if (ids[i] == 1) values[i] = static_cast<std::int32_t>(bytes.size());
      if (ids[i] == 2) values[i] = 7;
    }
    return bytes.find('\xff') == std::string_view::npos;
  }

 private:
  std::vector<std::uint64_t> m_keys = {10, 20, 30};
};

snapshot::HeapImage build_scanned(MemoryTree& tree, std::uint64_t expected_values) {
  const auto walked = snapshot::walk(tree, {});
  snapshot::BuildOptions options;
  options.root_path = "/repo";
  options.wants_content = [](std::string_view, std::string_view name) { return !name.ends_with(".bin"); };
  options.scanner = std::make_shared<CountingScanner>();
  snapshot::BuildStats stats;
  auto image = snapshot::HeapImage::build(walked, tree, options, &stats);
  EXPECT_TRUE(image.ok()) << image.error();
  EXPECT_EQ(stats.probe_values, expected_values);
  return std::move(*image);
}

TEST(ImageContentScan, StoresEachApplicableProbeValueOfEachLoadedFile) {
  MemoryTree tree;
  tree.add_file("a.py", "banana").add_file("bad.py", "a\xff").add_file("t.txt", "x").add_file("skip.bin", "aaa");
  tree.add_file("locked.py", "aaaa").fail("locked.py", EACCES);
  const auto image = build_scanned(tree, 5);  // a.py and bad.py: 2 each; t.txt: 1
  const auto view = image.view();
  ASSERT_TRUE(view.ok()) << view.error();
  EXPECT_EQ(view->probe_id(10), 0u);
  EXPECT_EQ(view->probe_id(30), 2u);
  EXPECT_FALSE(view->probe_id(15).has_value());

  const auto a = *view->lookup(0, "a.py");
  EXPECT_TRUE(view->entry(a).flags & snapshot::k_flag_text_scanned);
  EXPECT_FALSE(view->entry(a).flags & snapshot::k_flag_text_not_utf8);
  EXPECT_EQ(view->probe_value(a, 0), 3);
  EXPECT_EQ(view->probe_value(a, 1), 6);
  EXPECT_FALSE(view->probe_value(a, 2).has_value()) << "probe 2 does not apply to *.py";

  const auto bad = *view->lookup(0, "bad.py");
  EXPECT_TRUE(view->entry(bad).flags & snapshot::k_flag_text_not_utf8);
  EXPECT_EQ(view->probe_value(bad, 0), 1);

  EXPECT_EQ(view->probe_value(*view->lookup(0, "t.txt"), 2), 7);
  // Not loaded, or unreadable: no values, so the checks read (and report) the file themselves.
  const auto skip = *view->lookup(0, "skip.bin");
  EXPECT_FALSE(view->entry(skip).flags & snapshot::k_flag_text_scanned);
  EXPECT_FALSE(view->probe_value(skip, 0).has_value());
  const auto locked = *view->lookup(0, "locked.py");
  EXPECT_TRUE(view->entry(locked).flags & snapshot::k_flag_read_error);
  EXPECT_FALSE(view->entry(locked).flags & snapshot::k_flag_text_scanned);
  EXPECT_FALSE(view->probe_value(locked, 0).has_value());
}

TEST(ImageContentScan, AnImageWithoutAScannerAnswersNothing) {
  MemoryTree tree;
  tree.add_file("a.py", "aaa");
  const auto image = build(tree, {}, [](std::string_view, std::string_view) { return true; });
  const auto view = image.view();
  ASSERT_TRUE(view.ok());
  EXPECT_FALSE(view->probe_id(10).has_value());
  EXPECT_FALSE(view->probe_value(*view->lookup(0, "a.py"), 0).has_value());
}

/// Rewrites one field of a section of a copy of `image` and re-seals the checksum, so only the structural
/// validation of attach() stands between the corruption and the accessors.
std::string attach_error_after(const snapshot::HeapImage& image, snapshot::SectionKind kind,
                               const std::function<void(std::byte* section, std::uint64_t size)>& corrupt) {
  std::vector<std::uint64_t> copy((image.size() + 7) / 8);
  std::memcpy(copy.data(), image.data(), image.size());
  auto* bytes = reinterpret_cast<std::byte*>(copy.data());
  snapshot::Header header;
  std::memcpy(&header, bytes, sizeof header);
  for (std::uint32_t s = 0; s < header.section_count; ++s) {
    snapshot::SectionEntry section;
    std::memcpy(&section, bytes + sizeof header + s * sizeof section, sizeof section);
    if (section.kind == static_cast<std::uint32_t>(kind)) corrupt(bytes + section.offset, section.size);
  }
  header.checksum = XXH3_64bits(bytes + sizeof header, image.size() - sizeof header);
  std::memcpy(bytes, &header, sizeof header);
  const auto view = snapshot::ImageView::attach(bytes, image.size());
  return view.ok() ? "" : view.error();
}

TEST(ImageContentScan, AttachRejectsMalformedProbeSections) {
  MemoryTree tree;
  tree.add_file("a.py", "banana").add_file("t.txt", "x");
  const auto image = build_scanned(tree, 3);
  EXPECT_EQ(attach_error_after(image, snapshot::SectionKind::probe_results, [](std::byte*, std::uint64_t) {}), "");
  EXPECT_NE(attach_error_after(image, snapshot::SectionKind::probe_results,
                               [](std::byte* at, std::uint64_t) {
                                 const snapshot::ProbeResult unknown{99, 0};
                                 std::memcpy(at, &unknown, sizeof unknown);
                               })
                .find("unknown probe"),
            std::string::npos);
  EXPECT_NE(attach_error_after(image, snapshot::SectionKind::probe_results,
                               [](std::byte* at, std::uint64_t) {
                                 const snapshot::ProbeResult repeated{1, 0};  // a.py's ids become 1, 1
                                 std::memcpy(at, &repeated, sizeof repeated);
                               })
                .find("not sorted"),
            std::string::npos);
  EXPECT_NE(attach_error_after(image, snapshot::SectionKind::probe_keys,
                               [](std::byte* at, std::uint64_t) {
                                 const std::uint64_t big = ~0ull;
                                 std::memcpy(at, &big, sizeof big);
                               })
                .find("not ascending"),
            std::string::npos);
  EXPECT_NE(attach_error_after(image, snapshot::SectionKind::probe_index,
                               [](std::byte* at, std::uint64_t size) {
                                 const std::uint32_t beyond = 1000;
                                 std::memcpy(at + size - sizeof beyond, &beyond, sizeof beyond);
                               })
                .find("does not cover"),
            std::string::npos);
}

}  // namespace
}  // namespace sotcheck
