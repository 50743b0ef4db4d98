#pragma once
/// Reports: the verdicts of one run rendered for people (text) or machines
/// (JSON). Everything that depends on how or when the run happened (mode,
/// workers, timings, counters) sits under the top-level "run" key or in keys
/// named "timestamp", so the rest depends only on the tree, the catalog and
/// the profile.

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sotcheck/catalog/model.hpp"
#include "sotcheck/exec/verdict.hpp"
#include "sotcheck/util/stats.hpp"

namespace sotcheck::report {

inline constexpr int k_json_schema_version = 1;

/// What the CLI decided about one verdict after evaluation. A suppressed or
/// baselined failure stays visible in every report but does not fail the run.
struct Disposition {
  std::string suppressed_reason;  ///< non-empty: a config suppression matched (its mandatory reason)
  bool baselined = false;         ///< matches an entry of --baseline: a known failure, not a new one
};

/// One entry of a baseline file: a non-passing rule and the fingerprint of its offending paths.
struct BaselineEntry {
  std::string rule_id;
  std::string fingerprint;
  std::string status;  ///< "FAIL" or "ERROR" when the baseline was written
  std::string message;
};

struct RunInfo {
  std::string timestamp;  ///< when the run started
  std::string repo_root;
  checks::Profile profile = checks::Profile::strict;
  std::string mode;          ///< executor actually used
  std::string requested_mode;
  unsigned workers = 1;
  std::string start_method;  ///< fork/spawn, process mode only
  std::string fallback;      ///< "" or "thread"
  std::string fallback_reason;
  std::string catalog_origin;
  std::string config_file;             ///< the config in effect, "" for none
  std::size_t config_deselected = 0;   ///< rules the command line selects that the config took out
  std::size_t config_suppressed = 0;   ///< failures the config's suppressions let through
  const util::RunStats* stats = nullptr;
  /// Parallel to the verdicts; empty when nothing was suppressed or baselined.
  std::vector<Disposition> dispositions;
  std::string baseline_file;  ///< the --baseline in use, "" for none
  std::vector<BaselineEntry> baseline_resolved;  ///< baseline entries that no longer occur

  /// The disposition of verdict `index` (a default one when none was recorded).
  const Disposition& disposition(std::size_t index) const {
    static const Disposition k_none;
    return index < dispositions.size() ? dispositions[index] : k_none;
  }
};

nlohmann::ordered_json to_json(const std::vector<exec::Verdict>& verdicts, const RunInfo& info);

struct TextOptions {
  bool colour = false;
  bool verbose = false;  ///< list passing rules too
};
std::string to_text(const std::vector<exec::Verdict>& verdicts, const RunInfo& info, const TextOptions& options);

/// Phase timers and counters, one per line, for --stats (stderr).
std::string stats_text(const util::RunStats& stats);

// ---- Offending paths, fingerprints and locations (sarif_report.cpp) --------

/// The items a non-passing verdict names as offending, in evidence order and
/// without duplicates: the strings of its evidence lists (for objects, their
/// path/file/dir/root/shard field), skipping inventory lists such as
/// `found_roots` or `valid_roots` that describe what is fine. Paths under
/// `repo_root` are made relative to it, so results do not depend on where the
/// repository is checked out.
std::vector<std::string> offending_paths(const exec::Verdict& verdict, std::string_view repo_root);

/// A stable fingerprint (16 hex digits) of the rule id and its sorted offending
/// items: the same failure yields the same value on every machine and run, and
/// one new offending path yields a new value. Baselines and SARIF
/// partialFingerprints use it.
std::string fingerprint(const exec::Verdict& verdict, std::string_view repo_root);

/// What the report may ask of the repository on disk, so locations only ever
/// name files that exist (tests pass a fake).
struct FileProbe {
  std::function<bool(const std::string& relpath)> is_file;  ///< a regular file at this relative path?
  std::function<std::optional<std::string>()> first_root_file;  ///< byte-wise first regular file at the root
};
/// The probe for the real filesystem under `repo_root`.
FileProbe disk_probe(std::string repo_root);

/// The existing file (relative to the repository root) a non-passing verdict
/// is best shown at: its first offending path that is a file; else the
/// closest README.md up the first offending path's directories (e.g. the
/// root's README.md); else the repository's README.md; else some file at the
/// root; nullopt only for a repository without files at its root.
std::optional<std::string> location_for(const exec::Verdict& verdict, std::string_view repo_root,
                                        const FileProbe& probe);

// ---- SARIF, JUnit, GitHub (sarif_report.cpp, junit_report.cpp, github_report.cpp)

inline constexpr std::string_view k_information_uri = "https://github.com/sotcheck/sotcheck";

/// SARIF 2.1.0 for code scanning: one run; tool.driver.rules holds every
/// catalog rule (so ruleIndex is the catalog index); one result per FAIL or
/// ERROR verdict with ruleId, ruleIndex, level, message, partialFingerprints
/// and a location at an existing file (see location_for) relative to SRCROOT.
/// Suppressed verdicts carry a SARIF suppression, and with a baseline every
/// result has a baselineState (new or unchanged).
nlohmann::ordered_json to_sarif(const catalog::Catalog& catalog, const std::vector<exec::Verdict>& verdicts,
                                const RunInfo& info, const FileProbe& probe);

/// JUnit XML: one testsuite per batch that has rules, one testcase per rule
/// (classname = family, name = "ID: title", unique because ids are), with
/// failure (FAIL), error (ERROR) or skipped (SKIPPED, suppressed, baselined).
/// Always well-formed: invalid UTF-8 and characters XML forbids are replaced.
std::string to_junit(const catalog::Catalog& catalog, const std::vector<exec::Verdict>& verdicts,
                     const RunInfo& info);

struct GithubOptions {
  /// Prepended to every file= path: the repository's place inside
  /// $GITHUB_WORKSPACE when it is validated from a subdirectory ("" or "sub/dir/").
  std::string path_prefix;
};

/// GitHub Actions workflow commands: one annotation per FAIL or ERROR verdict
/// (::error for CRITICAL/HIGH and ERROR, ::warning for MEDIUM and below,
/// ::notice for baselined failures), grouped by severity with ::group::, and
/// escaped per the workflow-command rules.
std::string to_github(const catalog::Catalog& catalog, const std::vector<exec::Verdict>& verdicts,
                      const RunInfo& info, const FileProbe& probe, const GithubOptions& options);

/// The Markdown job summary for $GITHUB_STEP_SUMMARY: counts by severity and a
/// table of the rules that did not pass.
std::string github_step_summary(const catalog::Catalog& catalog, const std::vector<exec::Verdict>& verdicts,
                                const RunInfo& info);

/// Workflow-command escaping: message data escapes % CR LF; property values
/// (file=, title=) also escape ':' and ','.
std::string github_escape_data(std::string_view text);
std::string github_escape_property(std::string_view text);

}  // namespace sotcheck::report
