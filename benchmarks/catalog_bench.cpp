// The catalog load: the embedded catalog, compiled at build time
// (catalog/compiled_catalog.hpp), against the same rules parsed from YAML as
// `--catalog DIR` does. The compiled catalog builds a rule's check on first
// use, so "load" alone is not what a run pays: BM_EmbeddedCatalogForValidate
// also builds every strict check and the plan, as `validate` does before it
// reads the tree. Run from the repository root, or set SOTCHECK_RULES_DIR to
// the rules/ directory.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <string>

#include "sotcheck/catalog/loader.hpp"
#include "sotcheck/plan/plan.hpp"

namespace {

void BM_LoadEmbeddedCatalog(benchmark::State& state) {
  for (auto _ : state) {
    sotcheck::util::Diagnostics diagnostics;
    auto catalog = sotcheck::catalog::load_embedded_catalog(diagnostics);
    if (!catalog) state.SkipWithError(diagnostics.to_string().c_str());
    benchmark::DoNotOptimize(catalog.ok());
  }
}
BENCHMARK(BM_LoadEmbeddedCatalog)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

// Load, every rule's strict form (check, message, evidence) and the plan: a default validate's catalog work.
void BM_EmbeddedCatalogForValidate(benchmark::State& state) {
  for (auto _ : state) {
    sotcheck::util::Diagnostics diagnostics;
    auto catalog = sotcheck::catalog::load_embedded_catalog(diagnostics);
    if (!catalog) state.SkipWithError(diagnostics.to_string().c_str());
    for (const auto& rule : catalog->rules)
      benchmark::DoNotOptimize(rule.for_profile(sotcheck::checks::Profile::strict).check.get());
    auto plan = sotcheck::plan::build_plan(*catalog, {});
    benchmark::DoNotOptimize(plan.ok());
  }
}
BENCHMARK(BM_EmbeddedCatalogForValidate)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

void BM_LoadYamlCatalog(benchmark::State& state) {
  const char* dir = std::getenv("SOTCHECK_RULES_DIR");
  const std::string rules = dir != nullptr && *dir != '\0' ? dir : "rules";
  for (auto _ : state) {
    sotcheck::util::Diagnostics diagnostics;
    auto catalog = sotcheck::catalog::load_catalog_directory(rules, diagnostics);
    if (!catalog) state.SkipWithError(diagnostics.to_string().c_str());
    benchmark::DoNotOptimize(catalog.ok());
  }
}
BENCHMARK(BM_LoadYamlCatalog)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();

}  // namespace
