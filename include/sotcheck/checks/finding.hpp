#pragma once
/// A finding: one concrete thing wrong in the tree, the unit every report
/// renders (a verdict carries the complete, uncut list of its findings).
/// `path` is repository-relative: the file that is wrong, or the file or
/// folder that should exist and does not. `line`/`column` are 1-based and 0
/// where the rule did not look at a position (a whole-file or missing-file
/// finding). `identity` is a stable detail (a YAML key, a hash of the matched
/// text) that, with rule, path and kind, names the finding across runs even
/// when lines move: baselines and SARIF fingerprints are built from it.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sotcheck::checks {

/// The closed set of what can be wrong (docs/findings.md describes each).
enum class FindingKind {
  missing,            ///< a file, folder or key that must exist does not
  invalid_value,      ///< a value exists but is not what the rule expects
  forbidden_content,  ///< content (a secret, a pattern) that must not be there
  forbidden_entry,    ///< a file or folder that must not exist, or is misnamed
  below_threshold,    ///< a ratio or count short of what the rule requires
  unreadable,         ///< an entry the rule needs could not be read
};

std::string_view finding_kind_name(FindingKind kind);
std::optional<FindingKind> parse_finding_kind(std::string_view text);

struct Finding {
  std::string path;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  FindingKind kind = FindingKind::invalid_value;
  std::string message;   ///< plain English: what is wrong and what is expected
  std::string expected;  ///< empty: not stated
  std::string actual;    ///< empty: not stated
  std::string identity;  ///< stable detail for fingerprints; empty: path and kind suffice

  friend bool operator==(const Finding&, const Finding&) = default;
};

/// A finding without position or expected/actual (the common case for paths).
Finding make_finding(std::string path, FindingKind kind, std::string message);

/// The repository root as a finding path (when what is wrong is the tree as a whole).
inline constexpr std::string_view k_repository_path = ".";

/// {"path", "line"?, "column"?, "kind", "message", "expected"?, "actual"?, "identity"?}:
/// absent members are omitted, so the JSON says only what is known.
nlohmann::ordered_json to_json(const Finding& finding);
/// Throws nlohmann::json::exception on a malformed object (callers at the
/// module edge turn that into an error).
Finding finding_from_json(const nlohmann::ordered_json& json);

}  // namespace sotcheck::checks
