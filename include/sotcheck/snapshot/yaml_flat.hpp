#pragma once
/// Repository YAML (charts, values, manifests, the SoT contract) parsed once, in the parent, with libyaml's
/// event API, and stored as a flat, pointer-free blob that lives inside the snapshot image. The blob holds
/// the value PyYAML's `yaml.safe_load` (YAML 1.1) would return (docs/catalog-format.md "Y", docs/reference-compatibility.md#rc-12), so rules that
/// reproduce the Python validator see `version: 1.0` as a float and `on:` as the bool True.
///
/// Blob grammar (integers in host byte order; a blob never leaves the machine that wrote it):
///
///   blob := YamlBlobHeader YamlNodeRecord[node_count] u32 slot[slot_count] byte pool[pool_size] pad-to-8
///
/// A node is a scalar, a sequence or a mapping. A sequence's elements are slot[first .. first+count); a
/// mapping's pairs are slot[first .. first+2*count) as key, value, key, value. A slot holds a node index.
/// An alias is not a node: its slot holds the anchored node's index, so one node may sit under many parents
/// and an alias bomb costs one slot per alias, not a copy. The graph is acyclic by construction and
/// checkably so: every child's height is lower than its parent's. A mapping is stored as the dict PyYAML
/// builds: merge keys (`<<`) applied, duplicate keys folded (first position, last value), keys compared with
/// Python's equality (`1`, `1.0` and `true` are one key).
///
/// Bump k_yaml_format_version on any change to these structs or their meaning.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "sotcheck/pyyaml/timestamp.hpp"
#include "sotcheck/util/result.hpp"

namespace sotcheck::snapshot {

inline constexpr char k_yaml_magic[8] = {'S', 'O', 'T', 'Y', 'A', 'M', 'L', '\x01'};
inline constexpr std::uint32_t k_yaml_format_version = 1;
/// The deepest nesting a blob may have. attach() enforces it so every recursive reader has a bounded stack.
inline constexpr std::uint32_t k_yaml_max_supported_depth = 1024;

/// What a node loads as in Python. `integer` covers Python ints of any size (see YamlView::is_bigint).
enum class YamlKind : std::uint8_t {
  null = 0,      ///< None
  boolean = 1,   ///< bool
  integer = 2,   ///< int
  floating = 3,  ///< float
  string = 4,    ///< str
  binary = 5,    ///< bytes (`!!binary`; the text is the decoded bytes)
  date = 6,      ///< datetime.date
  datetime = 7,  ///< datetime.datetime, naive or with a fixed UTC offset
  sequence = 8,  ///< list
  mapping = 9,   ///< dict
};

/// Node flags.
enum YamlNodeFlag : std::uint8_t {
  k_yaml_flag_plain = 1u << 0,   ///< the scalar was written plain (unquoted, not a block scalar)
  k_yaml_flag_bigint = 1u << 1,  ///< an integer outside int64: payload holds float(value), text the source
  k_yaml_flag_tz = 1u << 2,      ///< a datetime with a UTC offset (minutes in `small`)
};
inline constexpr std::uint8_t k_yaml_known_flags = k_yaml_flag_plain | k_yaml_flag_bigint | k_yaml_flag_tz;

struct YamlBlobHeader {
  char magic[8];
  std::uint32_t version;
  std::uint32_t header_size;       ///< sizeof(YamlBlobHeader)
  std::uint32_t node_record_size;  ///< sizeof(YamlNodeRecord)
  std::uint32_t node_count;
  std::uint32_t slot_count;
  std::uint32_t pool_size;
  std::uint32_t root;  ///< index of the document's node
  std::uint32_t reserved;
  std::uint64_t total_size;  ///< bytes in the blob, padding included
};

/// One node. Fields mean different things for scalars and collections, so read them through YamlView.
struct YamlNodeRecord {
  std::uint8_t kind;    ///< YamlKind
  std::uint8_t flags;   ///< YamlNodeFlag bits
  std::uint16_t small;  ///< datetime: UTC offset in minutes (int16 bits); collection: height; else 0
  std::uint32_t line;   ///< 1-based position of the node's first character in the source
  std::uint32_t column;
  std::uint32_t first;          ///< scalar: pool offset of its text; collection: first slot
  std::uint32_t count;          ///< scalar: text length; sequence: elements; mapping: pairs
  std::uint32_t logical_nodes;  ///< nodes in the subtree with every alias expanded, itself included
  std::uint64_t payload;        ///< scalar: typed value (see YamlView); collection: expanded text bytes below it
};

static_assert(std::is_trivially_copyable_v<YamlBlobHeader> && sizeof(YamlBlobHeader) == 48);
static_assert(std::is_trivially_copyable_v<YamlNodeRecord> && sizeof(YamlNodeRecord) == 32);

/// Bounds that keep hostile documents (docs/robustness.md: YAML bombs, deep nesting) cheap to reject.
struct YamlLimits {
  std::uint32_t max_depth = 512;                   ///< nesting of collections, counted through aliases
  std::uint64_t max_expanded_nodes = 1'000'000;    ///< nodes once every alias is expanded
  std::uint64_t max_expanded_bytes = 64ull << 20;  ///< scalar bytes once every alias is expanded
};

/// Parses `text` (UTF-8) as `yaml.safe_load` would and returns a self-contained blob for YamlView.
/// Exactly one document (an empty stream is the document `null`); anchors shared by reference; merge keys
/// and duplicate keys as SafeConstructor; tags !!str/int/float/bool/null/map/seq/timestamp/binary and the
/// non-specific `!`. Errors read "line L, column C: <problem>": syntax errors, invalid UTF-8, a second
/// document, an undefined or duplicate anchor, an unknown tag, an unconstructible value (`!!int abc`,
/// `2001-02-30`), and anything beyond `limits`. Also refused, where PyYAML would build an object sotcheck
/// has no kind for: recursive aliases and `!!set`/`!!omap`/`!!pairs`.
util::Result<std::vector<std::byte>> flatten_yaml(std::string_view text, const YamlLimits& limits = {});

/// Index of a node inside one blob.
using YamlNode = std::uint32_t;

/// Python's answer to `key in value`.
enum class YamlMembership : std::uint8_t {
  absent = 0,
  present = 1,
  type_error = 2,  ///< Python raises TypeError (None, numbers, dates, bytes)
};

/// A date and a datetime as Python's datetime module holds them: pyyaml's, which constructs them.
using YamlDate = pyyaml::Date;
using YamlDateTime = pyyaml::DateTime;

/// A validated, read-only view of one blob. Cheap to copy; does not own the bytes.
/// Every YamlNode argument must come from this view (root(), element(), key_at(), value_at(), find());
/// positional arguments must be below size(). With that, no accessor can read out of bounds.
class YamlView {
 public:
  /// Checks the header, every offset and index, the acyclic height order, the alias-expanded counts and
  /// the UTF-8 of every string, once; a corrupt or truncated blob is an error, never undefined behaviour.
  /// `data` must be 8-byte aligned.
  static util::Result<YamlView> attach(const std::byte* data, std::size_t size);

  YamlNode root() const { return m_header->root; }
  std::uint32_t node_count() const { return m_header->node_count; }

  YamlKind kind(YamlNode node) const { return static_cast<YamlKind>(m_nodes[node].kind); }
  bool is_mapping(YamlNode node) const { return kind(node) == YamlKind::mapping; }
  bool is_sequence(YamlNode node) const { return kind(node) == YamlKind::sequence; }
  bool is_scalar(YamlNode node) const { return kind(node) < YamlKind::sequence; }
  /// 1-based source position of the node (for an alias: of the anchored node).
  std::uint32_t line(YamlNode node) const { return m_nodes[node].line; }
  std::uint32_t column(YamlNode node) const { return m_nodes[node].column; }
  /// Nodes in the subtree with every alias expanded (what a Python walk would visit).
  std::uint32_t expanded_nodes(YamlNode node) const { return m_nodes[node].logical_nodes; }

  /// Elements of a sequence, pairs of a mapping, 0 for a scalar.
  std::uint32_t size(YamlNode node) const { return is_scalar(node) ? 0 : m_nodes[node].count; }
  /// Sequence element `index` (< size).
  YamlNode element(YamlNode sequence, std::uint32_t index) const { return m_slots[m_nodes[sequence].first + index]; }
  /// Key / value of mapping pair `index` (< size), in the dict's order.
  YamlNode key_at(YamlNode mapping, std::uint32_t index) const { return m_slots[m_nodes[mapping].first + 2 * index]; }
  YamlNode value_at(YamlNode mapping, std::uint32_t index) const {
    return m_slots[m_nodes[mapping].first + 2 * index + 1];
  }
  /// The value under the str key `key`, as Python's `d[key]`: non-str keys never match (`yes:` is True, `1:`
  /// is 1). Empty when absent or when `node` is not a mapping.
  std::optional<YamlNode> find(YamlNode node, std::string_view key) const;

  /// Scalar text: the source text (after YAML unescaping and folding) for every scalar kind, the decoded
  /// bytes for binary, "" for collections. `1.10` keeps "1.10" although the float is 1.1.
  std::string_view text(YamlNode node) const;
  bool is_plain(YamlNode node) const { return (m_nodes[node].flags & k_yaml_flag_plain) != 0; }

  /// Typed values; each is meaningful only for the kinds it names.
  bool as_bool(YamlNode node) const { return kind(node) == YamlKind::boolean && m_nodes[node].payload != 0; }
  /// An integer that fits int64; empty for other kinds and for big integers.
  std::optional<std::int64_t> as_int64(YamlNode node) const;
  bool is_bigint(YamlNode node) const { return (m_nodes[node].flags & k_yaml_flag_bigint) != 0; }
  /// `str(int(value))` for an integer of any size (bools as 0/1); "" for other kinds.
  std::string int_decimal(YamlNode node) const;
  /// Python's float(value) for bool, int (rounded; ±inf beyond double range) and float; empty otherwise.
  std::optional<double> as_number(YamlNode node) const;
  YamlDate date(YamlNode node) const;          ///< date or datetime
  YamlDateTime datetime(YamlNode node) const;  ///< datetime (a date reads as midnight, naive)

  /// Python's bool(value).
  bool truthy(YamlNode node) const;
  /// Python's `key in value`: mapping → str key test; list → equality with str elements; str → substring;
  /// anything else raises TypeError in Python.
  YamlMembership python_in(YamlNode node, std::string_view key) const;
  /// The TypeError text Python gives when python_in() is type_error, e.g.
  /// "argument of type 'NoneType' is not iterable"; "" otherwise.
  std::string python_in_error(YamlNode node) const;
  /// `str(type(value))`: "<class 'dict'>", "<class 'list'>", "<class 'str'>", "<class 'int'>", "<class 'float'>",
  /// "<class 'bool'>", "<class 'NoneType'>", "<class 'bytes'>", "<class 'datetime.date'>",
  /// "<class 'datetime.datetime'>".
  std::string_view python_type_name(YamlNode node) const;
  /// The strict profile's neutral type name (docs/reference-compatibility.md#rc-12): map, list, string, int, float, bool, null, date,
  /// datetime, bytes.
  std::string_view value_type_name(YamlNode node) const;
  /// Python's repr(value), e.g. "{'a': 1.0, 'b': [True, None], 'c': datetime.date(2001, 12, 14)}".
  std::string python_repr(YamlNode node) const;
  void append_python_repr(YamlNode node, std::string& out) const;
  /// Python's str(value): the text itself for str, isoformat with a space for datetimes, repr otherwise.
  std::string python_str(YamlNode node) const;
  /// JSON for evidence: dict → object (keys as json.dumps writes them: 1 → "1", True → "true"), list → array,
  /// bigints and dates/datetimes (ISO 8601) → strings, inf/nan → "Infinity"/"-Infinity"/"NaN" (as json.dumps
  /// writes them), bytes → their repr. Keys that collide as JSON text keep the first.
  nlohmann::ordered_json to_json(YamlNode node) const;

 private:
  YamlView() = default;

  const YamlBlobHeader* m_header = nullptr;
  const YamlNodeRecord* m_nodes = nullptr;
  const std::uint32_t* m_slots = nullptr;
  const char* m_pool = nullptr;
};

}  // namespace sotcheck::snapshot
