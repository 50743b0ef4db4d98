#include "sotcheck/cli/validate.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "sotcheck/catalog/describe.hpp"
#include "sotcheck/catalog/loader.hpp"
#include "sotcheck/exec/pipeline.hpp"
#include "sotcheck/report/shard_matrix.hpp"
#include "sotcheck/scaffold/layout_names.hpp"
#include "sotcheck/cli/baseline.hpp"
#include "sotcheck/cli/cli.hpp"
#include "sotcheck/cli/config.hpp"
#include "sotcheck/cli/image_probe.hpp"
#include "sotcheck/cli/interrupts.hpp"
#include "sotcheck/cli/progress.hpp"
#include "sotcheck/cli/repository_root.hpp"
#include "sotcheck/snapshot/tree_source.hpp"
#include "sotcheck/snapshot/walker.hpp"
#include "sotcheck/util/worker_threads.hpp"
#include "sotcheck/util/atomic_file.hpp"
#include "sotcheck/util/diagnostics.hpp"
#include "sotcheck/util/standard_streams.hpp"
#include "sotcheck/util/strings.hpp"
#include "sotcheck/util/terminal_escape.hpp"

namespace sotcheck::cli {
namespace {

const char* mode_name(exec::Mode mode) {
  switch (mode) {
    case exec::Mode::automatic: return "auto";
    case exec::Mode::process: return "process";
    case exec::Mode::thread: return "thread";
    case exec::Mode::sequential: return "sequential";
  }
  return "auto";
}

bool want_colour(const std::string& setting, int fd) {
  if (setting == "always") return true;
  if (setting == "never") return false;
  const char* force = std::getenv("FORCE_COLOR");
  const char* clicolor_force = std::getenv("CLICOLOR_FORCE");
  if ((force && *force && std::string(force) != "0") || (clicolor_force && *clicolor_force && std::string(clicolor_force) != "0"))
    return true;
  if (std::getenv("NO_COLOR") != nullptr && *std::getenv("NO_COLOR") != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string(term) == "dumb") return false;
  return ::isatty(fd) == 1;
}

/// Config suppressions, per finding: a covered finding moves from the
/// verdict to its disposition (still reported, never failing the run); a
/// FAIL verdict left with no finding passes and says why. Suppressions that
/// took nothing out of rules this run evaluated are listed as stale.
void apply_suppressions(const std::vector<Suppression>& suppressions, ValidationRun& run) {
  if (suppressions.empty()) return;
  run.info.dispositions.resize(run.verdicts.size());
  std::vector<std::size_t> used(suppressions.size(), 0);
  std::vector<bool> evaluated(suppressions.size(), false);
  for (std::size_t i = 0; i < run.verdicts.size(); ++i) {
    exec::Verdict& v = run.verdicts[i];
    const catalog::Rule* rule = run.catalog.find(v.rule_id);
    if (rule == nullptr) continue;
    for (std::size_t s = 0; s < suppressions.size(); ++s)
      evaluated[s] = evaluated[s] || plan::selector_matches(suppressions[s].rule, *rule);
    // An ERROR is never suppressed: a rule that could not be evaluated must not look fine.
    if (v.status != exec::Status::fail) continue;
    report::Disposition& d = run.info.dispositions[i];
    if (v.findings.empty()) {
      if (const auto s = covering_suppression(suppressions, *rule, nullptr)) {
        ++used[*s];
        d.suppressed_reason = suppressions[*s].reason;
      }
    } else {
      std::vector<checks::Finding> kept;
      for (auto& f : v.findings) {
        if (const auto s = covering_suppression(suppressions, *rule, &f)) {
          ++used[*s];
          d.suppressed_findings.push_back({std::move(f), suppressions[*s].reason});
        } else {
          kept.push_back(std::move(f));
        }
      }
      v.findings = std::move(kept);
      if (v.findings.empty()) d.suppressed_reason = d.suppressed_findings.front().reason;
    }
    if (!d.suppressed_reason.empty()) {
      const std::size_t count = std::max<std::size_t>(1, d.suppressed_findings.size());
      v.status = exec::Status::pass;
      v.message = "Passes: " + report::counted(count, "finding", "findings") + " suppressed by the config (" +
                  d.suppressed_reason + "); was: " + v.message;
    }
  }
  for (std::size_t s = 0; s < suppressions.size(); ++s)
    if (evaluated[s] && used[s] == 0)
      run.info.config_stale.push_back({suppressions[s].origin, suppressions[s].rule, "matches no finding in this run"});
  for (const auto& d : run.info.dispositions)
    run.info.config_suppressed += d.suppressed_findings.empty() && !d.suppressed_reason.empty()
                                      ? 1
                                      : d.suppressed_findings.size();
}

/// Config suppressions and the baseline, recorded as dispositions next to the
/// verdicts: the reports show them, the exit code honours them.
void apply_dispositions(const ValidateOptions& options, const std::optional<Baseline>& baseline,
                        ValidationRun& run) {
  apply_suppressions(options.suppressions, run);
  for (const auto& stale : run.info.config_stale)
    std::fprintf(stderr, "sotcheck: warning: %s: suppression '%s' %s; remove it if the cause is gone\n",
                 stale.origin.c_str(), stale.entry.c_str(), stale.why.c_str());
  if (baseline) {
    if (!baseline->profile.empty() && baseline->profile != catalog::profile_name(options.profile))
      std::fprintf(stderr, "sotcheck: warning: the baseline %s was written under the %s profile, this run is %s\n",
                   options.baseline_file.c_str(), baseline->profile.c_str(),
                   std::string(catalog::profile_name(options.profile)).c_str());
    run.info.baseline_file = options.baseline_file;
    apply_baseline(*baseline, run.verdicts, run.info);
  }
}

/// Every string of a JSON value (keys too) through escape_for_terminal.
nlohmann::ordered_json terminal_safe(const nlohmann::ordered_json& value) {
  if (value.is_string()) return util::escape_for_terminal(value.get_ref<const std::string&>());
  if (value.is_array()) {
    nlohmann::ordered_json out = nlohmann::ordered_json::array();
    for (const auto& item : value) out.push_back(terminal_safe(item));
    return out;
  }
  if (value.is_object()) {
    nlohmann::ordered_json out = nlohmann::ordered_json::object();
    for (const auto& [key, item] : value.items()) out[util::escape_for_terminal(key)] = terminal_safe(item);
    return out;
  }
  return value;
}

/// The run as the text and GitHub reports may print it: file names and
/// messages come from the tree (and the tree's config), so their control
/// and bidirectional characters are escaped the way the JSON report does.
struct TerminalSafeRun {
  std::vector<exec::Verdict> verdicts;
  report::RunInfo info;
};
TerminalSafeRun terminal_safe(const ValidationRun& run) {
  TerminalSafeRun safe{run.verdicts, run.info};
  for (auto& v : safe.verdicts) {
    v.message = util::escape_for_terminal(v.message);
    v.evidence = terminal_safe(v.evidence);
    for (auto& f : v.findings) {
      f.path = util::escape_for_terminal(f.path);
      f.message = util::escape_for_terminal(f.message);
      f.expected = util::escape_for_terminal(f.expected);
      f.actual = util::escape_for_terminal(f.actual);
    }
  }
  safe.info.repo_root = util::escape_for_terminal(safe.info.repo_root);
  safe.info.config_file = util::escape_for_terminal(safe.info.config_file);
  safe.info.baseline_file = util::escape_for_terminal(safe.info.baseline_file);
  for (auto& d : safe.info.dispositions) {
    d.suppressed_reason = util::escape_for_terminal(d.suppressed_reason);
    for (auto& s : d.suppressed_findings) {
      s.reason = util::escape_for_terminal(s.reason);
      s.finding.path = util::escape_for_terminal(s.finding.path);
      s.finding.message = util::escape_for_terminal(s.finding.message);
    }
  }
  for (auto& e : safe.info.baseline_resolved) {
    e.message = util::escape_for_terminal(e.message);
    e.path = util::escape_for_terminal(e.path);
  }
  for (auto& stale : safe.info.config_stale) {
    stale.origin = util::escape_for_terminal(stale.origin);
    stale.entry = util::escape_for_terminal(stale.entry);
  }
  return safe;
}

/// The text report of the terminal-safe run, with the suppression, stale
/// config and fixed-baseline sections before the summary.
std::string text_with_dispositions(const ValidationRun& run, const report::TextOptions& text_options) {
  const TerminalSafeRun safe = terminal_safe(run);
  report::TextOptions with_dispositions = text_options;
  with_dispositions.appendix = dispositions_text(safe.verdicts, safe.info);
  return report::to_text(safe.verdicts, safe.info, with_dispositions);
}

/// The repository's place inside $GITHUB_WORKSPACE ("sub/dir/"), so annotations
/// name files as GitHub sees them when a subdirectory is validated.
std::string github_path_prefix(const std::string& repo_root) {
  namespace fs = std::filesystem;
  const char* workspace = std::getenv("GITHUB_WORKSPACE");
  if (workspace == nullptr || *workspace == '\0') return "";
  std::error_code ec;
  const fs::path base = fs::canonical(workspace, ec);
  if (ec) return "";
  const fs::path relative = fs::path(repo_root).lexically_relative(base);
  if (relative.empty() || relative == "." || relative.begin()->string() == "..") return "";
  return relative.generic_string() + "/";
}

/// The repository walk on its own thread. finish() (or the destructor, on an
/// early return) joins it; an exception thrown by the walk comes back as an error.
class BackgroundWalk {
 public:
  BackgroundWalk() = default;
  BackgroundWalk(const BackgroundWalk&) = delete;
  BackgroundWalk& operator=(const BackgroundWalk&) = delete;
  ~BackgroundWalk() {
    if (m_thread.joinable()) m_thread.join();
  }

  void start(snapshot::TreeSource& source, snapshot::WalkOptions options) {
    m_started = true;
    auto body = [this, &source, options = std::move(options)] {
      const util::Stopwatch watch;
      try {
        m_tree = snapshot::walk(source, options);
      } catch (const std::exception& e) {
        m_error = std::string("the repository walk failed: ") + e.what();
      }
      m_seconds = watch.seconds();
    };
    // The overlap with the catalog load is an optimisation: where no thread
    // can start (a process limit, memory), walk here instead of aborting.
    if (!util::try_start_thread(&m_thread, body)) body();
  }

  util::Result<snapshot::WalkTree> finish() {
    if (m_thread.joinable()) m_thread.join();
    if (!m_started) return util::make_error("the repository walk was never started");
    if (!m_error.empty()) return util::make_error(m_error);
    return std::move(m_tree);
  }

  /// How long the walk itself took (valid after finish()).
  double seconds() const { return m_seconds; }

 private:
  std::thread m_thread;
  bool m_started = false;
  snapshot::WalkTree m_tree;
  std::string m_error;
  double m_seconds = 0;
};

/// One report to stdout or, atomically, to its file; a failure is reported
/// here and fails the run (exit 3), never lost.
bool write_output(const OutputSpec& spec, const std::string& text) {
  const auto written = spec.file.empty() || spec.file == "-" ? util::write_to_stdout(text)
                                                              : util::write_file_atomically(spec.file, text);
  if (!written) {
    std::fprintf(stderr, "sotcheck: error: cannot write the %s report: %s\n", spec.format.c_str(),
                 written.error().c_str());
    return false;
  }
  return true;
}

}  // namespace

std::optional<catalog::Catalog> load_catalog_for(const std::string& catalog_dir,
                                                 const catalog::ProfilesReady& profiles_ready) {
  std::string dir = catalog_dir;
  if (dir.empty()) {
    const char* env = std::getenv("SOTCHECK_CATALOG");
    if (env != nullptr && *env != '\0') dir = env;
  }
  util::Diagnostics diagnostics;
  auto loaded = dir.empty() ? catalog::load_embedded_catalog(diagnostics, profiles_ready)
                            : catalog::load_catalog_directory(dir, diagnostics, profiles_ready);
  if (!loaded) {
    std::fprintf(stderr, "sotcheck: error: the rule catalog (%s) is invalid:\n%s", dir.empty() ? "embedded" : dir.c_str(),
                 diagnostics.to_string().c_str());
    return std::nullopt;
  }
  return std::move(*loaded);
}

int exit_code_for(const std::vector<exec::Verdict>& verdicts, catalog::Severity fail_on) {
  bool failure = false;
  for (const auto& v : verdicts) {
    if (v.status == exec::Status::error) return k_exit_internal;  // never let an unevaluated rule pass a pipeline
    if (v.status == exec::Status::fail && v.severity <= fail_on) failure = true;
  }
  return failure ? k_exit_failures : k_exit_clean;
}

int exit_code_for(const std::vector<exec::Verdict>& verdicts, catalog::Severity fail_on, ExitCodeStyle style,
                  const std::vector<report::Disposition>& dispositions) {
  bool error = false, failure = false;
  // The reference ladder: the most severe failing severity decides (4 critical ... 1 low/info).
  int ladder = 0;
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    const exec::Verdict& v = verdicts[i];
    const int step = 4 - std::min(static_cast<int>(v.severity), 3);
    if (v.status == exec::Status::error) {
      error = true;
      ladder = std::max(ladder, step);
      continue;
    }
    if (v.status != exec::Status::fail || v.severity > fail_on) continue;
    if (i < dispositions.size() && (!dispositions[i].suppressed_reason.empty() || dispositions[i].baselined)) continue;
    failure = true;
    ladder = std::max(ladder, step);
  }
  if (style == ExitCodeStyle::reference) return ladder;
  if (error) return k_exit_internal;
  return failure ? k_exit_failures : k_exit_clean;
}

int exit_code_in_style(int code, ExitCodeStyle style) {
  if (style == ExitCodeStyle::reference && code == k_exit_internal) return 4;  // the Python CLI's exception code
  return code;
}

void block_on_failed_dependencies(const catalog::Catalog& catalog, std::vector<exec::Verdict>& verdicts) {
  std::map<std::string, std::size_t> position;
  for (std::size_t i = 0; i < verdicts.size(); ++i) position[verdicts[i].rule_id] = i;
  // Verdicts are in catalog order; visit them in batch order (stable inside a batch).
  std::vector<std::size_t> order(verdicts.size());
  std::vector<int> batch_of(verdicts.size(), 0);
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    order[i] = i;
    if (const catalog::Rule* rule = catalog.find(verdicts[i].rule_id)) batch_of[i] = rule->batch;
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return batch_of[a] < batch_of[b]; });
  for (std::size_t i : order) {
    const catalog::Rule* rule = catalog.find(verdicts[i].rule_id);
    if (rule == nullptr) continue;
    nlohmann::ordered_json blocked_by = nlohmann::ordered_json::array();
    for (const auto& dependency : rule->depends_on) {
      const auto it = position.find(dependency);
      if (it != position.end() && verdicts[it->second].status != exec::Status::pass) blocked_by.push_back(dependency);
    }
    if (blocked_by.empty()) continue;
    exec::Verdict& v = verdicts[i];
    std::vector<std::string> ids = blocked_by.get<std::vector<std::string>>();
    v.status = exec::Status::skipped;
    v.message = std::string(ids.size() == 1 ? "Skipped: prerequisite " : "Skipped: prerequisites ") +
                util::join(ids, ", ") + " did not pass";
    v.evidence = {{"blocked_by", std::move(blocked_by)}};
  }
}

namespace {

/// How many rules the command line alone would run that the config's
/// select/ignore/min_severity took out.
std::size_t deselected_by_config(const catalog::Catalog& catalog, const plan::Plan& plan,
                                 const ValidateOptions& options) {
  auto without = plan::build_plan(catalog, *options.selection_without_config);
  if (!without) return 0;  // the command line alone selects nothing: the config took nothing out
  std::set<std::size_t> kept;
  for (const auto& batch : plan.batches) kept.insert(batch.rules.begin(), batch.rules.end());
  std::size_t deselected = 0;
  for (const auto& batch : without->batches)
    for (std::size_t rule : batch.rules) deselected += kept.count(rule) == 0 ? 1 : 0;
  return deselected;
}

/// Names, once each on stderr, the paths some rule needed but could not read (their rules are ERROR, so the
/// run exits 3); the reports carry the same as `unreadable` findings.
void warn_about_unreadable(const std::vector<exec::Verdict>& verdicts) {
  std::map<std::string, std::string> reasons;  // path -> OS reason, sorted
  std::size_t rules = 0;
  for (const auto& v : verdicts) {
    bool any = false;
    for (const auto& f : v.findings)
      if (f.kind == checks::FindingKind::unreadable && v.status == exec::Status::error) {
        reasons.emplace(f.path, f.actual);
        any = true;
      }
    rules += any ? 1 : 0;
  }
  if (reasons.empty()) return;
  std::fprintf(stderr, "sotcheck: error: %zu rule(s) could not be evaluated: %zu path(s) could not be read\n", rules,
               reasons.size());
  for (const auto& [path, reason] : reasons)
    std::fprintf(stderr, "sotcheck:   %s: %s\n", util::escape_for_terminal(path).c_str(),
                 util::escape_for_terminal(reason.empty() ? "could not be read" : reason).c_str());
}

/// The formats that show a finding at a file or folder, and so ask the run's image what exists.
bool places_findings(const OutputSpec& spec) {
  return spec.format == "sarif" || spec.format == "gitlab" || spec.format == "github" || spec.format == "html" ||
         spec.format == "matrix";
}

/// The pipeline's options for this command line.
exec::PipelineOptions pipeline_options(const ValidateOptions& options, const std::string& root) {
  exec::PipelineOptions pipeline;
  pipeline.profile = options.profile;
  pipeline.selection = options.selection;
  pipeline.image.root_path = root;
  pipeline.image.max_file_size = options.max_file_size;
  pipeline.image.max_image_size = options.max_image_size;
  // Process mode writes the image straight into a sealed memfd the workers map;
  // if that cannot be done, the run goes on over a heap image on the thread pool.
  pipeline.image.shared = options.mode == exec::Mode::process || options.mode == exec::Mode::automatic;
  pipeline.image.build_threads = options.workers;  // 0 = usable CPUs, like the executors
  pipeline.execute.mode = options.mode;
  pipeline.execute.workers = options.workers;
  pipeline.execute.pool.start_method =
      options.start_method == "spawn" ? exec::StartMethod::spawn : exec::StartMethod::fork;
  pipeline.execute.pool.rule_timeout_seconds = options.rule_timeout;
  pipeline.execute.pool.faults = options.faults;
  return pipeline;
}

}  // namespace

std::optional<ValidationRun> run_validation(const ValidateOptions& options, int* exit_code) {
  namespace fs = std::filesystem;
  ValidationRun run;
  run.info.timestamp = exec::utc_timestamp_now(options.profile == checks::Profile::strict);
  *exit_code = k_exit_usage;

  std::error_code ec;
  const fs::path given(options.repo);
  // Not a repository at all: one line now, instead of hundreds of confident failures.
  if (const auto problem = repository_root_problem(given); problem && !(problem->forceable && options.force)) {
    std::fprintf(stderr, "sotcheck: error: %s\n", util::escape_for_terminal(problem->message).c_str());
    return std::nullopt;
  }
  const fs::path root = fs::canonical(given, ec);  // docs/catalog-format.md: absolute and symlink-resolved
  if (ec) {
    std::fprintf(stderr, "sotcheck: error: cannot resolve '%s': %s\n", options.repo.c_str(), ec.message().c_str());
    return std::nullopt;
  }
  // Report and baseline destinations are settled before any work: a bad one is
  // exit 2 with the reason now, not exit 3 after the whole run.
  std::vector<std::string> destinations = {options.write_baseline_file};
  for (const auto& spec : options.outputs) destinations.push_back(spec.file);
  if (auto prepared = prepare_destinations(destinations); !prepared) {
    std::fprintf(stderr, "sotcheck: error: %s\n", prepared.error().c_str());
    return std::nullopt;
  }
  // A baseline that cannot be read is a usage error, found before any work.
  std::optional<Baseline> baseline;
  if (!options.baseline_file.empty()) {
    auto loaded = load_baseline(options.baseline_file);
    if (!loaded) {
      std::fprintf(stderr, "sotcheck: error: %s\n", loaded.error().c_str());
      return std::nullopt;
    }
    baseline = std::move(*loaded);
  }

  // The walk needs only the profile's do_not_descend list, which catalog.yaml
  // gives before the rule files are parsed, so it runs on a second thread while
  // the rest of the catalog loads (the two are the run's first ~250 ms). The
  // thread is joined before anything forks.
  snapshot::FilesystemSourceOptions source_options;
  // Reference only: the strict profile never follows a link out of the tree (docs/ci-integration.md).
  source_options.follow_outside_links =
      options.follow_outside_links && options.profile == checks::Profile::reference;
  auto source = snapshot::make_filesystem_source(root.string(), std::move(source_options));
  BackgroundWalk walk;
  util::Stopwatch catalog_watch;
  auto catalog = load_catalog_for(options.catalog_dir, [&](const auto& profiles) {
    snapshot::WalkOptions walk_options =
        exec::walk_options_for(profiles[static_cast<size_t>(options.profile)], options.exclusions);
    walk_options.threads = options.workers;  // 0 = usable CPUs, like the image build and the executors
    walk.start(*source, std::move(walk_options));
  });
  if (!catalog) return std::nullopt;  // ~BackgroundWalk joins
  run.catalog = std::move(*catalog);
  if (auto known = check_selectors(options.selection, run.catalog); !known) {
    for (const auto& line : util::split(known.error(), '\n')) std::fprintf(stderr, "sotcheck: error: %s\n", line.c_str());
    return std::nullopt;
  }
  if (auto known = check_suppressions(options.suppressions, run.catalog); !known) {
    for (const auto& line : util::split(known.error(), '\n')) std::fprintf(stderr, "sotcheck: error: %s\n", line.c_str());
    return std::nullopt;
  }
  const exec::PipelineOptions pipeline = pipeline_options(options, root.string());
  exec::PipelineHooks hooks;
  hooks.planned = [&](const plan::Plan& plan) {
    catalog::build_forms(run.catalog, options.profile, plan.selected);  // the checks, while the walk runs
    run.stats.add_phase("catalog", catalog_watch.seconds());
  };
  // "walk" is the part of the walk the catalog did not hide; walk_hidden_us the rest.
  hooks.walked = [&] {
    const util::Stopwatch wait;
    auto walked = walk.finish();
    run.stats.set_counter("walk_hidden_us",
                          static_cast<std::uint64_t>(std::max(0.0, walk.seconds() - wait.seconds()) * 1e6));
    return walked;
  };
  // The image holds everything the rules read: close the walk's directory
  // descriptors before the pool needs its own (sockets, worker fds).
  hooks.source_done = [&] { source.reset(); };
  // The progress bar (stderr, TTY only by default) follows the batches that have rules.
  std::optional<ProgressBar> progress;
  if (progress_wanted(options.progress, STDERR_FILENO)) {
    hooks.progress = [&progress](const plan::Plan& plan) -> exec::ProgressCallback {
      std::vector<ProgressBar::Batch> batches;
      for (const auto& batch : plan.batches)
        if (!batch.rules.empty()) batches.push_back({batch.id, batch.name});
      progress.emplace(STDERR_FILENO, std::move(batches), progress_delay());
      return [&progress](int batch, std::size_t done, std::size_t total) { progress->update(batch, done, total); };
    };
  }
  auto outcome = exec::run_pipeline(run.catalog, *source, pipeline, run.stats, hooks);
  if (const auto* failure = std::get_if<exec::PipelineFailure>(&outcome)) {
    const bool internal = failure->stage == exec::PipelineStage::walk;
    std::fprintf(stderr, "sotcheck: %s: %s\n", internal ? "internal error" : "error", failure->message.c_str());
    if (!failure->usage) *exit_code = k_exit_internal;
    return std::nullopt;
  }
  exec::PipelineRun& done = std::get<exec::PipelineRun>(outcome);
  const plan::Plan& plan = done.prepared.plan;
  exec::Execution& execution = done.execution;
  if (execution.interrupted_by != 0) {
    std::fputs(k_interrupted_line, stderr);
    *exit_code = k_exit_interrupted;
    return std::nullopt;
  }
  run.verdicts = std::move(execution.verdicts);
  if (std::any_of(options.outputs.begin(), options.outputs.end(), places_findings))
    run.image = std::move(done.prepared.image);
  run.info.requested_mode = mode_name(options.mode);
  run.info.mode = execution.executor;
  run.info.workers = execution.workers;
  if (execution.pool_started) run.info.start_method = options.start_method;
  if (!execution.fallback_reason.empty()) {
    run.info.fallback = "thread";
    run.info.fallback_reason = execution.fallback_reason;
    std::fprintf(stderr, "sotcheck: %s: continuing on the thread pool: %s\n",
                 options.mode == exec::Mode::process ? "warning" : "note", execution.fallback_reason.c_str());
  }
  run.stats.set_counter("rules", run.verdicts.size());
  run.info.repo_root = root.string();
  run.info.profile = options.profile;
  run.info.catalog_origin = run.catalog.origin;
  run.info.config_file = options.config_loaded;
  if (options.selection_without_config) run.info.config_deselected = deselected_by_config(run.catalog, plan, options);
  if (progress) progress->finish();
  if (options.honour_dependencies) block_on_failed_dependencies(run.catalog, run.verdicts);
  apply_dispositions(options, baseline, run);
  warn_about_unreadable(run.verdicts);
  *exit_code = exit_code_for(run.verdicts, options.fail_on, options.exit_code_style, run.info.dispositions);
  // --exit-zero reports every failure and passes; a run that itself failed (3) still says so.
  const bool unevaluated = std::any_of(run.verdicts.begin(), run.verdicts.end(),
                                      [](const exec::Verdict& v) { return v.status == exec::Status::error; });
  if (!options.exit_zero.empty() && !unevaluated) *exit_code = k_exit_clean;
  run.info.exit_zero = options.exit_zero;
  if (options.fail_on_given) run.info.fail_on = options.fail_on;
  return run;
}

int validate_command(const ValidateOptions& options) {
  int exit_code = k_exit_usage;
  auto run = run_validation(options, &exit_code);
  if (!run) return exit_code_in_style(exit_code, options.exit_code_style);
  util::Stopwatch report_watch;
  // Recording a baseline is the point of the run: its failures are what it
  // records (a rule that could not be evaluated still fails it: 3).
  if (!options.write_baseline_file.empty() &&
      std::none_of(run->verdicts.begin(), run->verdicts.end(),
                   [](const exec::Verdict& v) { return v.status == exec::Status::error; }))
    exit_code = k_exit_clean;
  run->info.stats = &run->stats;
  run->info.exit_code = exit_code_in_style(exit_code, options.exit_code_style);
  std::vector<OutputSpec> outputs = options.outputs;
  if (outputs.empty()) outputs.push_back({"text", ""});
  bool written = true;
  // The tree may have changed since the snapshot: findings are placed by the image the rules read.
  const report::FileProbe probe = run->image ? image_probe(run->image->view()) : report::FileProbe{};
  // Repository content may hold any bytes; JSON output replaces what is not UTF-8 instead of throwing.
  const auto dump = [](const nlohmann::ordered_json& j) {
    return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  };
  for (const auto& spec : outputs) {
    std::string text;
    if (spec.format == "json") {
      text = dump(report::to_json(run->verdicts, run->info));
    } else if (spec.format == "sarif") {
      text = dump(report::to_sarif(run->catalog, run->verdicts, run->info, probe));
    } else if (spec.format == "junit") {
      text = report::to_junit(run->catalog, run->verdicts, run->info);
    } else if (spec.format == "gitlab") {
      text = dump(report::to_gitlab(run->catalog, run->verdicts, run->info, probe));
    } else if (spec.format == "html" || spec.format == "matrix") {
      const report::MatrixLayout layout{scaffold::canonical_root_names(), scaffold::canonical_shard_names()};
      const report::ShardMatrix matrix = report::build_matrix(run->verdicts, layout, probe);
      const bool colour = (spec.file.empty() || spec.file == "-") && want_colour(options.colour, STDOUT_FILENO);
      text = spec.format == "html" ? report::to_html(run->catalog, run->verdicts, run->info, matrix)
                                   : report::to_matrix_text(run->verdicts, run->info, matrix, colour);
    } else if (spec.format == "github") {
      report::GithubOptions github;
      github.path_prefix = github_path_prefix(run->info.repo_root);
      const TerminalSafeRun safe = terminal_safe(*run);
      text = report::to_github(run->catalog, safe.verdicts, safe.info, probe, github);
    } else {
      report::TextOptions text_options;
      text_options.colour = (spec.file.empty() || spec.file == "-") && want_colour(options.colour, STDOUT_FILENO);
      text_options.verbose = options.verbose;
      text_options.show_all = options.show_all;
      text_options.show_known = options.show_known;
      if (options.explain) {
        text_options.explain = [&catalog = run->catalog](const std::string& id) {
          std::vector<std::string> lines;
          const catalog::Rule* rule = catalog.find(id);
          if (rule == nullptr) return lines;
          if (!rule->rationale.empty()) lines.push_back("why: " + util::escape_for_terminal(rule->rationale));
          if (!rule->fix.empty()) lines.push_back("fix: " + util::escape_for_terminal(rule->fix));
          lines.push_back(catalog::explain_hint(*rule));
          return lines;
        };
      }
      text = text_with_dispositions(*run, text_options);
    }
    written = write_output(spec, text) && written;
    if (spec.format == "github") {
      // The job summary is GitHub's own channel; append, as every step shares the file.
      const char* summary = std::getenv("GITHUB_STEP_SUMMARY");
      if (summary != nullptr && *summary != '\0') {
        std::ofstream out(summary, std::ios::binary | std::ios::app);
        out << report::github_step_summary(run->catalog, run->verdicts, run->info) << "\n";
        if (!out) std::fprintf(stderr, "sotcheck: warning: cannot append to $GITHUB_STEP_SUMMARY (%s)\n", summary);
      }
    }
  }
  // Every report went to a file: the log still says what happened.
  if (std::none_of(outputs.begin(), outputs.end(), [](const OutputSpec& s) { return s.file.empty() || s.file == "-"; }))
    written = write_output({"text", ""}, report::text_summary(run->verdicts, run->info)) && written;
  if (!options.write_baseline_file.empty()) {
    auto saved = write_baseline(options.write_baseline_file, run->verdicts, run->info);
    if (!saved) {
      std::fprintf(stderr, "sotcheck: error: %s\n", saved.error().c_str());
      written = false;
    } else {
      std::fprintf(stderr, "sotcheck: wrote %s to the baseline %s\n",
                   report::counted(*saved, "entry", "entries").c_str(), options.write_baseline_file.c_str());
    }
  }
  run->stats.add_phase("report", report_watch.seconds());
  if (options.stats) std::fputs(report::stats_text(run->stats).c_str(), stderr);
  if (!written) return exit_code_in_style(k_exit_internal, options.exit_code_style);
  return exit_code;
}

}  // namespace sotcheck::cli
