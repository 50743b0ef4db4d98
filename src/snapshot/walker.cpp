#include "sotcheck/snapshot/walker.hpp"

#include <algorithm>
#include <cerrno>
#include <set>
#include <utility>

namespace sotcheck::snapshot {

WalkTree walk(TreeSource& source, const WalkOptions& options) {
  WalkTree tree;
  WalkNode root;
  root.kind = root.target_kind = EntryKind::directory;
  tree.nodes.push_back(root);

  std::set<std::pair<std::uint64_t, std::uint64_t>> seen_dirs;
  std::uint64_t root_dev = 0, root_ino = 0;
  source.root_identity(&root_dev, &root_ino);
  seen_dirs.insert({root_dev, root_ino});

  // Breadth-first: the children of node i are appended contiguously when i is
  // expanded, which is exactly the image's layout.
  std::vector<SourceEntry> listing;
  for (std::uint32_t i = 0; i < tree.nodes.size(); ++i) {
    if (tree.nodes[i].kind != EntryKind::directory) continue;
    if (tree.nodes[i].flags & (k_flag_not_descended | k_flag_loop)) continue;
    listing.clear();
    int error = 0;
    if (!source.list(tree.nodes[i].path, &listing, &error)) {
      tree.nodes[i].flags |= k_flag_dir_unreadable;
      tree.nodes[i].error = error;
      // Keep whatever was listed before the failure: partial is better than nothing.
    }
    std::sort(listing.begin(), listing.end(),
              [](const SourceEntry& a, const SourceEntry& b) { return a.name < b.name; });
    tree.nodes[i].first_child = static_cast<std::uint32_t>(tree.nodes.size());
    tree.nodes[i].child_count = static_cast<std::uint32_t>(listing.size());
    const std::string parent_path = tree.nodes[i].path;
    for (SourceEntry& entry : listing) {
      WalkNode node;
      node.path = parent_path.empty() ? entry.name : parent_path + "/" + entry.name;
      node.name_length = static_cast<std::uint32_t>(entry.name.size());
      node.parent = i;
      node.kind = entry.kind;
      node.target_kind = entry.target_kind;
      node.size = entry.size;
      node.link_target = std::move(entry.link_target);
      if (entry.error != 0) {
        node.flags |= k_flag_vanished;
        node.error = entry.error;
        // Gone before it could be examined: for every rule it does not exist
        // (Python's exists() is False), rather than an entry of unknown kind.
        if (entry.error == ENOENT) node.target_kind = EntryKind::missing;
      }
      if (node.kind == EntryKind::directory) {
        if (std::find(options.do_not_descend.begin(), options.do_not_descend.end(), entry.name) !=
            options.do_not_descend.end()) {
          node.flags |= k_flag_not_descended;
        } else if (!seen_dirs.insert({entry.device, entry.inode}).second) {
          node.flags |= k_flag_loop;
        }
      }
      tree.nodes.push_back(std::move(node));
    }
  }
  return tree;
}

}  // namespace sotcheck::snapshot
