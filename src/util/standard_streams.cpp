#include "sotcheck/util/standard_streams.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace sotcheck::util {
namespace {

bool g_stdout_closed = false;

}  // namespace

void reserve_standard_descriptors() noexcept {
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) >= 0 || errno != EBADF) continue;
    if (fd == STDOUT_FILENO) g_stdout_closed = true;
    // open() returns the lowest free descriptor, which is this one.
    const int opened = ::open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
    if (opened >= 0 && opened != fd) {
      ::dup2(opened, fd);
      ::close(opened);
    }
  }
}

Result<void> write_to_stdout(std::string_view text) {
  if (g_stdout_closed) return make_error("cannot write the report to stdout: it is closed");
  if (std::fflush(stdout) != 0) return make_error(std::string("cannot write the report to stdout: ") + std::strerror(errno));
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(STDOUT_FILENO, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return make_error(std::string("cannot write the report to stdout: ") + std::strerror(errno));
    written += static_cast<std::size_t>(n);
  }
  return {};
}

}  // namespace sotcheck::util
