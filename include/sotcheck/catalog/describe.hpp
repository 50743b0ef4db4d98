#pragma once
/// Human text about a rule, generated from its check's parameters and the
/// primitives' declarations (checks/primitive_specs.hpp). Used by
/// `sotcheck rules show`, the generated docs/rules pages, and available to
/// every report that wants to explain a rule.

#include <string>

#include "sotcheck/catalog/model.hpp"

namespace sotcheck::catalog {

/// The "what it checks" sentence of `rule` under `profile`, e.g. "every shard
/// folder (NN_root/shards/NN_shard/) contains `values.yaml`".
std::string describe_check(const Rule& rule, Profile profile);

/// Markdown help for one rule: title, what it checks (per profile where they
/// differ), why, how to fix, example. For SARIF help.markdown and docs/rules.
std::string rule_help_markdown(const Rule& rule);

/// The one-line hint a report prints under a failing rule.
std::string explain_hint(const Rule& rule);

}  // namespace sotcheck::catalog
