// Python's semantics on YAML values (yaml_python_value.hpp).

#include "yaml_python_value.hpp"

#include <algorithm>

#include "sotcheck/checks/template.hpp"

namespace sotcheck::checks {

using json = nlohmann::ordered_json;
using snapshot::YamlKind;
using snapshot::YamlMembership;
using snapshot::YamlView;

/// Python's type name as its error messages print it ("dict", "NoneType", "datetime.date").
std::string short_type(const YamlView& view, const Value& v) {
  if (!v.is_node) {
    if (v.literal.is_object()) return "dict";
    if (v.literal.is_array()) return "list";
    if (v.literal.is_string()) return "str";
    if (v.literal.is_boolean()) return "bool";
    if (v.literal.is_number_integer()) return "int";
    if (v.literal.is_number()) return "float";
    return "NoneType";
  }
  std::string_view full = view.python_type_name(v.node);  // "<class 'dict'>"
  if (full.size() > 10) full = full.substr(8, full.size() - 10);
  return std::string(full);
}

/// The strict profile's neutral type name (docs/reference-compatibility.md#rc-12).
std::string neutral_type(const YamlView& view, const Value& v) {
  if (v.is_node) return std::string(view.value_type_name(v.node));
  if (v.literal.is_object()) return "map";
  if (v.literal.is_array()) return "list";
  if (v.literal.is_string()) return "string";
  if (v.literal.is_boolean()) return "bool";
  if (v.literal.is_number_integer()) return "int";
  if (v.literal.is_number()) return "float";
  return "null";
}

bool is_mapping(const YamlView& view, const Value& v) {
  return v.is_node ? view.is_mapping(v.node) : v.literal.is_object();
}
bool is_sequence(const YamlView& view, const Value& v) {
  return v.is_node ? view.is_sequence(v.node) : v.literal.is_array();
}
bool is_string(const YamlView& view, const Value& v) {
  return v.is_node ? view.kind(v.node) == YamlKind::string : v.literal.is_string();
}

bool truthy(const YamlView& view, const Value& v) {
  if (v.is_node) return view.truthy(v.node);
  const json& l = v.literal;
  if (l.is_null()) return false;
  if (l.is_boolean()) return l.get<bool>();
  if (l.is_number()) return l.get<double>() != 0.0;
  if (l.is_string()) return !l.get<std::string>().empty();
  return !l.empty();
}

/// Python's `key in value`; raises TypeError where Python does.
bool python_in(const YamlView& view, const Value& v, std::string_view key) {
  if (v.is_node) {
    switch (view.python_in(v.node, key)) {
      case YamlMembership::present:
        return true;
      case YamlMembership::absent:
        return false;
      case YamlMembership::type_error:
        throw PyError{"TypeError: " + view.python_in_error(v.node)};
    }
    return false;
  }
  const json& l = v.literal;
  if (l.is_object() || l.is_array()) return false;  // defaults are empty
  if (l.is_string()) return l.get<std::string>().find(key) != std::string::npos;
  throw PyError{"TypeError: argument of type '" + short_type(view, v) + "' is not iterable"};
}

/// Python's str(value).
std::string value_str(const YamlView& view, const Value& v) {
  if (v.is_node) return view.python_str(v.node);
  return checks::python_str(v.literal);  // template.hpp: str() of a JSON literal
}

/// Python's `d.get(key)` on a mapping value; nothing when absent.
std::optional<Value> python_get(const YamlView& view, const Value& v, std::string_view key) {
  if (!v.is_node) return std::nullopt;  // a default {} has no keys
  const auto found = view.find(v.node, key);
  if (!found) return std::nullopt;
  return of_node(*found);
}

/// Python's `==` between a document value and a scalar of the catalog.
bool python_equals(const YamlView& view, const Value& v, const json& expected) {
  if (!v.is_node) return v.literal == expected;
  const YamlKind kind = view.kind(v.node);
  if (expected.is_null()) return kind == YamlKind::null;
  if (expected.is_string()) return kind == YamlKind::string && view.text(v.node) == expected.get<std::string>();
  if (expected.is_number() || expected.is_boolean()) {
    // bool, int and float compare as numbers in Python (True == 1, 24.0 == 24).
    if (kind != YamlKind::boolean && kind != YamlKind::integer && kind != YamlKind::floating) return false;
    const auto n = view.as_number(v.node);
    const double e = expected.is_boolean() ? (expected.get<bool>() ? 1.0 : 0.0) : expected.get<double>();
    return n && *n == e;
  }
  return false;
}

/// Python's len(): code points of a str, elements of a list, pairs of a dict.
std::size_t python_len(const YamlView& view, const Value& v) {
  if (!v.is_node) {
    if (v.literal.is_string()) return v.literal.get<std::string>().size();  // defaults are ASCII
    if (v.literal.is_array() || v.literal.is_object()) return v.literal.size();
    throw PyError{"TypeError: object of type '" + short_type(view, v) + "' has no len()"};
  }
  switch (view.kind(v.node)) {
    case YamlKind::string: {
      const std::string_view t = view.text(v.node);
      return static_cast<std::size_t>(
          std::count_if(t.begin(), t.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
    }
    case YamlKind::binary:
      return view.text(v.node).size();
    case YamlKind::sequence:
    case YamlKind::mapping:
      return view.size(v.node);
    default:
      throw PyError{"TypeError: object of type '" + short_type(view, v) + "' has no len()"};
  }
}

}  // namespace sotcheck::checks
