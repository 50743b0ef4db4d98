#include "sotcheck/snapshot/walker.hpp"

#include <algorithm>
#include <cerrno>
#include <set>
#include <utility>

namespace sotcheck::snapshot {
namespace {

using Identity = std::pair<std::uint64_t, std::uint64_t>;  // (device, inode)

}  // namespace

void walk_path(const WalkTree& tree, std::uint32_t index, std::string* out) {
  out->clear();
  if (index == 0) return;
  std::size_t length = 0;
  for (std::uint32_t i = index; i != 0; i = tree.nodes[i].parent) length += tree.nodes[i].name.size() + 1;
  out->resize(length - 1);  // no slash before the first component
  std::size_t end = out->size();
  for (std::uint32_t i = index; i != 0; i = tree.nodes[i].parent) {
    const std::string& name = tree.nodes[i].name;
    end -= name.size();
    out->replace(end, name.size(), name);
    if (end > 0) (*out)[--end] = '/';
  }
}

std::string walk_path(const WalkTree& tree, std::uint32_t index) {
  std::string path;
  walk_path(tree, index, &path);
  return path;
}

WalkTree walk(TreeSource& source, const WalkOptions& options) {
  WalkTree tree;
  WalkNode root;
  root.kind = root.target_kind = EntryKind::directory;
  tree.nodes.push_back(root);

  // Per node: the identity its parent's listing gave (0/0 if none), the
  // identity of the directory it turned out to be once listed, whether it is
  // a symlinked directory the walk may enter, and whether it lies at or below
  // one (a "linked copy" of some part of the tree).
  std::vector<Identity> listed_as(1), identity(1);
  std::vector<char> enterable_link(1, 0), in_linked_copy(1, 0);
  source.root_identity(&identity[0].first, &identity[0].second);

  // Real directories: each entered once (a second sighting is a bind-mount
  // loop). Linked copies: each link target entered once through links, and
  // never a directory that is its own ancestor, so links can neither loop
  // nor multiply the tree.
  std::set<Identity> entered_directories = {identity[0]};
  std::set<Identity> entered_link_targets;
  auto is_own_ancestor = [&](std::uint32_t node, const Identity& id) {
    for (std::uint32_t p = tree.nodes[node].parent;; p = tree.nodes[p].parent) {
      if (identity[p] == id) return true;
      if (p == 0) return false;
    }
  };

  // Breadth-first: the children of node i are appended contiguously when i is
  // expanded, which is exactly the image's layout.
  std::vector<SourceEntry> listing;
  // The path of each directory still to be listed (the source takes paths),
  // dropped once it is listed: only the breadth-first frontier holds paths,
  // so a deep chain costs linear memory, and each path is copied once from
  // its parent's (spelling it out by following the parents would visit
  // O(depth) nodes per directory, seconds at 12,000 deep).
  std::vector<std::string> pending_path(1);
  for (std::uint32_t i = 0; i < tree.nodes.size(); ++i) {
    const bool real_directory = tree.nodes[i].kind == EntryKind::directory;
    if (!real_directory && !enterable_link[i]) continue;
    if (tree.nodes[i].flags & (k_flag_not_descended | k_flag_loop)) continue;
    listing.clear();
    int error = 0;
    const std::string path = std::move(pending_path[i]);
    std::string().swap(pending_path[i]);
    const bool listed = source.list(path, &listing, &error);
    Identity id = listed_as[i];
    if (i == 0) {
      id = identity[0];
    } else if (listed && source.listed_identity(&id.first, &id.second)) {
      // the identity of what was actually listed
    }
    identity[i] = id;
    if (i != 0 && id != Identity{0, 0}) {
      bool loop = false;
      if (real_directory && !in_linked_copy[i]) {
        loop = !entered_directories.insert(id).second;
      } else {
        loop = is_own_ancestor(i, id) || (enterable_link[i] && !entered_link_targets.insert(id).second);
      }
      if (loop) {
        tree.nodes[i].flags |= k_flag_loop;
        continue;
      }
    }
    if (!listed) {
      tree.nodes[i].flags |= k_flag_dir_unreadable;
      tree.nodes[i].error = error;
      // Keep whatever was listed before the failure: partial is better than nothing.
    }
    std::sort(listing.begin(), listing.end(),
              [](const SourceEntry& a, const SourceEntry& b) { return a.name < b.name; });
    tree.nodes[i].first_child = static_cast<std::uint32_t>(tree.nodes.size());
    tree.nodes[i].child_count = static_cast<std::uint32_t>(listing.size());
    const bool children_in_copy = in_linked_copy[i] || enterable_link[i];
    for (SourceEntry& entry : listing) {
      WalkNode node;
      node.name = std::move(entry.name);
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
      if (!entry.unreadable_reason.empty()) {
        node.flags |= k_flag_unreadable;
        node.unreadable_reason = std::move(entry.unreadable_reason);
      }
      const bool link_into_tree = node.kind == EntryKind::symlink && node.target_kind == EntryKind::directory &&
                                  !entry.leaves_tree && node.unreadable_reason.empty() && entry.error == 0;
      if (node.kind == EntryKind::directory || link_into_tree) {
        if (std::find(options.do_not_descend.begin(), options.do_not_descend.end(), node.name) !=
            options.do_not_descend.end())
          node.flags |= k_flag_not_descended;
      }
      const bool to_list = (node.kind == EntryKind::directory || link_into_tree) &&
                           !(node.flags & (k_flag_not_descended | k_flag_loop));
      pending_path.emplace_back(to_list ? (path.empty() ? node.name : path + "/" + node.name) : std::string());
      tree.nodes.push_back(std::move(node));
      listed_as.emplace_back(entry.device, entry.inode);
      identity.emplace_back(0, 0);
      enterable_link.push_back(link_into_tree ? 1 : 0);
      in_linked_copy.push_back(children_in_copy ? 1 : 0);
    }
  }
  return tree;
}

}  // namespace sotcheck::snapshot
