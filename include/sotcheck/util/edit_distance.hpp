#pragma once
/// Did-you-mean suggestions: the Levenshtein distance between two strings and
/// the candidates near enough to a mistyped one to be what was meant. Shared
/// by every place that suggests a name (subcommands, flags, rule ids, config keys).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sotcheck::util {

enum class Case { sensitive, insensitive };  ///< insensitive: ASCII letters compare without case

/// Insertions, deletions and substitutions that turn `a` into `b`.
std::size_t edit_distance(std::string_view a, std::string_view b, Case letter_case = Case::sensitive);

/// The largest distance still read as a typo of `typed`: a third of its length, at least 2.
std::size_t typo_limit(std::string_view typed);

/// The candidates within typo_limit(typed) of `typed`, nearest first (ties in
/// the candidates' order), at most `at_most`.
std::vector<std::string> closest_matches(std::string_view typed, const std::vector<std::string>& candidates,
                                         std::size_t at_most = 3, Case letter_case = Case::sensitive);

/// The nearest candidate within typo_limit(typed), if any (the first on a tie).
std::optional<std::string> closest_match(std::string_view typed, const std::vector<std::string>& candidates,
                                         Case letter_case = Case::sensitive);

}  // namespace sotcheck::util
