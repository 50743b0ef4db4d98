// The tree `sotcheck bench` measures: the page cache warmed before timing,
// and the large scaffold written to a scratch directory when no PATH is given.
#include "bench_parts.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "sotcheck/scaffold/scaffold.hpp"
#include "sotcheck/util/stats.hpp"

namespace sotcheck::cli::bench {

namespace fs = std::filesystem;

CacheWarmup warm_page_cache(const std::string& root) {
  CacheWarmup warmup;
  util::Stopwatch watch;
  std::vector<char> buffer(1 << 20);
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    std::error_code status_ec;
    if (it->symlink_status(status_ec).type() != fs::file_type::regular) continue;
    const int fd = ::open(it->path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    ssize_t n = 0;
    while ((n = ::read(fd, buffer.data(), buffer.size())) > 0) warmup.bytes += static_cast<std::uint64_t>(n);
    ::close(fd);
    ++warmup.files;
  }
  warmup.seconds = watch.seconds();
  return warmup;
}

ScratchTree::~ScratchTree() {
  std::error_code ec;
  if (!m_directory.empty()) fs::remove_all(m_directory, ec);
}

util::Result<std::string> ScratchTree::create() {
  const char* tmpdir = std::getenv("TMPDIR");
  std::string pattern =
      std::string(tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp") + "/sotcheck-bench-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) return util::make_error("cannot create a temporary directory");
  m_directory = pattern;
  scaffold::ScaffoldOptions options;
  options.directory = m_directory + "/ssid";
  options.size = scaffold::Size::large;
  auto written = scaffold::write_scaffold(options);
  if (!written) return util::make_error(written.error());
  return options.directory;
}

}  // namespace sotcheck::cli::bench
