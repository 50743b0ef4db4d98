#pragma once
/// TreeSource: where the walker gets directory listings and file bytes. The
/// real one reads the filesystem; tests use an in-memory tree (and can make
/// any entry fail with an errno, which is how unreadable entries are tested
/// without a second user).

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sotcheck/snapshot/image_format.hpp"

namespace sotcheck::snapshot {

/// Why a symlink that leaves the repository was neither followed nor read.
inline constexpr std::string_view k_reason_outside_repository = "points outside the repository";

struct SourceEntry {
  std::string name;
  EntryKind kind = EntryKind::unknown;         ///< lstat kind
  EntryKind target_kind = EntryKind::unknown;  ///< for symlinks: stat kind (missing if dangling)
  std::uint64_t size = 0;
  /// Identity, for loop detection: of the directory, or of what a symlink
  /// points to. 0/0 when the source learns it only by listing the directory
  /// (then listed_identity() gives it).
  std::uint64_t device = 0, inode = 0;
  std::string link_target;
  int error = 0;  ///< errno if the entry vanished or could not be examined
  /// Set when the entry was deliberately not examined further (a symlink out
  /// of the repository): the entry is unreadable and this says why.
  std::string unreadable_reason;
  /// A symlink whose target is outside the repository (followed only when
  /// asked; never walked into either way).
  bool leaves_tree = false;
};

/// Reads files for one thread, keeping the directories on the way open from
/// one call to the next: a caller that asks for the files of a directory
/// together, and for directories in tree order, opens each directory about
/// once instead of resolving it again for every file.
class FileReader {
 public:
  virtual ~FileReader() = default;
  /// Exactly TreeSource::read(relpath, dest, capacity): same bytes, same errors.
  virtual long long read(std::string_view relpath, char* dest, std::uint64_t capacity) = 0;
};

/// Lists directories for one walk thread, keeping the directories on the way
/// open from one listing to the next (breadth-first, the next directory is
/// usually a sibling), so that no shared state is locked per listing.
class DirectoryLister {
 public:
  virtual ~DirectoryLister() = default;
  /// TreeSource::list, and in *identity the identity of what was listed
  /// (TreeSource::listed_identity; left empty when the source does not learn it by listing).
  virtual bool list(std::string_view relpath, std::vector<SourceEntry>* out, int* error,
                    std::optional<std::pair<std::uint64_t, std::uint64_t>>* identity) = 0;
};

class TreeSource {
 public:
  virtual ~TreeSource() = default;
  /// Lists a directory given relative to the root ("" = the root). Order is
  /// unspecified. Returns false and sets *error (errno) when it cannot be listed.
  /// Paths may pass through symlinked directories inside the tree.
  virtual bool list(std::string_view relpath, std::vector<SourceEntry>* out, int* error) = 0;
  /// Reads up to `capacity` bytes of a regular file into `dest`. Returns the
  /// number of bytes read, or -errno. Never opens anything but regular files.
  virtual long long read(std::string_view relpath, char* dest, std::uint64_t capacity) = 0;
  /// A reader for the calling thread (one per thread; it may hold
  /// descriptors until destroyed). The default one calls read().
  virtual std::unique_ptr<FileReader> reader();
  /// A lister for the calling thread, likewise. The default one calls list_with_identity().
  virtual std::unique_ptr<DirectoryLister> lister();
  /// list() followed by listed_identity() on the same thread, as DirectoryLister::list answers.
  bool list_with_identity(std::string_view relpath, std::vector<SourceEntry>* out, int* error,
                          std::optional<std::pair<std::uint64_t, std::uint64_t>>* identity);
  /// True when read() may be called from several threads at once (the image
  /// builder then reads files in parallel).
  virtual bool concurrent_reads() const { return false; }
  /// True when list() (each followed by listed_identity() on the same thread)
  /// may be called from several threads at once: the walk then lists ahead
  /// on helper threads (WalkOptions::threads).
  virtual bool concurrent_lists() const { return false; }
  /// Identity (device, inode) of the root directory itself.
  virtual void root_identity(std::uint64_t* device, std::uint64_t* inode) = 0;
  /// Identity of the directory the last successful list() on the calling thread read, for sources
  /// that learn it only by opening the directory (the filesystem source does
  /// not stat directories while listing their parent). False: use the
  /// identity the parent's listing gave.
  virtual bool listed_identity(std::uint64_t* /*device*/, std::uint64_t* /*inode*/) const { return false; }
};

struct FilesystemSourceOptions {
  /// Follow symlinks whose targets leave the repository (an explicit opt-in;
  /// by default such a link is recorded as unreadable and never opened).
  bool follow_outside_links = false;
  /// At most this many directory descriptors stay open for reuse; a directory
  /// evicted from the set is reopened from its nearest open ancestor.
  std::size_t max_open_directories = 64;
  /// Use openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) when the kernel has
  /// it; false forces the portable path (openat with O_NOFOLLOW one component
  /// at a time), which tests exercise on kernels that have openat2.
  bool use_openat2 = true;
  /// Test hook: called with the name of every open-like system call the
  /// source makes ("openat", "openat2", "fstatat", "readlinkat"), from
  /// whichever thread makes it (a walk with several threads lists on several).
  std::function<void(const char*)> on_syscall;
};

/// The real filesystem below an absolute directory path. Every open and stat
/// is relative to an already-open directory descriptor and never follows a
/// symlink in any component, except symlinks whose targets the source
/// resolves itself, component by component, and confines to the tree.
std::unique_ptr<TreeSource> make_filesystem_source(std::string root, FilesystemSourceOptions options = {});

}  // namespace sotcheck::snapshot
