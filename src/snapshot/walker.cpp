#include "sotcheck/snapshot/walker.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <set>
#include <utility>

#include "listing_queue.hpp"
#include "sotcheck/util/cpus.hpp"
#include "sotcheck/util/worker_threads.hpp"

namespace sotcheck::snapshot {

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

std::string_view PathSpeller::path_of(std::uint32_t index) {
  const std::uint32_t parent = m_tree->nodes[index].parent;
  if (!m_has_parent || parent != m_parent) {
    walk_path(*m_tree, parent, &m_path);
    if (!m_path.empty()) m_path += '/';
    m_prefix = m_path.size();
    m_parent = parent;
    m_has_parent = true;
  }
  m_path.resize(m_prefix);
  m_path += m_tree->nodes[index].name;
  return m_path;
}

namespace {

using Identity = std::pair<std::uint64_t, std::uint64_t>;  // (device, inode)

/// The walk proper, on one thread: every decision in breadth-first order, the
/// listings from `queue` (listed ahead by helpers, or here).
WalkTree assemble(TreeSource& source, const WalkOptions& options, ListingQueue& queue) {
  WalkTree tree;
  WalkNode root;
  root.kind = root.target_kind = EntryKind::directory;
  tree.nodes.push_back(root);

  // Per node: the identity its parent's listing gave (0/0 if none), the
  // identity of the directory it turned out to be once listed, whether it is
  // a symlinked directory the walk may enter, whether it lies at or below
  // one (a "linked copy" of some part of the tree), and whether it is to be
  // listed (a listing was queued for it when it was found).
  std::vector<Identity> listed_as(1), identity(1);
  std::vector<char> enterable_link(1, 0), in_linked_copy(1, 0), to_list(1, 1);
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
  // expanded, which is exactly the image's layout. A directory's path is
  // built once, from its parent's, when it is queued; only the queue (the
  // breadth-first frontier) holds paths, so a deep chain costs linear memory.
  std::vector<std::string> to_queue(1);  // the root
  queue.push(to_queue);
  for (std::uint32_t i = 0; i < tree.nodes.size(); ++i) {
    if (!to_list[i]) continue;
    const bool real_directory = tree.nodes[i].kind == EntryKind::directory;
    Listing listing = queue.next();
    const std::string& path = listing.path;
    Identity id = listed_as[i];
    if (i == 0) {
      id = identity[0];
    } else if (listing.has_identity) {
      id = listing.identity;  // the identity of what was actually listed
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
    if (!listing.listed) {
      tree.nodes[i].flags |= k_flag_dir_unreadable;
      tree.nodes[i].error = listing.error;
      // Keep whatever was listed before the failure: partial is better than nothing.
    }
    tree.nodes[i].first_child = static_cast<std::uint32_t>(tree.nodes.size());
    tree.nodes[i].child_count = static_cast<std::uint32_t>(listing.entries.size());
    const bool children_in_copy = in_linked_copy[i] || enterable_link[i];
    for (SourceEntry& entry : listing.entries) {
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
      const bool listable = (node.kind == EntryKind::directory || link_into_tree) &&
                            !(node.flags & (k_flag_not_descended | k_flag_loop));
      if (listable) to_queue.push_back(path.empty() ? node.name : path + "/" + node.name);
      tree.nodes.push_back(std::move(node));
      listed_as.emplace_back(entry.device, entry.inode);
      identity.emplace_back(0, 0);
      enterable_link.push_back(link_into_tree ? 1 : 0);
      in_linked_copy.push_back(children_in_copy ? 1 : 0);
      to_list.push_back(listable ? 1 : 0);
    }
    queue.push(to_queue);
  }
  return tree;
}

}  // namespace

WalkTree walk(TreeSource& source, const WalkOptions& options) {
  ListingQueue queue(source);
  const unsigned threads =
      source.concurrent_lists() ? (options.threads > 0 ? options.threads : util::usable_cpus()) : 1;
  if (threads <= 1) {
    WalkTree tree = assemble(source, options, queue);
    queue.close();
    return tree;
  }
  // One thread walks, the others list ahead of it. Which thread walks does
  // not matter; if no helper can start, the caller walks and lists alone.
  WalkTree tree;
  std::atomic<bool> walker_claimed{false};
  util::run_on_threads(threads - 1, [&] {
    if (walker_claimed.exchange(true)) {
      queue.help();
      return;
    }
    struct CloseWhenDone {
      ListingQueue& queue;
      ~CloseWhenDone() { queue.close(); }  // also on an exception, so no helper waits forever
    } close_when_done{queue};
    tree = assemble(source, options, queue);
  });
  return tree;
}

}  // namespace sotcheck::snapshot
