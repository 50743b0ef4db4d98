#pragma once
// The parts of `sotcheck bench` (docs/bench.md), one concept per file:
//   bench.cpp          the command: configurations, interleaved runs, the document
//   bench_memory.cpp   memory as the kernel reports it (smaps_rollup, peak RSS)
//   bench_run.cpp      one measured run, in a forked child
//   bench_tree.cpp     the tree: page-cache warm-up, the scratch scaffold
//   bench_summary.cpp  medians, speedups, shares of the run, notes, the recommendation
//   bench_table.cpp    the text tables and their legend
// Private to src/cli.

#include <sys/types.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "sotcheck/cli/validate.hpp"
#include "sotcheck/util/result.hpp"

namespace sotcheck::cli::bench {

using json = nlohmann::ordered_json;

/// How often the workers' memory is sampled: often enough to catch the peak of
/// a run lasting a second, rarely enough to cost well under 1% of a CPU.
inline constexpr int k_memory_sample_interval_ms = 20;

/// Fewer runs than this give a median that one noisy run can move.
inline constexpr unsigned k_min_trustworthy_runs = 3;

enum class Executor { sequential, thread, process };
const char* executor_name(Executor executor);

struct Configuration {
  Executor executor = Executor::sequential;
  unsigned workers = 1;
  std::string label() const;
};

// ---- bench_memory.cpp

struct MemoryUsage {
  std::uint64_t rss = 0;
  std::uint64_t private_bytes = 0;  ///< Private_Clean + Private_Dirty: pages only this process maps
  std::uint64_t shared_bytes = 0;   ///< Shared_Clean + Shared_Dirty: pages another process maps too
};

/// The highest values seen while sampling one run; each field is its own peak.
struct MemoryPeaks {
  MemoryUsage parent;
  MemoryUsage worker;                       ///< the largest single worker
  std::uint64_t workers_private_total = 0;  ///< private pages of all workers alive at one moment
  std::set<pid_t> workers_seen;

  void sample(pid_t run_pid);
};

json memory_json(const MemoryPeaks& peaks);
/// getrusage(who).ru_maxrss in bytes.
std::uint64_t max_rss_bytes(int who);
/// Resets this process's peak-RSS mark to its current RSS: a forked child
/// starts with its parent's mark, which is not what this run used.
void reset_peak_rss();

// ---- bench_run.cpp

struct RunOutcome {
  json sample;        ///< the run's timings, counters and memory; null on failure
  int exit_code = 0;  ///< why there is no sample
};

/// Forks a child that runs the pipeline once; samples its memory until it reports back.
RunOutcome run_once(const ValidateOptions& options);

// ---- bench_tree.cpp

struct CacheWarmup {
  std::uint64_t files = 0, bytes = 0;
  double seconds = 0;
};

/// Reads every regular file once so no run pays for cold disk reads that the
/// others then skip (symlinks are not followed, as the walk does not follow them).
CacheWarmup warm_page_cache(const std::string& root);

/// A large scaffold in a fresh temporary directory, removed with this object.
class ScratchTree {
 public:
  ScratchTree() = default;
  ScratchTree(const ScratchTree&) = delete;
  ScratchTree& operator=(const ScratchTree&) = delete;
  ~ScratchTree();
  util::Result<std::string> create();

 private:
  std::string m_directory;
};

// ---- bench_summary.cpp

/// Everything the JSON document says about one configuration, speedup aside.
json summarise(const Configuration& configuration, const std::vector<json>& samples, unsigned usable_cpus);
/// Speedups, dispatch cost, shares of the run, the notes that keep the figures
/// honest, and the recommendation for this machine.
void compare_results(json& document, const std::vector<std::vector<json>>& samples);

// ---- bench_table.cpp

/// The text report: tables, legend, notes, recommendation.
void print_report(const json& document);

}  // namespace sotcheck::cli::bench
