#pragma once
/// The process pool (docs/process-pool.md, docs/process-pool.md): long-lived worker
/// processes evaluate rules over the shared, sealed snapshot image, one framed
/// channel each (exec/channel.hpp). The parent owns every deadline in a single
/// ppoll loop; a worker that hangs, dies or talks garbage costs only the rule
/// it had in flight (an ERROR verdict saying why) and is replaced. A crash loop
/// moves the rest of the run to the thread pool; so does a pool that cannot
/// start. Verdicts come back in catalog order, as from every executor.

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sotcheck/exec/executor.hpp"
#include "sotcheck/util/result.hpp"

namespace sotcheck::exec {

enum class StartMethod { fork, spawn };

std::string_view start_method_name(StartMethod method);  ///< "fork" / "spawn"

/// What --debug-inject-fault makes a worker do when it is handed the rule.
enum class FaultKind {
  crash,      ///< raise SIGSEGV
  abort,      ///< abort()
  hang,       ///< sleep forever (the parent's deadline must fire)
  exit,       ///< _exit(3) without answering
  garbage,    ///< write a frame with a bad header, then wait
  pool_fork,  ///< "pool:fork": the pool fails to start, as if fork/spawn were refused
};

struct FaultSpec {
  std::string rule_id;  ///< "pool" for pool_fork
  FaultKind kind = FaultKind::crash;
};

/// Parses "RULE_ID:crash|abort|hang|exit|garbage" or "pool:fork".
util::Result<FaultSpec> parse_fault_spec(std::string_view text);
/// The inverse of parse_fault_spec (how the spawner passes faults on).
std::string fault_spec_text(const FaultSpec& fault);

struct PoolOptions {
  unsigned workers = 1;
  StartMethod start_method = StartMethod::fork;
  double rule_timeout_seconds = 60.0;
  /// More worker deaths than this in one run (crashes, bad exits, protocol
  /// errors, timeouts, failed starts) is a crash loop: the remaining rules go to
  /// the thread pool.
  unsigned max_worker_deaths = 3;
  std::vector<FaultSpec> faults;

  // Spawn only: how a re-executed worker finds what a forked one inherits.
  std::string worker_executable = "/proc/self/exe";
  int image_fd = -1;          ///< the sealed image descriptor
  std::string catalog_dir;    ///< "" = the embedded catalog
  /// Tests only: each spawned worker stops itself (SIGSTOP) just before exec.
  bool stop_spawned_worker_before_exec = false;
};

struct PoolResult {
  std::vector<Verdict> verdicts;  ///< one per selected rule, catalog order (empty if interrupted)
  bool used_processes = false;    ///< at least one rule was evaluated by a worker process
  /// Non-empty when some or all rules ran on the thread pool instead, and why.
  std::string fallback_reason;
  int interrupted_by = 0;  ///< SIGINT/SIGTERM/SIGHUP that stopped the run, else 0
};

/// Runs the plan on worker processes; falls back to run_threads (same image,
/// same `workers`) when the pool cannot start or crash-loops. Must be called
/// while the calling thread is the only one in the process (fork safety).
/// While it runs, SIGINT/SIGTERM/SIGHUP stop it: workers are killed and reaped
/// and `interrupted_by` is set. Stats: phases "worker_start", "batch N";
/// counters workers_started, respawns, timeouts, crashes, fallbacks.
PoolResult run_process_pool(const RunContext& context, const PoolOptions& options, util::RunStats& stats);

// ---- The worker side (process_pool_worker.cpp), shared by both start methods.

/// What a worker evaluates rules with: inherited from the parent (fork) or
/// re-loaded and attached (spawn).
struct WorkerContext {
  const catalog::Catalog& catalog;
  checks::Profile profile;
  const snapshot::ImageView& image;
  const std::vector<FaultSpec>& faults;
};

/// Makes the calling process a well-behaved worker of `parent_pid`: its own
/// process group, SIGKILL when the parent dies (and exit now if it already
/// has), no core dumps, default signal dispositions with nothing blocked,
/// stdin and stdout on /dev/null (stderr stays, for diagnostics).
util::Result<void> prepare_worker_process(pid_t parent_pid);

/// A short fingerprint of the catalog's rules (ids, order, batches), sent in
/// the hello frame so the parent refuses a worker whose catalog differs.
std::string catalog_fingerprint(const catalog::Catalog& catalog);

/// Says hello, then answers requests on `channel_fd` until the parent closes
/// it. Returns the exit status for the worker (0 on a clean EOF).
int serve_worker(int channel_fd, const WorkerContext& context);

/// Arguments of the hidden `sotcheck __worker` subcommand (spawn start method).
struct SpawnedWorkerArgs {
  int image_fd = -1;
  int channel_fd = -1;
  pid_t parent_pid = 0;
  checks::Profile profile = checks::Profile::strict;
  std::string catalog_dir;  ///< "" = embedded
  std::vector<FaultSpec> faults;
};

/// The body of `sotcheck __worker`: hardens the process, re-loads the catalog,
/// attaches the image, says hello and serves requests until the parent closes
/// the channel. Returns the process exit status.
int run_spawned_worker(const SpawnedWorkerArgs& args);

}  // namespace sotcheck::exec
