// The text report of `sotcheck bench`: the tables, a legend for every column
// (the full story is docs/bench.md), the notes and the recommendation.
#include "bench_parts.hpp"

#include <cstdio>

#include "sotcheck/util/strings.hpp"

namespace sotcheck::cli::bench {
namespace {

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

/// One line per column of the main table, printed under it; docs/bench.md has the details.
void print_table_legend() {
  std::printf(
      "\n  median/min/max s   wall time of the whole run (catalog to report) over the runs\n"
      "  speedup            sequential median / this median; effic. = speedup / workers\n"
      "  rules/s            rules evaluated per second of the median run\n"
      "  parent peak        peak RSS of the validating process (kernel high-water mark)\n"
      "  worker peak        largest single process-pool worker: private pages + pages shared with others\n"
      "  crash/tmo/fb       worker crashes, rule timeouts and fallbacks to threads, summed over the runs\n"
      "  (every column and how it is measured: docs/bench.md)\n");
}

}  // namespace

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

  print_table_legend();

  std::printf("\noverhead breakdown (median ms; phases: docs/bench.md#phases)\n%-14s", "configuration");
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
  std::printf("\nwhere the run goes (share of the median run)\n%-14s %13s %12s %6s\n", "configuration", "rule batches",
              "image build", "rest");
  for (const auto& result : document["results"]) {
    const json& shares = result["shares"];
    if (shares.is_null()) continue;
    std::printf("%-14s %12.0f%% %11.0f%% %5.0f%%\n", result["configuration"].get<std::string>().c_str(),
                shares["rule_batches"].get<double>() * 100, shares["image_build"].get<double>() * 100,
                shares["rest"].get<double>() * 100);
  }
  std::printf("rule batches: what a worker pool spreads over CPUs. image build: the walk and the image, done in the\n"
              "parent before any rule runs, whatever the executor; no pool speeds it up. rest: catalog, worker start,\n"
              "report and what no phase covers.\n");

  std::printf("\nverdicts identical across every run and executor: %s\n",
              document["verdicts_identical"].get<bool>() ? "yes" : "NO (an executor bug)");
  if (!document["notes"].empty()) {
    std::printf("\nnotes:\n");
    for (const auto& note : document["notes"]) std::printf("  - %s\n", note.get<std::string>().c_str());
  }
  std::printf("\nrecommendation: %s\n", document["recommendation"]["text"].get<std::string>().c_str());
  std::fflush(stdout);
}


}  // namespace sotcheck::cli::bench
