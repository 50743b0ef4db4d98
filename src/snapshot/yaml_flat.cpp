// The flattener: libyaml events straight into blob records (yaml_flat.hpp), no intermediate tree. What each
// scalar means in Python comes from the pyyaml module; this file owns the document's shape: anchors and
// aliases, merge keys and dict folding, the limits, PyYAML's stricter scanner rules, and the blob's bytes.

#include "sotcheck/snapshot/yaml_flat.hpp"

#include <yaml.h>

#include <algorithm>
#include <bit>
#include <cstdio>
#include <cstring>
#include <limits>
#include <new>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>

#include "sotcheck/pyyaml/base64.hpp"
#include "sotcheck/pyyaml/bool_constructor.hpp"
#include "sotcheck/pyyaml/error_quote.hpp"
#include "sotcheck/pyyaml/float_constructor.hpp"
#include "sotcheck/pyyaml/int_constructor.hpp"
#include "sotcheck/pyyaml/key_equality.hpp"
#include "sotcheck/pyyaml/scalar_resolver.hpp"
#include "sotcheck/pyyaml/tags.hpp"
#include "sotcheck/pyyaml/timestamp.hpp"
#include "yaml_flat_records.hpp"

namespace sotcheck::snapshot {
namespace {

using pyyaml::Implicit;
using pyyaml::Tag;
using namespace yaml_records;

std::string at(std::uint32_t line, std::uint32_t column, std::string_view message) {
  return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + std::string(message);
}

std::uint32_t clamp_u32(std::size_t v) {
  return v > std::numeric_limits<std::uint32_t>::max() ? std::numeric_limits<std::uint32_t>::max()
                                                       : static_cast<std::uint32_t>(v);
}

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/// PyYAML's node id ("scalar", "sequence", "mapping") used in its messages.
std::string_view node_id(const YamlNodeRecord& r) {
  if (r.kind == static_cast<std::uint8_t>(YamlKind::sequence)) return "sequence";
  if (r.kind == static_cast<std::uint8_t>(YamlKind::mapping)) return "mapping";
  return "scalar";
}

/// Builder-only facts about a node, never stored in the blob.
enum BuildMark : std::uint8_t {
  k_mark_open = 1u << 0,   ///< a collection whose end event has not come yet
  k_mark_merge = 1u << 1,  ///< a scalar tagged tag:yaml.org,2002:merge (`<<`)
  k_mark_value = 1u << 2,  ///< a scalar tagged tag:yaml.org,2002:value (`=`)
  k_mark_key = 1u << 3,    ///< used as a mapping key somewhere
};

struct Frame {
  YamlNode node;
  std::uint32_t pending_start;  ///< where this collection's children begin in m_pending
  bool mapping;
  bool flow;  ///< written as [...] or {...}
};

/// Where a scalar's content begins: libyaml's start mark includes the node's anchor and tag, and PyYAML
/// treats whitespace after those like any other separator.
std::size_t content_start(std::string_view text, std::size_t index) {
  std::size_t p = std::min(index, text.size());
  while (p < text.size()) {
    const char c = text[p];
    if (c == '&' || c == '!') {
      while (p < text.size() && !is_ascii_space(text[p])) ++p;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++p;
    } else if (c == '#') {
      while (p < text.size() && text[p] != '\n') ++p;
    } else {
      break;
    }
  }
  return p;
}

class Flattener {
 public:
  /// Parses one stream; the result's vectors are this object's scratch, reused across calls on one thread.
  util::Result<std::vector<std::byte>> run(std::string_view text, const YamlLimits& limits);
  /// Frees scratch grown by an unusually large document, so one big file does not pin its memory per thread.
  void release_if_large();

 private:
  bool handle(const yaml_event_t& event);
  bool on_document_start(const yaml_event_t& event);
  bool on_scalar(const yaml_event_t& event);
  bool on_collection_start(const yaml_event_t& event, bool mapping);
  bool on_collection_end();
  bool on_alias(const yaml_event_t& event);
  bool add_child(YamlNode node);
  bool register_anchor(const yaml_char_t* anchor, YamlNode node, const yaml_mark_t& mark);
  bool count_expansion(std::uint64_t nodes, std::uint64_t bytes, const yaml_mark_t& mark);
  YamlNode new_node(YamlKind kind, const yaml_mark_t& mark);
  bool store_text(YamlNodeRecord& record, std::string_view text);
  void construct_scalar(YamlNode node, Tag tag, std::string_view tag_text, std::string_view text);
  void fold_mapping(const Frame& frame);
  bool keys_equal(YamlNode a, YamlNode b) const;
  pyyaml::KeyScalar key_scalar(const YamlNodeRecord& r) const;
  std::string_view text_of(const YamlNodeRecord& r) const { return {m_pool.data() + r.first, r.count}; }
  void defer(const YamlNodeRecord& where, std::string_view message);
  bool fail(const yaml_mark_t& mark, std::string_view message);
  util::Result<std::vector<std::byte>> assemble() const;
  std::string check_tabs(std::string_view text) const;

  const YamlLimits* m_limits = nullptr;
  std::string_view m_text;
  std::vector<YamlNodeRecord> m_nodes;
  std::vector<std::uint8_t> m_marks;  ///< BuildMark bits per node
  std::vector<std::uint32_t> m_slots;
  std::string m_pool;
  std::vector<std::uint32_t> m_pending;  ///< children of the open collections, innermost last
  std::vector<Frame> m_stack;
  std::unordered_map<std::string, YamlNode> m_anchors;
  std::vector<std::uint32_t> m_merged;    ///< fold_mapping scratch: pairs contributed by merge keys
  std::vector<std::uint32_t> m_combined;  ///< fold_mapping scratch: merged pairs, then the mapping's own
  std::vector<std::uint32_t> m_folded;    ///< fold_mapping scratch: the dict's pairs
  std::unordered_map<std::string_view, std::uint32_t> m_key_index;  ///< fold_mapping scratch for big dicts
  std::vector<YamlNode> m_value_uses;  ///< `=` scalars met outside key position
  /// Source byte ranges of scalars (content only, without anchor or tag), kept only when the text has a tab:
  /// quoted and block scalars may hold tabs, and no scalar holds a comment (check_tabs).
  std::vector<std::pair<std::size_t, std::size_t>> m_tab_safe_ranges;
  std::vector<std::pair<std::size_t, std::size_t>> m_scalar_ranges;
  bool m_track_tabs = false;
  std::size_t m_stopped_at = std::string_view::npos;  ///< source offset of the error that stopped the parse
  std::uint64_t m_expanded_nodes = 0;
  bool m_used_alias = false;  ///< the document expanded at least one alias
  std::uint64_t m_expanded_bytes = 0;
  std::uint32_t m_documents = 0;
  std::uint32_t m_flow_depth = 0;  ///< open flow collections
  YamlNode m_root = 0;
  bool m_has_root = false;
  std::string m_error;     ///< the error that stops the parse
  std::string m_deferred;  ///< the first construction error: PyYAML reports it only after composing
};

bool Flattener::fail(const yaml_mark_t& mark, std::string_view message) {
  m_stopped_at = mark.index;
  m_error = at(clamp_u32(mark.line + 1), clamp_u32(mark.column + 1), message);
  return false;
}

void Flattener::defer(const YamlNodeRecord& where, std::string_view message) {
  if (m_deferred.empty()) m_deferred = at(where.line, where.column, message);
}

YamlNode Flattener::new_node(YamlKind kind, const yaml_mark_t& mark) {
  YamlNodeRecord r{};
  r.kind = static_cast<std::uint8_t>(kind);
  r.line = clamp_u32(mark.line + 1);
  r.column = clamp_u32(mark.column + 1);
  r.logical_nodes = 1;
  m_nodes.push_back(r);
  m_marks.push_back(0);
  return static_cast<YamlNode>(m_nodes.size() - 1);
}

bool Flattener::store_text(YamlNodeRecord& record, std::string_view text) {
  if (m_pool.size() + text.size() > std::numeric_limits<std::uint32_t>::max()) return false;
  record.first = static_cast<std::uint32_t>(m_pool.size());
  record.count = static_cast<std::uint32_t>(text.size());
  m_pool.append(text);
  return true;
}

bool Flattener::register_anchor(const yaml_char_t* anchor, YamlNode node, const yaml_mark_t& mark) {
  if (anchor == nullptr) return true;
  const auto [it, inserted] = m_anchors.try_emplace(reinterpret_cast<const char*>(anchor), node);
  if (!inserted) {
    const YamlNodeRecord& first = m_nodes[it->second];
    return fail(mark, "found duplicate anchor '" + it->first + "'; first occurrence at line " +
                          std::to_string(first.line) + ", column " + std::to_string(first.column));
  }
  return true;
}

bool Flattener::count_expansion(std::uint64_t nodes, std::uint64_t bytes, const yaml_mark_t& mark) {
  m_expanded_nodes = saturating_add(m_expanded_nodes, nodes);
  m_expanded_bytes = saturating_add(m_expanded_bytes, bytes);
  const bool too_many_nodes = m_expanded_nodes > m_limits->max_expanded_nodes;
  if (!too_many_nodes && m_expanded_bytes <= m_limits->max_expanded_bytes) return true;  // every node comes here
  // Only a document that used an alias is suspected of being an alias bomb.
  const std::string verb = m_used_alias ? "the document expands to more than " : "the document has more than ";
  const std::string how = m_used_alias ? " through its aliases (an alias bomb?)" : "";
  if (too_many_nodes) return fail(mark, verb + std::to_string(m_limits->max_expanded_nodes) + " nodes" + how);
  return fail(mark, verb + std::to_string(m_limits->max_expanded_bytes) + " bytes of scalars" + how);
}

bool Flattener::add_child(YamlNode node) {
  const bool as_key =
      !m_stack.empty() && m_stack.back().mapping && (m_pending.size() - m_stack.back().pending_start) % 2 == 0;
  // `<<` and `=` mean something only as mapping keys; anywhere else PyYAML finds no constructor for them.
  // PyYAML's flatten_mapping retags a `=` key as str in place, so an anchored `=` that also serves as a key
  // loads as '=' where it is a value too (in PyYAML only if that mapping is flattened first; sotcheck does
  // not model construction order and accepts it): those errors wait for the end of the document.
  if (as_key) {
    m_marks[node] |= k_mark_key;
  } else if ((m_marks[node] & k_mark_merge) != 0) {
    defer(m_nodes[node], pyyaml::no_constructor("tag:yaml.org,2002:merge"));
  } else if ((m_marks[node] & k_mark_value) != 0) {
    m_value_uses.push_back(node);
  }
  if (m_stack.empty()) {
    m_root = node;
    m_has_root = true;
    return true;
  }
  m_pending.push_back(node);
  return true;
}

void Flattener::construct_scalar(YamlNode node, Tag tag, std::string_view tag_text, std::string_view text) {
  YamlNodeRecord& r = m_nodes[node];
  auto set_kind = [&](YamlKind k) { r.kind = static_cast<std::uint8_t>(k); };
  std::string error;
  switch (tag) {
    case Tag::str:
      set_kind(YamlKind::string);
      break;
    case Tag::null:
      set_kind(YamlKind::null);
      break;
    case Tag::boolean: {
      bool value = false;
      set_kind(YamlKind::string);
      if (!pyyaml::construct_bool(text, value, error)) {
        defer(r, error);
        break;
      }
      set_kind(YamlKind::boolean);
      r.payload = value ? 1 : 0;
      break;
    }
    case Tag::integer: {
      pyyaml::IntValue v;
      set_kind(YamlKind::string);
      if (!pyyaml::construct_int(text, v, error)) {
        defer(r, error);
        break;
      }
      set_kind(YamlKind::integer);
      if (v.big) {
        r.flags |= k_yaml_flag_bigint;
        r.payload = std::bit_cast<std::uint64_t>(pyyaml::decimal_to_double(v.value.decimal()));
      } else {
        r.payload = std::bit_cast<std::uint64_t>(v.small);
      }
      break;
    }
    case Tag::floating: {
      double d = 0;
      set_kind(YamlKind::string);
      if (!pyyaml::construct_float(text, d, error)) {
        defer(r, error);
        break;
      }
      set_kind(YamlKind::floating);
      r.payload = std::bit_cast<std::uint64_t>(d);
      break;
    }
    case Tag::timestamp: {
      pyyaml::Timestamp t;
      set_kind(YamlKind::string);
      if (!pyyaml::match_timestamp(text, t)) {
        defer(r, "could not construct a timestamp from " + pyyaml::quote_for_error(text));
        break;
      }
      if (const std::string range = pyyaml::timestamp_range_error(t.value, t.has_time); !range.empty()) {
        defer(r, range);
        break;
      }
      set_kind(t.has_time ? YamlKind::datetime : YamlKind::date);
      r.payload = pack_timestamp(t.value);
      if (t.value.utc_offset_minutes) {
        r.flags |= k_yaml_flag_tz;
        r.small = std::bit_cast<std::uint16_t>(static_cast<std::int16_t>(*t.value.utc_offset_minutes));
      }
      break;
    }
    case Tag::binary: {
      set_kind(YamlKind::binary);
      std::string bytes;
      if (!pyyaml::decode_base64(text, bytes, error)) {
        set_kind(YamlKind::string);
        defer(r, error);
        break;
      }
      // The text of a binary node is its bytes: Python keeps nothing else. The pool already holds the
      // source text at r.first, and the decoded bytes are never longer, so they overwrite it in place.
      std::memcpy(m_pool.data() + r.first, bytes.data(), bytes.size());
      m_pool.resize(r.first + bytes.size());
      r.count = static_cast<std::uint32_t>(bytes.size());
      break;
    }
    case Tag::merge:
      set_kind(YamlKind::string);
      m_marks[node] |= k_mark_merge;
      break;
    case Tag::value:
      set_kind(YamlKind::string);
      m_marks[node] |= k_mark_value;
      break;
    case Tag::map:
    case Tag::seq:
      set_kind(YamlKind::string);
      defer(r, tag == Tag::map ? "expected a mapping node, but found scalar"
                               : "expected a sequence node, but found scalar");
      break;
    case Tag::set:
    case Tag::omap:
    case Tag::pairs:
      set_kind(YamlKind::string);
      defer(r, pyyaml::unsupported_tag(tag_text));
      break;
    case Tag::unknown:
      set_kind(YamlKind::string);
      defer(r, pyyaml::no_constructor(tag_text));
      break;
  }
}

bool Flattener::on_scalar(const yaml_event_t& event) {
  const auto& s = event.data.scalar;
  const std::string_view text(reinterpret_cast<const char*>(s.value), s.length);
  const YamlNode node = new_node(YamlKind::string, event.start_mark);
  if (!register_anchor(s.anchor, node, event.start_mark)) return false;
  if (!count_expansion(1, text.size(), event.start_mark)) return false;
  if (!store_text(m_nodes[node], text)) return fail(event.start_mark, "document too large");
  if (s.style == YAML_PLAIN_SCALAR_STYLE) m_nodes[node].flags |= k_yaml_flag_plain;
  // Inside [...] or {...} PyYAML's scanner ends a plain scalar at '?' and then meets a KEY token its parser
  // never accepts there ("[http://x/?q=1]" fails in PyYAML); libyaml keeps the '?' in the scalar.
  if (s.style == YAML_PLAIN_SCALAR_STYLE && m_flow_depth > 0 && text.find('?') != std::string_view::npos)
    return fail(event.start_mark,
                "found '?' inside a plain scalar in a flow collection (PyYAML ends the scalar there and "
                "rejects the '?'; quote the scalar)");
  if (m_track_tabs) {
    const std::pair range{content_start(m_text, event.start_mark.index), event.end_mark.index};
    m_scalar_ranges.push_back(range);
    if (s.style != YAML_PLAIN_SCALAR_STYLE) m_tab_safe_ranges.push_back(range);
  }
  // PyYAML runs its implicit resolver on an untagged plain scalar and on any scalar tagged with the
  // non-specific `!` (libyaml flags the first as plain_implicit, the second only when it has content, so
  // the tag is tested too); an untagged quoted scalar is a str; anything else carries an explicit tag.
  const std::string_view tag_text = s.tag != nullptr ? reinterpret_cast<const char*>(s.tag) : "";
  Tag tag = Tag::str;
  if (s.plain_implicit != 0 || tag_text == "!") {
    const Implicit resolved = pyyaml::resolve_implicit(text);
    tag = pyyaml::tag_of_implicit(resolved);
    construct_scalar(node, tag, resolved == Implicit::yaml ? "tag:yaml.org,2002:yaml" : "", text);
  } else if (s.tag != nullptr) {
    tag = pyyaml::classify_tag(tag_text);
    construct_scalar(node, tag, tag_text, text);
  } else {
    construct_scalar(node, Tag::str, "", text);
  }
  return add_child(node);
}

bool Flattener::on_collection_start(const yaml_event_t& event, bool mapping) {
  if (m_stack.size() + 1 > m_limits->max_depth)
    return fail(event.start_mark, "nesting deeper than " + std::to_string(m_limits->max_depth) + " levels");
  const YamlNode node = new_node(mapping ? YamlKind::mapping : YamlKind::sequence, event.start_mark);
  const yaml_char_t* anchor = mapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor;
  const yaml_char_t* raw_tag = mapping ? event.data.mapping_start.tag : event.data.sequence_start.tag;
  if (!register_anchor(anchor, node, event.start_mark)) return false;
  if (!count_expansion(1, 0, event.start_mark)) return false;
  m_marks[node] |= k_mark_open;
  const std::string_view tag_text = raw_tag != nullptr ? reinterpret_cast<const char*>(raw_tag) : "";
  if (!tag_text.empty() && tag_text != "!") {
    const std::string_view found = mapping ? "mapping" : "sequence";
    switch (pyyaml::classify_tag(tag_text)) {
      case Tag::map:
        if (!mapping) defer(m_nodes[node], "expected a mapping node, but found sequence");
        break;
      case Tag::seq:
        if (mapping) defer(m_nodes[node], "expected a sequence node, but found mapping");
        break;
      case Tag::str:
      case Tag::null:
      case Tag::boolean:
      case Tag::integer:
      case Tag::floating:
      case Tag::timestamp:
      case Tag::binary:
        defer(m_nodes[node], "expected a scalar node, but found " + std::string(found));
        break;
      case Tag::set:
      case Tag::omap:
      case Tag::pairs:
        defer(m_nodes[node], pyyaml::unsupported_tag(tag_text));
        break;
      case Tag::merge:
      case Tag::value:
      case Tag::unknown:
        defer(m_nodes[node], pyyaml::no_constructor(tag_text));
        break;
    }
  }
  const bool flow = mapping ? event.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                            : event.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
  m_flow_depth += flow ? 1 : 0;
  m_stack.push_back(Frame{node, static_cast<std::uint32_t>(m_pending.size()), mapping, flow});
  return true;
}

/// What Python's `==` sees of a scalar record.
pyyaml::KeyScalar Flattener::key_scalar(const YamlNodeRecord& r) const {
  using Type = pyyaml::KeyScalar::Type;
  pyyaml::KeyScalar k;
  k.text = text_of(r);
  switch (static_cast<YamlKind>(r.kind)) {
    case YamlKind::null:
      k.type = Type::none;
      break;
    case YamlKind::boolean:
      k.type = Type::boolean;
      k.integer = r.payload != 0 ? 1 : 0;
      break;
    case YamlKind::integer:
      k.type = Type::integer;
      k.big = (r.flags & k_yaml_flag_bigint) != 0;
      if (!k.big) k.integer = std::bit_cast<std::int64_t>(r.payload);
      break;
    case YamlKind::floating:
      k.type = Type::floating;
      k.floating = std::bit_cast<double>(r.payload);
      break;
    case YamlKind::string:
      k.type = Type::string;
      break;
    case YamlKind::binary:
      k.type = Type::bytes;
      break;
    case YamlKind::date:
    case YamlKind::datetime:
      k.type = r.kind == static_cast<std::uint8_t>(YamlKind::date) ? Type::date : Type::datetime;
      k.datetime = datetime_of(r);
      break;
    case YamlKind::sequence:
    case YamlKind::mapping:
      break;  // never keys: fold_mapping refuses them as unhashable first
  }
  return k;
}

bool Flattener::keys_equal(YamlNode a, YamlNode b) const {
  if (a == b) return true;  // Python's dict checks identity first: an aliased NaN key is one key
  const YamlNodeRecord& ra = m_nodes[a];
  const YamlNodeRecord& rb = m_nodes[b];
  // Nearly every key is a str: those compare by text alone.
  const auto string_kind = static_cast<std::uint8_t>(YamlKind::string);
  if (ra.kind == string_kind && rb.kind == string_kind) return text_of(ra) == text_of(rb);
  return pyyaml::python_keys_equal(key_scalar(ra), key_scalar(rb));
}

/// Builds the dict PyYAML's SafeConstructor builds: flatten_mapping puts the pairs of every merge source
/// first (the mappings of a merge sequence in reverse order), then the mapping's own pairs; dict assignment
/// then keeps each key at its first position with its last value. Merge sources are already folded dicts,
/// which gives the same result as PyYAML's unfolded pair lists.
void Flattener::fold_mapping(const Frame& frame) {
  YamlNodeRecord& self = m_nodes[frame.node];
  const std::uint32_t* pairs = m_pending.data() + frame.pending_start;
  const std::size_t pair_count = (m_pending.size() - frame.pending_start) / 2;
  bool has_merge = false;
  for (std::size_t i = 0; i < pair_count; ++i) has_merge |= (m_marks[pairs[2 * i]] & k_mark_merge) != 0;

  const std::uint32_t* source = pairs;
  std::size_t source_pairs = pair_count;
  if (has_merge) {
    m_merged.clear();
    m_combined.clear();
    const auto append_pairs_of = [&](const YamlNodeRecord& m) {
      m_merged.insert(m_merged.end(), m_slots.begin() + m.first, m_slots.begin() + m.first + 2 * m.count);
    };
    for (std::size_t i = 0; i < pair_count; ++i) {
      const YamlNode key = pairs[2 * i];
      const YamlNode value = pairs[2 * i + 1];
      if ((m_marks[key] & k_mark_merge) == 0) {
        m_combined.push_back(key);
        m_combined.push_back(value);
        continue;
      }
      const YamlNodeRecord& v = m_nodes[value];
      if (v.kind == static_cast<std::uint8_t>(YamlKind::mapping)) {
        append_pairs_of(v);
      } else if (v.kind == static_cast<std::uint8_t>(YamlKind::sequence)) {
        for (std::uint32_t e = v.count; e-- > 0;) {
          const YamlNodeRecord& element = m_nodes[m_slots[v.first + e]];
          if (element.kind == static_cast<std::uint8_t>(YamlKind::mapping)) {
            append_pairs_of(element);
          } else {
            defer(element, "while constructing a mapping (line " + std::to_string(self.line) +
                               "): expected a mapping for merging, but found " + std::string(node_id(element)));
          }
        }
      } else {
        defer(v, "while constructing a mapping (line " + std::to_string(self.line) +
                     "): expected a mapping or list of mappings for merging, but found " + std::string(node_id(v)));
      }
    }
    m_merged.insert(m_merged.end(), m_combined.begin(), m_combined.end());
    source = m_merged.data();
    source_pairs = m_merged.size() / 2;
  }

  // Fold. String keys, nearly all of them, compare by text (through a hash index for big mappings); the
  // rare other keys compare with Python's cross-type equality against the other non-string keys.
  m_folded.clear();
  const bool use_index = source_pairs > 16;
  if (use_index) m_key_index.clear();
  for (std::size_t i = 0; i < source_pairs; ++i) {
    const YamlNode key = source[2 * i];
    const YamlNode value = source[2 * i + 1];
    const YamlNodeRecord& k = m_nodes[key];
    if (is_collection(k)) {
      defer(k, "while constructing a mapping (line " + std::to_string(self.line) + "): found unhashable key");
      continue;
    }
    const bool is_string = k.kind == static_cast<std::uint8_t>(YamlKind::string);
    std::uint32_t found = std::numeric_limits<std::uint32_t>::max();
    if (is_string && use_index) {
      if (const auto it = m_key_index.find(text_of(k)); it != m_key_index.end()) found = it->second;
    } else {
      for (std::uint32_t j = 0; j < m_folded.size() / 2; ++j) {
        const YamlNodeRecord& other = m_nodes[m_folded[2 * j]];
        if ((other.kind == static_cast<std::uint8_t>(YamlKind::string)) != is_string) continue;
        if (keys_equal(key, m_folded[2 * j])) {
          found = j;
          break;
        }
      }
    }
    if (found != std::numeric_limits<std::uint32_t>::max()) {
      m_folded[2 * found + 1] = value;
      continue;
    }
    if (is_string && use_index) m_key_index.emplace(text_of(k), static_cast<std::uint32_t>(m_folded.size() / 2));
    m_folded.push_back(key);
    m_folded.push_back(value);
  }
  self.first = static_cast<std::uint32_t>(m_slots.size());
  self.count = static_cast<std::uint32_t>(m_folded.size() / 2);
  m_slots.insert(m_slots.end(), m_folded.begin(), m_folded.end());
}

bool Flattener::on_collection_end() {
  const Frame frame = m_stack.back();
  m_stack.pop_back();
  m_flow_depth -= frame.flow ? 1 : 0;
  if (frame.mapping) {
    fold_mapping(frame);
  } else {
    YamlNodeRecord& self = m_nodes[frame.node];
    self.first = static_cast<std::uint32_t>(m_slots.size());
    self.count = static_cast<std::uint32_t>(m_pending.size() - frame.pending_start);
    m_slots.insert(m_slots.end(), m_pending.begin() + frame.pending_start, m_pending.end());
  }
  m_pending.resize(frame.pending_start);
  YamlNodeRecord& self = m_nodes[frame.node];
  const std::size_t slot_count =
      self.kind == static_cast<std::uint8_t>(YamlKind::mapping) ? 2 * self.count : self.count;
  std::uint32_t height = 0;
  std::uint64_t nodes = 1;
  std::uint64_t bytes = 0;
  for (std::size_t i = self.first; i < self.first + slot_count; ++i) {
    const YamlNodeRecord& child = m_nodes[m_slots[i]];
    height = std::max(height, height_of(child));
    nodes += child.logical_nodes;
    bytes = saturating_add(bytes, expanded_bytes_of(child));
  }
  // The running totals were checked against the limits as events arrived and bound these sums from above
  // (a folded dict keeps a subset of what was counted), so they fit.
  self.small = static_cast<std::uint16_t>(height + 1);
  self.logical_nodes = clamp_u32(nodes);
  self.payload = bytes;
  m_marks[frame.node] &= static_cast<std::uint8_t>(~k_mark_open);
  return add_child(frame.node);
}

bool Flattener::on_alias(const yaml_event_t& event) {
  const char* name = reinterpret_cast<const char*>(event.data.alias.anchor);
  const auto it = m_anchors.find(name);
  if (it == m_anchors.end()) return fail(event.start_mark, "found undefined alias '" + std::string(name) + "'");
  const YamlNode target = it->second;
  // PyYAML builds a self-containing list or dict here; sotcheck's blob is acyclic by design.
  if ((m_marks[target] & k_mark_open) != 0)
    return fail(event.start_mark,
                "recursive alias '" + std::string(name) + "' (a collection that contains itself) is not supported");
  const YamlNodeRecord& r = m_nodes[target];
  if (m_stack.size() + height_of(r) > m_limits->max_depth)
    return fail(event.start_mark, "nesting deeper than " + std::to_string(m_limits->max_depth) +
                                      " levels through alias '" + std::string(name) + "'");
  m_used_alias = true;
  if (!count_expansion(r.logical_nodes, expanded_bytes_of(r), event.start_mark)) return false;
  return add_child(target);
}

bool Flattener::on_document_start(const yaml_event_t& event) {
  if (++m_documents > 1)
    return fail(event.start_mark, "expected a single document in the stream, but found another document");
  return true;
}

bool Flattener::handle(const yaml_event_t& event) {
  switch (event.type) {
    case YAML_DOCUMENT_START_EVENT:
      return on_document_start(event);
    case YAML_SCALAR_EVENT:
      return on_scalar(event);
    case YAML_SEQUENCE_START_EVENT:
      return on_collection_start(event, false);
    case YAML_MAPPING_START_EVENT:
      return on_collection_start(event, true);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
      return on_collection_end();
    case YAML_ALIAS_EVENT:
      return on_alias(event);
    case YAML_STREAM_END_EVENT:
      if (m_documents == 0) {
        m_root = new_node(YamlKind::null, event.start_mark);
        m_has_root = true;
      }
      return true;
    default:
      return true;
  }
}

/// PyYAML's scanner skips only spaces between tokens and ends a plain scalar at a tab, so a tab anywhere but
/// inside a quoted scalar, a block scalar or a comment is "found character '\t' that cannot start any token".
/// libyaml accepts tabs as separators, so documents it loads are checked here, up to where reading stopped
/// (the end, a second document, or an error found while composing). Returns the error or "".
std::string Flattener::check_tabs(std::string_view text) const {
  const std::size_t limit = std::min(text.size(), m_stopped_at);
  const auto inside = [](const std::vector<std::pair<std::size_t, std::size_t>>& ranges, std::size_t offset) {
    const auto it = std::upper_bound(ranges.begin(), ranges.end(), offset,
                                     [](std::size_t v, const auto& r) { return v < r.first; });
    return it != ranges.begin() && offset < std::prev(it)->second;
  };
  for (std::size_t p = text.find('\t'); p < limit; p = text.find('\t', p + 1)) {
    if (inside(m_tab_safe_ranges, p)) continue;
    // Outside scalars a '#' can only open a comment (anchors cannot hold one; tags that do are ignored).
    const std::size_t line_start = p == 0 ? 0 : text.rfind('\n', p - 1) + 1;  // npos + 1 == 0
    bool in_comment = false;
    for (std::size_t q = line_start; q < p && !in_comment; ++q)
      in_comment = text[q] == '#' && !inside(m_scalar_ranges, q);
    if (in_comment) continue;
    std::size_t column = 1;
    for (std::size_t q = line_start; q < p; ++q) column += (static_cast<unsigned char>(text[q]) & 0xC0) != 0x80;
    const auto line =
        static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(p), '\n')) + 1;
    return at(clamp_u32(line), clamp_u32(column),
              "found character '\\t' that cannot start any token (PyYAML allows tabs only inside quoted and "
              "block scalars and comments)");
  }
  return "";
}

/// "line L, column C: problem (context at line l, column c)" from libyaml's error fields.
std::string parser_error(const yaml_parser_t& parser, std::string_view text) {
  if (parser.error == YAML_MEMORY_ERROR) return "out of memory while parsing YAML";
  const std::string problem = parser.problem != nullptr ? parser.problem : "unknown YAML error";
  if (parser.error == YAML_READER_ERROR) {
    // Reader errors carry a byte offset, not a mark.
    const std::size_t offset = std::min(parser.problem_offset, text.size());
    const std::size_t line = static_cast<std::size_t>(std::count(text.begin(), text.begin() + offset, '\n')) + 1;
    const std::size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
    const std::size_t column = line_start == std::string_view::npos || offset == 0 ? offset + 1 : offset - line_start;
    std::string message = problem;
    if (parser.problem_value != -1) {
      char buf[32];
      std::snprintf(buf, sizeof buf, " (byte #x%02X)", static_cast<unsigned>(parser.problem_value) & 0xFFu);
      message += buf;
    }
    return at(clamp_u32(line), clamp_u32(column), message);
  }
  std::string message = at(clamp_u32(parser.problem_mark.line + 1), clamp_u32(parser.problem_mark.column + 1), problem);
  if (parser.context != nullptr)
    message += " (" + std::string(parser.context) + " at line " + std::to_string(parser.context_mark.line + 1) +
               ", column " + std::to_string(parser.context_mark.column + 1) + ")";
  return message;
}

util::Result<std::vector<std::byte>> Flattener::run(std::string_view text, const YamlLimits& limits) {
  if (limits.max_depth == 0 || limits.max_depth > k_yaml_max_supported_depth)
    return util::make_error("YAML depth limit must be within 1.." + std::to_string(k_yaml_max_supported_depth));
  // Expanded node counts are stored as u32; a bigger limit could not be honoured exactly.
  if (limits.max_expanded_nodes >= std::numeric_limits<std::uint32_t>::max())
    return util::make_error("YAML expansion limit must be below 2^32 nodes");
  if (text.size() >= std::numeric_limits<std::uint32_t>::max() / 2)
    return util::make_error("YAML document too large: " + std::to_string(text.size()) + " bytes");
  m_limits = &limits;
  m_nodes.clear();
  m_marks.clear();
  m_slots.clear();
  m_pool.clear();
  m_pending.clear();
  m_stack.clear();
  m_anchors.clear();
  m_expanded_nodes = 0;
  m_used_alias = false;
  m_expanded_bytes = 0;
  m_documents = 0;
  m_flow_depth = 0;
  m_has_root = false;
  m_error.clear();
  m_deferred.clear();
  m_tab_safe_ranges.clear();
  m_scalar_ranges.clear();
  m_value_uses.clear();
  m_text = text;
  m_track_tabs = text.find('\t') != std::string_view::npos;
  m_stopped_at = std::string_view::npos;
  // Typical chart YAML holds a node per ~12 bytes and a little less scalar text than source text.
  m_nodes.reserve(text.size() / 12 + 4);
  m_marks.reserve(text.size() / 12 + 4);
  m_slots.reserve(text.size() / 10 + 4);
  m_pool.reserve(text.size());

  // RAII for libyaml's handles: a bad_alloc from this side must not leak them.
  struct Parser {
    yaml_parser_t handle;
    bool live = false;
    ~Parser() {
      if (live) yaml_parser_delete(&handle);
    }
  } parser;
  struct Event {
    yaml_event_t handle;
    ~Event() { yaml_event_delete(&handle); }
  };
  if (yaml_parser_initialize(&parser.handle) == 0) return util::make_error("out of memory initialising libyaml");
  parser.live = true;
  yaml_parser_set_input_string(&parser.handle, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  // The text is UTF-8 by contract (docs/catalog-format.md T3/T4); without this libyaml would also accept UTF-16 by BOM.
  yaml_parser_set_encoding(&parser.handle, YAML_UTF8_ENCODING);
  bool ok = true;
  bool libyaml_failed = false;
  while (true) {
    Event event;
    if (yaml_parser_parse(&parser.handle, &event.handle) == 0) {
      m_error = parser_error(parser.handle, text);
      std::memset(&event.handle, 0, sizeof event.handle);  // nothing to delete
      ok = false;
      libyaml_failed = true;
      break;
    }
    if (!handle(event.handle)) {
      ok = false;
      break;
    }
    if (event.handle.type == YAML_STREAM_END_EVENT) break;
  }
  // A syntax error libyaml found stands (PyYAML fails too, maybe elsewhere); otherwise a stray tab before
  // the point where reading stopped comes first, as PyYAML's scanner meets it before anything is composed.
  if (m_track_tabs && !libyaml_failed) {
    if (std::string tab_error = check_tabs(text); !tab_error.empty()) return util::make_error(std::move(tab_error));
  }
  if (!ok) return util::make_error(m_error);
  for (const YamlNode node : m_value_uses)
    if ((m_marks[node] & k_mark_key) == 0) defer(m_nodes[node], pyyaml::no_constructor("tag:yaml.org,2002:value"));
  if (!m_deferred.empty()) return util::make_error(m_deferred);
  if (!m_has_root) return util::make_error("YAML stream without a document node");
  return assemble();
}

void Flattener::release_if_large() {
  constexpr std::size_t k_keep_bytes = std::size_t{4} << 20;
  const auto trim = [&](auto& v) {
    if (v.capacity() * sizeof(v[0]) > k_keep_bytes) std::decay_t<decltype(v)>().swap(v);
  };
  trim(m_nodes);
  trim(m_marks);
  trim(m_slots);
  trim(m_pool);
  trim(m_pending);
  trim(m_merged);
  trim(m_combined);
  trim(m_folded);
  trim(m_tab_safe_ranges);
  trim(m_scalar_ranges);
  if (m_anchors.size() > 4096) std::unordered_map<std::string, YamlNode>().swap(m_anchors);
}

util::Result<std::vector<std::byte>> Flattener::assemble() const {
  const std::uint64_t nodes_offset = sizeof(YamlBlobHeader);
  const std::uint64_t slots_offset = nodes_offset + m_nodes.size() * sizeof(YamlNodeRecord);
  const std::uint64_t pool_offset = slots_offset + m_slots.size() * sizeof(std::uint32_t);
  const std::uint64_t total = align8(pool_offset + m_pool.size());
  if (m_nodes.size() > std::numeric_limits<std::uint32_t>::max() ||
      m_slots.size() > std::numeric_limits<std::uint32_t>::max() ||
      m_pool.size() > std::numeric_limits<std::uint32_t>::max() || total > (std::uint64_t{1} << 40))
    return util::make_error("YAML document too large to flatten");
  YamlBlobHeader header{};
  std::memcpy(header.magic, k_yaml_magic, sizeof header.magic);
  header.version = k_yaml_format_version;
  header.header_size = sizeof(YamlBlobHeader);
  header.node_record_size = sizeof(YamlNodeRecord);
  header.node_count = static_cast<std::uint32_t>(m_nodes.size());
  header.slot_count = static_cast<std::uint32_t>(m_slots.size());
  header.pool_size = static_cast<std::uint32_t>(m_pool.size());
  header.root = m_root;
  header.total_size = total;
  std::vector<std::byte> blob(total);
  std::memcpy(blob.data(), &header, sizeof header);
  if (!m_nodes.empty())
    std::memcpy(blob.data() + nodes_offset, m_nodes.data(), m_nodes.size() * sizeof(YamlNodeRecord));
  if (!m_slots.empty()) std::memcpy(blob.data() + slots_offset, m_slots.data(), m_slots.size() * sizeof(std::uint32_t));
  if (!m_pool.empty()) std::memcpy(blob.data() + pool_offset, m_pool.data(), m_pool.size());
  return blob;
}

}  // namespace

util::Result<std::vector<std::byte>> flatten_yaml(std::string_view text, const YamlLimits& limits) {
  // One flattener per thread keeps its scratch vectors warm across the ~2,000 files of a run.
  thread_local Flattener flattener;
  try {
    auto result = flattener.run(text, limits);
    flattener.release_if_large();
    return result;
  } catch (const std::bad_alloc&) {
    flattener.release_if_large();
    return util::make_error("out of memory while flattening YAML (" + std::to_string(text.size()) + " bytes)");
  }
}

}  // namespace sotcheck::snapshot
