// YamlPredicate (yaml_predicate.hpp): compiled from the catalog, evaluated
// on one document with Python's semantics (yaml_python_value.hpp).

#include "yaml_predicate.hpp"

#include <algorithm>

#include "dotted_path.hpp"
#include "sotcheck/checks/template.hpp"
#include "sotcheck/util/strings.hpp"

namespace sotcheck::checks {

using json = nlohmann::ordered_json;
using snapshot::YamlKind;
using snapshot::YamlNode;

namespace {

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
    if (auto next = python_get(s.view, cur, p.at[i])) {
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

/// A catalog scalar as a typed JSON value (plain: YAML 1.2 core typing; quoted: always a string).
json typed_scalar(const ParamNode& node) {
  if (node.is_null()) return nullptr;
  if (node.is_sequence()) {
    json out = json::array();
    for (const auto& item : node) out.push_back(typed_scalar(item));
    return out;
  }
  if (node.is_map()) {
    json out = json::object();
    for (const auto& kv : node) out[kv.first.scalar()] = typed_scalar(kv.second);
    return out;
  }
  const std::string& text = node.scalar();
  if (node.tag() == "!") return text;  // quoted
  if (text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  if (!text.empty() && text.find_first_not_of("+-0123456789") == std::string::npos)
    if (const auto as_int = node.to_integer()) return *as_int;
  if (!text.empty() && text.find_first_not_of("+-.0123456789eE") == std::string::npos)
    if (const auto as_double = node.to_double()) return *as_double;
  return text;
}

std::vector<std::string> scalar_list(Params& params, const ParamNode& node, const std::string& what, bool* ok) {
  std::vector<std::string> out;
  if (!node.is_sequence() || node.size() == 0) {
    params.error(what + " must be a non-empty list of strings", node);
    *ok = false;
    return out;
  }
  for (const auto& item : node) {
    if (!item.is_scalar()) {
      params.error(what + " must be a list of strings", item);
      *ok = false;
      continue;
    }
    out.push_back(item.scalar());
  }
  return out;
}

std::string listed(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

}  // namespace

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
        cur = *python_get(s.view, cur, p.keys[i]);
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

/// Parses one YamlPredicate node; `ok` turns false on any problem (reported).
Predicate parse_predicate(Params& params, const ParamNode& node, bool* ok) {
  Predicate p;
  if (node.is_scalar() && (node.scalar() == "true" || node.scalar() == "false")) {
    p.op = Predicate::Op::constant;
    p.constant = node.scalar() == "true";
    return p;
  }
  if (!node.is_map() || node.size() != 1) {
    params.error("a YAML predicate is a one-key map such as {has: [k]} or {all: [...]}", node);
    *ok = false;
    return p;
  }
  const std::string op = node.begin()->first.scalar();
  const ParamNode arg = node.begin()->second;
  auto children = [&](Predicate::Op kind) {
    p.op = kind;
    if (!arg.is_sequence() || arg.size() == 0) {
      params.error("'" + op + "' needs a non-empty list of predicates", arg);
      *ok = false;
      return;
    }
    for (const auto& c : arg) p.children.push_back(parse_predicate(params, c, ok));
  };
  // The map form {at: path, default: d, ...}: reads `at` and `default`, reports unknown keys.
  auto located = [&](Predicate::Op kind, const std::vector<std::string>& extra) {
    p.op = kind;
    if (!arg.is_map()) {
      params.error("'" + op + "' needs a map with 'at'", arg);
      *ok = false;
      return false;
    }
    for (const auto& kv : arg) {
      const std::string k = kv.first.scalar();
      if (k != "at" && k != "default" && std::find(extra.begin(), extra.end(), k) == extra.end()) {
        params.error("unknown key '" + k + "' in '" + op + "'", kv.first);
        *ok = false;
      }
    }
    if (!arg["at"].is_defined() || !(arg["at"].is_scalar() || arg["at"].is_null())) {
      params.error("'" + op + "' needs 'at' (a dotted path, \"\" for the document)", arg);
      *ok = false;
      return false;
    }
    p.at = split_path(arg["at"].is_null() ? std::string() : arg["at"].scalar());
    if (arg["default"].is_defined()) {
      p.has_default = true;
      p.fallback = typed_scalar(arg["default"]);
    }
    for (const auto& k : extra)
      if (!arg[k].is_defined() && k != "stringify") {
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
    if (!(arg.is_scalar() || arg.is_null())) {
      params.error("'" + op + "' takes a dotted path", arg);
      *ok = false;
    } else {
      p.at = split_path(arg.is_null() ? std::string() : arg.scalar());
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
      auto re = std::make_shared<RE2>(arg["regex"].scalar(), options);
      if (!re->ok()) {
        params.error("bad regex '" + arg["regex"].scalar() + "': " + re->error(), arg["regex"]);
        *ok = false;
      }
      p.regex = std::move(re);
      if (arg["stringify"].is_defined()) p.stringify = arg["stringify"].to_bool().value_or(true);
    }
  } else if (op == "upper_contains") {
    if (located(Predicate::Op::upper_contains, {"value"})) {
      p.value = arg["value"].scalar();
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

}  // namespace sotcheck::checks
