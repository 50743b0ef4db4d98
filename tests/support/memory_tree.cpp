#include "support/memory_tree.hpp"

#include <cerrno>
#include <cstring>

namespace sotcheck::testing {

using snapshot::EntryKind;

void MemoryTree::ensure_parents(const std::string& path) {
  m_nodes.try_emplace("", Node{EntryKind::directory, EntryKind::directory, "", "", 1});
  for (std::size_t pos = path.find('/'); pos != std::string::npos; pos = path.find('/', pos + 1)) {
    const std::string parent = path.substr(0, pos);
    if (!m_nodes.count(parent)) m_nodes[parent] = Node{EntryKind::directory, EntryKind::directory, "", "", m_next_inode++};
  }
}

MemoryTree& MemoryTree::add_dir(const std::string& path) {
  ensure_parents(path + "/");
  return *this;
}

MemoryTree& MemoryTree::add_file(const std::string& path, const std::string& content) {
  ensure_parents(path);
  m_nodes[path] = Node{EntryKind::file, EntryKind::file, content, "", m_next_inode++};
  return *this;
}

MemoryTree& MemoryTree::add_symlink(const std::string& path, const std::string& target, EntryKind target_kind) {
  ensure_parents(path);
  m_nodes[path] = Node{EntryKind::symlink, target_kind, "", target, m_next_inode++};
  return *this;
}

MemoryTree& MemoryTree::add_outside_link(const std::string& path, const std::string& target) {
  ensure_parents(path);
  m_nodes[path] = Node{EntryKind::symlink, EntryKind::unknown, "", target, m_next_inode++, true};
  return *this;
}

MemoryTree& MemoryTree::add_special(const std::string& path, EntryKind kind) {
  ensure_parents(path);
  m_nodes[path] = Node{kind, kind, "", "", m_next_inode++};
  return *this;
}

MemoryTree& MemoryTree::fail(const std::string& path, int error) {
  m_failures[path] = error;
  return *this;
}

MemoryTree& MemoryTree::remove(const std::string& path) {
  for (auto it = m_nodes.begin(); it != m_nodes.end();) {
    if (it->first == path || it->first.rfind(path + "/", 0) == 0)
      it = m_nodes.erase(it);
    else
      ++it;
  }
  return *this;
}

bool MemoryTree::list(std::string_view relpath, std::vector<snapshot::SourceEntry>* out, int* error) {
  ensure_parents("");
  const std::string dir(relpath);
  if (auto f = m_failures.find(dir); f != m_failures.end()) {
    *error = f->second;
    return false;
  }
  const std::string prefix = dir.empty() ? "" : dir + "/";
  // The map is sorted: a directory's entries (and their descendants) follow
  // lower_bound(prefix), so listing stays linear in the directory's subtree.
  for (auto it = m_nodes.lower_bound(prefix); it != m_nodes.end(); ++it) {
    const auto& [path, node] = *it;
    if (path.compare(0, prefix.size(), prefix) != 0) break;
    if (path.empty() || path.size() <= prefix.size()) continue;
    const std::string rest = path.substr(prefix.size());
    if (rest.find('/') != std::string::npos) continue;
    snapshot::SourceEntry e;
    e.name = rest;
    e.kind = node.kind;
    e.target_kind = node.target_kind;
    e.size = node.content.size();
    e.device = 1;
    e.inode = node.inode;
    e.link_target = node.link_target;
    if (node.outside) {
      e.leaves_tree = true;
      e.unreadable_reason = std::string(snapshot::k_reason_outside_repository);
      e.size = 0;
    }
    out->push_back(std::move(e));
  }
  return true;
}

long long MemoryTree::read(std::string_view relpath, char* dest, std::uint64_t capacity) {
  const std::string path(relpath);
  if (auto f = m_failures.find(path); f != m_failures.end()) return -f->second;
  const auto it = m_nodes.find(path);
  if (it == m_nodes.end()) return -ENOENT;
  if (it->second.kind != EntryKind::file) return -EINVAL;
  const std::size_t n = std::min<std::size_t>(capacity, it->second.content.size());
  std::memcpy(dest, it->second.content.data(), n);
  return static_cast<long long>(n);
}

void MemoryTree::root_identity(std::uint64_t* device, std::uint64_t* inode) {
  *device = 1;
  *inode = 1;
}

}  // namespace sotcheck::testing
