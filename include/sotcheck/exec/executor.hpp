#pragma once
/// Executors: evaluate a plan's batches over one snapshot image. Batches run
/// in order with a barrier between them; inside a batch any order is allowed,
/// and verdicts come back in catalog order whatever the executor, so reports
/// are identical across modes.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "sotcheck/catalog/model.hpp"
#include "sotcheck/exec/verdict.hpp"
#include "sotcheck/plan/plan.hpp"
#include "sotcheck/snapshot/image_view.hpp"
#include "sotcheck/util/stats.hpp"

namespace sotcheck::exec {

enum class Mode { automatic, process, thread, sequential };

/// Progress of one batch: `done` of its `total` rules have verdicts. Called
/// with done = 0 when a batch starts and after each rule; executors may call
/// it from several threads at once, so it must be thread-safe and cheap.
using ProgressCallback = std::function<void(int batch, std::size_t done, std::size_t total)>;

struct RunContext {
  const catalog::Catalog& catalog;
  const plan::Plan& plan;
  checks::Profile profile;
  const snapshot::ImageView& image;
  ProgressCallback on_progress = {};  ///< optional (the CLI's progress bar)
};

/// One verdict per selected rule, in plan.selected order (catalog order).
std::vector<Verdict> run_sequential(const RunContext& context, util::RunStats& stats);

/// The same on `workers` threads: an atomic index per batch hands out rules,
/// each verdict lands in its own slot (bloaty's scheme: deterministic for free).
std::vector<Verdict> run_threads(const RunContext& context, unsigned workers, util::RunStats& stats);

/// Number of CPUs this process may use (sched_getaffinity), at least 1.
unsigned usable_cpus();

}  // namespace sotcheck::exec
