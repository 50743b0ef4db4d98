#pragma once
// Scaffolded trees shared by every test process of one build
// (docs/testing.md). CTest runs each test case as its own process, so a tree
// built in SetUpTestSuite was rebuilt once per case; here each distinct tree
// is built once into the build directory's `test-trees/` and reused until the
// sotcheck binary or the test binary changes.
//
// A shared tree is read-only by contract: a test that changes anything in it
// (files, links, modes) takes a PrivateTree (support/private_tree.hpp).

#include <cstdint>
#include <functional>
#include <string>

namespace sotcheck::testing {

/// How a shared tree is made: `sotcheck scaffold --size SIZE --seed SEED`, then
/// an optional change. `name` is the cache key, so two recipes that build
/// different trees must have different names (the change itself cannot be
/// compared; the test binary's identity, part of every key, covers edits to it).
struct TreeRecipe {
  std::string name;            ///< a file name: letters, digits, '-', '_', '.'
  std::string size = "small";  ///< as `scaffold --size` takes it
  std::uint64_t seed = 1;      ///< `scaffold`'s default seed is 1
  /// Applied to the freshly scaffolded tree (its path) before it is published.
  /// It reports a problem by throwing (not with a gtest assertion, which would
  /// not stop the tree from being published and shared).
  std::function<void(const std::string& tree)> change;
};

/// For a recipe's change: removes the file or directory `path`, throwing when
/// it is not there, so a change that no longer fits the scaffold fails loudly.
void remove_existing(const std::string& path);

/// The scaffold the end-to-end tests share: small, seed 7.
const TreeRecipe& seed7_scaffold();
/// The small scaffold with the default seed (1).
const TreeRecipe& default_scaffold();
/// seed7_scaffold() without the root folder 07_governance_legal (AR001 fails, CRITICAL).
const TreeRecipe& seed7_without_a_root();
/// seed7_scaffold() without 03_core/README.md (AR006 fails, HIGH).
const TreeRecipe& seed7_without_a_root_readme();

/// The path of the tree `recipe` builds (a directory named `ssid`), built now
/// if no test process of this build has built it yet. Safe when several
/// processes ask at once: each builds in a private directory and publishes it
/// with one rename; a process that loses the race uses the winner's tree.
/// Throws std::runtime_error (a test failure with the reason) when the tree
/// cannot be built.
std::string shared_tree(const TreeRecipe& recipe);
/// The same with the cache in `cache` instead of the build directory's
/// `test-trees/` (for the tests of this fixture). Each process answers a
/// (cache, recipe) pair from memory after the first call.
std::string shared_tree(const TreeRecipe& recipe, const std::string& cache);

}  // namespace sotcheck::testing
