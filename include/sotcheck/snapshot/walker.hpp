#pragma once
/// The walk: one pass over the repository that records every entry, in
/// breadth-first order with each directory's children sorted byte-wise. It
/// enters symlinked directories whose targets are inside the tree (each link
/// target once, never one of its own ancestors), never anything outside,
/// never a directory twice (bind-mount loops), and records unreadable or
/// vanished entries instead of failing. docs/robustness.md lists the cases.

#include <cstdint>
#include <string>
#include <vector>

#include "sotcheck/snapshot/image_format.hpp"
#include "sotcheck/snapshot/tree_source.hpp"

namespace sotcheck::snapshot {

struct WalkOptions {
  /// Directory names that are recorded but not entered (strict: ".git").
  std::vector<std::string> do_not_descend;
  /// Threads that list directories, the walking one included, when the source
  /// allows concurrent listings (TreeSource::concurrent_lists); 0 = one per
  /// usable CPU. The tree is the same whatever the count: one thread decides
  /// everything in breadth-first order, the others only list ahead of it.
  unsigned threads = 1;
};

/// One entry. Its path is its parent's path, '/', its name: stored as
/// (parent, name) so that the walk's memory is linear in the number of
/// entries even for a chain thousands of directories deep (full paths would
/// make it quadratic in depth). walk_path() spells a node's path out.
struct WalkNode {
  std::string name;  ///< the last path component; "" for the root
  std::uint32_t parent = 0;
  std::uint32_t first_child = 0;
  std::uint32_t child_count = 0;
  EntryKind kind = EntryKind::directory;
  EntryKind target_kind = EntryKind::directory;
  std::uint16_t flags = 0;
  std::int32_t error = 0;
  std::uint64_t size = 0;
  std::string link_target;
  /// Why the entry was not followed or read (k_flag_unreadable), e.g. a
  /// symlink out of the repository.
  std::string unreadable_reason;
};

struct WalkTree {
  std::vector<WalkNode> nodes;  ///< nodes[0] is the root
};

/// The path of `tree.nodes[index]` relative to the root ("" for the root),
/// written into *out (reused, so building many paths does not allocate each time).
void walk_path(const WalkTree& tree, std::uint32_t index, std::string* out);
std::string walk_path(const WalkTree& tree, std::uint32_t index);

/// Spells entries' paths as walk_path does, keeping the last parent's path:
/// files asked for in runs of siblings cost one name each, not a climb to the
/// root. One per thread.
class PathSpeller {
 public:
  explicit PathSpeller(const WalkTree& tree) : m_tree(&tree) {}
  /// The path of entry `index` (not the root); valid until the next call.
  std::string_view path_of(std::uint32_t index);

 private:
  const WalkTree* m_tree;
  std::uint32_t m_parent = 0;
  bool m_has_parent = false;
  std::size_t m_prefix = 0;  ///< the parent's path and its slash
  std::string m_path;
};

/// Walks the whole tree of `source`.
WalkTree walk(TreeSource& source, const WalkOptions& options);

}  // namespace sotcheck::snapshot
