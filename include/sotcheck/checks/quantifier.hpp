#pragma once
/// How per-file outcomes become a rule's `passed` (docs/catalog-format.md
/// Quantifier), and the exact threshold ratios it and P11 compare with.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "sotcheck/checks/params.hpp"

namespace sotcheck::checks {

/// A threshold ratio such as 0.7 held as an exact fraction, so `c / n >= 0.7` is tested as `10 c >= 7 n`
/// (docs/reference-compatibility.md#rc-23: identical to Python's float test at every size that occurs).
struct Ratio {
  long long numerator = 0;
  long long denominator = 1;
  /// Parses a non-negative decimal ("0.7", "1", "0.45"); nullopt if it is not one.
  static std::optional<Ratio> parse(std::string_view text);
  /// value / total >= this ratio, for total > 0.
  bool reached(std::size_t value, std::size_t total) const;
  /// The ratio as people read it in a finding: "70 %", "100 %", "45.5 %".
  std::string percent_text() const;
};

/// How per-file outcomes become `passed` (docs/catalog-format.md Quantifier). YAML:
///   any | all | none | {count_ge: k} | {count_ge: k, empty: pass}
///   {ratio_ge: {x: 0.7, denominator: found|sampled, empty: pass|fail}}
struct Quantifier {
  enum class Kind { any, all, none, count_ge, ratio_ge };
  Kind kind = Kind::any;
  long long k = 1;                   ///< count_ge
  Ratio ratio;                       ///< ratio_ge
  bool denominator_found = true;     ///< ratio_ge: |F| (true) or the files evaluated (false)
  std::optional<bool> empty_passes;  ///< when nothing was found: pass/fail; unset = the plain rule applies

  static Quantifier parse(Params& params, const std::string& key = "quantifier");
  /// `matched` files satisfied the predicate and `violating` did not (read failures in report mode
  /// included), out of `sampled` evaluated and `found` matched by the query.
  bool passed(std::size_t found, std::size_t sampled, std::size_t matched, std::size_t violating) const;
  /// What the quantifier asks of the files, for a finding's message: "every file", "no file",
  /// "at least 2 files", "at least 70 % of the files", "at least one file".
  std::string requirement() const;
  /// True when the files that satisfy the predicate are the offending ones (`none`).
  bool matches_offend() const { return kind == Kind::none; }
};

}  // namespace sotcheck::checks
