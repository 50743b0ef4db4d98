// YAML flattening (snapshot/yaml_flat.cpp): libyaml events into the flat
// blob the image stores, over every YAML file of the bench tree. docs/bench.md
// expects about 0.2 CPU-s for the real tree's ~2,000 documents.

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "bench_tree.hpp"
#include "sotcheck/snapshot/yaml_flat.hpp"

namespace {

void BM_FlattenTreeYaml(benchmark::State& state) {
  const std::vector<std::string> documents = sotcheck::bench::read_files_ending_in({".yaml", ".yml"});
  std::size_t bytes = 0;
  for (const auto& document : documents) bytes += document.size();
  std::size_t refused = 0;
  for (auto _ : state) {
    refused = 0;
    for (const auto& document : documents) {
      auto blob = sotcheck::snapshot::flatten_yaml(document);
      refused += blob.ok() ? 0 : 1;
      benchmark::DoNotOptimize(blob.ok());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["documents"] = static_cast<double>(documents.size());
  state.counters["refused"] = static_cast<double>(refused);
}
BENCHMARK(BM_FlattenTreeYaml)->Unit(benchmark::kMillisecond);

}  // namespace
