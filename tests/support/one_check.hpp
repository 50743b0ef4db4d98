#pragma once
// One check primitive compiled from YAML text and evaluated on an in-memory tree, for the primitives' own
// tests: the factory the catalog loader would call, and an image built for that one check's queries as
// `validate` builds it for the rules it selects.

#include <memory>
#include <string>

#include "sotcheck/checks/check.hpp"
#include "support/memory_tree.hpp"

namespace sotcheck::testing {

/// The check a YAML mapping describes (`kind:` names the primitive), compiled for `profile`. The test fails
/// on an unknown kind (the result is then null) and on any diagnostic.
std::unique_ptr<checks::Check> compile_check(const std::string& yaml, checks::Profile profile);

/// `check` evaluated on the image of `tree`, walked as `profile` walks, with the files its YAML and content
/// queries may match parsed and loaded, and without the fused content scan (the catalog tests cover that).
checks::Outputs evaluate_check(const checks::Check& check, MemoryTree& tree, checks::Profile profile);

}  // namespace sotcheck::testing
