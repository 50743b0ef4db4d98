// The figures of `sotcheck bench` (docs/bench.md): medians over the runs,
// speedup and efficiency, the share of a run each part takes, the notes that
// keep them honest, and a recommendation for the machine the bench ran on.
#include "bench_parts.hpp"

#include <algorithm>
#include <functional>

#include "sotcheck/util/strings.hpp"

namespace sotcheck::cli::bench {
namespace {

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

/// What identifies the tree a run measured; speedups compare equal fingerprints only.
std::string tree_fingerprint(const json& sample) {
  const json& counters = sample["counters"];
  return std::to_string(counters.value("entries", std::uint64_t{0})) + "/" +
         std::to_string(counters.value("files_loaded", std::uint64_t{0})) + "/" +
         std::to_string(counters.value("image_bytes", std::uint64_t{0})) + "/" +
         std::to_string(counters.value("rules", std::uint64_t{0}));
}

/// Phases derived by subtraction ("dispatch", "other") can come out below
/// zero when the two figures differ by less than the noise. A negative time is
/// not a measurement: it is shown as 0, and a note says which were clamped.
void clamp_negative_phases(json& result, std::vector<std::string>& clamped) {
  for (auto& [name, seconds] : result["phases"].items()) {
    if (!seconds.is_number() || seconds.get<double>() >= 0) continue;
    clamped.push_back(result["configuration"].get<std::string>() + " " + name + " (" +
                      std::to_string(static_cast<int>(seconds.get<double>() * 1000 - 0.5)) + " ms)");
    seconds = 0.0;
  }
}

/// What share of the median run each part takes: the rule batches are what a
/// worker pool spreads over CPUs; the walk and the image build happen before
/// any rule runs, in the parent, whatever the executor (the build's own
/// threads follow --workers, but no pool can speed it up); the rest is the
/// catalog, worker start, report and what no phase covers.
json shares_of(const json& result) {
  const json& phases = result["phases"];
  const auto ms = [&](const char* name) { return phases[name].is_number() ? phases[name].get<double>() : 0.0; };
  const double total = result["total_seconds"]["median"].get<double>();
  if (total <= 0) return nullptr;
  const double batches = ms("evaluate");
  const double image = ms("walk") + ms("image");
  return {{"rule_batches", batches / total},
          {"image_build", image / total},
          {"rest", std::max(0.0, 1.0 - (batches + image) / total)}};
}

/// The fastest configuration that does not oversubscribe the machine, and
/// whether it is worth choosing over the default: a difference under 5% of
/// the median is within the noise of these runs.
json recommendation_for(const json& document) {
  const json& results = document["results"];
  const json* best = nullptr;
  for (const json& result : results) {
    if (result["oversubscribed"].get<bool>()) continue;
    if (best == nullptr ||
        result["total_seconds"]["median"].get<double>() < (*best)["total_seconds"]["median"].get<double>())
      best = &result;
  }
  if (best == nullptr) best = &results[0];
  const double sequential = results[0]["total_seconds"]["median"].get<double>();
  const double fastest = (*best)["total_seconds"]["median"].get<double>();
  const std::string executor = (*best)["executor"].get<std::string>();
  const std::string flags =
      executor == "sequential" ? "--mode sequential"
                               : "--mode " + executor + " --workers " + std::to_string((*best)["workers"].get<unsigned>());
  std::string text;
  if (!document["consistent_tree"].get<bool>()) {
    text = "none: the tree changed during the bench, so its figures do not compare";
  } else if (fastest >= sequential * 0.95) {
    text = "on this machine and tree no executor is clearly faster than sequential (within 5%): the default "
           "(--mode auto) is fine; the run is dominated by work no pool spreads (see the shares above)";
  } else {
    char figures[96];
    std::snprintf(figures, sizeof figures, " (median %.3f s, %.2fx sequential)", fastest, sequential / fastest);
    text = "use " + flags + figures + " on this machine for trees like this one";
  }
  return {{"configuration", (*best)["configuration"]}, {"flags", flags}, {"text", text}};
}
}  // namespace

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
  std::vector<std::string> clamped;
  for (json& result : results) {
    clamp_negative_phases(result, clamped);
    result["shares"] = shares_of(result);
  }
  if (!clamped.empty())
    notes.push_back("shown as 0, measured below zero (two medians differing by less than the noise): " +
                    util::join(clamped, ", "));
  if (document["runs"].get<unsigned>() < k_min_trustworthy_runs)
    notes.push_back("only " + std::to_string(document["runs"].get<unsigned>()) +
                    " run(s) per configuration: one noisy run moves the median; use --runs 3 or more");
  if (!oversubscribed.empty()) {
    std::vector<std::string> counts;
    for (const unsigned workers : oversubscribed) counts.push_back(std::to_string(workers));
    notes.push_back(util::join(counts, ", ") + " workers exceed the " +
                    std::to_string(document["usable_cpus"].get<unsigned>()) +
                    " usable CPUs: those runs measure oversubscription, not more parallelism");
  }
  document["recommendation"] = recommendation_for(document);
}


}  // namespace sotcheck::cli::bench
