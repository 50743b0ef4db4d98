#include "support/private_tree.hpp"

#include <filesystem>

namespace sotcheck::testing {

PrivateTree::PrivateTree(const TreeRecipe& recipe) : m_path(m_scratch.path() + "/ssid") {
  namespace fs = std::filesystem;
  // copy_symlinks: a recipe's links stay links in the copy, as in the original.
  fs::copy(shared_tree(recipe), m_path, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
}

}  // namespace sotcheck::testing
