// Walk + image build on the bench tree (bench_tree.hpp). Compare with
// `rg -uuu -a -c . TREE` (reads every byte) on the same tree.

#include <benchmark/benchmark.h>

#include <string>

#include "bench_tree.hpp"
#include "sotcheck/catalog/loader.hpp"
#include "sotcheck/exec/pipeline.hpp"
#include "sotcheck/plan/needs.hpp"
#include "sotcheck/plan/plan.hpp"
#include "sotcheck/snapshot/image.hpp"
#include "sotcheck/snapshot/tree_source.hpp"
#include "sotcheck/snapshot/walker.hpp"

namespace {

using sotcheck::bench::bench_tree;

void BM_Walk(benchmark::State& state) {
  const std::string root = bench_tree();
  for (auto _ : state) {
    auto source = sotcheck::snapshot::make_filesystem_source(root);
    auto tree = sotcheck::snapshot::walk(*source, {{".git"}});
    benchmark::DoNotOptimize(tree.nodes.data());
    state.counters["entries"] = static_cast<double>(tree.nodes.size());
  }
}
BENCHMARK(BM_Walk)->Unit(benchmark::kMillisecond);

/// Walk + image with every regular file's bytes loaded (the upper bound: what
/// a run whose rules read everything would do).
void BM_WalkAndImageAllContent(benchmark::State& state) {
  const std::string root = bench_tree();
  for (auto _ : state) {
    auto source = sotcheck::snapshot::make_filesystem_source(root);
    auto tree = sotcheck::snapshot::walk(*source, {{".git"}});
    sotcheck::snapshot::BuildOptions options;
    options.root_path = root;
    options.wants_content = [](std::string_view, std::string_view) { return true; };
    sotcheck::snapshot::BuildStats stats;
    auto image = sotcheck::snapshot::HeapImage::build(tree, *source, options, &stats);
    if (!image) state.SkipWithError(image.error().c_str());
    state.counters["image_MiB"] = static_cast<double>(stats.image_bytes) / (1 << 20);
    state.counters["files_loaded"] = stats.files_loaded;
  }
}
BENCHMARK(BM_WalkAndImageAllContent)->Unit(benchmark::kMillisecond);

/// Walk + image with structure only (what the AR family needs).
void BM_WalkAndImageStructureOnly(benchmark::State& state) {
  const std::string root = bench_tree();
  for (auto _ : state) {
    auto source = sotcheck::snapshot::make_filesystem_source(root);
    auto tree = sotcheck::snapshot::walk(*source, {{".git"}});
    sotcheck::snapshot::BuildOptions options;
    options.root_path = root;
    auto image = sotcheck::snapshot::HeapImage::build(tree, *source, options);
    benchmark::DoNotOptimize(image.ok());
  }
}
BENCHMARK(BM_WalkAndImageStructureOnly)->Unit(benchmark::kMillisecond);

/// Walk + image exactly as `validate` builds it for the full strict catalog: Arg(1) with the fused content
/// scan (every file the content rules read is decoded and scanned once, only unprobed bytes are kept), Arg(0)
/// without it (every file read is kept and each check would scan it itself). Catalog load, plan and needs are
/// outside the loop; inside it are the pipeline's walk and image stages.
void BM_WalkAndImageAsValidate(benchmark::State& state) {
  const std::string root = bench_tree();
  const bool fused = state.range(0) != 0;
  sotcheck::util::Diagnostics diagnostics;
  const auto catalog = sotcheck::catalog::load_embedded_catalog(diagnostics);
  if (!catalog) {
    state.SkipWithError("catalog");
    return;
  }
  const auto plan = sotcheck::plan::build_plan(*catalog, {});
  const auto needs = sotcheck::plan::snapshot_needs(*catalog, *plan, sotcheck::checks::Profile::strict, fused);
  const auto& profile = catalog->profiles[static_cast<std::size_t>(sotcheck::checks::Profile::strict)];
  sotcheck::exec::ImageOptions options;
  options.root_path = root;
  options.fused_scan = fused;
  for (auto _ : state) {
    auto source = sotcheck::snapshot::make_filesystem_source(root);
    auto tree = sotcheck::snapshot::walk(*source, sotcheck::exec::walk_options_for(profile));
    auto image = sotcheck::exec::RunImage::build(tree, *source, needs, options);
    if (!image) {
      state.SkipWithError(image.error().c_str());
      return;
    }
    state.counters["image_MiB"] = static_cast<double>(image->stats().image_bytes) / (1 << 20);
    state.counters["files_read"] = image->stats().files_loaded;
    state.counters["probe_values"] = static_cast<double>(image->stats().probe_values);
  }
}
BENCHMARK(BM_WalkAndImageAsValidate)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
