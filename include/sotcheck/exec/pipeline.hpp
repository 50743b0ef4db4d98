#pragma once
/// The one pipeline from a loaded catalog to verdicts (docs/ARCHITECTURE.md):
/// plan -> walk -> what the selected rules need from the snapshot -> image ->
/// executor. `validate` (and so `bench`), the tests and the benchmarks all run
/// it, so no caller copies the wiring between the stages, and none can leave a
/// stage's input out (the YAML to parse, the content scanner, the bytes to keep).
///
/// run_pipeline() is the whole run; prepare_run() stops before the executor
/// (for callers that time or drive the executors themselves), execute() is the
/// executor stage alone. The hooks are where validate steps in between stages.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "sotcheck/catalog/model.hpp"
#include "sotcheck/exec/executor.hpp"
#include "sotcheck/exec/process_pool.hpp"
#include "sotcheck/plan/needs.hpp"
#include "sotcheck/plan/plan.hpp"
#include "sotcheck/snapshot/image.hpp"
#include "sotcheck/snapshot/shared_image.hpp"
#include "sotcheck/snapshot/tree_source.hpp"
#include "sotcheck/snapshot/walker.hpp"
#include "sotcheck/util/result.hpp"
#include "sotcheck/util/stats.hpp"

namespace sotcheck::exec {

/// How the snapshot image is built and where it lives.
struct ImageOptions {
  std::string root_path = "/repo";  ///< recorded in the image for reports
  std::uint64_t max_file_size = snapshot::k_default_max_file_size;
  std::uint64_t max_image_size = 0;  ///< 0 = no limit
  /// Off: the image keeps every file's bytes and no probe values, so each
  /// check scans for itself (tests and benchmarks comparing both ways).
  bool fused_scan = true;
  /// In a sealed memfd that process-pool workers map; when that cannot be
  /// done the image is built in heap memory and RunImage::share_error says why.
  bool shared = false;
  unsigned build_threads = 0;  ///< reader threads of the build; 0 = usable CPUs
};

/// A built image, in heap memory or in a sealed memfd, with its build figures.
class RunImage {
 public:
  static util::Result<RunImage> build(const snapshot::WalkTree& tree, snapshot::TreeSource& source,
                                      const plan::SnapshotNeeds& needs, const ImageOptions& options,
                                      const std::function<void()>& source_done = {});

  const snapshot::ImageView& view() const { return *m_view; }
  bool shared() const { return m_shared.has_value(); }
  int shared_fd() const { return m_shared ? m_shared->fd() : -1; }  ///< -1 for a heap image
  /// Why a shared image was asked for and the heap holds it instead ("" otherwise).
  const std::string& share_error() const { return m_share_error; }
  const snapshot::BuildStats& stats() const { return m_stats; }
  double seal_seconds() const { return m_shared ? m_shared->seal_seconds() : 0.0; }

 private:
  RunImage() = default;
  std::optional<snapshot::SharedImage> m_shared;
  std::optional<snapshot::HeapImage> m_heap;
  std::optional<snapshot::ImageView> m_view;
  std::string m_share_error;
  snapshot::BuildStats m_stats;
};

/// Everything before the executor: the plan and the image its rules read.
struct PreparedRun {
  plan::Plan plan;
  RunImage image;

  RunContext context(const catalog::Catalog& catalog, checks::Profile profile,
                     ProgressCallback on_progress = {}) const {
    return {catalog, plan, profile, image.view(), std::move(on_progress)};
  }
};

/// The executor stage's choices.
struct ExecuteOptions {
  Mode mode = Mode::sequential;  ///< automatic = the process pool
  unsigned workers = 0;          ///< 0 = usable CPUs
  /// The process pool's start method, timeout and faults; its workers, image
  /// descriptor and catalog directory are filled in from the run.
  PoolOptions pool;
  ProgressCallback on_progress;
};

/// What the executor stage did.
struct Execution {
  std::vector<Verdict> verdicts;  ///< catalog order; empty when interrupted
  std::string executor;           ///< the one that ran: sequential | thread | process
  unsigned workers = 1;
  bool pool_started = false;    ///< the process pool was asked to run (it may have handed rules to threads)
  std::string fallback_reason;  ///< non-empty when threads ran instead of processes, and why
  int interrupted_by = 0;       ///< the signal that stopped the process pool, else 0
};

/// Runs the prepared plan under `options.mode`. Process mode needs a shared
/// image; without one the thread pool runs and the fallback reason says why.
/// Stats: the executors' phases; counter `fallbacks` when the image was not shared.
Execution execute(const catalog::Catalog& catalog, checks::Profile profile, const PreparedRun& prepared,
                  const ExecuteOptions& options, util::RunStats& stats);

struct PipelineOptions {
  checks::Profile profile = checks::Profile::strict;
  plan::Selection selection;            ///< empty = every rule
  std::vector<std::string> exclusions;  ///< directory names the walk skips besides the profile's
  ImageOptions image;
  ExecuteOptions execute;
};

/// Where a caller steps in between stages; every hook is optional.
struct PipelineHooks {
  /// The walked tree, when the caller has the walk under way already
  /// (validate walks while the catalog loads); empty = the pipeline walks.
  std::function<util::Result<snapshot::WalkTree>()> walked;
  /// The plan is made (validate ends its catalog phase here).
  std::function<void(const plan::Plan&)> planned;
  /// The image holds everything the rules read: the source is not touched
  /// again (validate closes its directory descriptors before the pool opens its own).
  std::function<void()> source_done;
  /// The progress callback for the plan's batches, asked for just before the executor runs.
  std::function<ProgressCallback(const plan::Plan&)> progress;
};

enum class PipelineStage { plan, walk, image };

/// Why a run stopped before its verdicts.
struct PipelineFailure {
  PipelineStage stage = PipelineStage::plan;
  std::string message;
  /// The user's to fix (a selection of nothing, --max-image-size): exit 2;
  /// otherwise the run itself failed (a walk that threw, out of memory): exit 3.
  bool usage = false;
};

struct PipelineRun {
  PreparedRun prepared;
  Execution execution;
};

/// The walk a profile asks for: its do_not_descend list and `exclusions`.
/// Takes the profile's settings, not the catalog, because validate starts the
/// walk as soon as the loader has read them.
snapshot::WalkOptions walk_options_for(const catalog::ProfileSettings& profile,
                                       const std::vector<std::string>& exclusions = {});

/// Plan, walk and image. Stats: phases walk, image, seal (shared images);
/// counters entries, image_bytes, files_loaded, yaml_documents, probe_values,
/// image_yaml_us, image_fill_us, image_checksum_us.
std::variant<PreparedRun, PipelineFailure> prepare_run(const catalog::Catalog& catalog, snapshot::TreeSource& source,
                                                       const PipelineOptions& options, util::RunStats& stats,
                                                       const PipelineHooks& hooks = {});

/// prepare_run, then execute.
std::variant<PipelineRun, PipelineFailure> run_pipeline(const catalog::Catalog& catalog, snapshot::TreeSource& source,
                                                        const PipelineOptions& options, util::RunStats& stats,
                                                        const PipelineHooks& hooks = {});

}  // namespace sotcheck::exec
