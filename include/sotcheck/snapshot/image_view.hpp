#pragma once
/// Reading the snapshot image (format: image_format.hpp): what checks see.
///
/// ImageView is the only way to read an image: attach() validates the header,
/// the checksum and every offset, after which every accessor is in bounds by
/// construction. Building an image (the walk, the tree source) is
/// image_build.hpp; a reader never needs it.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "sotcheck/snapshot/image_format.hpp"
#include "sotcheck/snapshot/yaml_flat.hpp"
#include "sotcheck/util/glob.hpp"
#include "sotcheck/util/result.hpp"

namespace sotcheck::snapshot {

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
  /// Thread-safe: a thread asking while another matches the same pattern
  /// waits for that one's list.
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
  /// entries_matching's work, once the memo's name and extension index exists.
  std::vector<std::uint32_t> match_indexed(const util::Glob& glob) const;
};

}  // namespace sotcheck::snapshot
