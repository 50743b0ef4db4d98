// run_process_pool (process_pool.hpp): the pool's batches under one interrupt
// guard, each verdict in its catalog slot, and the rules the pool could not
// evaluate handed to the thread pool over the same image. The pool itself is
// in its parts (pool.hpp).

#include "sotcheck/exec/process_pool.hpp"

#include <algorithm>

#include "pool.hpp"
#include "sotcheck/util/interrupt_guard.hpp"

namespace sotcheck::exec {

PoolResult run_process_pool(const RunContext& context, const PoolOptions& options, util::RunStats& stats) {
  PoolResult result;
  const std::size_t count = context.plan.selected.size();
  std::vector<Verdict> verdicts(count);
  std::vector<bool> have(count, false);
  std::vector<std::size_t> slots(context.catalog.rules.size(), 0);
  for (std::size_t pos = 0; pos < count; ++pos) slots[context.plan.selected[pos]] = pos;
  for (const char* counter : {"workers_started", "respawns", "timeouts", "crashes", "fallbacks"})
    stats.add_counter(counter, 0);

  {
    // Interrupts (ninja's subprocess-posix scheme): SIGINT/SIGTERM/SIGHUP stay
    // blocked while the pool runs and arrive only inside its ppoll, where they
    // are just recorded; the loop then kills the workers.
    const util::InterruptGuard guard(util::InterruptGuard::record, util::InterruptGuard::Delivery::blocked);
    pool::Pool pool(context, options, stats, guard.poll_mask(), verdicts, have, slots);
    auto started = pool.start();
    if (!started) {
      result.fallback_reason = "cannot start worker processes: " + started.error();
    } else {
      for (const auto& batch : context.plan.batches) {
        if (util::InterruptGuard::recorded() != 0) break;
        util::Stopwatch watch;
        const pool::BatchOutcome outcome = pool.run_batch(batch);
        stats.add_phase("batch " + std::to_string(batch.id), watch.seconds());
        if (outcome == pool::BatchOutcome::interrupted) break;
        if (outcome == pool::BatchOutcome::degraded) {
          result.fallback_reason = pool.degrade_reason();
          break;
        }
      }
      if (util::InterruptGuard::recorded() == 0) {
        util::Stopwatch watch;
        pool.shutdown();
        stats.add_phase("pool_shutdown", watch.seconds());
      }
    }
    result.used_processes = pool.used();
  }  // the pool's destructor kills what is left; the guard then restores the signal state
  if (const int signal_number = util::InterruptGuard::recorded(); signal_number != 0) {
    result.interrupted_by = signal_number;
    result.verdicts.clear();
    return result;
  }

  if (!result.fallback_reason.empty()) {
    // The rules without a verdict run on the thread pool, batch by batch, over
    // the same image.
    stats.add_counter("fallbacks", 1);
    plan::Plan rest;
    for (const auto& batch : context.plan.batches) {
      plan::PlannedBatch part{batch.id, batch.name, {}};
      for (std::size_t index : batch.rules)
        if (!have[slots[index]]) {
          part.rules.push_back(index);
          rest.selected.push_back(index);
        }
      rest.batches.push_back(std::move(part));
    }
    std::sort(rest.selected.begin(), rest.selected.end(),
              [&](std::size_t a, std::size_t b) { return slots[a] < slots[b]; });
    const RunContext rest_context{context.catalog, rest, context.profile, context.image};
    std::vector<Verdict> rest_verdicts = run_threads(rest_context, options.workers, stats);
    for (std::size_t i = 0; i < rest.selected.size(); ++i) {
      verdicts[slots[rest.selected[i]]] = std::move(rest_verdicts[i]);
      have[slots[rest.selected[i]]] = true;
    }
  }
  result.verdicts = std::move(verdicts);
  return result;
}

}  // namespace sotcheck::exec
