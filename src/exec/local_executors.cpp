// The in-process executors: sequential and a thread pool. The process pool
// (process_pool.cpp) falls back to the thread pool.

#include <sched.h>

#include <atomic>
#include <thread>

#include "sotcheck/exec/evaluate.hpp"
#include "sotcheck/exec/executor.hpp"
#include "sotcheck/util/cpus.hpp"
#include "sotcheck/util/worker_threads.hpp"

namespace sotcheck::exec {
namespace {

/// Maps catalog index -> position in plan.selected, so verdicts land in catalog order.
std::vector<std::size_t> slot_of(const RunContext& context) {
  std::vector<std::size_t> slots(context.catalog.rules.size(), 0);
  for (std::size_t pos = 0; pos < context.plan.selected.size(); ++pos) slots[context.plan.selected[pos]] = pos;
  return slots;
}

}  // namespace

unsigned usable_cpus() { return util::usable_cpus(); }

std::vector<Verdict> run_sequential(const RunContext& context, util::RunStats& stats) {
  std::vector<Verdict> verdicts(context.plan.selected.size());
  const auto slots = slot_of(context);
  checks::CheckCaches caches;  // this run's, on this image
  for (const auto& batch : context.plan.batches) {
    util::Stopwatch watch;
    const std::size_t total = batch.rules.size();
    if (context.on_progress && total > 0) context.on_progress(batch.id, 0, total);
    std::size_t done = 0;
    for (std::size_t index : batch.rules) {
      verdicts[slots[index]] = evaluate_rule(context.catalog.rules[index], context.profile, context.image, &caches);
      if (context.on_progress) context.on_progress(batch.id, ++done, total);
    }
    stats.add_phase("batch " + std::to_string(batch.id), watch.seconds());
  }
  return verdicts;
}

std::vector<Verdict> run_threads(const RunContext& context, unsigned workers, util::RunStats& stats) {
  if (workers == 0) workers = 1;
  std::vector<Verdict> verdicts(context.plan.selected.size());
  const auto slots = slot_of(context);
  checks::CheckCaches caches;  // this run's, on this image, shared by its threads
  for (const auto& batch : context.plan.batches) {
    util::Stopwatch watch;
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> done{0};
    const std::size_t total = batch.rules.size();
    if (context.on_progress && total > 0) context.on_progress(batch.id, 0, total);
    auto work = [&] {
      for (std::size_t i = next.fetch_add(1); i < batch.rules.size(); i = next.fetch_add(1)) {
        const std::size_t index = batch.rules[i];
        verdicts[slots[index]] = evaluate_rule(context.catalog.rules[index], context.profile, context.image, &caches);
        if (context.on_progress) context.on_progress(batch.id, done.fetch_add(1) + 1, total);
      }
    };
    // No point starting more threads than rules; the calling thread works too.
    const std::size_t extra = std::min<std::size_t>(workers, batch.rules.size()) > 0
                                  ? std::min<std::size_t>(workers, batch.rules.size()) - 1
                                  : 0;
    // Threads that cannot start are done without; run_on_threads returns after
    // every rule of the batch has a verdict (the barrier between batches).
    util::run_on_threads(static_cast<unsigned>(extra), work);
    stats.add_phase("batch " + std::to_string(batch.id), watch.seconds());
  }
  return verdicts;
}

}  // namespace sotcheck::exec
