// Memory as the kernel reports it, for `sotcheck bench` (docs/bench.md#memory):
// smaps_rollup sampled from outside a run, and the peak-RSS marks from inside it.
#include "bench_parts.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <sstream>

namespace sotcheck::cli::bench {
namespace {

/// /proc/PID/smaps_rollup, or nullopt once the process is gone.
std::optional<MemoryUsage> read_memory_usage(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/smaps_rollup");
  if (!in) return std::nullopt;
  MemoryUsage usage;
  bool any = false;
  std::string key;
  std::uint64_t kib = 0;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    if (!(fields >> key >> kib)) continue;
    const std::uint64_t bytes = kib * 1024;
    if (key == "Rss:")
      usage.rss = bytes, any = true;
    else if (key == "Private_Clean:" || key == "Private_Dirty:")
      usage.private_bytes += bytes;
    else if (key == "Shared_Clean:" || key == "Shared_Dirty:")
      usage.shared_bytes += bytes;
  }
  if (!any) return std::nullopt;
  return usage;
}

/// The children of `pid`'s main thread (the process pool forks from it).
std::vector<pid_t> child_pids(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
  std::vector<pid_t> children;
  pid_t child = 0;
  while (in >> child) children.push_back(child);
  return children;
}

void keep_max(std::uint64_t& peak, std::uint64_t value) {
  peak = std::max(peak, value);
}

}  // namespace

void MemoryPeaks::sample(pid_t run_pid) {
    if (const auto usage = read_memory_usage(run_pid)) {
      keep_max(parent.rss, usage->rss);
      keep_max(parent.private_bytes, usage->private_bytes);
      keep_max(parent.shared_bytes, usage->shared_bytes);
    }
    std::uint64_t private_total = 0;
    for (const pid_t child : child_pids(run_pid)) {
      const auto usage = read_memory_usage(child);
      if (!usage) continue;
      workers_seen.insert(child);
      keep_max(worker.rss, usage->rss);
      keep_max(worker.private_bytes, usage->private_bytes);
      keep_max(worker.shared_bytes, usage->shared_bytes);
      private_total += usage->private_bytes;
    }
    keep_max(workers_private_total, private_total);
}

std::uint64_t max_rss_bytes(int who) {
  struct rusage usage {};
  if (::getrusage(who, &usage) != 0) return 0;
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;  // Linux reports KiB
}

void reset_peak_rss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
}


json memory_json(const MemoryPeaks& peaks) {
  return {{"parent_rss_sampled", peaks.parent.rss},
          {"parent_private", peaks.parent.private_bytes},
          {"parent_shared", peaks.parent.shared_bytes},
          {"worker_rss", peaks.worker.rss},
          {"worker_private", peaks.worker.private_bytes},
          {"worker_shared", peaks.worker.shared_bytes},
          {"workers_private_total", peaks.workers_private_total},
          {"workers_measured", peaks.workers_seen.size()}};
}

}  // namespace sotcheck::cli::bench
