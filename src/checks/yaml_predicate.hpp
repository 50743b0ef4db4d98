#pragma once
// YamlPredicate (docs/catalog-format.md): a predicate over one YAML document,
// compiled when the catalog loads and evaluated with Python's semantics as
// the reference validator's code evaluates them: "get with default"
// navigation, membership with `in`, truthiness, str()/repr(). In the strict
// profile (docs/reference-compatibility.md#rc-12) every level must be a
// mapping (a list only where a list is meant).

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <re2/re2.h>

#include "sotcheck/checks/params.hpp"
#include "yaml_python_value.hpp"

namespace sotcheck::checks {

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
  nlohmann::ordered_json fallback;   // the final get()'s default
  std::vector<std::string> keys;     // has: the chain; *_keys / list_contains_any / repr: the values
  nlohmann::ordered_json value;      // equals
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
  snapshot::YamlNode node = 0;      ///< the value, or the mapping that lacks the key
  std::optional<Value> value;       ///< the value tested, when there was one
};

struct EvalState {
  const snapshot::YamlView& view;
  Value root;
  bool strict = false;
  Trace* trace = nullptr;
};

/// Evaluates `p` on the document in `s`; raises PyError where Python raises (the file is then an error).
bool eval_predicate(const EvalState& s, const Predicate& p);

/// Parses one YamlPredicate node; `ok` turns false on any problem (reported through `params`).
Predicate parse_predicate(Params& params, const ParamNode& node, bool* ok);

/// What a leaf predicate wants, in words ("a semantic version matching /^\d+\.\d+\.\d+$/").
std::string expectation(const Predicate& p);

}  // namespace sotcheck::checks
