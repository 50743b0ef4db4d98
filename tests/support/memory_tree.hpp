#pragma once
// An in-memory TreeSource for unit tests: build a tree with add_file/add_dir,
// make any path fail with an errno, then walk it like the real filesystem.

#include <map>
#include <string>

#include "sotcheck/snapshot/tree_source.hpp"

namespace sotcheck::testing {

class MemoryTree final : public snapshot::TreeSource {
 public:
  MemoryTree& add_dir(const std::string& path);
  MemoryTree& add_file(const std::string& path, const std::string& content = "");
  MemoryTree& add_symlink(const std::string& path, const std::string& target, snapshot::EntryKind target_kind);
  /// A symlink out of the repository, recorded as the filesystem source
  /// records one it does not follow (unreadable, target never examined).
  MemoryTree& add_outside_link(const std::string& path, const std::string& target);
  MemoryTree& add_special(const std::string& path, snapshot::EntryKind kind);
  /// list() or read() of `path` fails with `error`.
  MemoryTree& fail(const std::string& path, int error);
  MemoryTree& remove(const std::string& path);

  bool list(std::string_view relpath, std::vector<snapshot::SourceEntry>* out, int* error) override;
  long long read(std::string_view relpath, char* dest, std::uint64_t capacity) override;
  void root_identity(std::uint64_t* device, std::uint64_t* inode) override;

 private:
  struct Node {
    snapshot::EntryKind kind = snapshot::EntryKind::directory;
    snapshot::EntryKind target_kind = snapshot::EntryKind::directory;
    std::string content, link_target;
    std::uint64_t inode = 0;
    bool outside = false;
  };
  void ensure_parents(const std::string& path);
  std::map<std::string, Node> m_nodes;  // "" is the root
  std::map<std::string, int> m_failures;
  std::uint64_t m_next_inode = 2;
};

}  // namespace sotcheck::testing
