#pragma once
// Test trees laid out for each profile, plus a helper that evaluates one rule
// of the built-in catalog on an in-memory tree.

#include <string>
#include <vector>

#include "sotcheck/catalog/model.hpp"
#include "sotcheck/exec/verdict.hpp"
#include "support/memory_tree.hpp"

namespace sotcheck::testing {

/// The 24 root and 16 shard names of the SSID master definition.
const std::vector<std::string>& root_names();
const std::vector<std::string>& shard_names();

/// A tree laid out as the master definition says (the strict profile's
/// layout): NN_root/README.md, NN_root/shards/NN_shard/{chart.yaml,values.yaml,templates/}.
MemoryTree strict_tree();
/// The layout the Python validator expects (reference profile): shards
/// directly under each root, with Chart.yaml.
MemoryTree reference_tree();

/// The built-in catalog, loaded once.
const catalog::Catalog& builtin_catalog();

/// Evaluates rule `id` of the built-in catalog on `tree` under `profile`.
exec::Verdict run_rule(const std::string& id, MemoryTree& tree, checks::Profile profile);

}  // namespace sotcheck::testing
