#pragma once
// The parent side of the process pool (docs/process-pool.md), private to
// src/exec, one concept per file:
//   process_pool.cpp   run_process_pool: verdict slots, batches, the fallback to the thread pool
//   pool_start.cpp     starting workers (fork or spawn) and waiting for their hello
//   pool_dispatch.cpp  the one ppoll loop: handing out rules, reading frames, collecting verdicts
//   pool_deaths.cpp    how workers end: deadlines, deaths classified and replaced, reaping, shutdown
//   fault_spec.cpp     --debug-inject-fault and the start method's names
// The worker side is process_pool_worker.cpp.

#include <signal.h>
#include <sys/types.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sotcheck/exec/channel.hpp"
#include "sotcheck/exec/process_pool.hpp"

namespace sotcheck::exec::pool {

using json = nlohmann::ordered_json;
using Clock = std::chrono::steady_clock;

/// Descriptors a spawned worker finds its image and channel on.
constexpr int k_spawn_image_fd = 3;
constexpr int k_spawn_channel_fd = 4;
/// A worker that has not said hello by then is counted as dead. Generous: a
/// spawned worker loads the catalog before its hello, on a machine that may be
/// busy (or under a sanitizer); a hang is what this catches, not slowness.
constexpr double k_min_start_timeout_seconds = 60.0;
/// How long a worker that closed its channel gets to finish exiting before it
/// is killed, so its exit status or signal can be classified.
constexpr auto k_exit_grace = std::chrono::seconds(2);

// ---- pool_deaths.cpp

/// Why a worker went away, as the ERROR verdict of the rule it had in flight.
struct Death {
  std::string message;
  json evidence;  ///< empty: classify from the exit status
  bool timeout = false;
  /// For a worker that closed its channel: the protocol problem to report if
  /// it then exited with status 0 (e.g. it stopped in the middle of a frame).
  std::string clean_exit_detail;
};

Death protocol_death(const std::string& detail);

/// `--rule-timeout` as evidence: an integer when it is one (the usual case).
json seconds_json(double seconds);

// ---- The pool's state, shared by its parts

enum class WorkerState { starting, idle, busy, dead };

struct Worker {
  pid_t pid = -1;
  int fd = -1;  ///< parent end of the channel, non-blocking
  WorkerState state = WorkerState::dead;
  std::size_t rule = 0;  ///< catalog index in flight (busy)
  Clock::time_point deadline{};
  FrameDecoder decoder;
  VerdictAssembler verdict;  ///< the slices of a verdict sent over several frames
};

enum class BatchOutcome { done, degraded, interrupted };

/// The worker processes of one run and the batch they are working through.
class Pool {
 public:
  Pool(const RunContext& context, const PoolOptions& options, util::RunStats& stats, const sigset_t* poll_mask,
       std::vector<Verdict>& verdicts, std::vector<bool>& have, const std::vector<std::size_t>& slots)
      : m_context(context),
        m_options(options),
        m_stats(stats),
        m_poll_mask(poll_mask),
        m_verdicts(verdicts),
        m_have(have),
        m_slots(slots),
        m_fingerprint(catalog_fingerprint(context.catalog)) {}
  ~Pool() { kill_all(); }
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  util::Result<void> start();
  BatchOutcome run_batch(const plan::PlannedBatch& batch);
  /// Closes every channel (workers exit on EOF) and reaps them.
  void shutdown();
  const std::string& degrade_reason() const { return m_degrade_reason; }
  bool used() const { return m_used; }

 private:
  util::Result<void> launch(Worker& worker);
  util::Result<pid_t> launch_fork(int child_fd);
  util::Result<pid_t> launch_spawn(int child_fd);
  void start_or_degrade(Worker& worker, const std::string& why_needed);
  bool dispatch(Worker& worker, std::size_t rule);
  void service(Worker& worker);
  void handle_frame(Worker& worker, Frame frame);
  void worker_died(Worker& worker, Death death, bool kill_first);
  void record(std::size_t rule, Verdict verdict);
  void degrade(std::string reason);
  bool any_live() const;
  bool any_state(WorkerState state) const;
  /// One ppoll round over every live worker, bounded by the nearest deadline.
  void poll_once();
  void expire_deadlines();
  static void kill_and_reap(Worker& worker, int* status);
  void kill_all();
  double start_timeout() const {
    return std::max(k_min_start_timeout_seconds, m_options.rule_timeout_seconds);
  }

  const RunContext& m_context;
  const PoolOptions& m_options;
  util::RunStats& m_stats;
  const sigset_t* m_poll_mask;
  std::vector<Verdict>& m_verdicts;
  std::vector<bool>& m_have;
  const std::vector<std::size_t>& m_slots;
  const std::string m_fingerprint;
  std::vector<Worker> m_workers;
  unsigned m_deaths = 0;
  bool m_degraded = false;
  bool m_used = false;
  std::string m_degrade_reason;
  std::string m_last_death;
  std::size_t m_outstanding = 0;  ///< verdicts the current batch still waits for
};

}  // namespace sotcheck::exec::pool
