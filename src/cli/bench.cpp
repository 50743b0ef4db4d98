// `sotcheck bench`: the validate pipeline timed under each executor (docs/ARCHITECTURE.md
// 9, docs/bench.md). Each measured run is a forked child that calls
// run_validation() and renders the JSON report, then sends its timings back
// over a pipe; meanwhile this process samples the child's and its workers'
// memory from /proc. A fresh process per run keeps the kernel's peak-RSS
// high-water marks (which only ever grow) specific to that run.

#include "sotcheck/cli/bench.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <set>
#include <sstream>

#include "sotcheck/cli/cli.hpp"
#include "sotcheck/cli/validate.hpp"
#include "sotcheck/scaffold/scaffold.hpp"
#include "sotcheck/util/strings.hpp"

namespace sotcheck::cli {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

/// How often the workers' memory is sampled: often enough to catch the peak of
/// a run lasting a second, rarely enough to cost well under 1% of a CPU.
constexpr int k_memory_sample_interval_ms = 20;

volatile std::sig_atomic_t g_interrupt_signal = 0;
void record_bench_interrupt(int signal_number) {
  g_interrupt_signal = signal_number;
}

enum class Executor { sequential, thread, process };

const char* executor_name(Executor executor) {
  switch (executor) {
    case Executor::sequential:
      return "sequential";
    case Executor::thread:
      return "thread";
    case Executor::process:
      return "process";
  }
  return "sequential";
}

struct Configuration {
  Executor executor = Executor::sequential;
  unsigned workers = 1;

  std::string label() const {
    if (executor == Executor::sequential) return "sequential";
    return std::string(executor_name(executor)) + "@" + std::to_string(workers);
  }
};

// ---- Memory, as the kernel reports it ------------------------------------------------------------

struct MemoryUsage {
  std::uint64_t rss = 0;
  std::uint64_t private_bytes = 0;  ///< Private_Clean + Private_Dirty: pages only this process maps
  std::uint64_t shared_bytes = 0;   ///< Shared_Clean + Shared_Dirty: pages another process maps too
};

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

/// The highest values seen while sampling one run; each field is its own peak.
struct MemoryPeaks {
  MemoryUsage parent;
  MemoryUsage worker;                       ///< the largest single worker
  std::uint64_t workers_private_total = 0;  ///< private pages of all workers alive at one moment
  std::set<pid_t> workers_seen;

  void sample(pid_t run_pid) {
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
};

std::uint64_t max_rss_bytes(int who) {
  struct rusage usage {};
  if (::getrusage(who, &usage) != 0) return 0;
  return static_cast<std::uint64_t>(usage.ru_maxrss) * 1024;  // Linux reports KiB
}

/// Resets this process's peak-RSS mark to its current RSS: a forked child
/// starts with its parent's mark, which is not what this run used.
void reset_peak_rss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
}

// ---- One measured run, in a child process ---------------------------------------------------------

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

struct RunOutcome {
  json sample;        ///< measure_this_process()'s document plus "memory"; null on failure
  int exit_code = 0;  ///< why there is no sample
};

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
    // The bench's own handler records interrupts for cleanup; a run stops on them.
    for (const int signal_number : {SIGINT, SIGTERM, SIGHUP}) std::signal(signal_number, SIG_DFL);
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

// ---- The tree ----------------------------------------------------------------------------------------

struct CacheWarmup {
  std::uint64_t files = 0, bytes = 0;
  double seconds = 0;
};

/// Reads every regular file once so no run pays for cold disk reads that the
/// others then skip (symlinks are not followed, as the walk does not follow them).
CacheWarmup warm_page_cache(const std::string& root) {
  CacheWarmup warmup;
  util::Stopwatch watch;
  std::vector<char> buffer(1 << 20);
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    std::error_code status_ec;
    if (it->symlink_status(status_ec).type() != fs::file_type::regular) continue;
    const int fd = ::open(it->path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    ssize_t n = 0;
    while ((n = ::read(fd, buffer.data(), buffer.size())) > 0) warmup.bytes += static_cast<std::uint64_t>(n);
    ::close(fd);
    ++warmup.files;
  }
  warmup.seconds = watch.seconds();
  return warmup;
}

/// A large scaffold in a fresh temporary directory, removed with this object.
class ScratchTree {
 public:
  ScratchTree() = default;
  ScratchTree(const ScratchTree&) = delete;
  ScratchTree& operator=(const ScratchTree&) = delete;
  ~ScratchTree() {
    std::error_code ec;
    if (!m_directory.empty()) fs::remove_all(m_directory, ec);
  }

  util::Result<std::string> create() {
    const char* tmpdir = std::getenv("TMPDIR");
    std::string pattern =
        std::string(tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp") + "/sotcheck-bench-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) return util::make_error("cannot create a temporary directory");
    m_directory = pattern;
    scaffold::ScaffoldOptions options;
    options.directory = m_directory + "/ssid";
    options.size = scaffold::Size::large;
    auto written = scaffold::write_scaffold(options);
    if (!written) return util::make_error(written.error());
    return options.directory;
  }

 private:
  std::string m_directory;
};

// ---- Aggregation -------------------------------------------------------------------------------------

struct Spread {
  double median = 0, min = 0, max = 0;
};

Spread spread_of(std::vector<double> values) {
  if (values.empty()) return {};
  std::sort(values.begin(), values.end());
  const std::size_t middle = values.size() / 2;
  const double median = values.size() % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
  return {median, values.front(), values.back()};
}

double median_of(const std::vector<json>& samples, const std::function<double(const json&)>& value) {
  std::vector<double> values;
  for (const auto& sample : samples) values.push_back(value(sample));
  return spread_of(std::move(values)).median;
}

double phase_seconds(const json& sample, const std::string& name) {
  return sample["phases"].value(name, 0.0);
}

double evaluation_seconds(const json& sample) {
  double seconds = 0;
  for (const auto& batch : sample["batches"]) seconds += batch["seconds"].get<double>();
  return seconds;
}

/// The phases every run records (docs/bench.md); "evaluate" is the sum of the
/// batches, "other" what no phase covers (planning, pool shutdown and reaping).
json phase_medians(const std::vector<json>& samples) {
  const auto phase = [&](const char* name) {
    return median_of(samples, [name](const json& s) { return phase_seconds(s, name); });
  };
  const double other = median_of(samples, [](const json& s) {
    double covered = evaluation_seconds(s);
    for (const char* name : {"catalog", "walk", "image", "seal", "worker_start", "report"})
      covered += phase_seconds(s, name);
    return s["total_seconds"].get<double>() - covered;
  });
  return {{"catalog", phase("catalog")},
          {"walk", phase("walk")},
          {"image", phase("image")},
          {"seal", phase("seal")},
          {"spawn", phase("worker_start")},
          {"dispatch", nullptr},
          {"evaluate", median_of(samples, evaluation_seconds)},
          {"report", phase("report")},
          {"other", other}};
}

json batch_medians(const std::vector<json>& samples) {
  json batches = json::array();
  const json& first = samples.front()["batches"];
  for (std::size_t i = 0; i < first.size(); ++i) {
    const double seconds = median_of(samples, [i](const json& s) { return s["batches"][i]["seconds"].get<double>(); });
    batches.push_back(
        {{"id", first[i]["id"]}, {"name", first[i]["name"]}, {"rules", first[i]["rules"]}, {"seconds", seconds}});
  }
  return batches;
}

std::uint64_t max_of(const std::vector<json>& samples, const std::function<std::uint64_t(const json&)>& value) {
  std::uint64_t peak = 0;
  for (const auto& sample : samples) peak = std::max(peak, value(sample));
  return peak;
}

std::uint64_t sum_counter(const std::vector<json>& samples, const char* name) {
  std::uint64_t total = 0;
  for (const auto& sample : samples) total += sample["counters"].value(name, std::uint64_t{0});
  return total;
}

json peak_rss_json(const std::vector<json>& samples, Executor executor) {
  const auto memory = [&](const char* key) {
    return max_of(samples, [key](const json& s) { return s["memory"][key].get<std::uint64_t>(); });
  };
  json peak = {
      {"parent", max_of(samples, [](const json& s) { return s["parent_max_rss_bytes"].get<std::uint64_t>(); })},
      {"parent_private", memory("parent_private")},
      {"parent_shared", memory("parent_shared")}};
  if (executor != Executor::process) {
    peak["workers"] = nullptr;
    return peak;
  }
  peak["workers"] = {{"measured", memory("workers_measured")},
                     {"rss", memory("worker_rss")},
                     {"private", memory("worker_private")},
                     {"shared", memory("worker_shared")},
                     {"private_total", memory("workers_private_total")},
                     {"rusage_max_rss",
                      max_of(samples, [](const json& s) { return s["children_max_rss_bytes"].get<std::uint64_t>(); })}};
  return peak;
}

/// Everything the JSON document says about one configuration, speedup aside.
json summarise(const Configuration& configuration, const std::vector<json>& samples, unsigned usable_cpus) {
  std::vector<double> totals;
  for (const auto& sample : samples) totals.push_back(sample["total_seconds"].get<double>());
  const Spread total = spread_of(totals);
  std::set<std::string> used;
  std::string fallback_reason;
  for (const auto& sample : samples) {
    used.insert(sample["executor_used"].get<std::string>());
    if (fallback_reason.empty()) fallback_reason = sample["fallback_reason"].get<std::string>();
  }
  const std::uint64_t rules = samples.front()["counters"].value("rules", std::uint64_t{0});
  const unsigned workers_started = static_cast<unsigned>(
      max_of(samples, [](const json& s) { return s["counters"].value("workers_started", std::uint64_t{0}); }));
  return {{"configuration", configuration.label()},
          {"executor", executor_name(configuration.executor)},
          {"workers", configuration.workers},
          {"workers_started", workers_started},
          {"executor_used", used.size() == 1 ? *used.begin() : std::string("mixed")},
          {"fallback_reason", fallback_reason},
          {"oversubscribed", configuration.workers > usable_cpus},
          {"runs", samples.size()},
          {"total_seconds", {{"median", total.median}, {"min", total.min}, {"max", total.max}, {"all", totals}}},
          {"speedup", nullptr},
          {"efficiency", nullptr},
          {"rules", rules},
          {"rules_per_second", total.median > 0 ? static_cast<double>(rules) / total.median : 0.0},
          {"peak_rss_bytes", peak_rss_json(samples, configuration.executor)},
          {"phases", phase_medians(samples)},
          {"batches", batch_medians(samples)},
          {"crashes", sum_counter(samples, "crashes")},
          {"timeouts", sum_counter(samples, "timeouts")},
          {"fallbacks", sum_counter(samples, "fallbacks")},
          {"respawns", sum_counter(samples, "respawns")}};
}

/// What identifies the tree a run measured; speedups compare equal fingerprints only.
std::string tree_fingerprint(const json& sample) {
  const json& counters = sample["counters"];
  return std::to_string(counters.value("entries", std::uint64_t{0})) + "/" +
         std::to_string(counters.value("files_loaded", std::uint64_t{0})) + "/" +
         std::to_string(counters.value("image_bytes", std::uint64_t{0})) + "/" +
         std::to_string(counters.value("rules", std::uint64_t{0}));
}

// ---- Text output -------------------------------------------------------------------------------------

std::string milliseconds(const json& seconds) {
  if (seconds.is_null()) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", seconds.get<double>() * 1000);
  return text;
}

std::string ratio(const json& value, const char* suffix) {
  if (value.is_null()) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.2f%s", value.get<double>(), suffix);
  return text;
}

std::string bytes(const json& value) {
  return util::format_bytes(value.get<unsigned long long>());
}

void print_report(const json& document) {
  const json& tree = document["tree"];
  const json& warmup = document["cache_warmup"];
  std::printf("sotcheck bench --mode %s: %s (%s profile, %s start)\n", document["mode"].get<std::string>().c_str(),
              tree["path"].get<std::string>().c_str(), document["profile"].get<std::string>().c_str(),
              document["start_method"].get<std::string>().c_str());
  std::printf("tree: %llu entries, %llu files loaded, image %s, %llu rules\n",
              tree["entries"].get<unsigned long long>(), tree["files_loaded"].get<unsigned long long>(),
              bytes(tree["image_bytes"]).c_str(), tree["rules"].get<unsigned long long>());
  std::printf("page cache warmed before timing: read %llu files (%s) in %.2f s\n",
              warmup["files"].get<unsigned long long>(), bytes(warmup["bytes"]).c_str(),
              warmup["seconds"].get<double>());
  std::printf("%u usable CPUs; %u run(s) per configuration, interleaved; memory sampled every %d ms\n\n",
              document["usable_cpus"].get<unsigned>(), document["runs"].get<unsigned>(),
              document["memory_sample_interval_ms"].get<int>());

  std::printf("%-14s %9s %9s %9s %8s %6s %8s %11s %23s %9s\n", "configuration", "median s", "min s", "max s", "speedup",
              "effic.", "rules/s", "parent peak", "worker peak priv+shared", "crash/tmo/fb");
  for (const auto& result : document["results"]) {
    const json& peak = result["peak_rss_bytes"];
    std::string worker_rss = "-";
    if (!peak["workers"].is_null())
      worker_rss = bytes(peak["workers"]["private"]) + " + " + bytes(peak["workers"]["shared"]);
    const std::string faults = std::to_string(result["crashes"].get<std::uint64_t>()) + "/" +
                               std::to_string(result["timeouts"].get<std::uint64_t>()) + "/" +
                               std::to_string(result["fallbacks"].get<std::uint64_t>());
    std::printf("%-14s %9.3f %9.3f %9.3f %8s %6s %8.0f %11s %23s %9s\n",
                result["configuration"].get<std::string>().c_str(), result["total_seconds"]["median"].get<double>(),
                result["total_seconds"]["min"].get<double>(), result["total_seconds"]["max"].get<double>(),
                ratio(result["speedup"], "x").c_str(), ratio(result["efficiency"], "").c_str(),
                result["rules_per_second"].get<double>(), bytes(peak["parent"]).c_str(), worker_rss.c_str(),
                faults.c_str());
  }

  std::printf("\noverhead breakdown (median ms)\n%-14s", "configuration");
  const json& first_phases = document["results"][0]["phases"];
  for (const auto& [name, seconds] : first_phases.items()) std::printf(" %9s", name.c_str());
  std::printf("\n");
  for (const auto& result : document["results"]) {
    std::printf("%-14s", result["configuration"].get<std::string>().c_str());
    for (const auto& [name, seconds] : result["phases"].items()) std::printf(" %9s", milliseconds(seconds).c_str());
    std::printf("\n");
  }

  std::printf("\nper-batch evaluation (median ms)\n%-5s %-28s %5s", "batch", "name", "rules");
  for (const auto& result : document["results"])
    std::printf(" %11s", result["configuration"].get<std::string>().c_str());
  std::printf("\n");
  const json& first_batches = document["results"][0]["batches"];
  for (std::size_t i = 0; i < first_batches.size(); ++i) {
    std::printf("%-5d %-28.28s %5llu", first_batches[i]["id"].get<int>(),
                first_batches[i]["name"].get<std::string>().c_str(),
                first_batches[i]["rules"].get<unsigned long long>());
    for (const auto& result : document["results"])
      std::printf(" %11s", milliseconds(result["batches"][i]["seconds"]).c_str());
    std::printf("\n");
  }
  if (!document["notes"].empty()) {
    std::printf("\nnotes:\n");
    for (const auto& note : document["notes"]) std::printf("  - %s\n", note.get<std::string>().c_str());
  }
  std::fflush(stdout);
}

// ---- The benchmark -----------------------------------------------------------------------------------

std::vector<Configuration> configurations_for(const BenchOptions& options, unsigned usable_cpus) {
  std::vector<Configuration> configurations{{Executor::sequential, 1}};
  std::vector<unsigned> counts = options.workers;
  if (counts.empty())
    counts =
        options.mode == BenchMode::compare ? std::vector<unsigned>{usable_cpus} : std::vector<unsigned>{2, 4, 8, 16};
  for (const unsigned workers : counts) {
    configurations.push_back({Executor::thread, workers});
    configurations.push_back({Executor::process, workers});
  }
  return configurations;
}

ValidateOptions validate_options_for(const BenchOptions& options, const std::string& tree,
                                     const Configuration& configuration) {
  ValidateOptions validate;
  validate.repo = tree;
  validate.profile = options.profile;
  validate.mode = configuration.executor == Executor::sequential ? exec::Mode::sequential
                  : configuration.executor == Executor::thread   ? exec::Mode::thread
                                                                 : exec::Mode::process;
  validate.workers = configuration.workers;
  validate.start_method = options.start_method;
  validate.progress = "never";
  return validate;
}

/// Speedup and efficiency against the sequential run, dispatch cost against
/// the thread pool at the same worker count, and the notes that keep the
/// figures honest.
void compare_results(json& document, const std::vector<std::vector<json>>& samples) {
  json& results = document["results"];
  json& notes = document["notes"];
  const std::string baseline_tree = tree_fingerprint(samples.front().front());
  const std::string baseline_verdicts = samples.front().front()["verdict_digest"].get<std::string>();
  bool same_tree = true, same_verdicts = true;
  for (const auto& configuration_samples : samples)
    for (const auto& sample : configuration_samples) {
      same_tree = same_tree && tree_fingerprint(sample) == baseline_tree;
      same_verdicts = same_verdicts && sample["verdict_digest"].get<std::string>() == baseline_verdicts;
    }
  document["consistent_tree"] = same_tree;
  document["verdicts_identical"] = same_verdicts;
  if (!same_tree)
    notes.push_back(
        "the tree changed during the benchmark (entries, loaded files or image size differ between runs): "
        "no speedup is reported");
  if (!same_verdicts) notes.push_back("the executors reached different verdicts on the same tree: this is a bug");

  const double sequential_seconds = results[0]["total_seconds"]["median"].get<double>();
  std::vector<unsigned> oversubscribed;
  for (json& result : results) {
    const unsigned workers = result["workers"].get<unsigned>();
    if (same_tree && result["total_seconds"]["median"].get<double>() > 0) {
      const double speedup = sequential_seconds / result["total_seconds"]["median"].get<double>();
      result["speedup"] = speedup;
      result["efficiency"] = speedup / workers;
    }
    if (result["oversubscribed"].get<bool>() &&
        std::find(oversubscribed.begin(), oversubscribed.end(), workers) == oversubscribed.end())
      oversubscribed.push_back(workers);
    if (result["executor"] != "process") continue;
    if (result["executor_used"] != "process" || result["fallbacks"].get<std::uint64_t>() > 0)
      notes.push_back(result["configuration"].get<std::string>() + " fell back to the thread pool (" +
                      result["fallback_reason"].get<std::string>() + "): its figures are not the process pool's");
    if (result["workers_started"].get<unsigned>() < workers)
      notes.push_back(result["configuration"].get<std::string>() + " started " +
                      std::to_string(result["workers_started"].get<unsigned>()) +
                      " workers: the pool starts no more than the largest batch has rules");
    for (const json& twin : results)
      if (twin["executor"] == "thread" && twin["workers"] == result["workers"])
        result["phases"]["dispatch"] =
            result["phases"]["evaluate"].get<double>() - twin["phases"]["evaluate"].get<double>();
  }
  if (!oversubscribed.empty()) {
    std::vector<std::string> counts;
    for (const unsigned workers : oversubscribed) counts.push_back(std::to_string(workers));
    notes.push_back(util::join(counts, ", ") + " workers exceed the " +
                    std::to_string(document["usable_cpus"].get<unsigned>()) +
                    " usable CPUs: those runs measure oversubscription, not more parallelism");
  }
}

}  // namespace

util::Result<std::vector<unsigned>> parse_worker_counts(std::string_view text) {
  std::vector<unsigned> counts;
  for (const std::string& part : util::split(text, ',')) {
    char* end = nullptr;
    const unsigned long value = std::strtoul(part.c_str(), &end, 10);
    if (part.empty() || *end != '\0' || value < 1 || value > 4096)
      return util::make_error("--workers: '" + std::string(text) + "' is not a comma-separated list of counts 1-4096");
    counts.push_back(static_cast<unsigned>(value));
  }
  if (counts.empty()) return util::make_error("--workers: no worker count given");
  return counts;
}

int bench_command(const BenchOptions& options) {
  if (options.runs < 1) {
    std::fprintf(stderr, "sotcheck: error: --runs must be at least 1\n");
    return k_exit_usage;
  }
  if (options.mode == BenchMode::compare && options.workers.size() > 1) {
    std::fprintf(stderr, "sotcheck: error: --mode compare takes one worker count; use --mode scaling for several\n");
    return k_exit_usage;
  }
  // Interrupts are recorded, so a scaffolded tree is still removed; the run in flight stops by itself.
  for (const int signal_number : {SIGINT, SIGTERM, SIGHUP}) std::signal(signal_number, record_bench_interrupt);

  ScratchTree scratch;
  std::string tree = options.tree;
  if (tree.empty()) {
    std::fprintf(stderr, "sotcheck: scaffolding a large tree to bench on (removed afterwards)...\n");
    auto created = scratch.create();
    if (!created) {
      std::fprintf(stderr, "sotcheck: error: %s\n", created.error().c_str());
      return k_exit_internal;
    }
    tree = *created;
  }
  std::error_code ec;
  if (!fs::is_directory(tree, ec)) {
    std::fprintf(stderr, "sotcheck: error: '%s' is not a directory\n", tree.c_str());
    return k_exit_usage;
  }
  const std::string root = fs::canonical(tree, ec).string();

  const unsigned usable_cpus = exec::usable_cpus();
  const CacheWarmup warmup = warm_page_cache(root);
  const std::vector<Configuration> configurations = configurations_for(options, usable_cpus);

  // Runs are interleaved (every configuration once, then again) so that a
  // drift in machine load spreads over all configurations instead of one.
  std::vector<std::vector<json>> samples(configurations.size());
  const bool show_progress = ::isatty(STDERR_FILENO) == 1;
  for (unsigned run = 0; run < options.runs; ++run) {
    for (std::size_t i = 0; i < configurations.size(); ++i) {
      if (g_interrupt_signal != 0) return k_exit_interrupted;
      if (show_progress)
        std::fprintf(stderr, "\rsotcheck bench: run %u/%u: %-16s", run + 1, options.runs,
                     configurations[i].label().c_str());
      RunOutcome outcome = run_once(validate_options_for(options, root, configurations[i]));
      if (outcome.sample.is_null()) {
        std::fprintf(stderr, "\nsotcheck: error: the %s run did not finish\n", configurations[i].label().c_str());
        return g_interrupt_signal != 0 ? k_exit_interrupted : outcome.exit_code;
      }
      samples[i].push_back(std::move(outcome.sample));
    }
  }
  if (show_progress) std::fprintf(stderr, "\r%60s\r", "");

  const json& counters = samples.front().front()["counters"];
  json document = {{"schema", "sotcheck-bench/1"},
                   {"sotcheck_version", SOTCHECK_VERSION},
                   {"mode", options.mode == BenchMode::compare ? "compare" : "scaling"},
                   {"tree",
                    {{"path", root},
                     {"scaffolded", options.tree.empty()},
                     {"entries", counters.value("entries", std::uint64_t{0})},
                     {"files_loaded", counters.value("files_loaded", std::uint64_t{0})},
                     {"image_bytes", counters.value("image_bytes", std::uint64_t{0})},
                     {"rules", counters.value("rules", std::uint64_t{0})}}},
                   {"profile", catalog::profile_name(options.profile)},
                   {"start_method", options.start_method},
                   {"runs", options.runs},
                   {"usable_cpus", usable_cpus},
                   {"cache_warmup", {{"files", warmup.files}, {"bytes", warmup.bytes}, {"seconds", warmup.seconds}}},
                   {"memory_sample_interval_ms", k_memory_sample_interval_ms},
                   {"consistent_tree", true},
                   {"verdicts_identical", true},
                   {"notes", json::array()},
                   {"results", json::array()}};
  for (std::size_t i = 0; i < configurations.size(); ++i)
    document["results"].push_back(summarise(configurations[i], samples[i], usable_cpus));
  compare_results(document, samples);

  print_report(document);
  if (!options.output_file.empty()) {
    std::ofstream out(options.output_file, std::ios::binary | std::ios::trunc);
    out << document.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    out.close();
    if (!out) {
      std::fprintf(stderr, "sotcheck: error: cannot write '%s'\n", options.output_file.c_str());
      return k_exit_internal;
    }
  }
  return g_interrupt_signal != 0 ? k_exit_interrupted : k_exit_clean;
}

}  // namespace sotcheck::cli
