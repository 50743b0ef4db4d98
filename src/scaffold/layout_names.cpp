// The canonical names, read from the same table the scaffold writes its tree
// from, so the matrix reports and the scaffold can never disagree.

#include "sotcheck/scaffold/layout_names.hpp"

#include "plan.hpp"

namespace sotcheck::scaffold {
namespace {

template <std::size_t N>
std::vector<std::string> names_of(const std::array<detail::NamedUnit, N>& units) {
  std::vector<std::string> names;
  names.reserve(N);
  for (const auto& unit : units) names.emplace_back(unit.name);
  return names;
}

}  // namespace

std::vector<std::string> canonical_root_names() { return names_of(detail::k_roots); }
std::vector<std::string> canonical_shard_names() { return names_of(detail::k_shards); }

}  // namespace sotcheck::scaffold
