#include "sotcheck/util/edit_distance.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

namespace sotcheck::util {

std::size_t edit_distance(std::string_view a, std::string_view b, Case letter_case) {
  const auto same = [letter_case](char x, char y) {
    if (letter_case == Case::sensitive) return x == y;
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  };
  // One row of the dynamic-programming table at a time.
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same(a[i - 1], b[j - 1]) ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::size_t typo_limit(std::string_view typed) { return std::max<std::size_t>(2, typed.size() / 3); }

std::vector<std::string> closest_matches(std::string_view typed, const std::vector<std::string>& candidates,
                                         std::size_t at_most, Case letter_case) {
  std::vector<std::pair<std::size_t, const std::string*>> scored;
  const std::size_t limit = typo_limit(typed);
  for (const auto& candidate : candidates) {
    const std::size_t d = edit_distance(typed, candidate, letter_case);
    if (d <= limit) scored.emplace_back(d, &candidate);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  std::vector<std::string> out;
  for (const auto& [distance, candidate] : scored) {
    if (out.size() == at_most) break;
    if (std::find(out.begin(), out.end(), *candidate) == out.end()) out.push_back(*candidate);
  }
  return out;
}

std::optional<std::string> closest_match(std::string_view typed, const std::vector<std::string>& candidates,
                                         Case letter_case) {
  auto nearest = closest_matches(typed, candidates, 1, letter_case);
  if (nearest.empty()) return std::nullopt;
  return nearest.front();
}

}  // namespace sotcheck::util
