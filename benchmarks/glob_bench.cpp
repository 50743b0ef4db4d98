// Glob matching (util::Glob, docs/catalog-format.md): representative catalog patterns
// matched against every path of the bench tree, as FileQuery does.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "bench_tree.hpp"
#include "sotcheck/util/glob.hpp"

namespace {

using sotcheck::util::BraceMode;
using sotcheck::util::Glob;

/// One pattern per matcher shape: exact name, suffix, several suffixes,
/// anchored components with a class, and a general pattern with `?`.
const std::vector<std::pair<const char*, BraceMode>> k_patterns = {
    {"**/manifest.yaml", BraceMode::literal},    {"*.py", BraceMode::literal},
    {"**/*.{yaml,yml,json}", BraceMode::expand}, {"[0-9][0-9]_*/shards/*/chart.yaml", BraceMode::literal},
    {"**/*_v?.md", BraceMode::literal},
};

std::vector<std::string> tree_paths() {
  std::vector<std::string> paths;
  const auto& walked = sotcheck::bench::bench_walk();
  for (std::uint32_t i = 1; i < walked.nodes.size(); ++i) paths.push_back(sotcheck::snapshot::walk_path(walked, i));
  return paths;
}

void BM_GlobMatchTree(benchmark::State& state) {
  const auto& [text, mode] = k_patterns[static_cast<std::size_t>(state.range(0))];
  auto glob = Glob::compile(text, mode);
  if (!glob) {
    state.SkipWithError(glob.error().c_str());
    return;
  }
  const std::vector<std::string> paths = tree_paths();
  std::size_t matched = 0;
  for (auto _ : state) {
    matched = 0;
    for (const auto& path : paths) matched += glob->matches(path) ? 1 : 0;
    benchmark::DoNotOptimize(matched);
  }
  state.SetLabel(text);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * paths.size()));
  state.counters["matched"] = static_cast<double>(matched);
}
BENCHMARK(BM_GlobMatchTree)->DenseRange(0, 4)->Unit(benchmark::kMicrosecond);

void BM_GlobCompile(benchmark::State& state) {
  const auto& [text, mode] = k_patterns[static_cast<std::size_t>(state.range(0))];
  for (auto _ : state) {
    auto glob = Glob::compile(text, mode);
    benchmark::DoNotOptimize(glob.ok());
  }
  state.SetLabel(text);
}
BENCHMARK(BM_GlobCompile)->DenseRange(0, 4);

}  // namespace
