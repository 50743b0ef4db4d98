#include "sotcheck/util/regular_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace sotcheck::util {
namespace {

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

/// Closes the descriptor on every return path.
class Descriptor {
 public:
  explicit Descriptor(int fd) : m_fd(fd) {}
  ~Descriptor() {
    if (m_fd >= 0) ::close(m_fd);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return m_fd; }

 private:
  int m_fd;
};

}  // namespace

Result<std::string> read_regular_file(const std::string& path, std::uint64_t cap) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  const Descriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) return make_error(path + ": cannot open: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return make_error(path + ": cannot stat: " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return make_error(path + ": " + kind_of(st.st_mode) + ", not a regular file");
  if (static_cast<std::uint64_t>(st.st_size) > cap)
    return make_error(path + ": " + std::to_string(st.st_size) + " bytes, more than the " + std::to_string(cap) +
                      "-byte limit");
  std::string content;
  content.resize(static_cast<std::size_t>(st.st_size));
  std::size_t filled = 0;
  // The file may grow after fstat: read at most cap + 1 bytes to notice.
  while (true) {
    if (filled == content.size()) {
      if (content.size() > cap) break;
      content.resize(std::min<std::uint64_t>(cap + 1, content.size() + 65536));
    }
    const ssize_t got = ::read(fd.get(), content.data() + filled, content.size() - filled);
    if (got < 0) {
      if (errno == EINTR) continue;
      return make_error(path + ": cannot read: " + std::strerror(errno));
    }
    if (got == 0) break;
    filled += static_cast<std::size_t>(got);
  }
  if (filled > cap) return make_error(path + ": more than the " + std::to_string(cap) + "-byte limit");
  content.resize(filled);
  return content;
}

}  // namespace sotcheck::util
