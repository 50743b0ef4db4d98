#pragma once
/// TreeSource: where the walker gets directory listings and file bytes. The
/// real one reads the filesystem; tests use an in-memory tree (and can make
/// any entry fail with an errno, which is how unreadable entries are tested
/// without a second user).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sotcheck/snapshot/image_format.hpp"

namespace sotcheck::snapshot {

struct SourceEntry {
  std::string name;
  EntryKind kind = EntryKind::unknown;         ///< lstat kind
  EntryKind target_kind = EntryKind::unknown;  ///< for symlinks: stat kind (missing if dangling)
  std::uint64_t size = 0;
  std::uint64_t device = 0, inode = 0;  ///< identity of directories, for loop detection
  std::string link_target;
  int error = 0;  ///< errno if the entry vanished or could not be examined
};

class TreeSource {
 public:
  virtual ~TreeSource() = default;
  /// Lists a directory given relative to the root ("" = the root). Order is
  /// unspecified. Returns false and sets *error (errno) when it cannot be listed.
  virtual bool list(std::string_view relpath, std::vector<SourceEntry>* out, int* error) = 0;
  /// Reads up to `capacity` bytes of a regular file into `dest`. Returns the
  /// number of bytes read, or -errno. Never opens anything but regular files.
  virtual long long read(std::string_view relpath, char* dest, std::uint64_t capacity) = 0;
  /// True when read() may be called from several threads at once (the image
  /// builder then reads files in parallel). Listing is always single-threaded.
  virtual bool concurrent_reads() const { return false; }
  /// Identity (device, inode) of the root directory itself.
  virtual void root_identity(std::uint64_t* device, std::uint64_t* inode) = 0;
};

/// The real filesystem below an absolute directory path.
std::unique_ptr<TreeSource> make_filesystem_source(std::string root);

}  // namespace sotcheck::snapshot
