#pragma once
/// The configuration file: `.sotcheck.yaml` at the repository root, or the
/// file given with `--config`. It sets the same options as the command line
/// (the command line wins) plus what only makes sense written down:
/// exclusions and suppressions. Every problem is reported with file and line,
/// and an unknown key is a problem, so a typo never silently does nothing.
///
///   profile: strict                 # strict | reference
///   mode: auto                      # auto | process | thread | sequential
///   workers: 4
///   select: [AR, CP]                # ids, families or globs (a single string works too)
///   ignore: [AR009]
///   min_severity: MEDIUM
///   fail_on: HIGH                   # or none: report only, exit 0 unless the run itself failed
///   exit_code_style: default        # default | reference
///   formats: [text, sarif=out.sarif, {name: junit, file: out.xml}]
///   baseline: sotcheck-baseline.json
///   honour_dependencies: true
///   progress: auto                  # never | auto | always
///   exclusions: [vendor, third_party]   # directory names the walk must not enter
///   suppressions:
///     - rule: AR009                 # id, family or glob
///       reason: "legacy folders, removed in Q3"   # mandatory
///       paths: ["99_*"]             # optional: only the findings under these paths
///
/// Relative paths (formats' files, baseline) are relative to the directory
/// that holds the config file, so a committed config works from any cwd.
///
/// Trust (docs/ci-integration.md): a config given with --config is trusted
/// like the command line. The implicit REPO/.sotcheck.yaml belongs to the tree
/// under validation, which may be a hostile pull request: it must itself
/// resolve inside the repository, and every file it names must too (no
/// absolute paths, no .. escapes, no symlinked way out). --no-config ignores it.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sotcheck/cli/validate.hpp"
#include "sotcheck/util/result.hpp"

namespace sotcheck::cli {

inline constexpr std::string_view k_config_file_name = ".sotcheck.yaml";

/// A file a config names, as written and as anchored at the config's directory.
struct ConfigPath {
  std::string key;       ///< "formats" or "baseline"
  std::string written;   ///< the value in the file
  std::string anchored;  ///< what the run uses
};

/// What a config file sets; unset members were not in the file.
struct ConfigFile {
  std::string path;  ///< where it was read from
  std::vector<ConfigPath> files;  ///< every report destination and baseline it names
  std::optional<checks::Profile> profile;
  std::optional<exec::Mode> mode;
  std::optional<unsigned> workers;
  std::optional<std::vector<std::string>> select;
  std::optional<std::vector<std::string>> ignore;
  std::optional<catalog::Severity> min_severity;
  std::optional<catalog::Severity> fail_on;
  bool fail_on_none = false;  ///< fail_on: none (report only)
  std::optional<ExitCodeStyle> exit_code_style;
  std::optional<std::vector<OutputSpec>> formats;
  std::optional<std::string> baseline;
  std::optional<bool> honour_dependencies;
  std::optional<std::string> progress;
  std::vector<std::string> exclusions;
  std::vector<Suppression> suppressions;
};

/// Parses config text; `path` names it in messages and anchors relative paths.
/// On error, the message lists every problem, one "PATH:LINE:COLUMN: what" per line.
util::Result<ConfigFile> parse_config(std::string_view text, const std::string& path);

/// Reads and parses `path`: a regular file of at most 1 MiB (a FIFO or
/// /dev/zero is refused, not waited on or read forever).
util::Result<ConfigFile> load_config(const std::string& path);

/// Refuses a config from the tree that names a file outside `repo`: an
/// absolute path, a .. escape, or a path whose existing directories (for a
/// report) or the file itself (for a baseline) resolve outside it through a
/// symlink.
util::Result<void> confine_to_repository(const ConfigFile& config, const std::string& repo);

/// The config a run uses: `explicit_path` (--config; must exist; trusted)
/// when given, else REPO/.sotcheck.yaml when it exists and `use_tree_config`
/// (confined to the repository, see confine_to_repository), else none.
util::Result<std::optional<ConfigFile>> find_config(const std::string& explicit_path, const std::string& repo,
                                                    bool use_tree_config = true);

/// Copies the config's settings into `options` for every option the command
/// line did not give: `given("--fail-on")` says whether it did. Exclusions
/// and suppressions come only from the config and are always applied.
void apply_config(const ConfigFile& config, const std::function<bool(std::string_view option)>& given,
                  ValidateOptions& options);

/// --rule-timeout: a positive number of seconds. NaN, infinity and
/// non-positive values are refused; a huge value means "no timeout" and is
/// clamped to k_max_rule_timeout_seconds, which a steady-clock deadline can hold.
inline constexpr double k_max_rule_timeout_seconds = 1e9;  // ~31 years; the clock overflows near 9.2e9 s
util::Result<double> parse_rule_timeout(std::string_view text);

/// --select/--ignore (and the config's select/ignore) as typed: comma lists
/// split, blanks dropped, upper-cased (every id and family is upper case, so
/// "ar001,md-chart" selects AR001 and MD-CHART).
std::vector<std::string> normalize_selectors(const std::vector<std::string>& typed);

/// Every selector of `selection` that matches no rule, as an error with a
/// did-you-mean suggestion (the nearest id or family by edit distance).
util::Result<void> check_selectors(const plan::Selection& selection, const catalog::Catalog& catalog);

/// Creates the missing directories of every report and baseline destination
/// before any work, so a bad destination is exit 2 with the OS reason at
/// once, not exit 3 after the whole run.
util::Result<void> prepare_destinations(const std::vector<std::string>& files);

/// Checks one --format/formats entry, "NAME" or "NAME=FILE".
util::Result<OutputSpec> parse_output_spec(std::string_view text);

/// The index of the first suppression that covers `finding` of `rule`, or
/// none. A suppression without `paths` covers every finding of the rules it
/// matches (and a verdict without findings, `finding` null); with `paths`,
/// the findings whose path matches one of the globs (fnmatch, '*' crosses '/').
std::optional<std::size_t> covering_suppression(const std::vector<Suppression>& suppressions,
                                                const catalog::Rule& rule, const checks::Finding* finding);

/// Every suppression whose rule matches no rule of the catalog, as an error
/// with FILE:LINE and a did-you-mean suggestion (the nearest id or family).
util::Result<void> check_suppressions(const std::vector<Suppression>& suppressions, const catalog::Catalog& catalog);

}  // namespace sotcheck::cli
