#pragma once
/// What each check primitive accepts and produces, declared in one place:
/// its parameters (name, type, meaning, default) and its outputs (the names a
/// rule's message, evidence and findings may use). The loader rejects an output
/// name no primitive declares; docs/catalog-format.md and `sotcheck rules show`
/// are generated from these declarations.

#include <string_view>
#include <vector>

namespace sotcheck::checks {

struct ParamSpec {
  std::string_view name;
  std::string_view type;           ///< e.g. "string", "regex", "query", "roots | shards"
  std::string_view meaning;
  std::string_view default_value;  ///< empty: required
};

struct OutputSpec {
  std::string_view name;
  std::string_view type;  ///< "int", "bool", "list", "map", "string"
  std::string_view meaning;
};

struct PrimitiveSpec {
  std::string_view kind;
  std::string_view summary;  ///< one sentence: what the primitive decides
  /// The "what it checks" sentence; {param} inserts a parameter's value
  /// (lists joined), {param|text} inserts `text` when the parameter is unset.
  std::string_view describe;
  std::vector<ParamSpec> params;
  std::vector<OutputSpec> outputs;
  /// Combinators: each child's outputs are also available as CHILD.output,
  /// and its verdict as CHILD.passed (CHILD is the child's `name:` or c0, c1, ...).
  bool has_children = false;
};

/// Every primitive, in the order the registry lists them.
const std::vector<PrimitiveSpec>& primitive_specs();
const PrimitiveSpec* find_primitive_spec(std::string_view kind);

/// The keys of a file query (`query:`, `numerator:`, ...), shared by the primitives that take one.
const std::vector<ParamSpec>& file_query_params();

/// Parameters every primitive accepts: `constants` adds fixed outputs.
inline constexpr std::string_view k_constants_param = "constants";

}  // namespace sotcheck::checks
