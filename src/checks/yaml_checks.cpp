// The YAML primitives of docs/catalog-format.md: P9 `yaml_files_field` (a predicate over
// each sampled YAML document, aggregated by a quantifier), P10
// `contract_field_present` (one dotted key path in the SoT contract) and P11
// `shard_path_ratio` (MD-STRUCT-009). Documents were parsed once, while the
// image was built (docs/ARCHITECTURE.md); these checks only read the flat blobs.
//
// Reference semantics are Python's, as the validator's code evaluates them:
// "get with default" navigation (`d.get(k, {})`, a non-mapping parent raises),
// membership with `in` (mapping: key, list: element, str: substring, None and
// numbers: TypeError), truthiness, str()/repr(). A raised exception makes the
// file an error; the reference skips it (CS001 counts it as a violation). In
// the strict profile (docs/reference-compatibility.md#rc-12, #rc-13) every level must be a mapping (a
// list only where a list is meant), the document must be a mapping, and every
// error is listed in evidence `errors` and counts as a violation of an
// all-quantified rule and as "not satisfied" otherwise.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sotcheck/checks/file_error.hpp"
#include "sotcheck/checks/file_query.hpp"
#include "sotcheck/checks/registry.hpp"
#include "sotcheck/checks/scope.hpp"
#include "sotcheck/checks/template.hpp"
#include "sotcheck/checks/text.hpp"
#include "sotcheck/snapshot/access_journal.hpp"
#include "sotcheck/util/strings.hpp"

namespace sotcheck::checks {
namespace {

using json = nlohmann::ordered_json;
using snapshot::YamlKind;
using snapshot::YamlMembership;
using snapshot::YamlNode;
using snapshot::YamlView;

/// A Python exception raised while evaluating a predicate on one document;
/// caught per file (internal only, never crosses the module).
struct PyError {
  std::string text;
};

// ------------------------------------------------------------------ values

/// A value met while navigating: a node of the document, or the default a
/// `get(key, default)` produced (a literal of the catalog: {}, [], "", 0, None).
struct Value {
  bool is_node = false;
  YamlNode node = 0;
  json literal;  // when !is_node
};

Value of_node(YamlNode node) {
  return {true, node, nullptr};
}
Value of_literal(json literal) {
  return {false, 0, std::move(literal)};
}

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
std::optional<Value> get(const YamlView& view, const Value& v, std::string_view key) {
  if (!v.is_node) return std::nullopt;  // a default {} has no keys
  const auto found = view.find(v.node, key);
  if (!found) return std::nullopt;
  return of_node(*found);
}

/// The dotted form of the first `n` segments, for messages.
std::string joined(const std::vector<std::string>& segments, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    if (i) out += '.';
    out += segments[i];
  }
  return out;
}

// -------------------------------------------------------------- predicates

/// A YamlPredicate (docs/catalog-format.md) compiled at catalog load.
struct Predicate {
  enum class Op {
    has,
    all_keys,
    any_keys,
    truthy,
    equals,
    num_ge,
    matches,
    list_contains_any,
    upper_contains,
    repr_contains_ci,
    is_mapping,
    len_lt,
    all,
    any,
    negate,
    constant,
  };
  Op op = Op::constant;
  bool constant = false;
  std::vector<std::string> at;  // navigation segments (empty = the document)
  bool has_default = false;
  json fallback;                     // the final get()'s default
  std::vector<std::string> keys;     // has: the chain; *_keys / list_contains_any / repr: the values
  json value;                        // equals
  double number = 0;                 // num_ge, len_lt
  std::shared_ptr<const RE2> regex;  // matches
  bool stringify = true;             // matches
  std::vector<Predicate> children;
};

/// Where a predicate last looked, so a file that fails can be reported at the node that decided it: the
/// value tested, or the mapping that should have held a missing key.
struct Trace {
  const Predicate* leaf = nullptr;  ///< the last leaf predicate evaluated
  int negation_depth = 0;           ///< `not`s around the predicate being evaluated
  bool negated = false;             ///< the leaf sat under an odd number of `not`
  std::string key_path;             ///< dotted keys of the value tested ("" for the document)
  bool missing = false;             ///< the final key was absent
  bool has_node = false;
  YamlNode node = 0;                ///< the value, or the mapping that lacks the key
  std::optional<Value> value;       ///< the value tested, when there was one
};

struct EvalState {
  const YamlView& view;
  Value root;
  bool strict = false;
  Trace* trace = nullptr;
};

/// `at` navigation with "get with default": every parent must be a mapping
/// (else Python's AttributeError on .get); a missing intermediate level reads
/// as {} and a missing final one as the predicate's default.
Value navigate(const EvalState& s, const Predicate& p) {
  Value cur = s.root;
  if (s.trace) {
    s.trace->key_path = joined(p.at, p.at.size());
    s.trace->missing = false;
    s.trace->has_node = cur.is_node;
    s.trace->node = cur.node;
  }
  for (std::size_t i = 0; i < p.at.size(); ++i) {
    if (!is_mapping(s.view, cur)) {
      if (s.strict)
        throw PyError{"expected a mapping at '" + joined(p.at, i) + "', found " + neutral_type(s.view, cur)};
      throw PyError{"AttributeError: '" + short_type(s.view, cur) + "' object has no attribute 'get'"};
    }
    const bool last = i + 1 == p.at.size();
    if (auto next = get(s.view, cur, p.at[i])) {
      cur = std::move(*next);
    } else {
      if (s.trace && !s.trace->missing) {
        // The first absent key: the mapping that should hold it is where a person fixes it.
        s.trace->missing = true;
        s.trace->key_path = joined(p.at, i + 1);
        s.trace->has_node = cur.is_node;
        s.trace->node = cur.node;
      }
      cur = of_literal(last ? p.fallback : json::object());
    }
  }
  if (s.trace) {
    if (!s.trace->missing && cur.is_node) {
      s.trace->has_node = true;
      s.trace->node = cur.node;
    }
    s.trace->value = s.trace->missing ? std::nullopt : std::optional<Value>(cur);
  }
  return cur;
}

/// Strict: membership tests are key tests on mappings only (docs/reference-compatibility.md#rc-12).
void require_mapping(const EvalState& s, const Value& v, const std::string& where) {
  if (s.strict && !is_mapping(s.view, v))
    throw PyError{"expected a mapping at '" + where + "', found " + neutral_type(s.view, v)};
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

bool eval_predicate(const EvalState& s, const Predicate& p) {
  if (s.trace && p.op != Predicate::Op::all && p.op != Predicate::Op::any && p.op != Predicate::Op::negate &&
      p.op != Predicate::Op::constant) {
    s.trace->leaf = &p;
    s.trace->negated = s.trace->negation_depth % 2 == 1;
    s.trace->value.reset();
    s.trace->missing = false;
    s.trace->has_node = false;
    s.trace->key_path.clear();
  }
  switch (p.op) {
    case Predicate::Op::constant:
      return p.constant;
    case Predicate::Op::all:
      for (const auto& c : p.children)
        if (!eval_predicate(s, c)) return false;
      return true;
    case Predicate::Op::any:
      for (const auto& c : p.children)
        if (eval_predicate(s, c)) return true;
      return false;
    case Predicate::Op::negate: {
      if (s.trace) ++s.trace->negation_depth;
      const bool inner = eval_predicate(s, p.children.front());
      if (s.trace) --s.trace->negation_depth;
      return !inner;
    }
    case Predicate::Op::has: {
      // `k1 in d and k2 in d[k1] and ...`: a membership test at each level,
      // then a subscript that raises on anything but a mapping.
      Value cur = s.root;
      for (std::size_t i = 0; i < p.keys.size(); ++i) {
        require_mapping(s, cur, joined(p.keys, i));
        if (s.trace) {
          s.trace->key_path = joined(p.keys, i + 1);
          s.trace->has_node = cur.is_node;
          s.trace->node = cur.node;
        }
        if (!python_in(s.view, cur, p.keys[i])) {
          if (s.trace) s.trace->missing = true;
          return false;
        }
        if (i + 1 == p.keys.size()) break;
        if (!is_mapping(s.view, cur)) {
          const std::string t = short_type(s.view, cur);
          if (t == "list") throw PyError{"TypeError: list indices must be integers or slices, not str"};
          if (t == "str") throw PyError{"TypeError: string indices must be integers, not 'str'"};
          throw PyError{"TypeError: '" + t + "' object is not subscriptable"};
        }
        cur = *get(s.view, cur, p.keys[i]);
      }
      return true;
    }
    case Predicate::Op::all_keys:
    case Predicate::Op::any_keys: {
      const Value target = navigate(s, p);
      require_mapping(s, target, joined(p.at, p.at.size()));
      const bool want_all = p.op == Predicate::Op::all_keys;
      for (const auto& k : p.keys) {
        const bool in = python_in(s.view, target, k);
        if (want_all && !in) return false;
        if (!want_all && in) return true;
      }
      return want_all;
    }
    case Predicate::Op::truthy:
      return truthy(s.view, navigate(s, p));
    case Predicate::Op::is_mapping:
      return is_mapping(s.view, navigate(s, p));
    case Predicate::Op::equals:
      return python_equals(s.view, navigate(s, p), p.value);
    case Predicate::Op::num_ge: {
      // isinstance(v, (int, float)) and v >= x; bool is an int in Python.
      const Value v = navigate(s, p);
      if (!v.is_node) return (v.literal.is_number() || v.literal.is_boolean()) && v.literal.get<double>() >= p.number;
      const YamlKind kind = s.view.kind(v.node);
      if (kind != YamlKind::boolean && kind != YamlKind::integer && kind != YamlKind::floating) return false;
      const auto n = s.view.as_number(v.node);
      return n && *n >= p.number;
    }
    case Predicate::Op::len_lt:
      return static_cast<double>(python_len(s.view, navigate(s, p))) < p.number;
    case Predicate::Op::matches: {
      const Value v = navigate(s, p);
      if (!p.stringify && !is_string(s.view, v))
        throw PyError{"TypeError: expected string or bytes-like object, got '" + short_type(s.view, v) + "'"};
      const std::string text = value_str(s.view, v);
      // re.match: anchored at the start only; the pattern's own `$` anchors the end.
      return p.regex->Match(text, 0, text.size(), RE2::ANCHOR_START, nullptr, 0);
    }
    case Predicate::Op::list_contains_any: {
      const Value target = navigate(s, p);
      if (s.strict && !is_sequence(s.view, target))
        throw PyError{"expected a list at '" + joined(p.at, p.at.size()) + "', found " + neutral_type(s.view, target)};
      for (const auto& k : p.keys)
        if (python_in(s.view, target, k)) return true;
      return false;
    }
    case Predicate::Op::upper_contains: {
      const Value v = navigate(s, p);
      if (!is_string(s.view, v))
        throw PyError{"AttributeError: '" + short_type(s.view, v) + "' object has no attribute 'upper'"};
      // ASCII upper-casing: str.upper() differs only for a few non-ASCII
      // letters (e.g. U+0131 -> I), none of which can form the ASCII needles.
      return util::to_upper_ascii(value_str(s.view, v)).find(p.value.get<std::string>()) != std::string::npos;
    }
    case Predicate::Op::repr_contains_ci: {
      // str(document).lower(): a search over keys and values alike (DC001).
      const std::string text =
          s.root.is_node ? util::to_lower_ascii(s.view.python_repr(s.root.node)) : checks::python_repr(s.root.literal);
      for (const auto& k : p.keys)
        if (text.find(k) != std::string::npos) return true;
      return false;
    }
  }
  return false;
}

// ---------------------------------------------------------- catalog parsing

/// A catalog scalar as a typed JSON value (plain: YAML 1.2 core typing; quoted: always a string).
json typed_scalar(const YAML::Node& node) {
  if (node.IsNull()) return nullptr;
  if (node.IsSequence()) {
    json out = json::array();
    for (const auto& item : node) out.push_back(typed_scalar(item));
    return out;
  }
  if (node.IsMap()) {
    json out = json::object();
    for (const auto& kv : node) out[kv.first.Scalar()] = typed_scalar(kv.second);
    return out;
  }
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") return text;  // quoted
  if (text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  long long as_int = 0;
  if (!text.empty() && YAML::convert<long long>::decode(node, as_int) &&
      text.find_first_not_of("+-0123456789") == std::string::npos)
    return as_int;
  double as_double = 0;
  if (!text.empty() && text.find_first_not_of("+-.0123456789eE") == std::string::npos &&
      YAML::convert<double>::decode(node, as_double))
    return as_double;
  return text;
}

std::vector<std::string> split_path(const std::string& dotted) {
  if (dotted.empty()) return {};
  return util::split(dotted, '.');
}

std::vector<std::string> scalar_list(Params& params, const YAML::Node& node, const std::string& what, bool* ok) {
  std::vector<std::string> out;
  if (!node.IsSequence() || node.size() == 0) {
    params.error(what + " must be a non-empty list of strings", node);
    *ok = false;
    return out;
  }
  for (const auto& item : node) {
    if (!item.IsScalar()) {
      params.error(what + " must be a list of strings", item);
      *ok = false;
      continue;
    }
    out.push_back(item.Scalar());
  }
  return out;
}

/// Parses one YamlPredicate node; `ok` turns false on any problem (reported).
Predicate parse_predicate(Params& params, const YAML::Node& node, bool* ok) {
  Predicate p;
  if (node.IsScalar() && (node.Scalar() == "true" || node.Scalar() == "false")) {
    p.op = Predicate::Op::constant;
    p.constant = node.Scalar() == "true";
    return p;
  }
  if (!node.IsMap() || node.size() != 1) {
    params.error("a YAML predicate is a one-key map such as {has: [k]} or {all: [...]}", node);
    *ok = false;
    return p;
  }
  const std::string op = node.begin()->first.Scalar();
  const YAML::Node arg = node.begin()->second;
  auto children = [&](Predicate::Op kind) {
    p.op = kind;
    if (!arg.IsSequence() || arg.size() == 0) {
      params.error("'" + op + "' needs a non-empty list of predicates", arg);
      *ok = false;
      return;
    }
    for (const auto& c : arg) p.children.push_back(parse_predicate(params, c, ok));
  };
  // The map form {at: path, default: d, ...}: reads `at` and `default`, reports unknown keys.
  auto located = [&](Predicate::Op kind, const std::vector<std::string>& extra) {
    p.op = kind;
    if (!arg.IsMap()) {
      params.error("'" + op + "' needs a map with 'at'", arg);
      *ok = false;
      return false;
    }
    for (const auto& kv : arg) {
      const std::string k = kv.first.Scalar();
      if (k != "at" && k != "default" && std::find(extra.begin(), extra.end(), k) == extra.end()) {
        params.error("unknown key '" + k + "' in '" + op + "'", kv.first);
        *ok = false;
      }
    }
    if (!arg["at"].IsDefined() || !(arg["at"].IsScalar() || arg["at"].IsNull())) {
      params.error("'" + op + "' needs 'at' (a dotted path, \"\" for the document)", arg);
      *ok = false;
      return false;
    }
    p.at = split_path(arg["at"].IsNull() ? std::string() : arg["at"].Scalar());
    if (arg["default"].IsDefined()) {
      p.has_default = true;
      p.fallback = typed_scalar(arg["default"]);
    }
    for (const auto& k : extra)
      if (!arg[k].IsDefined() && k != "stringify") {
        params.error("'" + op + "' needs '" + k + "'", arg);
        *ok = false;
        return false;
      }
    return true;
  };
  if (op == "all") {
    children(Predicate::Op::all);
  } else if (op == "any") {
    children(Predicate::Op::any);
  } else if (op == "not") {
    p.op = Predicate::Op::negate;
    p.children.push_back(parse_predicate(params, arg, ok));
  } else if (op == "has") {
    p.op = Predicate::Op::has;
    p.keys = scalar_list(params, arg, "'has'", ok);
  } else if (op == "truthy" || op == "is_mapping") {
    p.op = op == "truthy" ? Predicate::Op::truthy : Predicate::Op::is_mapping;
    if (!(arg.IsScalar() || arg.IsNull())) {
      params.error("'" + op + "' takes a dotted path", arg);
      *ok = false;
    } else {
      p.at = split_path(arg.IsNull() ? std::string() : arg.Scalar());
    }
    p.fallback = nullptr;  // d.get(k): None when absent
  } else if (op == "all_keys" || op == "any_keys") {
    if (located(op == "all_keys" ? Predicate::Op::all_keys : Predicate::Op::any_keys, {"keys"}))
      p.keys = scalar_list(params, arg["keys"], "'keys'", ok);
    if (!p.has_default) p.fallback = json::object();  // d.get(k, {})
  } else if (op == "list_contains_any") {
    if (located(Predicate::Op::list_contains_any, {"values"}))
      p.keys = scalar_list(params, arg["values"], "'values'", ok);
    if (!p.has_default) p.fallback = json::array();
  } else if (op == "equals") {
    if (located(Predicate::Op::equals, {"value"})) {
      p.value = typed_scalar(arg["value"]);
      if (p.value.is_array() || p.value.is_object()) {
        params.error("'equals' compares with a scalar", arg["value"]);
        *ok = false;
      }
    }
  } else if (op == "num_ge" || op == "len_lt") {
    if (located(op == "num_ge" ? Predicate::Op::num_ge : Predicate::Op::len_lt, {"value"})) {
      const json v = typed_scalar(arg["value"]);
      if (!v.is_number()) {
        params.error("'" + op + "' value must be a number", arg["value"]);
        *ok = false;
      } else {
        p.number = v.get<double>();
      }
    }
    if (op == "len_lt" && !p.has_default) p.fallback = json::array();
  } else if (op == "matches") {
    if (located(Predicate::Op::matches, {"regex", "stringify"})) {
      RE2::Options options;
      options.set_log_errors(false);
      options.set_dot_nl(false);
      auto re = std::make_shared<RE2>(arg["regex"].Scalar(), options);
      if (!re->ok()) {
        params.error("bad regex '" + arg["regex"].Scalar() + "': " + re->error(), arg["regex"]);
        *ok = false;
      }
      p.regex = std::move(re);
      if (arg["stringify"].IsDefined()) p.stringify = arg["stringify"].as<bool>(true);
    }
  } else if (op == "upper_contains") {
    if (located(Predicate::Op::upper_contains, {"value"})) {
      p.value = arg["value"].Scalar();
      if (!p.has_default) p.fallback = "";
    }
  } else if (op == "repr_contains_ci") {
    p.op = Predicate::Op::repr_contains_ci;
    p.keys = scalar_list(params, arg, "'repr_contains_ci'", ok);
    for (auto& k : p.keys) k = util::to_lower_ascii(k);
  } else {
    params.error("unknown YAML predicate '" + op +
                     "' (has, all_keys, any_keys, truthy, is_mapping, equals, num_ge, len_lt, matches, "
                     "list_contains_any, upper_contains, repr_contains_ci, all, any, not)",
                 node);
    *ok = false;
  }
  return p;
}

// ------------------------------------------------------------ findings

std::string listed(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

/// What a leaf predicate wants, in words ("a semantic version matching /^\d+\.\d+\.\d+$/").
std::string expectation(const Predicate& p) {
  switch (p.op) {
    case Predicate::Op::has: return "the key to exist";
    case Predicate::Op::all_keys: return "a mapping with the keys " + listed(p.keys);
    case Predicate::Op::any_keys: return "a mapping with one of the keys " + listed(p.keys);
    case Predicate::Op::truthy: return "a non-empty value";
    case Predicate::Op::is_mapping: return "a mapping";
    case Predicate::Op::equals: return p.value.dump();
    case Predicate::Op::num_ge: return "a number of at least " + json(p.number).dump();
    case Predicate::Op::len_lt: return "fewer than " + json(p.number).dump() + " items";
    case Predicate::Op::matches: return "a value matching /" + p.regex->pattern() + "/";
    case Predicate::Op::list_contains_any: return "a list holding one of " + listed(p.keys);
    case Predicate::Op::upper_contains: return "text containing " + p.value.get<std::string>();
    case Predicate::Op::repr_contains_ci: return "a document mentioning one of " + listed(p.keys);
    default: return "a value the rule accepts";
  }
}

/// A short rendering of a tested value for a message: scalars as JSON text, collections by kind.
std::string shown(const YamlView& view, const Value& v) {
  if (!v.is_node) return v.literal.dump();
  if (view.is_mapping(v.node)) return "a mapping";
  if (view.is_sequence(v.node)) return "a list";
  std::string text = view.to_json(v.node).dump();
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return text;
}

/// The finding for a file whose document the predicate judged wrong, at the node the trace last looked at.
/// `satisfied`: the predicate held (a `none` quantifier forbids that).
Finding yaml_finding(const std::string& rel, const YamlView& view, const Trace& trace, bool satisfied) {
  Finding f;
  f.path = rel;
  if (trace.has_node) {
    f.line = view.line(trace.node);
    f.column = view.column(trace.node);
  }
  const std::string what = trace.key_path.empty() ? std::string("the document") : trace.key_path;
  const bool forbidden = trace.negated != satisfied;  // the leaf held where the rule needs it not to
  const std::string wanted = trace.leaf ? expectation(*trace.leaf) : std::string("a value the rule accepts");
  f.identity = what;
  if (trace.missing && !forbidden) {
    f.kind = FindingKind::missing;
    f.message = what + " is missing: expected " + wanted;
    f.expected = wanted;
    return f;
  }
  f.kind = FindingKind::invalid_value;
  const std::string actual = trace.value ? shown(view, *trace.value) : std::string("absent");
  f.message = what + " is " + actual + ": expected " + (forbidden ? "anything but " : "") + wanted;
  f.expected = (forbidden ? "not " : "") + wanted;
  f.actual = actual;
  return f;
}

/// The position a YAML error text starts with ("line L, column C: ..."), else none.
void position_from_error(const std::string& error, Finding* f) {
  unsigned line = 0, column = 0;
  if (std::sscanf(error.c_str(), "line %u, column %u", &line, &column) == 2) {
    f->line = line;
    f->column = column;
  }
}

Finding unreadable_yaml(const std::string& rel, const std::string& error) {
  Finding f = make_finding(rel, FindingKind::unreadable, rel + " could not be read as YAML: " + error);
  position_from_error(error, &f);
  return f;
}

// --------------------------------------------------------- document access

/// The parsed document of `entry`, or why it cannot be had (Python's wording
/// for what open() would have said).
struct Loaded {
  const YamlView* view = nullptr;
  std::string error;
};

Loaded load_document(const snapshot::ImageView& image, std::uint32_t entry) {
  Loaded out;
  const snapshot::YamlDocument doc = image.yaml(entry);
  if (doc.status == snapshot::YamlStatus::ok) {
    out.view = doc.view;
    return out;
  }
  if (doc.status == snapshot::YamlStatus::error) {
    out.error = std::string(doc.error);
    return out;
  }
  const std::string absolute = std::string(image.root_path()) + "/" + std::string(image.path(entry));
  if (image.is_dir_following_links(entry)) {
    out.error = "[Errno 21] Is a directory: '" + absolute + "'";
  } else if (!image.exists_following_links(entry)) {
    out.error = "[Errno 2] No such file or directory: '" + absolute + "'";
  } else if (!image.is_file_following_links(entry)) {
    out.error = "not a regular file: '" + absolute + "'";
  } else {
    // The plan asked for this file's YAML (yaml_queries); not finding it is a bug, said as such.
    out.error = "internal error: no YAML document in the snapshot for '" + absolute + "'";
  }
  return out;
}

// ----------------------------------------------------------- P9 yaml_files_field

/// How many load/evaluation errors strict evidence lists (all are counted).
constexpr std::size_t k_listed_errors = 20;

class YamlFilesField final : public Check {
 public:
  std::shared_ptr<const FileQuery> query;
  Predicate predicate;
  Quantifier quantifier;
  bool errors_are_violations = false;
  bool require_truthy_doc = false;
  bool strict = false;
  json constants = json::object();

  Outputs evaluate(const EvalContext& context) const override {
    const auto& image = context.image;
    const FileQuery::Matches matches = query->run(image);
    json violating = json::array();
    json satisfied_files = json::array();
    json errors = json::array();
    std::vector<Finding> findings;
    const bool offending_when_satisfied = quantifier.matches_offend();
    for (std::size_t i = 0; i < matches.sampled; ++i) {
      const std::uint32_t entry = matches.found[i];
      const std::string rel(image.path(entry));
      std::string error;
      bool satisfied = false;
      Trace trace;
      const Loaded doc = load_document(image, entry);
      if (doc.view == nullptr) {
        error = doc.error;
      } else {
        const YamlNode root = doc.view->root();
        try {
          if (strict && !doc.view->is_mapping(root)) {
            throw PyError{"the document is not a mapping (found " + std::string(doc.view->value_type_name(root)) + ")"};
          }
          if (!require_truthy_doc || doc.view->truthy(root)) {
            const EvalState state{*doc.view, of_node(root), strict, &trace};
            satisfied = eval_predicate(state, predicate);
          } else {
            trace.has_node = true;
            trace.node = root;
            trace.value = of_node(root);
            trace.leaf = nullptr;
          }
        } catch (const PyError& e) {
          error = e.text;
        }
      }
      if (!error.empty()) {
        errors.push_back({{"file", rel}, {"error", error}});
        if (errors_are_violations) violating.push_back(rel);
        findings.push_back(unreadable_yaml(rel, error));
        continue;
      }
      if (satisfied) {
        satisfied_files.push_back(rel);
      } else {
        violating.push_back(rel);
      }
      if (satisfied == offending_when_satisfied) findings.push_back(yaml_finding(rel, *doc.view, trace, satisfied));
    }
    Outputs out;
    out.passed = quantifier.passed(matches.found.size(), matches.sampled, satisfied_files.size(), violating.size());
    if (!out.passed) {
      if (findings.empty()) {
        Finding f = make_finding(query->describe(), FindingKind::missing,
                                 matches.found.empty() ? "no file matches " + query->describe()
                                                       : std::to_string(satisfied_files.size()) + "/" +
                                                             std::to_string(matches.sampled) + " files matching " +
                                                             query->describe() + " pass: needs " +
                                                             quantifier.requirement());
        if (!matches.found.empty()) f.kind = FindingKind::below_threshold;
        findings.push_back(std::move(f));
      } else if (quantifier.kind == Quantifier::Kind::ratio_ge || quantifier.kind == Quantifier::Kind::count_ge) {
        // A threshold rule: each file falls short of a shared bar; say where the bar is.
        const std::string bar = " (" + std::to_string(satisfied_files.size()) + "/" +
                                std::to_string(matches.sampled) + " files pass; needs " + quantifier.requirement() + ")";
        for (auto& f : findings)
          if (f.kind != FindingKind::unreadable) {
            f.kind = FindingKind::below_threshold;
            f.message += bar;
          }
      }
      out.findings = std::move(findings);
    }
    out.values["found"] = matches.found.size();
    out.values["sampled"] = matches.sampled;
    out.values["satisfied"] = satisfied_files.size();
    out.values["satisfied_files"] = std::move(satisfied_files);
    out.values["violation_count"] = violating.size();
    out.values["violating"] = std::move(violating);
    out.values["error_count"] = errors.size();
    add_constants(constants, out.values);
    // docs/reference-compatibility.md#rc-13: strict says which files could not be evaluated (the first k_listed_errors, and how many); the
    // reference stays silent.
    if (strict && !errors.empty()) {
      json listed = json::array();
      for (std::size_t i = 0; i < errors.size() && i < k_listed_errors; ++i) listed.push_back(errors[i]);
      out.notes["errors"] = std::move(listed);
      out.notes["error_count"] = errors.size();
    }
    out.values["errors"] = std::move(errors);
    return out;
  }

  void yaml_queries(std::vector<std::shared_ptr<const FileQuery>>* out) const override { out->push_back(query); }
};

// ------------------------------------------------- P10 contract_field_present

/// Where the SoT contract is and how it was loaded; resolved once per image
/// and shared by the 185 rules that read it (docs/reference-compatibility.md#rc-21).
struct ContractResolution {
  enum class State { no_files, load_error, ok };
  State state = State::no_files;
  std::string file;   ///< absolute path of the selected file
  std::string relative;  ///< the same, repository-relative (for findings)
  std::string error;  ///< load_error
  std::optional<YamlView> view;
  std::vector<std::uint32_t> unreadable;  ///< unreadable entries the resolution touched (access_journal.hpp)
};

class ContractSource {
 public:
  std::shared_ptr<const FileQuery> query;
  std::string exact_path;  ///< strict: this path first
  std::string prefer, avoid;
  bool strict_selection = false;

  /// The resolution for `image`, computed by the first caller and cached
  /// (thread-safe; keyed by the image's address, size and checksum).
  ContractResolution resolve(const snapshot::ImageView& image) const {
    const std::lock_guard<std::mutex> lock(m_mutex);
    if (!(m_cached && m_key_data == image.data() && m_key_size == image.size() &&
          m_key_checksum == image.checksum())) {
      store(image);
    }
    // Every rule that uses the resolution touched what computing it touched, cached or not.
    for (const std::uint32_t entry : m_resolution.unreadable) snapshot::note_if_unreadable(image, entry);
    return m_resolution;
  }

 private:
  void store(const snapshot::ImageView& image) const {
    const snapshot::AccessJournal journal;
    m_resolution = compute(image);
    m_resolution.unreadable = journal.touched();
    m_key_data = image.data();
    m_key_size = image.size();
    m_key_checksum = image.checksum();
    m_cached = true;
  }

  ContractResolution compute(const snapshot::ImageView& image) const {
    ContractResolution r;
    std::optional<std::uint32_t> pick;
    auto lower_name = [&](std::uint32_t e) { return util::to_lower_ascii(image.name(e)); };
    const auto exact = strict_selection ? image.lookup(0, exact_path) : std::nullopt;
    // The search runs only when its result is used, so an unreadable folder elsewhere in the tree does not
    // count against a strict contract found at its exact path (access_journal.hpp).
    const std::vector<std::uint32_t> candidates =
        exact && image.is_file_following_links(*exact) ? std::vector<std::uint32_t>{} : query->run(image).found;
    if (strict_selection) {
      // Strict (docs/reference-compatibility.md#rc-21): exactly the master definition's file, else the sorted-first name match, else nothing.
      if (exact && image.is_file_following_links(*exact)) {
        pick = *exact;
      } else {
        for (const std::uint32_t e : candidates)
          if (lower_name(e).find(prefer) != std::string::npos && (!pick || image.path(e) < image.path(*pick))) pick = e;
      }
    } else {
      // Reference: the first name match, else the first non-OpenAPI file, else the first file (walk order).
      for (const std::uint32_t e : candidates)
        if (!pick && lower_name(e).find(prefer) != std::string::npos) pick = e;
      if (!avoid.empty())
        for (const std::uint32_t e : candidates)
          if (!pick && lower_name(e).find(avoid) == std::string::npos) pick = e;
      if (!pick && !candidates.empty()) pick = candidates.front();
    }
    if (!pick) return r;
    r.file = std::string(image.root_path()) + "/" + std::string(image.path(*pick));
    r.relative = std::string(image.path(*pick));
    const Loaded doc = load_document(image, *pick);
    if (doc.view == nullptr) {
      r.state = ContractResolution::State::load_error;
      r.error = doc.error;
      return r;
    }
    r.state = ContractResolution::State::ok;
    r.view = *doc.view;
    return r;
  }

  mutable std::mutex m_mutex;
  mutable bool m_cached = false;
  mutable const std::byte* m_key_data = nullptr;
  mutable std::size_t m_key_size = 0;
  mutable std::uint64_t m_key_checksum = 0;
  mutable ContractResolution m_resolution;
};

/// One ContractSource per distinct contract spec, so every field rule of a
/// profile shares one resolution (and one cache).
std::shared_ptr<const ContractSource> shared_contract_source(
    const std::string& key, const std::function<std::shared_ptr<ContractSource>()>& make) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const ContractSource>> sources;
  const std::lock_guard<std::mutex> lock(mutex);
  auto& slot = sources[key];
  if (!slot) slot = make();
  return slot;
}

class ContractFieldPresent final : public Check {
 public:
  std::shared_ptr<const ContractSource> source;
  std::string field_path;
  std::vector<std::string> segments;
  std::string category;
  bool strict = false;

  Outputs evaluate(const EvalContext& context) const override {
    const ContractResolution r = source->resolve(context.image);
    Outputs out;
    out.values["field_path"] = field_path;
    out.values["category"] = category;
    json evidence = json::object();
    auto finish = [&](bool passed, std::string detail) {
      out.passed = passed;
      out.values["detail"] = std::move(detail);
      out.evidence = std::move(evidence);
      return out;
    };
    switch (r.state) {
      case ContractResolution::State::no_files: {
        evidence["error"] = "No contract files";
        evidence["field_path"] = field_path;
        if (strict) out.notes["expected_contract"] = source->exact_path;
        const std::string wanted = strict ? source->exact_path : source->query->describe();
        Finding f = make_finding(wanted, FindingKind::missing,
                                 "no contract file found (looked for " + wanted + "): " + field_path + " cannot be checked");
        f.identity = field_path;
        out.findings.push_back(std::move(f));
        return finish(false, "No contract files found in repository");
      }
      case ContractResolution::State::load_error: {
        evidence["error"] = r.error;
        evidence["file"] = r.file;
        Finding f = unreadable_yaml(r.relative, r.error);
        f.identity = field_path;
        out.findings.push_back(std::move(f));
        return finish(false, "Failed to load contract YAML: " + r.error);
      }
      case ContractResolution::State::ok:
        break;
    }
    const YamlView& view = *r.view;
    YamlNode cur = view.root();
    for (std::size_t i = 0; i < segments.size(); ++i) {
      if (!view.is_mapping(cur)) {
        const std::string prefix = joined(segments, i);
        evidence["field_path"] = field_path;
        evidence["failed_at"] = prefix;
        evidence["type"] = strict ? std::string(view.value_type_name(cur)) : std::string(view.python_type_name(cur));
        Finding f = make_finding(r.relative, FindingKind::invalid_value,
                                 (prefix.empty() ? std::string("the document") : prefix) + " is a " +
                                     std::string(view.value_type_name(cur)) + ": expected a mapping holding " +
                                     segments[i]);
        f.line = view.line(cur);
        f.column = view.column(cur);
        f.expected = "map";
        f.actual = std::string(view.value_type_name(cur));
        f.identity = field_path;
        out.findings.push_back(std::move(f));
        return finish(false, "Path '" + prefix + "' is not a dict");
      }
      const auto next = view.find(cur, segments[i]);
      if (!next) {
        json available = json::array();
        for (std::uint32_t k = 0; k < view.size(cur); ++k) available.push_back(view.to_json(view.key_at(cur, k)));
        evidence["field_path"] = field_path;
        evidence["missing_field"] = segments[i];
        evidence["available_fields"] = std::move(available);
        // A missing key points at the mapping that should hold it.
        const std::string holder = i == 0 ? std::string("the document") : joined(segments, i);
        Finding f = make_finding(r.relative, FindingKind::missing,
                                 field_path + " is missing: expected key " + segments[i] + " in " + holder);
        f.line = view.line(cur);
        f.column = view.column(cur);
        f.expected = field_path;
        f.identity = field_path;
        out.findings.push_back(std::move(f));
        return finish(false, "Missing required field '" + field_path + "'");
      }
      cur = *next;
    }
    evidence["field_path"] = field_path;
    evidence["value_type"] = strict ? std::string(view.value_type_name(cur)) : std::string(view.python_type_name(cur));
    evidence["contract_file"] = r.file;
    return finish(true, "Field '" + field_path + "' exists");
  }

  void yaml_queries(std::vector<std::shared_ptr<const FileQuery>>* out) const override {
    out->push_back(source->query);
  }
};

// ------------------------------------------------------ P11 shard_path_ratio
class ShardPathRatio final : public Check {
 public:
  std::shared_ptr<const RE2> root_regex, shard_regex;  // shard_regex may be null: any name
  std::size_t max_roots = 0, max_shards = 0;           // 0 = all
  std::string container, file;
  Ratio ratio;
  bool strict = false;

  Outputs evaluate(const EvalContext& context) const override {
    const auto& image = context.image;
    std::size_t expected = 0, valid = 0;
    json errors = json::array();
    std::vector<Finding> lacking;
    auto roots = child_dirs(image, 0, root_regex.get());
    if (max_roots != 0 && roots.size() > max_roots) roots.resize(max_roots);
    for (const auto& root : roots) {
      const auto holder = image.lookup(root.entry, container);
      if (!holder || !image.exists_following_links(*holder)) continue;
      if (!image.is_dir_following_links(*holder)) {
        const std::string absolute = std::string(image.root_path()) + "/" + std::string(image.path(*holder));
        const std::string text = "[Errno 20] Not a directory: '" + absolute + "'";
        // The reference's iterdir() raises out of the whole run (docs/reference-compatibility.md#rc-14): an ERROR verdict here.
        if (!strict) throw FileError(text, std::string(image.path(*holder)));
        errors.push_back({{"file", std::string(image.path(*holder))}, {"error", text}});
        lacking.push_back(make_finding(std::string(image.path(*holder)), FindingKind::unreadable,
                                       std::string(image.path(*holder)) + " is not a folder: expected the shards in it"));
        continue;
      }
      auto shards = child_dirs(image, *holder, shard_regex.get());
      if (max_shards != 0 && shards.size() > max_shards) shards.resize(max_shards);
      for (const auto& shard : shards) {
        ++expected;
        const auto chart = image.lookup(shard.entry, file);
        if (chart && image.exists_following_links(*chart)) {
          ++valid;
        } else {
          lacking.push_back(make_finding(std::string(image.path(shard.entry)) + "/" + file, FindingKind::missing, ""));
        }
      }
    }
    Outputs out;
    out.passed = expected > 0 && ratio.reached(valid, expected);
    if (!out.passed) {
      const std::string bar =
          std::to_string(valid) + "/" + std::to_string(expected) + " shards have " + file + "; needs at least " +
          ratio.percent_text();
      for (auto& f : lacking) {
        if (f.kind != FindingKind::missing) continue;
        f.message = "no " + file + " in " + f.path.substr(0, f.path.size() - file.size() - 1) + " (" + bar + ")";
        f.expected = "at least " + ratio.percent_text();
        f.actual = std::to_string(valid) + "/" + std::to_string(expected);
      }
      if (expected == 0)
        lacking.push_back(make_finding(std::string(k_repository_path), FindingKind::missing,
                                       "no shard folders found: expected each to hold " + file));
      else if (lacking.empty())
        lacking.push_back(make_finding(std::string(k_repository_path), FindingKind::below_threshold, bar));
      out.findings = std::move(lacking);
    }
    out.values["valid_paths"] = valid;
    out.values["total_expected"] = expected;
    if (!errors.empty()) out.notes["errors"] = std::move(errors);
    return out;
  }
};

/// The rule's FileQuery, shared with every other YAML rule that asks the same query under the same profile
/// (the chart and manifest samples recur in ~70 rules), so the snapshot's "which files to parse" test can
/// skip duplicates by identity.
std::shared_ptr<const FileQuery> shared_query(Params& params) {
  const YAML::Node node = params.node("query");
  if (!node.IsDefined() || !node.IsMap()) return FileQuery::parse(params);  // reports the problem
  const std::string key =
      std::string(params.profile() == Profile::strict ? "strict\n" : "reference\n") + YAML::Dump(node);
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const FileQuery>> queries;
  {
    const std::lock_guard<std::mutex> lock(mutex);
    if (const auto it = queries.find(key); it != queries.end()) return it->second;
  }
  auto query = FileQuery::parse(params);
  if (!query) return query;
  const std::lock_guard<std::mutex> lock(mutex);
  return queries.emplace(key, std::move(query)).first->second;
}

std::size_t count_or_all(Params& params, const std::string& key, std::size_t fallback) {
  const YAML::Node node = params.node(key);
  if (!node.IsDefined() || node.IsNull()) return fallback;
  if (node.IsScalar() && node.Scalar() == "all") return 0;
  try {
    const long long n = node.as<long long>();
    if (n > 0) return static_cast<std::size_t>(n);
  } catch (const YAML::Exception&) {
  }
  params.error("'" + key + "' must be 'all' or a positive integer", node);
  return fallback;
}

}  // namespace

std::unique_ptr<Check> make_yaml_files_field(Params& params) {
  auto check = std::make_unique<YamlFilesField>();
  check->strict = params.profile() == Profile::strict;
  check->query = shared_query(params);
  // Reference: skip a file that fails to load (CS001 says violation); strict: always a violation (docs/reference-compatibility.md#rc-13).
  const std::string on_error = params.choice("on_error", {"skip", "violation"}, check->strict ? "violation" : "skip");
  check->errors_are_violations = check->strict || on_error == "violation";
  check->require_truthy_doc = params.boolean_or("require_truthy_doc", false);
  bool ok = true;
  const YAML::Node predicate = params.node("predicate");
  if (!predicate.IsDefined()) {
    params.error("yaml_files_field needs a 'predicate'");
    ok = false;
  } else {
    check->predicate = parse_predicate(params, predicate, &ok);
  }
  check->quantifier = Quantifier::parse(params);
  check->constants = parse_constants(params);
  if (!check->query || !ok) return nullptr;
  return check;
}

std::unique_ptr<Check> make_contract_field_present(Params& params) {
  auto check = std::make_unique<ContractFieldPresent>();
  check->strict = params.profile() == Profile::strict;
  check->field_path = params.string_or("path", "");
  if (check->field_path.empty()) params.error("contract_field_present needs a non-empty 'path'");
  check->segments = split_path(check->field_path);
  check->category = params.string_or("category", "");
  const YAML::Node contract = params.node("contract");
  if (!contract.IsDefined() || !contract.IsMap()) {
    params.error("contract_field_present needs 'contract': {patterns, prefer_name_contains, ...}", contract);
    return nullptr;
  }
  Params sub(contract, params.file(), params.diagnostics(), params.fallback_line());
  sub.set_profile(params.profile());
  const std::vector<std::string> patterns = sub.string_list("patterns", true);
  const std::string exact = sub.string_or("exact_path", "");
  const std::string prefer = util::to_lower_ascii(sub.string_or("prefer_name_contains", ""));
  const std::string avoid = util::to_lower_ascii(sub.string_or("avoid_name_contains", ""));
  sub.finish();
  // The selection follows the profile (docs/reference-compatibility.md#rc-21): strict wants exactly the master definition's file.
  const bool strict_selection = check->strict;
  if (strict_selection && (exact.empty() || prefer.empty()))
    params.error("the strict profile's contract selection needs 'exact_path' and 'prefer_name_contains'", contract);
  std::string key = std::string(strict_selection ? "strict" : "reference") + "|" + exact + "|" + prefer + "|" + avoid;
  for (const auto& p : patterns) key += "|" + p;
  bool query_ok = true;
  check->source = shared_contract_source(key, [&] {
    // The FileQuery sees only its own keys. A fresh node (not the catalog's) keeps yaml-cpp from merging
    // the whole rule file's node memory into it.
    YAML::Node holder(YAML::NodeType::Map);
    for (const auto& p : patterns) holder["query"]["patterns"].push_back(p);
    Params query_params(holder, params.file(), params.diagnostics(), params.fallback_line());
    query_params.set_profile(params.profile());
    auto source = std::make_shared<ContractSource>();
    source->query = FileQuery::parse(query_params);
    query_ok = source->query != nullptr;
    source->exact_path = exact;
    source->prefer = prefer;
    source->avoid = avoid;
    source->strict_selection = strict_selection;
    return source;
  });
  if (!query_ok || !check->source->query) return nullptr;
  return check;
}

std::unique_ptr<Check> make_shard_path_ratio(Params& params) {
  auto check = std::make_unique<ShardPathRatio>();
  check->strict = params.profile() == Profile::strict;
  check->root_regex = params.regex("root_regex");
  const std::string shard_regex = params.string_or("shard_regex", "");
  if (!shard_regex.empty()) check->shard_regex = params.regex("shard_regex");
  check->max_roots = count_or_all(params, "max_roots", 0);
  check->max_shards = count_or_all(params, "max_shards", 0);
  check->container = params.string_or("container", "shards");
  check->file = params.string_or("file", "chart.yaml");
  const YAML::Node ratio = params.node("ratio");
  const auto parsed = ratio.IsScalar() ? Ratio::parse(ratio.Scalar()) : std::nullopt;
  if (!parsed) {
    params.error("'ratio' must be a non-negative decimal number", ratio);
  } else {
    check->ratio = *parsed;
  }
  if (!check->root_regex || !parsed) return nullptr;
  return check;
}

}  // namespace sotcheck::checks
