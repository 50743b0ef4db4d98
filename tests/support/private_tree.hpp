#pragma once
// A writable copy of a shared tree (support/shared_trees.hpp) for a test that
// changes it: files, links, modes. The copy is a real one (every file's bytes),
// not hard links, so writing into a file in place or changing its mode can
// never reach the shared tree that concurrent tests read.

#include <string>

#include "support/process.hpp"
#include "support/shared_trees.hpp"

namespace sotcheck::testing {

class PrivateTree {
 public:
  /// Copies the tree of `recipe` to a fresh temporary directory as `ssid`.
  explicit PrivateTree(const TreeRecipe& recipe);
  /// The copy (named `ssid`, like every shared tree).
  const std::string& path() const { return m_path; }
  /// The temporary directory holding the copy: room for reports and other
  /// files that must not be inside the tree; removed with it.
  const std::string& scratch() const { return m_scratch.path(); }

 private:
  TempDir m_scratch;
  std::string m_path;
};

}  // namespace sotcheck::testing
