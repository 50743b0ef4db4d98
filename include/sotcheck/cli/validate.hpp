#pragma once
/// `sotcheck validate`: the whole pipeline, catalog -> plan -> walk -> image
/// -> executor -> report -> exit code. run_validation() is the reusable core
/// (bench calls it too); validate_command() adds output and the exit code.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sotcheck/catalog/loader.hpp"
#include "sotcheck/catalog/model.hpp"
#include "sotcheck/exec/executor.hpp"
#include "sotcheck/exec/pipeline.hpp"
#include "sotcheck/exec/process_pool.hpp"
#include "sotcheck/plan/plan.hpp"
#include "sotcheck/report/report.hpp"
#include "sotcheck/snapshot/image.hpp"
#include "sotcheck/util/stats.hpp"

namespace sotcheck::cli {

struct OutputSpec {
  std::string format;  ///< text | json | sarif | junit | github | gitlab | html | matrix
  std::string file;    ///< "" = stdout
};

/// How exit codes are chosen (docs/ci-integration.md): sotcheck's own (0/1/2/3/130), or
/// the Python CLI's ladder (4 critical, 3 high, 2 medium, 1 low/info failed).
enum class ExitCodeStyle { standard, reference };

/// A config-file suppression: the findings of the rules it matches (under
/// `paths`, when given) are reported as suppressed and do not fail the run
/// (ERROR verdicts still do).
struct Suppression {
  std::string rule;                ///< id, family or glob, as --select takes
  std::string reason;              ///< mandatory: why the failure is acceptable
  std::vector<std::string> paths;  ///< optional globs: then only the findings whose path matches one
  std::string origin;              ///< "FILE:LINE" of the entry, for messages
};

struct ValidateOptions {
  std::string repo = ".";
  checks::Profile profile = checks::Profile::strict;
  exec::Mode mode = exec::Mode::automatic;
  unsigned workers = 0;  ///< 0 = usable CPUs
  std::string start_method = "fork";  ///< fork | spawn (process mode)
  double rule_timeout = 60.0;         ///< seconds a worker may spend on one rule (process mode)
  std::vector<exec::FaultSpec> faults;  ///< hidden --debug-inject-fault
  plan::Selection selection;
  std::string catalog_dir;  ///< "" = $SOTCHECK_CATALOG or the embedded catalog
  std::uint64_t max_file_size = snapshot::k_default_max_file_size;
  std::uint64_t max_image_size = 0;
  std::vector<OutputSpec> outputs;
  bool stats = false;
  catalog::Severity fail_on = catalog::Severity::info;
  bool fail_on_given = false;  ///< --fail-on or the config's fail_on was set (the reports name the threshold)
  /// "--exit-zero" or "--fail-on none" (what asked for it): report failures,
  /// exit 0 (2, 3 and 130 stay); "" = failures fail the run
  std::string exit_zero;
  bool show_known = false;     ///< text report with --baseline: list the known findings too
  bool verbose = false;
  bool show_all = false;  ///< text report: every finding of every rule
  bool explain = false;   ///< text report: why and how to fix under each failing rule
  std::string colour = "auto";  ///< auto | always | never
  ExitCodeStyle exit_code_style = ExitCodeStyle::standard;
  std::string config_file;              ///< --config; "" = REPO/.sotcheck.yaml when it exists
  bool no_config = false;               ///< --no-config: ignore REPO/.sotcheck.yaml
  std::string config_loaded;            ///< the config file in effect ("" for none), for the reports
  /// The command line's own selection, kept when the config changed it, so
  /// the reports can say how many rules the config deselected.
  std::optional<plan::Selection> selection_without_config;
  std::vector<std::string> exclusions;  ///< directory names the walk must not enter (config)
  std::vector<Suppression> suppressions;
  std::string baseline_file;        ///< --baseline: only failures not in it fail the run
  std::string write_baseline_file;  ///< --write-baseline: record this run's failures
  bool honour_dependencies = false;  ///< rules whose prerequisite did not pass become SKIPPED
  std::string progress = "never";    ///< never | auto | always (the command line defaults to auto)
  bool force = false;  ///< --force: validate a directory that does not look like a repository (repository_root.hpp)
  bool follow_outside_links = false;  ///< --follow-outside-links: reference profile only
};

struct ValidationRun {
  catalog::Catalog catalog;
  std::vector<exec::Verdict> verdicts;
  report::RunInfo info;
  util::RunStats stats;
  /// The snapshot the rules read, kept when a requested report places findings
  /// on files and folders: those reports ask it (image_probe.hpp), not the disk.
  std::optional<exec::RunImage> image;
};

/// Loads the catalog given by the options (directory, $SOTCHECK_CATALOG or
/// embedded); prints diagnostics to stderr on failure.
std::optional<catalog::Catalog> load_catalog_for(const std::string& catalog_dir,
                                                 const catalog::ProfilesReady& profiles_ready = {});

/// Runs the pipeline. On a usage/catalog problem returns nullopt after printing
/// it and sets *exit_code (2).
std::optional<ValidationRun> run_validation(const ValidateOptions& options, int* exit_code);

/// The exit code a finished run deserves (docs/ci-integration.md).
int exit_code_for(const std::vector<exec::Verdict>& verdicts, catalog::Severity fail_on);

/// The same under `style`, with the CLI's dispositions (parallel to the
/// verdicts, may be empty): a suppressed or baselined failure does not count;
/// an ERROR verdict always does (3, or its severity's step of the reference
/// ladder whatever --fail-on says), so an unevaluated rule never passes a pipeline.
int exit_code_for(const std::vector<exec::Verdict>& verdicts, catalog::Severity fail_on, ExitCodeStyle style,
                  const std::vector<report::Disposition>& dispositions);

/// A code that is not about verdicts (usage 2, internal error 3, interrupted
/// 130) in `style`: the reference CLI reports an internal error as 4.
int exit_code_in_style(int code, ExitCodeStyle style);

/// --honour-dependencies, as a post-pass in batch order: a rule with a
/// prerequisite (depends_on) that was evaluated and did not pass becomes
/// SKIPPED with evidence {"blocked_by": [ids]}. Prerequisites point to earlier
/// batches only, so visiting batches in order settles every prerequisite
/// first and the result equals not evaluating the blocked rules at all.
/// Prerequisites outside the selection block nothing (they were not evaluated).
void block_on_failed_dependencies(const catalog::Catalog& catalog, std::vector<exec::Verdict>& verdicts);

int validate_command(const ValidateOptions& options);

}  // namespace sotcheck::cli
