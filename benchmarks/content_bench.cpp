// The content scans (checks/content_match.cpp, content_regex_absent.cpp): every catalog rule that reads file
// bytes and no YAML -- content_match's literal scans and content_regex_absent's
// one RE2::Set pass per file -- evaluated over an image holding exactly the
// bytes those rules need, as an executor would.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "bench_tree.hpp"
#include "sotcheck/catalog/loader.hpp"
#include "sotcheck/checks/literal_set.hpp"
#include "sotcheck/checks/text.hpp"
#include "sotcheck/exec/evaluate.hpp"
#include "sotcheck/exec/pipeline.hpp"
#include "sotcheck/exec/verdict.hpp"
#include "sotcheck/snapshot/tree_source.hpp"
#include "sotcheck/util/diagnostics.hpp"

namespace {

using sotcheck::checks::Profile;

/// The strict catalog, the content rules' indices and an image built for them.
struct ContentFixture {
  sotcheck::catalog::Catalog catalog;
  std::vector<std::size_t> rules;
  std::optional<sotcheck::exec::PreparedRun> prepared;
};

bool reads_content_only(const sotcheck::catalog::Rule& rule) {
  const auto& check = rule.for_profile(Profile::strict).check;
  if (!check) return false;
  std::vector<std::shared_ptr<const sotcheck::checks::FileQuery>> content, yaml;
  check->content_queries(&content);
  check->yaml_queries(&yaml);
  return !content.empty() && yaml.empty();
}

const ContentFixture& content_fixture() {
  static const ContentFixture fixture = [] {
    ContentFixture f;
    sotcheck::util::Diagnostics diagnostics;
    auto catalog = sotcheck::catalog::load_embedded_catalog(diagnostics);
    if (!catalog) {
      std::fprintf(stderr, "embedded catalog: %s\n", diagnostics.to_string().c_str());
      std::abort();
    }
    f.catalog = std::move(*catalog);
    sotcheck::plan::Selection selection;
    for (std::size_t i = 0; i < f.catalog.rules.size(); ++i)
      if (reads_content_only(f.catalog.rules[i])) {
        f.rules.push_back(i);
        selection.select.push_back(f.catalog.rules[i].id);
      }
    if (f.rules.empty()) return f;
    // Without the fused scan: the image keeps the bytes and each check scans them itself, which is what
    // this benchmark times. The walk is the bench tree's, made once.
    sotcheck::exec::PipelineOptions options;
    options.selection = selection;
    options.image.root_path = sotcheck::bench::bench_tree();
    options.image.fused_scan = false;
    sotcheck::exec::PipelineHooks hooks;
    hooks.walked = [] { return sotcheck::util::Result<sotcheck::snapshot::WalkTree>(sotcheck::bench::bench_walk()); };
    auto source = sotcheck::snapshot::make_filesystem_source(options.image.root_path);
    sotcheck::util::RunStats stats;
    auto prepared = sotcheck::exec::prepare_run(f.catalog, *source, options, stats, hooks);
    if (!std::holds_alternative<sotcheck::exec::PreparedRun>(prepared)) std::abort();
    f.prepared.emplace(std::move(std::get<sotcheck::exec::PreparedRun>(prepared)));
    return f;
  }();
  return fixture;
}

void BM_ContentRules(benchmark::State& state) {
  const ContentFixture& fixture = content_fixture();
  if (fixture.rules.empty()) {
    state.SkipWithError("the catalog has no rule that reads only file bytes");
    return;
  }
  const sotcheck::snapshot::ImageView& view = fixture.prepared->image.view();
  for (auto _ : state) {
    for (const std::size_t index : fixture.rules) {
      auto verdict = sotcheck::exec::evaluate_rule(fixture.catalog.rules[index], Profile::strict, view);
      benchmark::DoNotOptimize(verdict.status);
    }
  }
  state.counters["rules"] = static_cast<double>(fixture.rules.size());
  const auto& built = fixture.prepared->image.stats();
  state.counters["files_loaded"] = static_cast<double>(built.files_loaded);
  state.counters["content_MiB"] = static_cast<double>(built.content_bytes) / (1 << 20);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * fixture.rules.size()));
}
BENCHMARK(BM_ContentRules)->Unit(benchmark::kMillisecond);

/// The fused scan's one pass (LiteralSet, Teddy) against one SSE2 search per literal, which it replaced, for
/// CP011's and CP001's atoms over the tree's first 4 MiB of .json/.py files, file by file as the scan meets
/// them. Arg(0): LiteralSet with the widest instruction set the CPU has (AVX2 where present); Arg(1): one
/// search per literal; Arg(2): LiteralSet with SSSE3, 16 positions at a time.
void BM_LiteralSearch(benchmark::State& state) {
  static const std::vector<std::string> files = [] {
    std::vector<std::string> out;
    std::size_t total = 0;
    const std::string& root = sotcheck::bench::bench_tree();
    const auto& walked = sotcheck::bench::bench_walk();
    for (std::uint32_t i = 0; i < walked.nodes.size(); ++i) {
      if (total >= (4u << 20)) break;
      if (walked.nodes[i].kind != sotcheck::snapshot::EntryKind::file) continue;
      const std::string path = sotcheck::snapshot::walk_path(walked, i);
      if (!(path.ends_with(".json") || path.ends_with(".py"))) continue;
      std::ifstream in(root + "/" + path, std::ios::binary);
      out.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      total += out.back().size();
    }
    return out;
  }();
  const std::vector<std::string> literals = {"password", "secret", "api", "key", "token", "aws_access_key",
                                             "aws_secret", "private", "store", "save", "db.save("};
  sotcheck::checks::LiteralSet set;
  for (const auto& literal : literals) set.add(literal);
  std::vector<char> present;
  const bool one_pass = state.range(0) != 1;
  const auto simd = state.range(0) == 2 ? sotcheck::checks::LiteralSet::Simd::ssse3
                                        : sotcheck::checks::LiteralSet::widest_simd();
  std::int64_t bytes = 0;
  for (auto _ : state) {
    for (const std::string& text : files) {
      if (one_pass) {
        set.scan_with(simd, text, &present);
      } else {
        present.assign(literals.size(), 0);
        for (std::size_t i = 0; i < literals.size(); ++i)
          present[i] = sotcheck::checks::find_ascii_ci(text, literals[i]) != std::string_view::npos;
      }
      benchmark::DoNotOptimize(present.data());
      bytes += static_cast<std::int64_t>(text.size());
    }
  }
  state.SetBytesProcessed(bytes);
}
BENCHMARK(BM_LiteralSearch)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond);

}  // namespace
