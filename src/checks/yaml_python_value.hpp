#pragma once
// Python's semantics on the values a YAML predicate meets (docs/catalog-format.md
// YamlPredicate): a document node or the default a `get(key, default)`
// produced, with Python's membership (`in`), truthiness, `==`, len(), str()
// and type names, raising where Python raises.

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "sotcheck/snapshot/yaml_flat.hpp"

namespace sotcheck::checks {

/// A Python exception raised while evaluating a predicate on one document;
/// caught per file (internal only, never crosses the module).
struct PyError {
  std::string text;
};

/// A value met while navigating: a node of the document, or the default a
/// `get(key, default)` produced (a literal of the catalog: {}, [], "", 0, None).
struct Value {
  bool is_node = false;
  snapshot::YamlNode node = 0;
  nlohmann::ordered_json literal;  // when !is_node
};

inline Value of_node(snapshot::YamlNode node) { return {true, node, nullptr}; }
inline Value of_literal(nlohmann::ordered_json literal) { return {false, 0, std::move(literal)}; }

/// Python's type name as its error messages print it ("dict", "NoneType", "datetime.date").
std::string short_type(const snapshot::YamlView& view, const Value& v);
/// The strict profile's neutral type name (docs/reference-compatibility.md#rc-12).
std::string neutral_type(const snapshot::YamlView& view, const Value& v);

bool is_mapping(const snapshot::YamlView& view, const Value& v);
bool is_sequence(const snapshot::YamlView& view, const Value& v);
bool is_string(const snapshot::YamlView& view, const Value& v);
/// Python's bool(value).
bool truthy(const snapshot::YamlView& view, const Value& v);
/// Python's `key in value`; raises PyError (TypeError) where Python does.
bool python_in(const snapshot::YamlView& view, const Value& v, std::string_view key);
/// Python's str(value).
std::string value_str(const snapshot::YamlView& view, const Value& v);
/// Python's `d.get(key)` on a mapping value; nothing when absent.
std::optional<Value> python_get(const snapshot::YamlView& view, const Value& v, std::string_view key);
/// Python's `==` between a document value and a scalar of the catalog.
bool python_equals(const snapshot::YamlView& view, const Value& v, const nlohmann::ordered_json& expected);
/// Python's len(): code points of a str, elements of a list, pairs of a dict; raises PyError otherwise.
std::size_t python_len(const snapshot::YamlView& view, const Value& v);

}  // namespace sotcheck::checks
