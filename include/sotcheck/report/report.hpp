#pragma once
/// Reports: the verdicts of one run rendered for people (text) or machines
/// (JSON). Everything that depends on how or when the run happened (mode,
/// workers, timings, counters) sits under the top-level "run" key or in keys
/// named "timestamp", so the rest depends only on the tree, the catalog and
/// the profile.

#include <nlohmann/json.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
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

/// A finding a config suppression took out of its verdict, with the
/// suppression's mandatory reason: still reported, never failing the run.
struct SuppressedFinding {
  checks::Finding finding;
  std::string reason;
};

/// What the CLI decided about one verdict after evaluation. A suppressed or
/// baselined failure stays visible in every report but does not fail the run.
struct Disposition {
  /// non-empty: a suppression covers the whole verdict (every finding, or a
  /// verdict without findings); the verdict then passes and says so here
  std::string suppressed_reason;
  /// with --baseline: a FAIL or ERROR verdict none of whose findings is new
  bool baselined = false;
  /// with --baseline: parallel to the verdict's findings, true where the
  /// finding is in the baseline (known), false where it is new
  std::vector<bool> known_findings;
  /// findings suppressions removed from the verdict (the verdict keeps the rest)
  std::vector<SuppressedFinding> suppressed_findings;

  bool finding_known(std::size_t k) const { return k < known_findings.size() && known_findings[k]; }
};

/// One entry of a baseline file: one finding (or a FAIL/ERROR verdict
/// without findings, kind "verdict"), named by rule id and fingerprint.
struct BaselineEntry {
  std::string rule_id;
  std::string fingerprint;
  std::string path;  ///< the finding's path, for the reader and the fixed list
  std::string kind;  ///< finding kind, or "verdict"
  std::string message;
};

/// A config entry (suppression or ignore) that did nothing in this run: kept
/// in the reports so stale entries get noticed and removed.
struct StaleConfigEntry {
  std::string origin;  ///< "FILE:LINE" or "ignore"
  std::string entry;   ///< the rule selector as written
  std::string why;     ///< "matches no finding", ...
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
  std::size_t config_suppressed = 0;   ///< findings (or finding-less verdicts) the config's suppressions took out
  std::vector<StaleConfigEntry> config_stale;  ///< suppressions that matched nothing this run
  const util::RunStats* stats = nullptr;
  /// Parallel to the verdicts; empty when nothing was suppressed or baselined.
  std::vector<Disposition> dispositions;
  std::string baseline_file;  ///< the --baseline in use, "" for none
  std::vector<BaselineEntry> baseline_resolved;  ///< baseline entries that no longer occur (fixed)
  /// The exit policy, so the reports can say why an exit is 0 with failures.
  std::optional<catalog::Severity> fail_on;  ///< unset: every failure fails the run (or none with exit_zero)
  std::string exit_zero;  ///< what made failures never fail the run ("--exit-zero", "--fail-on none"); "" none
  int exit_code = -1;  ///< the run's exit code, for the verdict line; -1: not decided

  /// The disposition of verdict `index` (a default one when none was recorded).
  const Disposition& disposition(std::size_t index) const {
    static const Disposition k_none;
    return index < dispositions.size() ? dispositions[index] : k_none;
  }
};

nlohmann::ordered_json to_json(const std::vector<exec::Verdict>& verdicts, const RunInfo& info);

/// The config in effect as every report states it ({file, deselected,
/// suppressed, stale[]}; null without a config): JSON run.config, SARIF run
/// properties, JUnit properties and the GitHub step summary.
nlohmann::ordered_json config_json(const RunInfo& info);

/// How many findings the text report prints under one rule unless
/// --show-all: enough to act on, few enough that 92 failing rules still fit a CI log.
inline constexpr std::size_t k_findings_per_rule = 10;

struct TextOptions {
  bool colour = false;
  bool verbose = false;   ///< list passing rules too
  bool show_all = false;  ///< every finding, not the first k_findings_per_rule of each rule
  bool show_known = false;  ///< with a baseline: list known findings too (default: a count)
  std::string appendix;   ///< more sections (suppressions, baseline), printed before the summary
  /// --explain: the lines printed under each failing rule's findings (why it
  /// matters, how to fix it); unset, nothing is printed. Reports know rule
  /// ids only, so the caller supplies the catalog's text.
  std::function<std::vector<std::string>(const std::string& rule_id)> explain;
};
/// Compiler-style text: per non-passing rule one header line, then one
/// `path:line:col: message` line per finding; a summary table; and last the
/// verdict line (see verdict_line).
std::string to_text(const std::vector<exec::Verdict>& verdicts, const RunInfo& info, const TextOptions& options);

/// The summary table and the verdict line alone: what stdout gets when every
/// report goes to a file, so a CI log is never empty.
std::string text_summary(const std::vector<exec::Verdict>& verdicts, const RunInfo& info);

/// "92 rules failed (17 critical): exit 1", "all 10 rules passed: exit 0".
std::string verdict_line(const std::vector<exec::Verdict>& verdicts, const RunInfo& info);

/// Phase timers and counters, one per line, for --stats (stderr).
std::string stats_text(const util::RunStats& stats);

// ---- Shared by every renderer (tally.cpp, finding_location.cpp) -------------

/// How the verdicts of one run add up, counted once for every renderer.
struct Tally {
  std::size_t rules = 0;
  std::size_t passed = 0, failed = 0, errors = 0, skipped = 0;
  std::size_t suppressed = 0, baselined = 0;  ///< rules whose failure does not fail the run
  std::size_t new_findings = 0, known_findings = 0;  ///< with a baseline
  std::size_t below_threshold = 0;            ///< FAIL verdicts less severe than --fail-on
  std::size_t critical_failed = 0;            ///< FAIL verdicts of CRITICAL rules
  std::size_t findings = 0;                   ///< of FAIL and ERROR verdicts
  struct PerSeverity {
    std::size_t rules = 0, passed = 0;
  };
  std::array<PerSeverity, catalog::k_all_severities.size()> by_severity{};

  std::size_t not_passed(catalog::Severity s) const {
    const auto& row = by_severity[static_cast<std::size_t>(s)];
    return row.rules - row.passed;
  }
};
Tally tally(const std::vector<exec::Verdict>& verdicts, const RunInfo& info);

/// "1 rule", "2 rules": the count and the noun, plural when it is not one.
std::string counted(std::size_t count, std::string_view singular, std::string_view plural);

// ---- Offending paths, fingerprints and locations ---------------------------

/// Legacy view for verdicts that carry no findings (offending_paths.cpp): the
/// items a non-passing verdict names in its evidence lists, in evidence order
/// and without duplicates (for objects, their path/file/dir/shard/root/name
/// field), skipping inventory lists such as `found_roots` or `valid_roots`
/// that describe what is fine. Paths under `repo_root` are made relative to it.
std::vector<std::string> offending_paths(const exec::Verdict& verdict, std::string_view repo_root);

/// A stable fingerprint (16 hex digits) of the rule id and its sorted
/// offending items, the same on every machine and run. Baselines use it, and
/// SARIF for a failing verdict without findings.
std::string fingerprint(const exec::Verdict& verdict, std::string_view repo_root);

/// A stable fingerprint (16 hex digits) of one finding: rule, path, kind and
/// identity, but not line or column, so it survives lines moving and other
/// findings appearing or disappearing.
std::string finding_fingerprint(std::string_view rule_id, const checks::Finding& finding);

/// What the report may ask of the repository: the CLI answers from the run's
/// image (cli/image_probe.hpp), never from the disk, which may have changed
/// since; tests pass a fake. An unset function answers false.
struct FileProbe {
  std::function<bool(const std::string& relpath)> is_file;  ///< a regular file at this relative path?
  std::function<bool(const std::string& relpath)> is_dir;   ///< a directory at this relative path?
};

/// Where a finding is shown. A missing file or folder has no lines of its own:
/// it is shown at the closest existing folder that should contain it (`folder`
/// true, `path` ending in '/', "" for the repository root); a missing key
/// stays at the file that should hold it. A finding about a folder that exists
/// is shown at that folder; everything else where the finding points.
struct FindingLocation {
  std::string path;  ///< repository-relative; "" only for the root folder
  std::uint32_t line = 0, column = 0;
  bool folder = false;
};
FindingLocation location_of(const checks::Finding& finding, const FileProbe& probe);

/// "path:line:col", "path:line" or "path" (what is known), the form
/// terminals and editors turn into links.
std::string compiler_location(const checks::Finding& finding);

/// The non-passing verdicts in the order reports list them: most severe
/// first, then catalog order (indices into `verdicts`).
std::vector<std::size_t> by_severity(const std::vector<exec::Verdict>& verdicts);

/// Secrets, personal data and cryptography: rules GitHub should rank as
/// security alerts (security_rules.cpp).
bool is_security_rule(const catalog::Rule& rule);

// ---- SARIF, JUnit, GitHub, GitLab --------------------------------------------

/// GitHub code scanning keeps at most this many results of one run.
inline constexpr std::size_t k_sarif_max_results = 25000;

/// SARIF 2.1.0 for code scanning: one run; tool.driver.rules holds every
/// catalog rule (so ruleIndex is the catalog index) with help text and, for
/// security rules, security-severity; one result per finding of a FAIL or
/// ERROR verdict, located per location_of relative to SRCROOT, with a
/// per-finding partialFingerprint; a non-passing verdict without findings is a
/// result without a location. Suppressed verdicts carry a SARIF suppression;
/// with a baseline every result has a baselineState (new or unchanged).
nlohmann::ordered_json to_sarif(const catalog::Catalog& catalog, const std::vector<exec::Verdict>& verdicts,
                                const RunInfo& info, const FileProbe& probe);

/// JUnit XML valid against the Jenkins xUnit plugin's junit-10.xsd
/// (tests/schemas/junit-10.xsd): one testsuite per batch that has rules, one
/// testcase per rule (classname = family, name = "ID: title"), with failure
/// (FAIL: its findings as path:line: message), error (ERROR) or skipped
/// (SKIPPED, suppressed, baselined). Always well-formed: invalid UTF-8 and
/// characters XML forbids are replaced.
std::string to_junit(const catalog::Catalog& catalog, const std::vector<exec::Verdict>& verdicts,
                     const RunInfo& info);

struct GithubOptions {
  /// Prepended to every file= path: the repository's place inside
  /// $GITHUB_WORKSPACE when it is validated from a subdirectory ("" or "sub/dir/").
  std::string path_prefix;
};

/// GitHub shows at most this many annotations of one level per step.
inline constexpr std::size_t k_github_annotations_per_level = 10;

/// GitHub Actions workflow commands: one annotation per finding on its file
/// and line (::error for CRITICAL/HIGH and ERROR, ::warning for MEDIUM and
/// below, ::notice for baselined failures), most severe first and at most
/// k_github_annotations_per_level per level; the other findings are plain log
/// lines and one ::notice says how many and where to see them all. Grouped by
/// severity with ::group::, escaped per the workflow-command rules.
std::string to_github(const catalog::Catalog& catalog, const std::vector<exec::Verdict>& verdicts,
                      const RunInfo& info, const FileProbe& probe, const GithubOptions& options);

/// GitHub refuses a step summary above 1 MiB; the finding list stops short of it.
inline constexpr std::size_t k_step_summary_max_bytes = 1000 * 1000;

/// The Markdown job summary for $GITHUB_STEP_SUMMARY: counts by severity, a
/// table of the rules that did not pass and every finding.
std::string github_step_summary(const catalog::Catalog& catalog, const std::vector<exec::Verdict>& verdicts,
                                const RunInfo& info);

/// Workflow-command escaping: message data escapes % CR LF; property values
/// (file=, title=) also escape ':' and ','.
std::string github_escape_data(std::string_view text);
std::string github_escape_property(std::string_view text);

/// GitLab Code Quality (the CodeClimate JSON array): one issue per finding of
/// a FAIL or ERROR verdict with description, check_name, fingerprint (unique
/// in the report), severity (info|minor|major|critical|blocker) and
/// location.path/lines.begin.
nlohmann::ordered_json to_gitlab(const catalog::Catalog& catalog, const std::vector<exec::Verdict>& verdicts,
                                 const RunInfo& info, const FileProbe& probe);

}  // namespace sotcheck::report
