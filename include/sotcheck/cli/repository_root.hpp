#pragma once
/// The sanity check on the path given to `validate`: it must be a directory
/// sotcheck can list that holds at least one root folder (`NN_name`, as
/// `01_ai_layer`). Anything else is a usage error (exit 2) with a one-line
/// reason, because validating it would print hundreds of confident failures
/// about a tree that is not a repository at all. `--force` skips the check.

#include <filesystem>
#include <optional>
#include <string>

namespace sotcheck::cli {

/// True if `dir` holds a root folder: a directory with a layout folder name
/// (util::is_nn_name, as `01_ai_layer`). A `shards` folder
/// holds names of that shape too (its shards), so it never counts as a repository.
bool looks_like_repository(const std::filesystem::path& dir);

/// The nearest ancestor of `path` that looks like a repository, if any.
std::optional<std::filesystem::path> repository_above(const std::filesystem::path& path);

struct RootProblem {
  std::string message;  ///< one line, with "did you mean PARENT?" where an ancestor is a repository
  bool forceable;       ///< --force validates it anyway (it is a directory, just not a readable repository)
};

/// Why `path` cannot be validated as a repository, or nullopt if it can.
std::optional<RootProblem> repository_root_problem(const std::filesystem::path& path);

}  // namespace sotcheck::cli
