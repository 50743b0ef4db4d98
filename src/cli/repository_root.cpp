#include "sotcheck/cli/repository_root.hpp"

#include <dirent.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <system_error>

#include "sotcheck/util/strings.hpp"

namespace sotcheck::cli {
namespace {

namespace fs = std::filesystem;

struct CloseDir {
  void operator()(DIR* d) const { ::closedir(d); }
};

std::string did_you_mean(const fs::path& path) {
  const auto above = repository_above(path);
  return above ? "; did you mean " + above->string() + "?" : "";
}

}  // namespace

bool looks_like_repository(const fs::path& dir) {
  if (dir.filename() == "shards") return false;
  const std::unique_ptr<DIR, CloseDir> handle(::opendir(dir.c_str()));
  if (!handle) return false;
  while (const dirent* entry = ::readdir(handle.get())) {
    if (!util::is_nn_name(entry->d_name)) continue;
    std::error_code ec;
    if (fs::is_directory(dir / entry->d_name, ec)) return true;  // follows a symlinked root, as AR001 does
  }
  return false;
}

std::optional<fs::path> repository_above(const fs::path& path) {
  std::error_code ec;
  fs::path at = fs::absolute(path, ec);
  if (ec) return std::nullopt;
  at = at.lexically_normal();
  if (!at.has_filename()) at = at.parent_path();  // "a/b/" names b
  while (at.has_relative_path()) {
    at = at.parent_path();
    if (looks_like_repository(at)) return at;
  }
  return std::nullopt;
}

std::optional<RootProblem> repository_root_problem(const fs::path& path) {
  std::error_code ec;
  const std::string shown = path.string();
  const fs::file_status status = fs::status(path, ec);
  if (status.type() == fs::file_type::not_found)
    return RootProblem{"repository path '" + shown + "' does not exist" + did_you_mean(path), false};
  if (ec) return RootProblem{"cannot examine repository path '" + shown + "': " + ec.message(), false};
  if (status.type() != fs::file_type::directory) {
    const char* what = status.type() == fs::file_type::regular ? " (it is a file)" : "";
    return RootProblem{"repository path '" + shown + "' is not a directory" + what + did_you_mean(path), false};
  }
  const std::unique_ptr<DIR, CloseDir> handle(::opendir(path.c_str()));
  if (!handle)
    return RootProblem{"cannot read repository '" + shown + "': " + std::strerror(errno) + did_you_mean(path) +
                           " (--force validates it anyway)",
                       true};
  if (!looks_like_repository(path))
    return RootProblem{"'" + shown + "' is not an SSID repository: it has none of the NN_* root folders (e.g. " +
                           "01_ai_layer)" + did_you_mean(path) + " (--force validates it anyway)",
                       true};
  return std::nullopt;
}

}  // namespace sotcheck::cli
