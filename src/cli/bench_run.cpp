// One measured run of `sotcheck bench`: a forked child runs the validate
// pipeline and sends its timings back over a pipe while this process samples
// its memory. A fresh process per run keeps the kernel's peak-RSS marks (which
// only ever grow) specific to that run.
#include "bench_parts.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <functional>

#include "sotcheck/cli/cli.hpp"
#include "sotcheck/report/report.hpp"
#include "sotcheck/util/interrupt_guard.hpp"
#include "sotcheck/util/stats.hpp"

namespace sotcheck::cli::bench {
namespace {

/// A digest of (rule, status) pairs: equal digests mean every executor reached
/// the same verdicts. Messages and evidence are left out, as they may carry times.
std::string verdict_digest(const std::vector<exec::Verdict>& verdicts) {
  std::string statuses;
  for (const auto& verdict : verdicts) {
    statuses += verdict.rule_id;
    statuses += '=';
    statuses += exec::status_name(verdict.status);
    statuses += '\n';
  }
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016zx", std::hash<std::string>{}(statuses));
  return hex;
}

/// Runs the pipeline as `sotcheck validate --format json` would, timing the
/// report too. Returns null (and sets *exit_code) if the run could not happen.
json measure_this_process(const ValidateOptions& options, int* exit_code) {
  reset_peak_rss();
  util::Stopwatch total_watch;
  auto run = run_validation(options, exit_code);
  if (!run) return nullptr;
  util::Stopwatch report_watch;
  run->info.stats = &run->stats;
  const std::string report =
      report::to_json(run->verdicts, run->info).dump(2, ' ', false, json::error_handler_t::replace);
  run->stats.add_phase("report", report_watch.seconds());
  const double total_seconds = total_watch.seconds();

  json phases = json::object();
  for (const auto& [name, seconds] : run->stats.phases()) phases[name] = seconds;
  json counters = json::object();
  for (const auto& [name, value] : run->stats.counters()) counters[name] = value;
  json batches = json::array();
  for (const auto& batch : run->catalog.batches) {
    std::uint64_t rules = 0;
    for (const auto& verdict : run->verdicts) {
      const catalog::Rule* rule = run->catalog.find(verdict.rule_id);
      if (rule != nullptr && rule->batch == batch.id) ++rules;
    }
    batches.push_back({{"id", batch.id},
                       {"name", batch.name},
                       {"rules", rules},
                       {"seconds", run->stats.phase("batch " + std::to_string(batch.id))}});
  }
  return {{"total_seconds", total_seconds},
          {"phases", std::move(phases)},
          {"counters", std::move(counters)},
          {"batches", std::move(batches)},
          {"executor_used", run->info.mode},
          {"fallback_reason", run->info.fallback_reason},
          {"verdict_digest", verdict_digest(run->verdicts)},
          {"report_bytes", report.size()},
          {"parent_max_rss_bytes", max_rss_bytes(RUSAGE_SELF)},
          {"children_max_rss_bytes", max_rss_bytes(RUSAGE_CHILDREN)}};
}

bool write_all(int fd, const std::string& text) {
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

/// Forks a child that runs the pipeline once; samples its memory until it
/// reports back.
RunOutcome run_once(const ValidateOptions& options) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    std::perror("sotcheck: error: pipe");
    return {nullptr, k_exit_internal};
  }
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = ::fork();
  if (pid < 0) {
    std::perror("sotcheck: error: fork");
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return {nullptr, k_exit_internal};
  }
  if (pid == 0) {
    ::close(pipe_fds[0]);
    // The bench's own guard records interrupts for cleanup; a run stops on them
    // (the child never returns, so this guard is never undone).
    const util::InterruptGuard stop_on_interrupt(SIG_DFL);
    int exit_code = k_exit_internal;
    const json sample = measure_this_process(options, &exit_code);
    if (sample.is_null()) ::_exit(exit_code);
    ::_exit(write_all(pipe_fds[1], sample.dump()) ? 0 : k_exit_internal);
  }
  ::close(pipe_fds[1]);
  MemoryPeaks peaks;
  std::string received;
  char buffer[1 << 16];
  for (;;) {
    pollfd readable{pipe_fds[0], POLLIN, 0};
    const int ready = ::poll(&readable, 1, k_memory_sample_interval_ms);
    peaks.sample(pid);
    if (ready <= 0) continue;  // a timeout (sample again) or EINTR
    const ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    received.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(pipe_fds[0]);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) {
    const int signal_number = WTERMSIG(status);
    const bool interrupt = signal_number == SIGINT || signal_number == SIGTERM || signal_number == SIGHUP;
    if (!interrupt) std::fprintf(stderr, "sotcheck: error: a benchmark run died of signal %d\n", signal_number);
    return {nullptr, interrupt ? k_exit_interrupted : k_exit_internal};
  }
  if (WEXITSTATUS(status) != 0) return {nullptr, WEXITSTATUS(status)};
  json sample = json::parse(received, nullptr, false);
  if (sample.is_discarded() || !sample.is_object()) {
    std::fprintf(stderr, "sotcheck: error: a benchmark run sent back no result\n");
    return {nullptr, k_exit_internal};
  }
  sample["memory"] = memory_json(peaks);
  return {std::move(sample), 0};
}


}  // namespace sotcheck::cli::bench
