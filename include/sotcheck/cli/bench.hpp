#pragma once
/// `sotcheck bench` (docs/bench.md, docs/bench.md): runs the validate pipeline
/// (run_validation) under the sequential, thread and process executors on one
/// tree and reports what each costs and buys -- total time, speedup, rules per
/// second, peak RSS of the parent and the workers, the phase breakdown and the
/// faults counted. Every run happens in a fresh child process, so peak-RSS
/// high-water marks never carry over from one run to the next.

#include <string>
#include <string_view>
#include <vector>

#include "sotcheck/checks/check.hpp"
#include "sotcheck/util/result.hpp"

namespace sotcheck::cli {

enum class BenchMode {
  compare,  ///< sequential, thread and process at one worker count (default: usable CPUs)
  scaling,  ///< sequential, then thread and process at each worker count
};

struct BenchOptions {
  std::string tree;  ///< "" = scaffold a large tree in a temporary directory, removed afterwards
  BenchMode mode = BenchMode::compare;
  /// scaling: the worker counts (default 2,4,8,16); compare: at most one (default usable CPUs).
  std::vector<unsigned> workers;
  unsigned runs = 3;
  std::string start_method = "fork";  ///< fork | spawn, for the process executor
  checks::Profile profile = checks::Profile::strict;
  std::string output_file;  ///< --output: the JSON document of docs/bench.md
};

/// Parses "2,4,8,16" into worker counts, each at least 1.
util::Result<std::vector<unsigned>> parse_worker_counts(std::string_view text);

/// Runs the benchmark and prints its tables. Exit code: 0 when every run
/// finished (whatever the verdicts), 2 for a usage error, 3 when a run could
/// not be completed, 130 when interrupted.
int bench_command(const BenchOptions& options);

}  // namespace sotcheck::cli
