// The executor stage of the pipeline (pipeline.hpp): which executor runs the
// prepared plan, and the fallback to the thread pool when processes cannot.

#include "sotcheck/exec/pipeline.hpp"

namespace sotcheck::exec {

Execution execute(const catalog::Catalog& catalog, checks::Profile profile, const PreparedRun& prepared,
                  const ExecuteOptions& options, util::RunStats& stats) {
  const RunContext context = prepared.context(catalog, profile, options.on_progress);
  Execution execution;
  execution.workers = options.workers > 0 ? options.workers : usable_cpus();
  if (options.mode == Mode::sequential) {
    execution.verdicts = run_sequential(context, stats);
    execution.executor = "sequential";
    execution.workers = 1;
    return execution;
  }
  if (options.mode == Mode::thread) {
    execution.verdicts = run_threads(context, execution.workers, stats);
    execution.executor = "thread";
    return execution;
  }
  // Process pool (automatic = process). The pool falls back by itself when it
  // cannot start or crash-loops; here only the image may rule processes out.
  if (!prepared.image.shared()) {
    execution.verdicts = run_threads(context, execution.workers, stats);
    execution.executor = "thread";
    execution.fallback_reason = "cannot share the snapshot image: " + prepared.image.share_error();
    stats.set_counter("fallbacks", 1);
    return execution;
  }
  PoolOptions pool = options.pool;
  pool.workers = execution.workers;
  pool.image_fd = prepared.image.shared_fd();
  // A spawned worker loads the catalog the parent loaded.
  pool.catalog_dir = catalog.origin == "embedded" ? "" : catalog.origin;
  PoolResult result = run_process_pool(context, pool, stats);
  execution.pool_started = true;
  execution.interrupted_by = result.interrupted_by;
  execution.verdicts = std::move(result.verdicts);
  execution.executor = result.used_processes ? "process" : "thread";
  execution.fallback_reason = std::move(result.fallback_reason);
  return execution;
}

}  // namespace sotcheck::exec
