#include "sotcheck/checks/scope.hpp"

#include "sotcheck/snapshot/access_journal.hpp"

namespace sotcheck::checks {

std::vector<ScopeDir> child_dirs(const snapshot::ImageView& image, std::uint32_t dir, const RE2* name_filter) {
  std::vector<ScopeDir> out;
  snapshot::note_if_unreadable(image, dir);  // an unlisted directory's children are unknown, not absent
  const std::uint32_t first = image.first_child(dir);
  const std::uint32_t count = image.child_count(dir);
  for (std::uint32_t i = first; i < first + count; ++i) {
    const std::string_view name = image.name(i);
    if (name_filter != nullptr && !RE2::PartialMatch(re2::StringPiece(name.data(), name.size()), *name_filter))
      continue;
    // A link out of the tree with a root's or shard's name was never followed: whether it is one is unknown.
    if (image.entry(i).flags & snapshot::k_flag_unreadable) snapshot::note_if_unreadable(image, i);
    if (!image.is_dir_following_links(i)) continue;
    out.push_back({i, name});
  }
  return out;  // children are stored sorted, so this is sorted too
}

bool shard_container(const snapshot::ImageView& image, std::uint32_t root, std::string_view container,
                     std::uint32_t* out) {
  if (container.empty()) {
    *out = root;
    return true;
  }
  const auto found = image.lookup(root, container);
  if (!found || !image.is_dir_following_links(*found)) return false;
  *out = *found;
  return true;
}

}  // namespace sotcheck::checks
