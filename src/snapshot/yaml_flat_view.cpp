// The reader of a YAML blob (yaml_flat.hpp): attach() validates it once, then every accessor answers as
// Python would about the value PyYAML loaded (the pyyaml module renders and compares scalars).

#include "sotcheck/snapshot/yaml_flat.hpp"

#include <bit>
#include <cmath>
#include <cstring>
#include <string>

#include "sotcheck/pyyaml/int_constructor.hpp"
#include "sotcheck/pyyaml/isoformat.hpp"
#include "sotcheck/pyyaml/python_repr.hpp"
#include "sotcheck/pyyaml/timestamp.hpp"
#include "sotcheck/util/utf8.hpp"
#include "yaml_flat_records.hpp"

namespace sotcheck::snapshot {

using namespace yaml_records;

util::Result<YamlView> YamlView::attach(const std::byte* data, std::size_t size) {
  const auto corrupt = [](const std::string& why) { return util::make_error("corrupt YAML blob: " + why); };
  if (data == nullptr || size < sizeof(YamlBlobHeader)) return corrupt("shorter than its header");
  if (reinterpret_cast<std::uintptr_t>(data) % alignof(YamlNodeRecord) != 0) return corrupt("not 8-byte aligned");
  const auto* header = reinterpret_cast<const YamlBlobHeader*>(data);
  if (std::memcmp(header->magic, k_yaml_magic, sizeof header->magic) != 0) return corrupt("bad magic");
  if (header->version != k_yaml_format_version)
    return corrupt("format version " + std::to_string(header->version) + ", expected " +
                   std::to_string(k_yaml_format_version));
  if (header->header_size != sizeof(YamlBlobHeader) || header->node_record_size != sizeof(YamlNodeRecord))
    return corrupt("record sizes differ from this build's");
  const std::uint64_t nodes_offset = header->header_size;
  const std::uint64_t slots_offset = nodes_offset + std::uint64_t{header->node_count} * sizeof(YamlNodeRecord);
  const std::uint64_t pool_offset = slots_offset + std::uint64_t{header->slot_count} * sizeof(std::uint32_t);
  const std::uint64_t end = pool_offset + header->pool_size;
  if (header->total_size != align8(end) || header->total_size > size) return corrupt("sizes do not add up");
  if (header->node_count == 0 || header->root >= header->node_count) return corrupt("no root node");

  YamlView view;
  view.m_header = header;
  view.m_nodes = reinterpret_cast<const YamlNodeRecord*>(data + nodes_offset);
  view.m_slots = reinterpret_cast<const std::uint32_t*>(data + slots_offset);
  view.m_pool = reinterpret_cast<const char*>(data + pool_offset);

  // One pass over the nodes. The height rule (every child strictly lower than its parent, the root at most
  // k_yaml_max_supported_depth) rules out cycles and bounds every recursive reader; the expanded counts must
  // add up so that a reader's work is bounded by what the header-level numbers say.
  for (std::uint32_t i = 0; i < header->node_count; ++i) {
    const YamlNodeRecord& r = view.m_nodes[i];
    struct Where {  // builds "node N: " only on the error path
      std::uint32_t index;
      std::string operator+(const char* why) const { return "node " + std::to_string(index) + ": " + why; }
    } const where{i};
    if (r.kind > static_cast<std::uint8_t>(YamlKind::mapping)) return corrupt(where + "unknown kind");
    if ((r.flags & ~k_yaml_known_flags) != 0) return corrupt(where + "unknown flags");
    const auto kind = static_cast<YamlKind>(r.kind);
    if (kind < YamlKind::sequence) {
      if (std::uint64_t{r.first} + r.count > header->pool_size) return corrupt(where + "text outside the pool");
      if (r.logical_nodes != 1) return corrupt(where + "a scalar expands to one node");
      const std::string_view text(view.m_pool + r.first, r.count);
      if ((r.flags & k_yaml_flag_bigint) != 0 && kind != YamlKind::integer) return corrupt(where + "stray bigint");
      if ((r.flags & k_yaml_flag_tz) != 0 && kind != YamlKind::datetime) return corrupt(where + "stray offset");
      if (r.small != 0 && kind != YamlKind::datetime) return corrupt(where + "stray small field");
      switch (kind) {
        case YamlKind::boolean:
          if (r.payload > 1) return corrupt(where + "bad bool");
          break;
        case YamlKind::integer:
          if ((r.flags & k_yaml_flag_bigint) != 0) {
            pyyaml::IntValue v;
            std::string error;
            if (!pyyaml::construct_int(text, v, error) || !v.big) return corrupt(where + "bad big integer text");
          }
          break;
        case YamlKind::date:
        case YamlKind::datetime: {
          pyyaml::DateTime t = unpack_timestamp(r.payload);
          if (r.payload >> 60 != 0) return corrupt(where + "bad timestamp bits");
          // The offset is range-checked whether or not it is flagged; a stray one is refused just below.
          t.utc_offset_minutes = std::bit_cast<std::int16_t>(r.small);
          if (!pyyaml::timestamp_range_error(t, kind == YamlKind::datetime).empty() || t.microsecond > 999'999)
            return corrupt(where + "timestamp out of range");
          if (kind == YamlKind::date && (r.payload & ((std::uint64_t{1} << k_day_shift) - 1)) != 0)
            return corrupt(where + "date with a time");
          if ((r.flags & k_yaml_flag_tz) == 0 && r.small != 0) return corrupt(where + "offset without flag");
          break;
        }
        case YamlKind::string:
          if (!util::is_valid_utf8(text)) return corrupt(where + "invalid UTF-8");
          break;
        default:
          break;
      }
      continue;
    }
    const std::uint32_t height = r.small;
    if (height == 0 || height > k_yaml_max_supported_depth) return corrupt(where + "bad height");
    const std::uint64_t slot_count = (kind == YamlKind::mapping ? 2 : 1) * std::uint64_t{r.count};
    if (std::uint64_t{r.first} + slot_count > header->slot_count) return corrupt(where + "children outside slots");
    std::uint32_t max_child_height = 0;
    std::uint64_t nodes = 1;
    std::uint64_t bytes = 0;
    for (std::uint64_t s = r.first; s < r.first + slot_count; ++s) {
      const std::uint32_t c = view.m_slots[s];
      if (c >= header->node_count) return corrupt(where + "child index out of range");
      const YamlNodeRecord& child = view.m_nodes[c];
      // The child's own record is validated in its own iteration; here only what links the two is checked.
      const bool child_is_collection = child.kind >= static_cast<std::uint8_t>(YamlKind::sequence);
      const std::uint32_t child_height = child_is_collection ? child.small : 0;
      if (child_height >= height) return corrupt(where + "child not lower than its parent (a cycle?)");
      if (kind == YamlKind::mapping && (s - r.first) % 2 == 0 && child_is_collection)
        return corrupt(where + "a collection as a mapping key");
      max_child_height = std::max(max_child_height, child_height);
      nodes += child.logical_nodes;
      bytes = saturating_add(bytes, child_is_collection ? child.payload : child.count);
    }
    if (max_child_height + 1 != height) return corrupt(where + "height does not match its children");
    if (nodes != r.logical_nodes || bytes != r.payload) return corrupt(where + "expanded counts do not add up");
  }
  return view;
}

std::string_view YamlView::text(YamlNode node) const {
  const YamlNodeRecord& r = m_nodes[node];
  if (!is_scalar(node)) return {};
  return {m_pool + r.first, r.count};
}

std::optional<YamlNode> YamlView::find(YamlNode node, std::string_view key) const {
  if (!is_mapping(node)) return std::nullopt;
  const std::uint32_t n = m_nodes[node].count;
  for (std::uint32_t i = 0; i < n; ++i) {
    const YamlNode k = key_at(node, i);
    if (kind(k) == YamlKind::string && text(k) == key) return value_at(node, i);
  }
  return std::nullopt;
}

std::optional<std::int64_t> YamlView::as_int64(YamlNode node) const {
  if (kind(node) != YamlKind::integer || is_bigint(node)) return std::nullopt;
  return std::bit_cast<std::int64_t>(m_nodes[node].payload);
}

std::string YamlView::int_decimal(YamlNode node) const {
  if (kind(node) == YamlKind::boolean) return as_bool(node) ? "1" : "0";
  if (kind(node) != YamlKind::integer) return "";
  if (!is_bigint(node)) return std::to_string(std::bit_cast<std::int64_t>(m_nodes[node].payload));
  pyyaml::IntValue v;
  std::string error;
  pyyaml::construct_int(text(node), v, error);  // attach() proved this succeeds with a big value
  return v.value.decimal();
}

std::optional<double> YamlView::as_number(YamlNode node) const {
  switch (kind(node)) {
    case YamlKind::boolean:
      return as_bool(node) ? 1.0 : 0.0;
    case YamlKind::integer:
      if (is_bigint(node)) return std::bit_cast<double>(m_nodes[node].payload);
      return static_cast<double>(std::bit_cast<std::int64_t>(m_nodes[node].payload));
    case YamlKind::floating:
      return std::bit_cast<double>(m_nodes[node].payload);
    default:
      return std::nullopt;
  }
}

YamlDate YamlView::date(YamlNode node) const {
  if (kind(node) != YamlKind::date && kind(node) != YamlKind::datetime) return {};
  return unpack_timestamp(m_nodes[node].payload).date;
}

YamlDateTime YamlView::datetime(YamlNode node) const {
  if (kind(node) != YamlKind::date && kind(node) != YamlKind::datetime) return {};
  return datetime_of(m_nodes[node]);
}

bool YamlView::truthy(YamlNode node) const {
  const YamlNodeRecord& r = m_nodes[node];
  switch (kind(node)) {
    case YamlKind::null:
      return false;
    case YamlKind::boolean:
      return r.payload != 0;
    case YamlKind::integer:
      return is_bigint(node) || r.payload != 0;
    case YamlKind::floating:
      return std::bit_cast<double>(r.payload) != 0.0;  // NaN is truthy, as in Python
    case YamlKind::string:
    case YamlKind::binary:
    case YamlKind::sequence:
    case YamlKind::mapping:
      return r.count != 0;
    case YamlKind::date:
    case YamlKind::datetime:
      return true;
  }
  return false;
}

YamlMembership YamlView::python_in(YamlNode node, std::string_view key) const {
  switch (kind(node)) {
    case YamlKind::mapping:
      return find(node, key) ? YamlMembership::present : YamlMembership::absent;
    case YamlKind::sequence:
      for (std::uint32_t i = 0; i < m_nodes[node].count; ++i) {
        const YamlNode e = element(node, i);
        if (kind(e) == YamlKind::string && text(e) == key) return YamlMembership::present;
      }
      return YamlMembership::absent;
    case YamlKind::string:
      return text(node).find(key) != std::string_view::npos ? YamlMembership::present : YamlMembership::absent;
    default:
      return YamlMembership::type_error;
  }
}

std::string YamlView::python_in_error(YamlNode node) const {
  switch (kind(node)) {
    case YamlKind::mapping:
    case YamlKind::sequence:
    case YamlKind::string:
      return "";
    case YamlKind::binary:
      return "a bytes-like object is required, not 'str'";
    default:
      break;
  }
  std::string_view name = python_type_name(node);  // "<class 'X'>" → "'X'"
  name.remove_prefix(7);
  name.remove_suffix(1);
  return "argument of type " + std::string(name) + " is not iterable";
}

std::string_view YamlView::python_type_name(YamlNode node) const {
  switch (kind(node)) {
    case YamlKind::null:
      return "<class 'NoneType'>";
    case YamlKind::boolean:
      return "<class 'bool'>";
    case YamlKind::integer:
      return "<class 'int'>";
    case YamlKind::floating:
      return "<class 'float'>";
    case YamlKind::string:
      return "<class 'str'>";
    case YamlKind::binary:
      return "<class 'bytes'>";
    case YamlKind::date:
      return "<class 'datetime.date'>";
    case YamlKind::datetime:
      return "<class 'datetime.datetime'>";
    case YamlKind::sequence:
      return "<class 'list'>";
    case YamlKind::mapping:
      return "<class 'dict'>";
  }
  return "<class 'object'>";
}

std::string_view YamlView::value_type_name(YamlNode node) const {
  switch (kind(node)) {
    case YamlKind::null:
      return "null";
    case YamlKind::boolean:
      return "bool";
    case YamlKind::integer:
      return "int";
    case YamlKind::floating:
      return "float";
    case YamlKind::string:
      return "string";
    case YamlKind::binary:
      return "bytes";
    case YamlKind::date:
      return "date";
    case YamlKind::datetime:
      return "datetime";
    case YamlKind::sequence:
      return "list";
    case YamlKind::mapping:
      return "map";
  }
  return "unknown";
}

void YamlView::append_python_repr(YamlNode node, std::string& out) const {
  const YamlNodeRecord& r = m_nodes[node];
  switch (kind(node)) {
    case YamlKind::null:
      out += "None";
      return;
    case YamlKind::boolean:
      out += r.payload != 0 ? "True" : "False";
      return;
    case YamlKind::integer:
      out += int_decimal(node);
      return;
    case YamlKind::floating:
      pyyaml::append_float_repr(out, std::bit_cast<double>(r.payload));
      return;
    case YamlKind::string:
      pyyaml::append_str_repr(out, text(node));
      return;
    case YamlKind::binary:
      pyyaml::append_bytes_repr(out, text(node));
      return;
    case YamlKind::date:
      pyyaml::append_date_repr(out, datetime_of(r).date);
      return;
    case YamlKind::datetime:
      pyyaml::append_datetime_repr(out, datetime_of(r));
      return;
    case YamlKind::sequence:
      out += '[';
      for (std::uint32_t i = 0; i < r.count; ++i) {
        if (i != 0) out += ", ";
        append_python_repr(element(node, i), out);
      }
      out += ']';
      return;
    case YamlKind::mapping:
      out += '{';
      for (std::uint32_t i = 0; i < r.count; ++i) {
        if (i != 0) out += ", ";
        append_python_repr(key_at(node, i), out);
        out += ": ";
        append_python_repr(value_at(node, i), out);
      }
      out += '}';
      return;
  }
}

std::string YamlView::python_repr(YamlNode node) const {
  std::string out;
  append_python_repr(node, out);
  return out;
}

std::string YamlView::python_str(YamlNode node) const {
  std::string out;
  switch (kind(node)) {
    case YamlKind::string:
      return std::string(text(node));
    case YamlKind::date:
      pyyaml::append_iso_date(out, datetime_of(m_nodes[node]).date);
      return out;
    case YamlKind::datetime:
      pyyaml::append_iso_datetime(out, datetime_of(m_nodes[node]), ' ');
      return out;
    default:
      append_python_repr(node, out);
      return out;
  }
}

namespace {

/// How json.dumps writes a float, as a string where JSON has no number for it.
nlohmann::ordered_json json_float(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d < 0 ? "-Infinity" : "Infinity";
  return d;
}

}  // namespace

nlohmann::ordered_json YamlView::to_json(YamlNode node) const {
  const YamlNodeRecord& r = m_nodes[node];
  switch (kind(node)) {
    case YamlKind::null:
      return nullptr;
    case YamlKind::boolean:
      return r.payload != 0;
    case YamlKind::integer:
      if (is_bigint(node)) return int_decimal(node);
      return std::bit_cast<std::int64_t>(r.payload);
    case YamlKind::floating:
      return json_float(std::bit_cast<double>(r.payload));
    case YamlKind::string:
      return std::string(text(node));
    case YamlKind::binary:
      return python_repr(node);
    case YamlKind::date: {
      std::string out;
      pyyaml::append_iso_date(out, datetime_of(m_nodes[node]).date);
      return out;
    }
    case YamlKind::datetime: {
      std::string out;
      pyyaml::append_iso_datetime(out, datetime_of(r), 'T');
      return out;
    }
    case YamlKind::sequence: {
      nlohmann::ordered_json array = nlohmann::ordered_json::array();
      for (std::uint32_t i = 0; i < r.count; ++i) array.push_back(to_json(element(node, i)));
      return array;
    }
    case YamlKind::mapping: {
      nlohmann::ordered_json object = nlohmann::ordered_json::object();
      for (std::uint32_t i = 0; i < r.count; ++i) {
        const YamlNode k = key_at(node, i);
        std::string key;
        switch (kind(k)) {
          case YamlKind::string:
            key = text(k);
            break;
          case YamlKind::null:
            key = "null";
            break;
          case YamlKind::boolean:
            key = as_bool(k) ? "true" : "false";
            break;
          case YamlKind::floating: {
            const nlohmann::ordered_json f = json_float(std::bit_cast<double>(m_nodes[k].payload));
            if (f.is_string()) {
              key = f.get<std::string>();
            } else {
              pyyaml::append_float_repr(key, std::bit_cast<double>(m_nodes[k].payload));
            }
            break;
          }
          case YamlKind::date:
            pyyaml::append_iso_date(key, datetime_of(m_nodes[k]).date);
            break;
          case YamlKind::datetime:
            pyyaml::append_iso_datetime(key, datetime_of(m_nodes[k]), 'T');
            break;
          default:
            key = python_str(k);
            break;  // int → its decimal; bytes → repr
        }
        if (!object.contains(key)) object.emplace(std::move(key), to_json(value_at(node, i)));
      }
      return object;
    }
  }
  return nullptr;
}

}  // namespace sotcheck::snapshot
