#pragma once
/// The structural scopes of docs/catalog-format.md: the root set and each root's shard
/// set, with the shard container of the active profile ("" in the reference
/// profile, where shards sit directly under a root; "shards" in strict, where
/// the master definition puts them).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>

#include "sotcheck/snapshot/image_view.hpp"

namespace sotcheck::checks {

struct ScopeDir {
  std::uint32_t entry = 0;
  std::string_view name;
};

/// Immediate child directories of `dir` (symlinks to directories count, as
/// Python's is_dir()), sorted by name, optionally filtered by a regex.
std::vector<ScopeDir> child_dirs(const snapshot::ImageView& image, std::uint32_t dir, const RE2* name_filter);

/// The directory holding a root's shards: the root itself for an empty
/// container, else root/container if that is a directory (else nothing).
bool shard_container(const snapshot::ImageView& image, std::uint32_t root, std::string_view container,
                     std::uint32_t* out);

/// The root-relative path of an entry.
inline std::string relpath(const snapshot::ImageView& image, std::uint32_t entry) {
  return std::string(image.path(entry));
}

}  // namespace sotcheck::checks
