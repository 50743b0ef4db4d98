// The image's YAML section: the documents rules read as YAML are parsed once,
// while the image is built, and stored as flat blobs (or the reason they could
// not be loaded, in Python's words); attach validates every record and blob.

#include <gtest/gtest.h>

#include <xxhash.h>

#include <cerrno>
#include <cstring>
#include <map>

#include "sotcheck/snapshot/image.hpp"
#include "sotcheck/snapshot/walker.hpp"
#include "support/memory_tree.hpp"

namespace sotcheck {
namespace {

using snapshot::YamlKind;
using snapshot::YamlStatus;
using testing::MemoryTree;

/// Counts reads per path, so a test can prove a file is read once.
class CountingSource final : public snapshot::TreeSource {
 public:
  explicit CountingSource(MemoryTree& inner) : m_inner(inner) {}
  bool list(std::string_view relpath, std::vector<snapshot::SourceEntry>* out, int* error) override {
    return m_inner.list(relpath, out, error);
  }
  long long read(std::string_view relpath, char* dest, std::uint64_t capacity) override {
    ++reads[std::string(relpath)];
    return m_inner.read(relpath, dest, capacity);
  }
  void root_identity(std::uint64_t* device, std::uint64_t* inode) override { m_inner.root_identity(device, inode); }
  std::map<std::string, int> reads;

 private:
  MemoryTree& m_inner;
};

using Wants = std::function<bool(std::string_view, std::string_view)>;

Wants by_suffix(std::string suffix) {
  return [suffix](std::string_view path, std::string_view) {
    return path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix;
  };
}

snapshot::HeapImage build(snapshot::TreeSource& source, Wants yaml, Wants content = nullptr,
                          std::uint64_t max_file_size = snapshot::k_default_max_file_size,
                          snapshot::BuildStats* stats = nullptr) {
  const auto walked = snapshot::walk(source, {});
  snapshot::BuildOptions options;
  options.root_path = "/repo";
  options.max_file_size = max_file_size;
  options.wants_yaml = std::move(yaml);
  options.wants_content = std::move(content);
  auto image = snapshot::HeapImage::build(walked, source, options, stats);
  EXPECT_TRUE(image.ok()) << image.error();
  return std::move(*image);
}

TEST(ImageYaml, ParsesExactlyTheWantedFilesOnce) {
  MemoryTree tree;
  tree.add_file("a/chart.yaml", "name: a\nversion: 1.0\n").add_file("notes.txt", "version: 2").add_file("b.yml", "x");
  snapshot::BuildStats stats;
  const auto image = build(tree, by_suffix(".yaml"), nullptr, snapshot::k_default_max_file_size, &stats);
  const auto view = image.view();
  ASSERT_TRUE(view.ok()) << view.error();
  EXPECT_EQ(view->yaml_count(), 1u);
  EXPECT_EQ(stats.yaml_documents, 1u);
  EXPECT_EQ(stats.yaml_errors, 0u);

  const auto doc = view->yaml(*view->lookup(0, "a/chart.yaml"));
  ASSERT_EQ(doc.status, YamlStatus::ok);
  ASSERT_NE(doc.view, nullptr);
  const auto& y = *doc.view;
  ASSERT_TRUE(y.is_mapping(y.root()));
  const auto version = y.find(y.root(), "version");
  ASSERT_TRUE(version.has_value());
  EXPECT_EQ(y.kind(*version), YamlKind::floating);  // YAML 1.1: 1.0 is a float (docs/reference-compatibility.md#rc-12)
  EXPECT_EQ(y.python_str(*version), "1.0");
  EXPECT_EQ(view->yaml(*view->lookup(0, "notes.txt")).status, YamlStatus::none);
  EXPECT_EQ(view->yaml(*view->lookup(0, "b.yml")).status, YamlStatus::none);
  EXPECT_EQ(view->yaml(0).status, YamlStatus::none);
}

TEST(ImageYaml, AFileWantedAsYamlAndAsContentIsReadOnceAndStoresBoth) {
  MemoryTree tree;
  tree.add_file("m/manifest.yaml", "implementation_id: x\n").add_file("only.yaml", "k: v\n");
  CountingSource source(tree);
  const auto image = build(source, by_suffix(".yaml"), by_suffix("manifest.yaml"));
  const auto view = image.view();
  ASSERT_TRUE(view.ok());
  const auto manifest = *view->lookup(0, "m/manifest.yaml");
  EXPECT_EQ(view->content(manifest), "implementation_id: x\n");
  EXPECT_TRUE(view->entry(manifest).flags & snapshot::k_flag_content_loaded);
  EXPECT_EQ(view->yaml(manifest).status, YamlStatus::ok);
  // Parsed but its bytes not kept: the content area holds only what wants_content asked for.
  const auto only = *view->lookup(0, "only.yaml");
  EXPECT_EQ(view->yaml(only).status, YamlStatus::ok);
  EXPECT_FALSE(view->entry(only).flags & snapshot::k_flag_content_loaded);
  EXPECT_EQ(source.reads["m/manifest.yaml"], 1);
  EXPECT_EQ(source.reads["only.yaml"], 1);
}

TEST(ImageYaml, InvalidUtf8IsALoadErrorWorderAsPython) {
  // T3/T4: strict decoding; the reason reads like Python's UnicodeDecodeError.
  MemoryTree tree;
  tree.add_file("bad.yaml", std::string("key: caf\xe9\n", 10));
  tree.add_file("cut.yaml", std::string("key: \xe2\x82", 7));
  tree.add_file("cont.yaml", std::string("k: \xe2\x82Z", 6));
  const auto image = build(tree, by_suffix(".yaml"));
  const auto view = image.view();
  ASSERT_TRUE(view.ok());
  const auto bad = view->yaml(*view->lookup(0, "bad.yaml"));
  ASSERT_EQ(bad.status, YamlStatus::error);
  EXPECT_EQ(bad.error, "'utf-8' codec can't decode byte 0xe9 in position 8: invalid continuation byte");
  EXPECT_EQ(view->yaml(*view->lookup(0, "cut.yaml")).error,
            "'utf-8' codec can't decode bytes in position 5-6: unexpected end of data");
  EXPECT_EQ(view->yaml(*view->lookup(0, "cont.yaml")).error,
            "'utf-8' codec can't decode bytes in position 3-4: invalid continuation byte");
}

TEST(ImageYaml, SyntaxErrorsSecondDocumentsReadErrorsAndTheSizeCapAreRecorded) {
  MemoryTree tree;
  tree.add_file("syntax.yaml", "a: [1, 2\n");
  tree.add_file("two.yaml", "a: 1\n---\nb: 2\n");
  tree.add_file("locked.yaml", "a: 1\n").fail("locked.yaml", EACCES);
  tree.add_file("huge.yaml", "a: " + std::string(100, 'x') + "\n");
  snapshot::BuildStats stats;
  const auto image = build(tree, by_suffix(".yaml"), by_suffix(".yaml"), 64, &stats);
  const auto view = image.view();
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(stats.yaml_errors, 4u);
  const auto syntax = view->yaml(*view->lookup(0, "syntax.yaml"));
  ASSERT_EQ(syntax.status, YamlStatus::error);
  EXPECT_NE(syntax.error.find("line"), std::string_view::npos) << syntax.error;
  EXPECT_EQ(view->yaml(*view->lookup(0, "two.yaml")).status, YamlStatus::error);
  const auto locked_entry = *view->lookup(0, "locked.yaml");
  EXPECT_EQ(view->yaml(locked_entry).error, "[Errno 13] Permission denied: '/repo/locked.yaml'");
  // The content side records the same failure, from the same single read.
  EXPECT_TRUE(view->entry(locked_entry).flags & snapshot::k_flag_read_error);
  const auto huge = view->yaml(*view->lookup(0, "huge.yaml"));
  ASSERT_EQ(huge.status, YamlStatus::error);
  EXPECT_NE(huge.error.find("too large"), std::string_view::npos) << huge.error;
}

TEST(ImageYaml, AViewCopyOutlivesTheOriginalView) {
  MemoryTree tree;
  tree.add_file("x.yaml", "k: [1, 2]\n");
  const auto image = build(tree, by_suffix(".yaml"));
  std::optional<snapshot::ImageView> copy;
  {
    const auto view = image.view();
    ASSERT_TRUE(view.ok());
    copy = *view;
  }
  const auto doc = copy->yaml(*copy->lookup(0, "x.yaml"));
  ASSERT_EQ(doc.status, YamlStatus::ok);
  EXPECT_EQ(doc.view->python_repr(doc.view->root()), "{'k': [1, 2]}");
}

/// A copy of an image's bytes that a test may corrupt, resealed with a fresh checksum.
struct Mutable {
  std::vector<std::uint64_t> words;
  std::size_t size = 0;
  std::byte* bytes() { return reinterpret_cast<std::byte*>(words.data()); }
  void reseal() {
    snapshot::Header h;
    std::memcpy(&h, bytes(), sizeof h);
    h.checksum = XXH3_64bits(bytes() + sizeof h, size - sizeof h);
    std::memcpy(bytes(), &h, sizeof h);
  }
  snapshot::SectionEntry section(snapshot::SectionKind kind) {
    snapshot::Header h;
    std::memcpy(&h, bytes(), sizeof h);
    for (std::uint32_t i = 0; i < h.section_count; ++i) {
      snapshot::SectionEntry s;
      std::memcpy(&s, bytes() + sizeof h + i * sizeof s, sizeof s);
      if (s.kind == static_cast<std::uint32_t>(kind)) return s;
    }
    return {};
  }
};

Mutable copy_of(const snapshot::HeapImage& image) {
  Mutable m;
  m.size = image.size();
  m.words.resize((image.size() + 7) / 8);
  std::memcpy(m.words.data(), image.data(), image.size());
  return m;
}

TEST(ImageYaml, AttachValidatesRecordsAndBlobs) {
  MemoryTree tree;
  tree.add_file("a.yaml", "a: 1\n").add_file("b.yaml", "b: [x]\n").add_file("c.yaml", "{");
  const auto image = build(tree, by_suffix(".yaml"));
  ASSERT_TRUE(image.view().ok());

  auto corrupt = [&](const std::function<void(Mutable&, snapshot::YamlRecord*, std::byte*)>& change) {
    Mutable m = copy_of(image);
    const auto index = m.section(snapshot::SectionKind::yaml_index);
    const auto data = m.section(snapshot::SectionKind::yaml_data);
    auto* records = reinterpret_cast<snapshot::YamlRecord*>(m.bytes() + index.offset);
    change(m, records, m.bytes() + data.offset);
    m.reseal();
    return snapshot::ImageView::attach(m.bytes(), m.size);
  };
  // Sanity: an unchanged, resealed copy attaches.
  EXPECT_TRUE(corrupt([](Mutable&, snapshot::YamlRecord*, std::byte*) {}).ok());
  const auto unsorted =
      corrupt([](Mutable&, snapshot::YamlRecord* r, std::byte*) { std::swap(r[0].entry, r[1].entry); });
  ASSERT_FALSE(unsorted.ok());
  EXPECT_NE(unsorted.error().find("sorted"), std::string::npos) << unsorted.error();
  EXPECT_FALSE(corrupt([](Mutable&, snapshot::YamlRecord* r, std::byte*) { r[2].entry = 1u << 30; }).ok());
  EXPECT_FALSE(corrupt([](Mutable&, snapshot::YamlRecord* r, std::byte*) { r[0].length = 1u << 30; }).ok());
  EXPECT_FALSE(corrupt([](Mutable&, snapshot::YamlRecord* r, std::byte*) { r[0].status = 7; }).ok());
  EXPECT_FALSE(corrupt([](Mutable&, snapshot::YamlRecord* r, std::byte*) { r[1].offset += 4; }).ok());
  const auto bad_blob =
      corrupt([](Mutable&, snapshot::YamlRecord* r, std::byte* data) { data[r[0].offset] = std::byte{'X'}; });
  ASSERT_FALSE(bad_blob.ok());
  EXPECT_NE(bad_blob.error().find("YAML blob"), std::string::npos) << bad_blob.error();
  // An error record's text is just bytes: changing it keeps the image valid.
  EXPECT_TRUE(
      corrupt([](Mutable&, snapshot::YamlRecord* r, std::byte* data) { data[r[2].offset] = std::byte{'?'}; }).ok());
}

}  // namespace
}  // namespace sotcheck
