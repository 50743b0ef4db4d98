#include "sotcheck/util/atomic_file.hpp"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace sotcheck::util {
namespace {

// The temporary being written, for remove_pending_temporary(): a fixed
// buffer and a flag, because a signal handler may neither allocate nor lock.
char g_pending_path[PATH_MAX + 1];
volatile std::sig_atomic_t g_pending = 0;

class PendingTemporary {
 public:
  explicit PendingTemporary(const std::string& path) : m_path(path) {
    if (path.size() <= PATH_MAX) {
      std::memcpy(g_pending_path, path.c_str(), path.size() + 1);
      g_pending = 1;
    }
  }
  ~PendingTemporary() {
    g_pending = 0;
    if (!m_kept) ::unlink(m_path.c_str());
  }
  PendingTemporary(const PendingTemporary&) = delete;
  PendingTemporary& operator=(const PendingTemporary&) = delete;
  /// After the rename: the temporary is the destination now.
  void keep() {
    g_pending = 0;
    m_kept = true;
  }

 private:
  std::string m_path;
  bool m_kept = false;
};

Error failure(const std::string& path, const char* what, int error) {
  return make_error(path + ": " + what + ": " + std::strerror(error));
}

mode_t default_file_mode() {
  // mkstemp creates 0600; a report is as readable as any file the user creates.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  return static_cast<mode_t>(0666 & ~mask);
}

Result<void> write_all(int fd, const std::string& path, std::string_view content) {
  std::size_t written = 0;
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return failure(path, "cannot write", errno);
    written += static_cast<std::size_t>(n);
  }
  return {};
}

/// A character device or FIFO (/dev/null, /dev/stdout, a pipe a reader
/// waits on) is written in place: there is nothing to replace atomically,
/// and renaming over it would swap the device node for a plain file.
Result<void> write_in_place(const std::string& path, std::string_view content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) return failure(path, "cannot open", errno);
  auto written = write_all(fd, path, content);
  if (::close(fd) != 0 && written) return failure(path, "cannot write", errno);
  return written;
}

}  // namespace

Result<void> write_file_atomically(const std::string& path, std::string_view content) {
  namespace fs = std::filesystem;
  struct stat existing {};
  if (::stat(path.c_str(), &existing) == 0 && !S_ISREG(existing.st_mode)) {
    if (S_ISCHR(existing.st_mode) || S_ISFIFO(existing.st_mode)) return write_in_place(path, content);
    return make_error(path + ": exists and is neither a regular file, a character device nor a FIFO");
  }
  const fs::path destination(path);
  const fs::path directory = destination.parent_path();
  const std::string name = destination.filename().string();
  if (name.empty() || name == "." || name == "..") return make_error(path + ": not a file name");
  std::string pattern = (directory.empty() ? fs::path(".") : directory).string() + "/." + name + ".sotcheck-XXXXXX";
  const int fd = ::mkostemp(pattern.data(), O_CLOEXEC);  // O_EXCL: never opens an existing name or link
  if (fd < 0) return failure(path, "cannot create a temporary file beside it", errno);
  PendingTemporary pending(pattern);
  if (auto written = write_all(fd, path, content); !written) {
    ::close(fd);
    return written;
  }
  if (::fchmod(fd, default_file_mode()) != 0 || ::fsync(fd) != 0) {
    const int error = errno;
    ::close(fd);
    return failure(path, "cannot write", error);
  }
  if (::close(fd) != 0) return failure(path, "cannot write", errno);
  if (::rename(pattern.c_str(), path.c_str()) != 0) return failure(path, "cannot replace", errno);
  pending.keep();
  return {};
}

void remove_pending_temporary() noexcept {
  if (g_pending != 0) ::unlink(g_pending_path);
}

}  // namespace sotcheck::util
