// The reports' view of the tree, taken from the run's image rather than the disk.

#include "sotcheck/cli/image_probe.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace sotcheck::cli {
namespace {

/// The entry at the repository-relative `relpath`, if the image recorded one. ".." never names an entry
/// (no directory lists it), so a path cannot climb out of the tree.
std::optional<std::uint32_t> entry_at(const snapshot::ImageView& image, const std::string& relpath) {
  if (relpath.empty() || relpath.front() == '/') return std::nullopt;
  return image.lookup(0, relpath);
}

}  // namespace

report::FileProbe image_probe(const snapshot::ImageView& image) {
  report::FileProbe probe;
  probe.is_file = [image](const std::string& relpath) {
    const auto entry = entry_at(image, relpath);
    return entry && image.is_file_following_links(*entry);
  };
  probe.is_dir = [image](const std::string& relpath) {
    const auto entry = entry_at(image, relpath);
    return entry && image.is_dir_following_links(*entry);
  };
  return probe;
}

}  // namespace sotcheck::cli
