// The real filesystem as a TreeSource, read relative to open directories.
//
// The tree is untrusted input (a pull request in CI): while it is walked and
// read, directories may be swapped for symlinks out of the tree. So nothing
// here opens by absolute path. Every open and stat is relative to a directory
// descriptor this source already holds and never follows a symlink in any
// component (openat2 with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS where the
// kernel has it, openat with O_NOFOLLOW one component at a time where not).
// Symlinks the rules must see through are resolved here, component by
// component from the root descriptor, and refused when they climb out.
// A directory reopened by name (its descriptor was dropped from the cache) must
// be the directory first seen under that name (device and inode): one swapped
// in meanwhile is refused with ESTALE, never walked or read as the same one.
// See docs/robustness.md.

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "adaptive_mutex.hpp"
#include "sotcheck/snapshot/tree_source.hpp"

namespace sotcheck::snapshot {
namespace {

EntryKind kind_from_mode(mode_t mode) {
  if (S_ISDIR(mode)) return EntryKind::directory;
  if (S_ISREG(mode)) return EntryKind::file;
  if (S_ISLNK(mode)) return EntryKind::symlink;
  if (S_ISFIFO(mode)) return EntryKind::fifo;
  if (S_ISSOCK(mode)) return EntryKind::socket;
  if (S_ISCHR(mode)) return EntryKind::char_device;
  if (S_ISBLK(mode)) return EntryKind::block_device;
  return EntryKind::unknown;
}

EntryKind kind_from_dirent_type(unsigned char type) {
  switch (type) {
    case DT_DIR: return EntryKind::directory;
    case DT_REG: return EntryKind::file;
    case DT_LNK: return EntryKind::symlink;
    case DT_FIFO: return EntryKind::fifo;
    case DT_SOCK: return EntryKind::socket;
    case DT_CHR: return EntryKind::char_device;
    case DT_BLK: return EntryKind::block_device;
    default: return EntryKind::unknown;  // DT_UNKNOWN: the filesystem does not say; stat it
  }
}

/// Closes a descriptor without disturbing errno (callers report the errno of what failed before).
void close_keeping_errno(int fd) {
  const int saved = errno;
  ::close(fd);
  errno = saved;
}

/// An open directory shared by the walk and the reader threads: closed when
/// the last user lets go, so evicting it from the cache never pulls it from
/// under a read in progress.
using SharedDir = std::shared_ptr<const int>;

/// (device, inode) of a directory.
using Identity = std::pair<std::uint64_t, std::uint64_t>;

/// A directory entry by the identity of the directory holding it and its
/// name: what the source remembers of every directory it opened, linear in
/// their number (a full path per directory would be quadratic in depth).
struct SeenKey {
  Identity parent;
  std::string name;
  bool operator==(const SeenKey&) const = default;
};

/// A SeenKey to look up without building its string (most lookups find a directory already seen).
struct SeenKeyView {
  Identity parent;
  std::string_view name;
};

struct SeenKeyHash {
  using is_transparent = void;
  std::size_t operator()(const SeenKeyView& k) const {
    const std::size_t h = std::hash<std::string_view>()(k.name);
    return h ^ (std::hash<std::uint64_t>()(k.parent.second) * 0x9e3779b97f4a7c15ull) ^ k.parent.first;
  }
  std::size_t operator()(const SeenKey& k) const { return (*this)(SeenKeyView{k.parent, k.name}); }
};

struct SeenKeyEqual {
  using is_transparent = void;
  static SeenKeyView view(const SeenKey& k) { return {k.parent, k.name}; }
  static SeenKeyView view(const SeenKeyView& k) { return k; }
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    return view(a).parent == view(b).parent && view(a).name == view(b).name;
  }
};

/// Hashes a path held as std::string or looked up as std::string_view alike (no copy per lookup).
struct PathHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view path) const { return std::hash<std::string_view>()(path); }
};

SharedDir share_descriptor(int fd) {
  return SharedDir(new int(fd), [](const int* p) {
    ::close(*p);
    delete p;
  });
}

std::deque<std::string> split_components(std::string_view path) {
  std::deque<std::string> parts;
  while (!path.empty()) {
    const std::size_t slash = path.find('/');
    parts.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

std::string join(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  std::string out(a);
  out += '/';
  out += b;
  return out;
}

/// Splits a relative path into its parent directory ("" at the top) and last component.
std::pair<std::string_view, std::string_view> split_parent(std::string_view relpath) {
  const std::size_t slash = relpath.rfind('/');
  if (slash == std::string_view::npos) return {{}, relpath};
  return {relpath.substr(0, slash), relpath.substr(slash + 1)};
}

/// The directory cache size (a quarter of RLIMIT_NOFILE at most) below which the walk lists on one thread.
constexpr std::size_t k_min_cache_for_concurrent_lists = 16;

class FilesystemSource final : public TreeSource {
 public:
  FilesystemSource(std::string root, FilesystemSourceOptions options)
      : m_root_path(std::move(root)), m_options(std::move(options)) {
    if (m_options.max_open_directories == 0) m_options.max_open_directories = 1;
    // The cache must not starve the rest of the run (reader threads, the
    // image's memfd, worker channels): keep at most a quarter of what
    // RLIMIT_NOFILE allows, and drop it whenever an open still hits EMFILE.
    struct rlimit limit {};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
      const auto budget = std::max<std::size_t>(1, static_cast<std::size_t>(limit.rlim_cur / 4));
      m_options.max_open_directories = std::min(m_options.max_open_directories, budget);
    }
    m_openat2_usable.store(m_options.use_openat2, std::memory_order_relaxed);
    const int fd = ::open(m_root_path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
      m_root = share_descriptor(fd);
      struct stat st {};
      if (::fstat(fd, &st) == 0) m_root_identity = {st.st_dev, st.st_ino};
    } else {
      m_root_error = errno;
    }
  }

  bool list(std::string_view relpath, std::vector<SourceEntry>* out, int* error) override {
    // The directory's identity comes from the descriptor we list: its parent's
    // listing did not stat it (d_type said "directory").
    Identity self;
    const SharedDir dir = acquire_directory(relpath, error, &self, true);
    if (!dir) return false;
    t_listed = self;
    return list_open(*dir, relpath, out, error);
  }

  /// Lists the open directory `dir_fd` (at `relpath`) into *out.
  bool list_open(int dir_fd, std::string_view relpath, std::vector<SourceEntry>* out, int* error) {
    // No rewind: the walk lists each (logical) directory once, through a
    // descriptor opened for that listing.
    alignas(8) char buffer[32 * 1024];
    for (;;) {
      const ssize_t n = ::getdents64(dir_fd, buffer, sizeof buffer);
      if (n < 0) {
        if (errno == EINTR) continue;
        *error = errno;  // keep what was listed before the failure
        return false;
      }
      if (n == 0) break;
      for (ssize_t at = 0; at < n;) {
        const auto* d = reinterpret_cast<const struct dirent64*>(buffer + at);
        at += d->d_reclen;
        const std::string_view name = d->d_name;
        if (name == "." || name == "..") continue;
        out->push_back(examine(dir_fd, relpath, d->d_name, d->d_type));
      }
    }
    return true;
  }

  bool listed_identity(std::uint64_t* device, std::uint64_t* inode) const override {
    *device = t_listed.first;
    *inode = t_listed.second;
    return true;
  }

  // Reads and listings open relative to shared directory descriptors (closed
  // by their last user); the cache and the record of directories seen are
  // locked, so several threads may read and list at once.
  bool concurrent_reads() const override { return true; }
  // Several listings at once hold several directories and symlink lookups
  // open: only with room for them (RLIMIT_NOFILE of 64 or more), else the walk
  // lists on one thread as it always could (ulimit -n 9 must still work).
  bool concurrent_lists() const override { return m_options.max_open_directories >= k_min_cache_for_concurrent_lists; }

  long long read(std::string_view relpath, char* dest, std::uint64_t capacity) override {
    // O_NONBLOCK so that a FIFO swapped in after the walk cannot block us; we
    // re-check that what we opened is a regular file before reading.
    constexpr int k_read_flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY;
    // Relative to the parent directory, reopened (and checked to be the one
    // the walk listed) when its descriptor is no longer cached: one open of
    // the file's own name, which cannot pass through a symlink.
    const auto [parent, name] = split_parent(relpath);
    int dir_error = 0;
    Identity ignored;
    const SharedDir base = acquire_directory(parent, &dir_error, &ignored, false);
    int fd = -1;
    if (base) {
      fd = open_beneath(*base, name, k_read_flags);
      if (fd < 0 && errno == EMFILE && drop_cached_directories()) fd = open_beneath(*base, name, k_read_flags);
    } else if (dir_error == ESTALE) {
      return -ESTALE;  // the directory is no longer the one the walk listed
    } else {
      errno = dir_error;
    }
    if (fd < 0 && (errno == ELOOP || errno == ENOTDIR)) {
      // A symlink (the file itself or a linked directory on the way): rules
      // read what it points to, as long as that is inside the tree.
      bool outside = false;
      fd = resolve_confined(relpath, k_read_flags, &outside);
      if (fd < 0 && outside) return -EXDEV;
    }
    if (fd < 0) return -errno;
    return read_opened(fd, dest, capacity);
  }

  std::unique_ptr<FileReader> reader() override;
  std::unique_ptr<DirectoryLister> lister() override;

  void root_identity(std::uint64_t* device, std::uint64_t* inode) override {
    struct stat st {};
    if (m_root && ::fstat(*m_root, &st) == 0) {
      *device = st.st_dev;
      *inode = st.st_ino;
    }
  }

 private:
  friend class HeldPath;
  friend class HeldPathReader;
  friend class HeldPathLister;

  void note(const char* syscall_name) const {
    if (m_options.on_syscall) m_options.on_syscall(syscall_name);
  }

  /// How many directories one reader or lister may hold: its share of the
  /// descriptor budget the cache also lives within.
  std::size_t held_share() const { return std::max<std::size_t>(1, m_options.max_open_directories / 4); }

  /// Reads the file open as `fd` (then closed) if it is a regular file: bytes read, or -errno.
  long long read_opened(int fd, char* dest, std::uint64_t capacity) const {
    struct stat st {};
    note("fstat");
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);
      return -EINVAL;
    }
    std::uint64_t done = 0;
    while (done < capacity) {
      const ssize_t n = ::read(fd, dest + done, capacity - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        const int e = errno;
        ::close(fd);
        return -e;
      }
      if (n == 0) break;
      done += static_cast<std::uint64_t>(n);
    }
    ::close(fd);
    return static_cast<long long>(done);
  }

  /// Records `identity` as the directory `name` below the directory `parent`
  /// the first time it is opened; false if it was first seen as another one
  /// (swapped since: the caller fails with ESTALE).
  bool matches_first_seen(Identity parent, std::string_view name, Identity identity) {
    const std::lock_guard<AdaptiveMutex> lock(m_seen_mutex);
    if (const auto it = m_seen.find(SeenKeyView{parent, name}); it != m_seen.end()) return it->second == identity;
    m_seen.emplace(SeenKey{parent, std::string(name)}, identity);
    return true;
  }

  /// The one check of a directory just opened as `name` below the directory
  /// whose identity is `parent` (with O_NOFOLLOW): 0 and its identity in
  /// *identity if it is a directory and the one first seen under that name,
  /// else why not (ELOOP a symlink, ENOTDIR, ESTALE swapped, or fstat's errno).
  int check_opened_directory(int fd, Identity parent, std::string_view name, Identity* identity) {
    struct stat st {};
    note("fstat");
    if (::fstat(fd, &st) != 0) return errno;
    if (S_ISLNK(st.st_mode)) return ELOOP;
    if (!S_ISDIR(st.st_mode)) return ENOTDIR;
    *identity = {st.st_dev, st.st_ino};
    return matches_first_seen(parent, name, *identity) ? 0 : ESTALE;
  }

  /// One directory entry from its d_type: files are stat'ed once (the image
  /// needs their size), directories not at all (they are stat'ed through the
  /// descriptor that lists them), symlinks resolved inside the tree.
  SourceEntry examine(int dir_fd, std::string_view dir_relpath, const char* name, unsigned char type) {
    SourceEntry entry;
    entry.name = name;
    entry.kind = kind_from_dirent_type(type);
    entry.target_kind = entry.kind;
    if (entry.kind == EntryKind::directory) return entry;
    if (entry.kind == EntryKind::file || entry.kind == EntryKind::unknown) {
      struct stat st {};
      note("fstatat");
      if (::fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        entry.error = errno;  // vanished between readdir and lstat
        entry.kind = entry.target_kind = EntryKind::unknown;
        return entry;
      }
      // d_type is a hint taken at readdir time; the stat is what we record.
      entry.kind = entry.target_kind = kind_from_mode(st.st_mode);
      entry.size = static_cast<std::uint64_t>(st.st_size);
      entry.device = st.st_dev;
      entry.inode = st.st_ino;
    }
    if (entry.kind == EntryKind::symlink) examine_link(dir_fd, dir_relpath, name, &entry);
    return entry;
  }

  void examine_link(int dir_fd, std::string_view dir_relpath, const char* name, SourceEntry* entry) {
    char buf[4096];
    note("readlinkat");
    const ssize_t n = ::readlinkat(dir_fd, name, buf, sizeof buf);
    if (n < 0) {
      entry->error = errno;  // vanished, or replaced by something that is not a link
      if (errno == ENOENT) entry->target_kind = EntryKind::missing;
      return;
    }
    entry->link_target.assign(buf, static_cast<std::size_t>(n));
    int fd = -1;
    bool outside = false;
    bool resolved = false;
    const std::string_view target = entry->link_target;
    if (target.find('/') == std::string_view::npos && target != "." && target != "..") {
      // A sibling: no need to start from the root (unless it is a link itself).
      note("openat");
      fd = ::openat(dir_fd, entry->link_target.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
      struct stat st {};
      if (fd < 0) {
        resolved = errno == ENOENT;  // dangling
      } else if (::fstat(fd, &st) == 0 && !S_ISLNK(st.st_mode)) {
        resolved = true;
      } else {
        ::close(fd);
        fd = -1;
      }
    }
    if (!resolved) fd = resolve_confined(join(dir_relpath, name), O_PATH, &outside);
    if (outside) entry->leaves_tree = true;
    if (outside && !m_options.follow_outside_links) {
      if (fd >= 0) ::close(fd);
      entry->unreadable_reason = std::string(k_reason_outside_repository);
      entry->target_kind = EntryKind::unknown;  // never looked at
      entry->size = 0;
      return;
    }
    struct stat st {};
    if (fd < 0 || ::fstat(fd, &st) != 0) {
      if (fd >= 0) ::close(fd);
      entry->target_kind = EntryKind::missing;  // dangling, a loop, or unreachable
      entry->size = 0;
      return;
    }
    ::close(fd);
    entry->target_kind = kind_from_mode(st.st_mode);
    entry->size = static_cast<std::uint64_t>(st.st_size);
    entry->device = st.st_dev;
    entry->inode = st.st_ino;
  }

  /// open(2) of `path` (one or more components, none "." or "..") below
  /// `dir_fd`, never following a symlink in any component: a symlink fails
  /// with ELOOP, an escape with EXDEV.
  int open_beneath(int dir_fd, std::string_view path, int flags) const {
    const std::string text(path);
    if (m_openat2_usable.load(std::memory_order_relaxed)) {
      open_how how{};
      how.flags = static_cast<std::uint64_t>(flags | O_CLOEXEC | O_NOFOLLOW);
      how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
      note("openat2");
      const long fd = ::syscall(SYS_openat2, dir_fd, text.c_str(), &how, sizeof how);
      if (fd >= 0) return static_cast<int>(fd);
      // ENOSYS: an old kernel; EPERM: a seccomp filter (containers) that does not know the call.
      if (errno != ENOSYS && errno != EPERM) return -1;
      m_openat2_usable.store(false, std::memory_order_relaxed);
    }
    // One component at a time, each with O_NOFOLLOW; intermediate ones as
    // O_PATH (no read permission needed to pass through) checked to be directories.
    int current = dir_fd;
    std::string_view rest = path;
    for (;;) {
      const std::size_t slash = rest.find('/');
      const std::string component(rest.substr(0, slash));
      if (component.empty() || component == "." || component == "..") {
        if (current != dir_fd) ::close(current);
        errno = EXDEV;
        return -1;
      }
      if (slash == std::string_view::npos) {
        note("openat");
        const int fd = ::openat(current, component.c_str(), flags | O_CLOEXEC | O_NOFOLLOW);
        if (current != dir_fd) close_keeping_errno(current);
        return fd;
      }
      note("openat");
      const int next = ::openat(current, component.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
      struct stat st {};
      int failure = 0;
      if (next < 0) {
        failure = errno;
      } else if (::fstat(next, &st) != 0) {
        failure = errno;
      } else if (S_ISLNK(st.st_mode)) {
        failure = ELOOP;
      } else if (!S_ISDIR(st.st_mode)) {
        failure = ENOTDIR;
      }
      if (current != dir_fd) ::close(current);
      if (failure != 0) {
        if (next >= 0) ::close(next);
        errno = failure;
        return -1;
      }
      current = next;
      rest.remove_prefix(slash + 1);
    }
  }

  /// Opens `relpath` (relative to the root) following the symlinks on the way
  /// the way the kernel would, but resolving each one ourselves, component by
  /// component from descriptors we hold: a link whose target climbs out of
  /// the tree (by ".." or an absolute path elsewhere) sets *outside and fails
  /// with EXDEV, unless following outside links was asked for. The last
  /// component is opened with `final_flags` (O_PATH: the object itself, for fstat).
  int resolve_confined(std::string_view relpath, int final_flags, bool* outside) const {
    if (!m_root) {
      errno = m_root_error;
      return -1;
    }
    const int root_fd = *m_root;
    std::vector<std::string> real;  // where `current` is, below the root, without links
    std::deque<std::string> todo = split_components(relpath);
    int current = root_fd;
    auto set_current = [&](int fd) {
      if (current != root_fd) ::close(current);
      current = fd;
    };
    auto fail = [&](int error) {
      set_current(root_fd);
      errno = error;
      return -1;
    };
    // Past the root: refused, or (when asked) opened by the kernel from the
    // absolute path the link names.
    auto leave = [&](std::string absolute) {
      *outside = true;
      if (!m_options.follow_outside_links) return fail(EXDEV);
      set_current(root_fd);
      for (const std::string& part : todo) absolute += "/" + part;
      note("openat");
      return ::open(absolute.c_str(), final_flags | O_CLOEXEC);
    };
    int links_followed = 0;
    while (!todo.empty()) {
      std::string component = std::move(todo.front());
      todo.pop_front();
      if (component.empty() || component == ".") continue;
      if (component == "..") {
        if (real.empty()) {
          std::string here = m_root_path + "/..";
          return leave(std::move(here));
        }
        real.pop_back();
        if (real.empty()) {
          set_current(root_fd);
        } else {
          std::string path;
          for (const std::string& part : real) path = join(path, part);
          const int fd = open_beneath(root_fd, path, O_PATH | O_DIRECTORY);
          if (fd < 0) return fail(errno);
          set_current(fd);
        }
        continue;
      }
      note("openat");
      const int fd = ::openat(current, component.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC);
      if (fd < 0) return fail(errno);
      struct stat st {};
      if (::fstat(fd, &st) != 0) {
        close_keeping_errno(fd);
        return fail(errno);
      }
      if (S_ISLNK(st.st_mode)) {
        char buf[4096];
        note("readlinkat");
        const ssize_t n = ::readlinkat(fd, "", buf, sizeof buf);
        ::close(fd);
        if (n < 0) return fail(errno);
        if (++links_followed > 40) return fail(ELOOP);  // the kernel's own limit
        std::string_view target(buf, static_cast<std::size_t>(n));
        if (!target.empty() && target.front() == '/') {
          // Absolute: inside only when it names a place below the root by its absolute path.
          if (target == m_root_path || (target.size() > m_root_path.size() && target.compare(0, m_root_path.size(), m_root_path) == 0 &&
                                        target[m_root_path.size()] == '/')) {
            target.remove_prefix(m_root_path.size());
            real.clear();
            set_current(root_fd);
          } else {
            return leave(std::string(target));
          }
        }
        std::deque<std::string> parts = split_components(target);
        todo.insert(todo.begin(), parts.begin(), parts.end());
        continue;
      }
      if (!todo.empty()) {
        if (!S_ISDIR(st.st_mode)) {
          ::close(fd);
          return fail(ENOTDIR);
        }
        real.push_back(std::move(component));
        set_current(fd);
        continue;
      }
      if ((final_flags & O_PATH) != 0) {
        set_current(root_fd);
        return fd;
      }
      ::close(fd);
      // Opened again by name with O_NOFOLLOW: if it became a symlink meanwhile, this fails (ELOOP).
      note("openat");
      const int opened = ::openat(current, component.c_str(), final_flags | O_CLOEXEC | O_NOFOLLOW);
      if (opened < 0) return fail(errno);
      set_current(root_fd);
      return opened;
    }
    // The path ended on a directory reached through ".." (or was empty): that directory itself.
    note("openat");
    const int opened = ::openat(current, ".", final_flags | O_CLOEXEC);
    const int error = errno;
    set_current(root_fd);
    errno = error;
    return opened;
  }

  /// The open directory at `relpath` (relative to the root, possibly through
  /// symlinked directories inside the tree) and its identity; `for_listing`
  /// asks for a descriptor getdents can read (the others may be O_PATH, which
  /// serves as a base for opens). Reuses a cached descriptor, or opens it from
  /// its nearest cached ancestor one component at a time without following
  /// symlinks, each component checked against the identity it had when first
  /// opened (ESTALE if it changed); falls back to the confined resolution when
  /// the path goes through a symlink.
  SharedDir acquire_directory(std::string_view relpath, int* error, Identity* identity, bool for_listing) {
    if (!m_root) {
      *error = m_root_error;
      return nullptr;
    }
    if (relpath.empty()) {
      *identity = m_root_identity;
      return m_root;
    }
    SharedDir cached;
    {
      const std::lock_guard<AdaptiveMutex> lock(m_cache_mutex);
      if (auto it = m_cache.find(relpath); it != m_cache.end()) {
        m_lru.splice(m_lru.begin(), m_lru, it->second.lru);
        *identity = it->second.identity;
        if (it->second.listable || !for_listing) return it->second.dir;
        cached = it->second.dir;
      }
    }
    if (cached) {
      // Held as a path only (passed through on the way to a deeper one): open
      // the very directory it holds for listing, with no name to resolve.
      note("openat");
      int fd = ::openat(*cached, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (fd < 0 && errno == EMFILE && drop_cached_directories())
        fd = ::openat(*cached, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (fd < 0) {
        *error = errno;
        return nullptr;
      }
      return remember(relpath, share_descriptor(fd), identity, true);
    }
    std::string_view rest;
    Identity base_identity;
    const SharedDir base = nearest_open_ancestor(relpath, &rest, &base_identity);
    const std::size_t start = relpath.size() - rest.size();
    SharedDir dir = open_directory_checked(base, base_identity, relpath, start, identity);
    if (!dir && errno == EMFILE && drop_cached_directories())
      dir = open_directory_checked(base, base_identity, relpath, start, identity);
    // A symlink on the way: ELOOP.
    if (!dir && errno == ELOOP) {
      bool outside = false;
      int fd = resolve_confined(relpath, O_RDONLY | O_DIRECTORY, &outside);
      struct stat st {};
      if (fd >= 0 && ::fstat(fd, &st) != 0) {
        close_keeping_errno(fd);
        fd = -1;
      }
      if (fd >= 0) {
        *identity = {st.st_dev, st.st_ino};
        dir = share_descriptor(fd);
      }
    }
    if (!dir) {
      *error = errno;
      return nullptr;
    }
    return remember(relpath, std::move(dir), identity, true);
  }

  /// Caches `dir` (identity *identity) as `relpath`, evicting the least
  /// recently used beyond the limit, and returns the descriptor to use: the
  /// one another thread cached first if it serves as well (then *identity is
  /// its identity), else `dir`.
  SharedDir remember(std::string_view relpath, SharedDir dir, Identity* identity, bool listable) {
    // Declared before the lock, so evicted descriptors are closed after it is released: a close()
    // under the lock would hold up every other listing and read.
    std::vector<SharedDir> evicted;
    const std::lock_guard<AdaptiveMutex> lock(m_cache_mutex);
    if (auto it = m_cache.find(relpath); it != m_cache.end()) {
      m_lru.splice(m_lru.begin(), m_lru, it->second.lru);
      if (it->second.listable || !listable) {
        *identity = it->second.identity;
        return it->second.dir;
      }
      it->second.dir = dir;  // a listable descriptor replaces a path-only one
      it->second.identity = *identity;
      it->second.listable = true;
      return dir;
    }
    m_lru.emplace_front(relpath);
    m_cache.emplace(m_lru.front(), CachedDirectory{dir, *identity, m_lru.begin(), listable});
    while (m_cache.size() > m_options.max_open_directories) {
      const auto victim = m_cache.find(m_lru.back());
      evicted.push_back(std::move(victim->second.dir));  // closed once its last user lets go
      m_cache.erase(victim);
      m_lru.pop_back();
    }
    return dir;
  }

  /// Opens the directory relpath[start..] (components without "." or "..")
  /// below `base` (the directory relpath[..start)), whose identity is
  /// `base_identity`, one component at a time with O_NOFOLLOW: a symlink fails
  /// with ELOOP, a non-directory with ENOTDIR (null, errno set). Each
  /// component's identity is recorded the first time it is opened under its
  /// parent and must match on every later open: a directory swapped for
  /// another (a rename race) fails with ESTALE. Intermediate components are
  /// O_PATH (no read permission needed to pass through) and stay cached, as
  /// the next directories of a breadth-first pass are their siblings; the
  /// last is opened for listing and its identity returned in *identity.
  SharedDir open_directory_checked(const SharedDir& base, Identity base_identity, std::string_view relpath,
                                   std::size_t start, Identity* identity) {
    SharedDir current = base;
    Identity current_identity = base_identity;
    for (std::size_t at = start;;) {
      const std::size_t slash = relpath.find('/', at);
      const bool last = slash == std::string_view::npos;
      const std::size_t end = last ? relpath.size() : slash;
      std::string component(relpath.substr(at, end - at));
      if (component.empty() || component == "." || component == "..") {
        errno = EXDEV;
        return nullptr;
      }
      note("openat");
      const int next = ::openat(*current, component.c_str(),
                                (last ? O_RDONLY | O_DIRECTORY : O_PATH) | O_NOFOLLOW | O_CLOEXEC);
      if (next < 0) {
        // O_DIRECTORY | O_NOFOLLOW on a symlink: ENOTDIR; say it is a link so the caller resolves it.
        const int error = errno;
        struct stat st {};
        errno = error == ENOTDIR && ::fstatat(*current, component.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                        S_ISLNK(st.st_mode)
                    ? ELOOP
                    : error;
        return nullptr;
      }
      Identity next_identity;
      if (const int failure = check_opened_directory(next, current_identity, component, &next_identity); failure != 0) {
        ::close(next);
        errno = failure;
        return nullptr;
      }
      SharedDir opened = share_descriptor(next);
      if (last) {
        *identity = next_identity;
        return opened;
      }
      current = remember(relpath.substr(0, end), std::move(opened), &next_identity, false);
      current_identity = next_identity;
      at = end + 1;
    }
  }

  /// Out of descriptors: closes every cached directory no reader holds (the
  /// cache refills as the walk goes on). True if the cache held any, so a
  /// retry can succeed; errno is kept for the caller otherwise.
  bool drop_cached_directories() {
    const int saved = errno;
    const std::lock_guard<AdaptiveMutex> lock(m_cache_mutex);
    const bool had_any = !m_cache.empty();
    m_cache.clear();
    m_lru.clear();
    errno = saved;
    return had_any;
  }

  /// The deepest cached directory strictly above `relpath` (the root at
  /// worst), and in *rest the path from it to `relpath`.
  SharedDir nearest_open_ancestor(std::string_view relpath, std::string_view* rest, Identity* identity) {
    *rest = relpath;
    const std::lock_guard<AdaptiveMutex> lock(m_cache_mutex);
    for (std::size_t slash = relpath.rfind('/'); slash != std::string_view::npos && slash > 0;
         slash = relpath.rfind('/', slash - 1)) {
      if (auto it = m_cache.find(relpath.substr(0, slash)); it != m_cache.end()) {
        m_lru.splice(m_lru.begin(), m_lru, it->second.lru);
        *rest = relpath.substr(slash + 1);
        *identity = it->second.identity;
        return it->second.dir;
      }
    }
    *identity = m_root_identity;
    return m_root;
  }

  struct CachedDirectory {
    SharedDir dir;
    Identity identity;
    std::list<std::string>::iterator lru;
    bool listable = true;  ///< opened for reading; false: O_PATH, a base for opens only
  };

  std::string m_root_path;
  FilesystemSourceOptions m_options;
  SharedDir m_root;
  Identity m_root_identity;
  int m_root_error = 0;
  mutable std::atomic<bool> m_openat2_usable{true};
  AdaptiveMutex m_cache_mutex;
  std::unordered_map<std::string, CachedDirectory, PathHash, std::equal_to<>> m_cache;
  std::list<std::string> m_lru;  // most recently used first
  AdaptiveMutex m_seen_mutex;
  std::unordered_map<SeenKey, Identity, SeenKeyHash, SeenKeyEqual> m_seen;  // every directory opened, as first seen
  /// The identity of the directory list() last read on this thread (listings run on several threads).
  static thread_local Identity t_listed;
};

thread_local Identity FilesystemSource::t_listed;

/// The directories of one thread's last path, held open root first, so the
/// next path in the same directory costs no open, and one in a neighbouring
/// directory opens only the components that differ. Each directory opened is
/// checked against the identity first seen under its name (ESTALE, as
/// everywhere in this source). At most `max_held` are held: a deeper path is
/// left to the source's cache.
class HeldPath {
 public:
  HeldPath(FilesystemSource& source, std::size_t max_held) : m_source(source), m_max_held(max_held) {}
  ~HeldPath() { pop_to(0); }
  HeldPath(const HeldPath&) = delete;
  HeldPath& operator=(const HeldPath&) = delete;

  /// Makes the held directories the components of `dir` (relative to the
  /// root; "" is the root itself) and returns the descriptor of `dir`, or -1
  /// (nothing held) when a component is not a plain directory the walk saw,
  /// or the path is deeper than our share of descriptors.
  int hold(std::string_view dir) {
    if (!m_source.m_root) return -1;
    if (!dir.empty() && static_cast<std::size_t>(std::count(dir.begin(), dir.end(), '/')) >= m_max_held) {
      pop_to(0);  // deeper than our share: the source's cache handles it
      return -1;
    }
    std::size_t depth = 0, at = 0;
    while (at < dir.size()) {
      const std::size_t slash = dir.find('/', at);
      const std::size_t end = slash == std::string_view::npos ? dir.size() : slash;
      const std::string_view component = dir.substr(at, end - at);
      if (depth < m_held.size() && m_held[depth].name == component) {
        ++depth;
        at = end + 1;
        continue;
      }
      pop_to(depth);
      if (!open_component(component)) {
        pop_to(0);
        return -1;
      }
      ++depth;
      at = end + 1;
    }
    pop_to(depth);
    return fd();
  }

  /// The deepest held directory (the root when none) and its identity.
  int fd() const { return m_held.empty() ? *m_source.m_root : m_held.back().fd; }
  Identity identity() const { return m_held.empty() ? m_source.m_root_identity : m_held.back().identity; }

  /// Gives every held descriptor back (before an open that hit EMFILE is retried).
  void release() { pop_to(0); }

 private:
  struct Held {
    std::string name;
    int fd;
    Identity identity;
  };

  bool open_component(std::string_view component) {
    if (component.empty() || component == "." || component == "..") return false;
    const std::string text(component);
    m_source.note("openat");
    // O_PATH: no read permission needed to pass through, as in the source's own opens.
    const int opened = ::openat(fd(), text.c_str(), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (opened < 0) return false;
    Identity opened_identity;
    if (m_source.check_opened_directory(opened, identity(), component, &opened_identity) != 0) {
      ::close(opened);
      return false;
    }
    m_held.push_back({text, opened, opened_identity});
    return true;
  }

  void pop_to(std::size_t depth) {
    while (m_held.size() > depth) {
      ::close(m_held.back().fd);
      m_held.pop_back();
    }
  }

  FilesystemSource& m_source;
  std::size_t m_max_held;
  std::vector<Held> m_held;  // m_held[i] is the i-th component of the last directory, below the root
};

/// One thread's reader: a file is one openat() of its name below its held
/// parent. Anything it does not handle itself (a symlink on the way or at the
/// end, a path deeper than its share of descriptors, an error) goes to
/// FilesystemSource::read, which decides it as it always has.
class HeldPathReader final : public FileReader {
 public:
  HeldPathReader(FilesystemSource& source, std::size_t max_held) : m_source(source), m_path(source, max_held) {}

  long long read(std::string_view relpath, char* dest, std::uint64_t capacity) override {
    constexpr int k_read_flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | O_NOFOLLOW;
    const auto [parent, name] = split_parent(relpath);
    const int dir_fd = m_path.hold(parent);
    if (dir_fd < 0) return m_source.read(relpath, dest, capacity);
    m_name.assign(name);  // NUL-terminated, in a buffer kept across reads
    m_source.note("openat");
    const int fd = ::openat(dir_fd, m_name.c_str(), k_read_flags);
    if (fd < 0 && errno == EMFILE) {
      m_path.release();  // give our descriptors back, then let the source free its cache and retry
      return m_source.read(relpath, dest, capacity);
    }
    // ELOOP: the file is a symlink, which the source resolves inside the tree.
    if (fd < 0) return errno == ELOOP ? m_source.read(relpath, dest, capacity) : -errno;
    return m_source.read_opened(fd, dest, capacity);
  }

 private:
  FilesystemSource& m_source;
  HeldPath m_path;
  std::string m_name;
};

/// One walk thread's lister: a directory is opened as one openat() of its name
/// below its held parent (breadth-first, the next directories are its
/// siblings), never through the source's shared cache and its lock. A
/// symlink, a path deeper than its share, the root or an open that fails for
/// want of descriptors goes to FilesystemSource::list.
class HeldPathLister final : public DirectoryLister {
 public:
  HeldPathLister(FilesystemSource& source, std::size_t max_held) : m_source(source), m_path(source, max_held) {}

  bool list(std::string_view relpath, std::vector<SourceEntry>* out, int* error,
            std::optional<std::pair<std::uint64_t, std::uint64_t>>* identity) override {
    const auto [parent, name] = split_parent(relpath);
    const int parent_fd = relpath.empty() ? -1 : m_path.hold(parent);
    if (parent_fd < 0) return m_source.list_with_identity(relpath, out, error, identity);
    m_name.assign(name);
    m_source.note("openat");
    const int fd = ::openat(parent_fd, m_name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
      const int open_error = errno;
      // ENOTDIR: a symlink (or no longer a directory), which the source decides; EMFILE: it frees its cache.
      if (open_error == EMFILE) m_path.release();
      if (open_error == ENOTDIR || open_error == ELOOP || open_error == EMFILE)
        return m_source.list_with_identity(relpath, out, error, identity);
      *error = open_error;
      return false;
    }
    Identity listed_as;
    if (const int failure = m_source.check_opened_directory(fd, m_path.identity(), name, &listed_as); failure != 0) {
      ::close(fd);
      *error = failure;
      return false;
    }
    *identity = listed_as;
    const bool listed = m_source.list_open(fd, relpath, out, error);
    ::close(fd);
    return listed;
  }

 private:
  FilesystemSource& m_source;
  HeldPath m_path;
  std::string m_name;
};

std::unique_ptr<FileReader> FilesystemSource::reader() { return std::make_unique<HeldPathReader>(*this, held_share()); }

std::unique_ptr<DirectoryLister> FilesystemSource::lister() {
  return std::make_unique<HeldPathLister>(*this, held_share());
}

}  // namespace

std::unique_ptr<TreeSource> make_filesystem_source(std::string root, FilesystemSourceOptions options) {
  return std::make_unique<FilesystemSource>(std::move(root), std::move(options));
}

}  // namespace sotcheck::snapshot
