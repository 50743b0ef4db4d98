#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <memory>

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

class FilesystemSource final : public TreeSource {
 public:
  explicit FilesystemSource(std::string root) : m_root(std::move(root)) {}

  bool list(std::string_view relpath, std::vector<SourceEntry>* out, int* error) override {
    const int dir_fd = open_below_root(relpath, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
    if (dir_fd < 0) {
      *error = errno;
      return false;
    }
    DIR* dir = ::fdopendir(dir_fd);
    if (dir == nullptr) {
      *error = errno;
      ::close(dir_fd);
      return false;
    }
    errno = 0;
    while (const dirent* d = ::readdir(dir)) {
      const std::string_view name = d->d_name;
      if (name == "." || name == "..") continue;
      SourceEntry entry;
      entry.name = std::string(name);
      // One lstat per entry: we need sizes for the image and (device, inode)
      // for loop detection; d_type alone cannot give either.
      struct stat st {};
      if (::fstatat(dir_fd, d->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
        entry.error = errno;  // vanished between readdir and lstat
        entry.kind = EntryKind::unknown;
        entry.target_kind = EntryKind::unknown;
      } else {
        entry.kind = kind_from_mode(st.st_mode);
        entry.target_kind = entry.kind;
        entry.size = static_cast<std::uint64_t>(st.st_size);
        entry.device = st.st_dev;
        entry.inode = st.st_ino;
        if (entry.kind == EntryKind::symlink) resolve_link(dir_fd, d->d_name, &entry);
      }
      out->push_back(std::move(entry));
      errno = 0;
    }
    const int read_errno = errno;
    ::closedir(dir);
    if (read_errno != 0) {
      *error = read_errno;
      return false;
    }
    return true;
  }

  // Each read opens its own descriptor below the root descriptor: no shared state.
  bool concurrent_reads() const override { return true; }

  long long read(std::string_view relpath, char* dest, std::uint64_t capacity) override {
    // Symlinks are followed (rules read what a link points to, as Python does).
    // O_NONBLOCK so that a FIFO swapped in after the walk cannot block us; we
    // re-check that what we opened is a regular file before reading.
    const int fd = open_below_root(relpath, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) return -errno;
    struct stat st {};
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

  void root_identity(std::uint64_t* device, std::uint64_t* inode) override {
    struct stat st {};
    if (::stat(m_root.c_str(), &st) == 0) {
      *device = st.st_dev;
      *inode = st.st_ino;
    }
  }

 private:
  std::string full_path(std::string_view relpath) const {
    if (relpath.empty()) return m_root;
    std::string p = m_root;
    p += '/';
    p += relpath;
    return p;
  }

  /// open(2) of `relpath` below the root. A path of PATH_MAX bytes or more
  /// (directories nested hundreds of levels deep) cannot be opened by name:
  /// it fails with ENAMETOOLONG and would hide everything below it, so such a
  /// path is reached one directory at a time with openat. Directories on the
  /// way are not followed through symlinks: the walk never enters those.
  int open_below_root(std::string_view relpath, int flags) const {
    const std::string path = full_path(relpath);
    if (path.size() < PATH_MAX) return ::open(path.c_str(), flags);
    int dir_fd = ::open(m_root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    while (dir_fd >= 0) {
      const std::size_t slash = relpath.find('/');
      const std::string component(relpath.substr(0, slash));
      const int fd = slash == std::string_view::npos
                         ? ::openat(dir_fd, component.c_str(), flags)
                         : ::openat(dir_fd, component.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
      const int open_errno = errno;
      ::close(dir_fd);
      errno = open_errno;
      if (slash == std::string_view::npos) return fd;
      relpath.remove_prefix(slash + 1);
      dir_fd = fd;
    }
    return -1;
  }

  static void resolve_link(int dir_fd, const char* name, SourceEntry* entry) {
    char buf[4096];
    const ssize_t n = ::readlinkat(dir_fd, name, buf, sizeof buf);
    if (n > 0) entry->link_target.assign(buf, static_cast<size_t>(n));
    struct stat target {};
    if (::fstatat(dir_fd, name, &target, 0) != 0) {
      entry->target_kind = EntryKind::missing;  // dangling, a loop, or unreachable
      entry->size = 0;
      return;
    }
    entry->target_kind = kind_from_mode(target.st_mode);
    entry->size = static_cast<std::uint64_t>(target.st_size);
  }

  std::string m_root;
};

}  // namespace

std::unique_ptr<TreeSource> make_filesystem_source(std::string root) {
  return std::make_unique<FilesystemSource>(std::move(root));
}

}  // namespace sotcheck::snapshot
