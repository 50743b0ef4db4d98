// Public entry points of the scaffold module and the writer.
//
// Writing is one pass: mkdirat for every planned directory (parents first), then for every file one
// openat(O_CREAT|O_EXCL) / write / close relative to a descriptor of the target, so no path is resolved from
// `/` and no file is flushed or synced. Bulk files are generated into one reused buffer just before their
// write. O_EXCL doubles as a guard: nothing existing is ever overwritten.

#include "sotcheck/scaffold/scaffold.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>

#include "plan.hpp"

namespace sotcheck::scaffold {

namespace {

std::string io_error(const std::string& what, const std::string& path, int error) {
  return "scaffold: " + what + " " + path + ": " + std::strerror(error);
}

/// Owns a file descriptor; closes it on every exit path.
class Descriptor {
 public:
  explicit Descriptor(int fd) : m_fd(fd) {}
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (m_fd >= 0) ::close(m_fd);
  }
  int get() const { return m_fd; }
  /// Closes now and reports close's own error (a delayed write error on some file systems).
  int close() {
    const int result = ::close(m_fd);
    m_fd = -1;
    return result;
  }

 private:
  int m_fd;
};

bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t written = ::write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += written;
    size -= static_cast<std::size_t>(written);
  }
  return true;
}

/// Creates `directory` (and parents) when missing; refuses a non-directory or a non-empty directory.
util::Result<void> prepare_target(const std::string& directory) {
  namespace fs = std::filesystem;
  if (directory.empty()) return util::make_error("scaffold: no target directory given");
  std::error_code ec;
  const fs::file_status status = fs::status(directory, ec);
  if (fs::exists(status)) {
    if (!fs::is_directory(status)) return util::make_error("scaffold: " + directory + " exists and is not a directory");
    const bool empty = fs::is_empty(directory, ec);
    if (ec) return util::make_error("scaffold: cannot read " + directory + ": " + ec.message());
    if (!empty) return util::make_error("scaffold: " + directory + " exists and is not empty");
    return {};
  }
  fs::create_directories(directory, ec);
  if (ec) return util::make_error("scaffold: cannot create " + directory + ": " + ec.message());
  return {};
}

}  // namespace

util::Result<ScaffoldStats> write_scaffold(const ScaffoldOptions& options) {
  if (options.copies < 1 || options.copies > k_max_copies)
    return util::make_error("scaffold: copies must be between 1 and " + std::to_string(k_max_copies) + ", not " +
                            std::to_string(options.copies));
  if (auto prepared = prepare_target(options.directory); !prepared) return util::make_error(prepared.error());
  const detail::TreePlan plan = detail::build_plan({options.size, options.seed, options.copies});

  Descriptor root(::open(options.directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (root.get() < 0) return util::make_error(io_error("cannot open", options.directory, errno));
  for (const auto& directory : plan.directories()) {
    if (::mkdirat(root.get(), directory.c_str(), 0755) != 0)
      return util::make_error(io_error("cannot create directory", directory, errno));
  }

  std::string buffer;
  for (const auto& file : plan.files()) {
    Descriptor fd(::openat(root.get(), file.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
    if (fd.get() < 0) return util::make_error(io_error("cannot create", file.path, errno));
    const char* data = file.content.data();
    std::size_t size = file.content.size();
    if (file.bulk != detail::BulkKind::none) {
      buffer.clear();
      detail::append_bulk_content(file, buffer);
      data = buffer.data();
      size = buffer.size();
    }
    if (!write_all(fd.get(), data, size)) return util::make_error(io_error("cannot write", file.path, errno));
    if (fd.close() != 0) return util::make_error(io_error("cannot close", file.path, errno));
  }
  return plan.stats();
}

ScaffoldStats planned_stats(Size size, std::uint64_t seed) {
  return planned_stats(TreeShape{size, seed, 1});
}

ScaffoldStats planned_stats(const TreeShape& shape) {
  return detail::build_plan(shape).stats();
}

void visit_planned_files(Size size, std::uint64_t seed, const std::function<void(const PlannedFileView&)>& visit) {
  visit_planned_files(TreeShape{size, seed, 1}, visit);
}

void visit_planned_files(const TreeShape& shape, const std::function<void(const PlannedFileView&)>& visit) {
  const detail::TreePlan plan = detail::build_plan(shape);
  for (const auto& file : plan.files()) {
    PlannedFileView view;
    view.path = file.path;
    view.content = file.content;
    view.size = file.size();
    view.bulk = file.bulk != detail::BulkKind::none;
    visit(view);
  }
}

std::optional<Size> parse_size(std::string_view text) {
  if (text == "small") return Size::small;
  if (text == "large") return Size::large;
  return std::nullopt;
}

std::string_view to_string(Size size) {
  return size == Size::small ? "small" : "large";
}

}  // namespace sotcheck::scaffold
