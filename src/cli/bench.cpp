// `sotcheck bench`: the validate pipeline timed under each executor (docs/ARCHITECTURE.md
// 9, docs/bench.md). This file is the command: which configurations, the
// interleaved runs, the JSON document. Its parts are listed in bench_parts.hpp.

#include "sotcheck/cli/bench.hpp"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "bench_parts.hpp"
#include "sotcheck/cli/cli.hpp"
#include "sotcheck/util/interrupt_guard.hpp"
#include "sotcheck/util/strings.hpp"

namespace sotcheck::cli {

namespace bench {

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

std::string Configuration::label() const {
  if (executor == Executor::sequential) return "sequential";
  return std::string(executor_name(executor)) + "@" + std::to_string(workers);
}

}  // namespace bench

namespace {

namespace fs = std::filesystem;
using namespace bench;  // NOLINT: the command is written in its parts' vocabulary

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
  if (options.runs < k_min_trustworthy_runs)
    std::fprintf(stderr, "sotcheck: warning: --runs %u: with fewer than %u runs one noisy run moves the median\n",
                 options.runs, k_min_trustworthy_runs);
  // Interrupts are recorded, so a scaffolded tree is still removed; the run in flight stops by itself.
  const util::InterruptGuard interrupt_guard(util::InterruptGuard::record);
  const auto interrupted = [] { return util::InterruptGuard::recorded() != 0; };

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
      if (interrupted()) return k_exit_interrupted;
      if (show_progress)
        std::fprintf(stderr, "\rsotcheck bench: run %u/%u: %-16s", run + 1, options.runs,
                     configurations[i].label().c_str());
      RunOutcome outcome = run_once(validate_options_for(options, root, configurations[i]));
      if (outcome.sample.is_null()) {
        std::fprintf(stderr, "\nsotcheck: error: the %s run did not finish\n", configurations[i].label().c_str());
        return interrupted() ? k_exit_interrupted : outcome.exit_code;
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
  return interrupted() ? k_exit_interrupted : k_exit_clean;
}

}  // namespace sotcheck::cli
