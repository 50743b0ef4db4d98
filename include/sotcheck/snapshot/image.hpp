#pragma once
/// Building and reading the snapshot image (format: image_format.hpp).
///
/// ImageBuilder turns a WalkTree into an image, reading the bytes of the files
/// that some rule needs (each file once). ImageView is the only way to read an
/// image: attach() validates the header, the checksum and every offset, after
/// which every accessor is in bounds by construction.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "sotcheck/snapshot/image_format.hpp"
#include "sotcheck/snapshot/tree_source.hpp"
#include "sotcheck/snapshot/walker.hpp"
#include "sotcheck/snapshot/yaml_flat.hpp"
#include "sotcheck/util/glob.hpp"
#include "sotcheck/util/result.hpp"

namespace sotcheck::snapshot {

inline constexpr std::uint64_t k_default_max_file_size = 16ull << 20;

/// The fused content scan (image_format.hpp PROBE_*): predicates that rules
/// evaluate on file text, run on each loaded file right after it is read, on
/// the builder's reader threads. The snapshot knows nothing of rules; the
/// plan builds the scanner from the selected checks.
class ContentScanner {
 public:
  virtual ~ContentScanner() = default;
  /// The probes' keys, strictly ascending; a probe's id is its index here.
  virtual const std::vector<std::uint64_t>& probe_keys() const = 0;
  /// Appends the ids (ascending, no repeats) of the probes that apply to a
  /// file; a superset of what any check will ask for is fine.
  virtual void probes_for(std::string_view relpath, std::string_view name, std::vector<std::uint32_t>* ids) const = 0;
  /// Evaluates probes `ids[0..count)` on a file's bytes into `values`; returns
  /// false if the bytes are not well-formed UTF-8. Called concurrently.
  virtual bool scan(std::string_view bytes, const std::uint32_t* ids, std::size_t count,
                    std::int32_t* values) const = 0;
};

struct BuildOptions {
  std::string root_path;  ///< absolute, recorded in the image for reports
  std::uint64_t max_file_size = k_default_max_file_size;
  std::uint64_t max_image_size = 0;  ///< 0 = no limit
  /// Which files have their bytes loaded: called with each regular file (or
  /// symlink to one). Empty function = load none.
  std::function<bool(std::string_view relpath, std::string_view name)> wants_content;
  /// Which files are parsed as YAML, once, while the image is built (docs/ARCHITECTURE.md
  /// 6: no worker parses YAML). Called like wants_content; such a file's bytes
  /// are read once even if wants_content does not ask for them (they are then
  /// parsed but not stored). Empty function = parse none.
  std::function<bool(std::string_view relpath, std::string_view name)> wants_yaml;
  /// Bounds on each parsed document (YAML bombs, deep nesting).
  YamlLimits yaml_limits;
  /// The fused content scan over every loaded file; null = none (checks then scan the text themselves).
  std::shared_ptr<const ContentScanner> scanner;
  /// With a scanner: of the files wants_content reads, those whose bytes are
  /// stored (the rest are scanned and dropped; their records carry
  /// k_flag_text_scanned without k_flag_content_loaded). Empty function, or
  /// no scanner = store every file read.
  std::function<bool(std::string_view relpath, std::string_view name)> keep_content;
};

struct BuildStats {
  std::uint64_t image_bytes = 0;
  std::uint64_t content_bytes = 0;  ///< bytes stored in CONTENT
  std::uint32_t files_loaded = 0;   ///< files read (stored or only content-scanned)
  std::uint32_t yaml_documents = 0;  ///< YAML files parsed successfully
  std::uint32_t yaml_errors = 0;     ///< YAML files that could not be loaded (each recorded with its reason)
  std::uint64_t yaml_blob_bytes = 0;
  double yaml_seconds = 0;           ///< wall time spent reading, decoding and flattening YAML files
  std::uint64_t probe_values = 0;    ///< content-scan results stored (files x probes that apply to them)
  double fill_seconds = 0;           ///< wall time spent reading the loaded files and content-scanning them
  double checksum_seconds = 0;       ///< wall time spent hashing the finished image
};

/// Lays out and fills an image. `allocate(size)` must return `size` writable,
/// 8-byte-aligned, zeroed bytes that stay valid after the call (heap or a
/// memfd mapping); returns the size written.
util::Result<BuildStats> build_image(const WalkTree& tree, TreeSource& source, const BuildOptions& options,
                                     const std::function<std::byte*(std::size_t)>& allocate);

/// A file's YAML document as stored in the image.
struct YamlDocument {
  YamlStatus status = YamlStatus::none;
  /// The parsed document (status ok); points into the image's shared state and
  /// stays valid as long as some ImageView copy of the image lives.
  const YamlView* view = nullptr;
  std::string_view error;  ///< why it could not be loaded (status error)
};

/// A validated, read-only view of an image. Cheap to copy; does not own the bytes.
class ImageView {
 public:
  static util::Result<ImageView> attach(const std::byte* data, std::size_t size);

  std::uint32_t entry_count() const { return m_entry_count; }
  const EntryRecord& entry(std::uint32_t index) const { return m_entries[index]; }
  std::string_view path(std::uint32_t index) const;
  std::string_view name(std::uint32_t index) const;
  std::string_view link_target(std::uint32_t index) const;
  /// Why the entry was not followed or read (k_flag_unreadable), else empty.
  std::string_view unreadable_reason(std::uint32_t index) const;
  std::string_view content(std::uint32_t index) const;
  std::string_view root_path() const;
  std::uint64_t max_file_size() const { return m_header->max_file_size; }
  std::size_t size() const { return m_size; }
  /// The image's first byte and its checksum: together with size(), what
  /// identifies one image for per-image caches (checks/contract cache).
  const std::byte* data() const { return m_base; }
  std::uint64_t checksum() const { return m_header->checksum; }

  /// The YAML document parsed for `index` while the image was built; status
  /// none when no rule asked for it (or it is not a loadable file).
  YamlDocument yaml(std::uint32_t index) const;
  /// Number of YAML records (parsed or failed documents).
  std::uint32_t yaml_count() const { return m_yaml_count; }

  /// The fused content scan: the id of the probe named `key`, if the scan ran it.
  std::optional<std::uint32_t> probe_id(std::uint64_t key) const;
  /// The value probe `id` had on file `index`, if the scan evaluated it there
  /// (the file has k_flag_text_scanned and the probe applied to it).
  std::optional<std::int32_t> probe_value(std::uint32_t index, std::uint32_t id) const;

  EntryKind kind(std::uint32_t index) const { return static_cast<EntryKind>(m_entries[index].kind); }
  /// The kind after following a symlink (Python's is_dir()/is_file()).
  EntryKind followed_kind(std::uint32_t index) const {
    return static_cast<EntryKind>(m_entries[index].target_kind);
  }
  bool is_dir_following_links(std::uint32_t index) const { return followed_kind(index) == EntryKind::directory; }
  bool is_file_following_links(std::uint32_t index) const { return followed_kind(index) == EntryKind::file; }
  /// Python's exists(): false for a dangling symlink.
  bool exists_following_links(std::uint32_t index) const { return followed_kind(index) != EntryKind::missing; }

  /// Children of a directory entry, sorted byte-wise by name.
  std::uint32_t first_child(std::uint32_t index) const { return m_entries[index].first_child; }
  std::uint32_t child_count(std::uint32_t index) const { return m_entries[index].child_count; }
  std::optional<std::uint32_t> find_child(std::uint32_t dir, std::string_view name) const;
  /// Resolves a '/'-separated path relative to `from` through recorded
  /// entries (symlinked directories have no recorded children).
  std::optional<std::uint32_t> lookup(std::uint32_t from, std::string_view relpath) const;

  /// Every entry but the root, in rglob order (image_format.hpp).
  const std::uint32_t* walk_order_begin() const { return m_walk_order; }
  const std::uint32_t* walk_order_end() const { return m_walk_order + m_walk_order_size; }

  /// The entries whose path `glob` matches, in rglob order. Hundreds of rules
  /// ask for the same few patterns; each pattern is matched against the tree
  /// once per image (per process), then shared by copies of this view.
  /// Thread-safe.
  const std::vector<std::uint32_t>& entries_matching(const util::Glob& glob) const;

 private:
  const std::byte* m_base = nullptr;
  std::size_t m_size = 0;
  const Header* m_header = nullptr;
  const EntryRecord* m_entries = nullptr;
  std::uint32_t m_entry_count = 0;
  const char* m_strings = nullptr;
  std::uint64_t m_strings_size = 0;
  const char* m_content = nullptr;
  std::uint64_t m_content_size = 0;
  const std::uint32_t* m_walk_order = nullptr;
  std::uint32_t m_walk_order_size = 0;
  const YamlRecord* m_yaml_records = nullptr;
  std::uint32_t m_yaml_count = 0;
  const std::byte* m_yaml_data = nullptr;
  const std::uint64_t* m_probe_keys = nullptr;
  std::uint32_t m_probe_count = 0;
  const std::uint32_t* m_probe_index = nullptr;  // null when the image has no scan results
  const ProbeResult* m_probe_results = nullptr;
  /// Attached (validated once) views of the ok blobs, by record index; shared
  /// by copies of this view.
  std::shared_ptr<const std::vector<std::optional<YamlView>>> m_yaml_views;
  struct GlobMemo;
  std::shared_ptr<GlobMemo> m_glob_memo;
};

/// An image in ordinary heap memory (sequential and thread modes, tests).
class HeapImage {
 public:
  static util::Result<HeapImage> build(const WalkTree& tree, TreeSource& source, const BuildOptions& options,
                                       BuildStats* stats = nullptr);
  const std::byte* data() const { return reinterpret_cast<const std::byte*>(m_words.get()); }
  std::size_t size() const { return m_size; }
  /// Attaches a view (validates; cannot fail for an image this class built
  /// unless memory was corrupted).
  util::Result<ImageView> view() const { return ImageView::attach(data(), m_size); }

 private:
  struct FreeWords {
    void operator()(std::uint64_t* words) const;
  };
  // calloc'd: large blocks come from the kernel already zeroed (no memset pass
  // over a 100+ MiB image), and uint64 storage keeps the records aligned.
  std::unique_ptr<std::uint64_t[], FreeWords> m_words;
  std::size_t m_size = 0;
};

}  // namespace sotcheck::snapshot
