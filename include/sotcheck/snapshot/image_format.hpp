#pragma once
/// The snapshot image format: the repository as one flat, read-only,
/// pointer-free byte buffer that every executor (sequential, threads, worker
/// processes) evaluates. It is written once by ImageBuilder and read through
/// ImageView, which checks every offset when it attaches.
///
/// Grammar (all integers little-endian, as the host writes them; the image is
/// never shared across machines):
///
///   image    := Header SectionEntry[section_count] section*
///   section  := ENTRIES: EntryRecord[entry_count]          (breadth-first order)
///             | STRINGS: bytes                              (paths, link targets, unreadable reasons)
///             | CONTENT: bytes                              (loaded file contents)
///             | WALK_ORDER: u32[entry_count - 1]            (entries in rglob order, see below)
///             | YAML_INDEX: YamlRecord[yaml_count]          (parsed YAML documents, by entry)
///             | YAML_DATA: bytes                            (flat YAML blobs and parse error texts)
///             | PROBE_KEYS: u64[probe_count]                (fused content scan: probe identities, ascending)
///             | PROBE_INDEX: u32[entry_count + 1] or empty  (entry i's results: [index[i], index[i+1]))
///             | PROBE_RESULTS: ProbeResult[index[entry_count]]
///
/// Entry 0 is the repository root. The children of a directory are contiguous
/// (first_child .. first_child+child_count-1) and sorted byte-wise by name, so
/// lookups are binary searches and iteration order is deterministic.
/// WALK_ORDER is the order Python's rglob yields entries, made deterministic:
/// directories are visited in sorted pre-order, and each visited directory
/// yields all its (sorted) children before any subdirectory is visited. "First
/// N" samples are taken in this order.
/// YAML_INDEX holds one record per file some rule reads as YAML, sorted by
/// entry index (binary search). The document was parsed once, while the image
/// was built (docs/ARCHITECTURE.md): an `ok` record points at a flat blob in YAML_DATA
/// (yaml_flat.hpp; 8-byte aligned, validated at attach), an `error` record at
/// the UTF-8 text of why it could not be loaded (decode error, YAML error,
/// read error, size cap). Files nobody reads as YAML have no record.
/// PROBE_*: the fused content scan (docs/ARCHITECTURE.md). While the image is built,
/// every loaded file is decoded once and every content predicate of every
/// selected rule that may read it (a "probe") is evaluated on it; a check then
/// looks its value up instead of scanning the text again. A probe is named by
/// a 64-bit key its check derives from the predicate's text, so the parent and
/// the workers agree on it without sharing pointers. Results of one entry are
/// sorted by probe id (the index into PROBE_KEYS). Empty sections: no scan.
/// Bump k_image_version on any change to these structs or their meaning.

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace sotcheck::snapshot {

inline constexpr char k_image_magic[8] = {'S', 'O', 'T', 'I', 'M', 'G', '\0', '\x01'};
inline constexpr std::uint32_t k_image_version = 4;

enum class EntryKind : std::uint8_t {
  missing = 0,  ///< only as a symlink's target kind: the link dangles
  directory = 1,
  file = 2,
  symlink = 3,
  fifo = 4,
  socket = 5,
  char_device = 6,
  block_device = 7,
  unknown = 8,
};

/// Per-entry flags.
enum EntryFlag : std::uint16_t {
  k_flag_content_loaded = 1u << 0,   ///< CONTENT holds the file's bytes
  k_flag_too_large = 1u << 1,        ///< larger than --max-file-size: recorded, not loaded
  k_flag_read_error = 1u << 2,       ///< open/read failed; `error` holds errno
  k_flag_changed = 1u << 3,          ///< size changed between stat and read
  k_flag_dir_unreadable = 1u << 4,   ///< directory could not be listed; `error` holds errno
  k_flag_not_descended = 1u << 5,    ///< directory deliberately not entered (e.g. .git in strict)
  k_flag_loop = 1u << 6,             ///< directory already seen (bind-mount loop): not entered
  k_flag_vanished = 1u << 7,         ///< listed, then gone before it could be examined
  k_flag_text_scanned = 1u << 8,     ///< the fused content scan ran on this file (PROBE_RESULTS hold its values)
  k_flag_text_not_utf8 = 1u << 9,    ///< scanned, and the bytes are not well-formed UTF-8
  k_flag_unreadable = 1u << 10,      ///< deliberately not followed or read (a symlink out of the tree); reason_* says why
};

enum class SectionKind : std::uint32_t {
  entries = 1,
  strings = 2,
  content = 3,
  walk_order = 4,
  yaml_index = 5,
  yaml_data = 6,
  probe_keys = 7,
  probe_index = 8,
  probe_results = 9,
};
/// Every image has one section of each kind, in the order above.
inline constexpr std::uint32_t k_section_count = 9;

/// What became of a file some rule reads as YAML.
enum class YamlStatus : std::uint32_t {
  none = 0,   ///< not parsed (no rule asked, or not a loadable file); never stored in a record
  ok = 1,     ///< parsed; the record's bytes are a yaml_flat blob
  error = 2,  ///< could not be loaded; the record's bytes are the reason (UTF-8 text)
};

struct Header {
  char magic[8];
  std::uint32_t version;
  std::uint32_t header_size;       ///< sizeof(Header)
  std::uint64_t total_size;        ///< bytes in the whole image
  std::uint64_t checksum;          ///< XXH3-64 of bytes [header_size, total_size)
  std::uint32_t section_count;
  std::uint32_t entry_count;
  std::uint32_t entry_record_size; ///< sizeof(EntryRecord)
  std::uint32_t root_path_len;     ///< absolute repository root, at STRINGS offset 0
  std::uint64_t max_file_size;     ///< the cap the builder applied
  std::uint64_t reserved;
};

struct SectionEntry {
  std::uint32_t kind;  ///< SectionKind
  std::uint32_t reserved;
  std::uint64_t offset;  ///< from the start of the image
  std::uint64_t size;
};

struct EntryRecord {
  std::uint32_t path_offset;  ///< STRINGS: path relative to the root ('/'-separated, "" for the root)
  std::uint32_t path_length;
  std::uint32_t name_length;  ///< the name is the last name_length bytes of the path
  std::uint32_t parent;       ///< index of the parent directory (0 for the root itself)
  std::uint32_t first_child;
  std::uint32_t child_count;
  std::uint8_t kind;          ///< EntryKind of the entry itself (lstat)
  std::uint8_t target_kind;   ///< for symlinks: EntryKind of what it points to (stat), else == kind
  std::uint16_t flags;        ///< EntryFlag bits
  std::int32_t error;         ///< errno of the failure the flags describe, else 0
  std::uint64_t size;         ///< st_size (of the target for symlinks)
  std::uint64_t content_offset;  ///< CONTENT: loaded bytes
  std::uint64_t content_length;
  std::uint32_t link_offset;  ///< STRINGS: symlink target text
  std::uint32_t link_length;
  std::uint32_t reason_offset;  ///< STRINGS: why the entry is unreadable (k_flag_unreadable), else empty
  std::uint32_t reason_length;
};

struct YamlRecord {
  std::uint32_t entry;   ///< the file's entry index
  std::uint32_t status;  ///< YamlStatus (ok or error)
  std::uint64_t offset;  ///< from the start of YAML_DATA (8-byte aligned for blobs)
  std::uint64_t length;
};

/// One probe's value on one file (a boolean 0/1, or e.g. the index of the first matching regex, -1 for none).
struct ProbeResult {
  std::uint32_t probe;  ///< index into PROBE_KEYS
  std::int32_t value;
};

static_assert(std::is_trivially_copyable_v<ProbeResult> && sizeof(ProbeResult) == 8);
static_assert(std::is_trivially_copyable_v<Header> && sizeof(Header) == 64);
static_assert(std::is_trivially_copyable_v<SectionEntry> && sizeof(SectionEntry) == 24);
static_assert(std::is_trivially_copyable_v<EntryRecord> && sizeof(EntryRecord) == 72);
static_assert(std::is_trivially_copyable_v<YamlRecord> && sizeof(YamlRecord) == 24);

}  // namespace sotcheck::snapshot
