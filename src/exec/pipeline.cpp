// The pipeline's composition (pipeline.hpp): the stages in order, each one's
// phase timed and counted once, here, for --stats and `sotcheck bench`.

#include "sotcheck/exec/pipeline.hpp"

#include <exception>

namespace sotcheck::exec {

snapshot::WalkOptions walk_options_for(const catalog::ProfileSettings& profile,
                                       const std::vector<std::string>& exclusions) {
  snapshot::WalkOptions options;
  options.do_not_descend = profile.do_not_descend;
  options.do_not_descend.insert(options.do_not_descend.end(), exclusions.begin(), exclusions.end());
  return options;
}

namespace {

util::Result<snapshot::WalkTree> walk_here(const catalog::Catalog& catalog, snapshot::TreeSource& source,
                                           const PipelineOptions& options) {
  try {
    const auto& profile = catalog.profiles[static_cast<std::size_t>(options.profile)];
    snapshot::WalkOptions walk = walk_options_for(profile, options.exclusions);
    walk.threads = options.image.build_threads;  // the walk lists on as many threads as the build reads
    return snapshot::walk(source, walk);
  } catch (const std::exception& e) {
    return util::make_error(std::string("the repository walk failed: ") + e.what());
  }
}

void count_image(const RunImage& image, double seconds, util::RunStats& stats) {
  stats.add_phase("image", seconds - image.seal_seconds());
  if (image.shared()) stats.add_phase("seal", image.seal_seconds());
  const snapshot::BuildStats& build = image.stats();
  stats.set_counter("image_bytes", build.image_bytes);
  stats.set_counter("files_loaded", build.files_loaded);
  stats.set_counter("yaml_documents", build.yaml_documents + build.yaml_errors);
  stats.set_counter("probe_values", build.probe_values);
  // Where the image phase goes (microseconds of wall time): YAML parsing, reading + content scan, checksum.
  stats.set_counter("image_yaml_us", static_cast<std::uint64_t>(build.yaml_seconds * 1e6));
  stats.set_counter("image_fill_us", static_cast<std::uint64_t>(build.fill_seconds * 1e6));
  stats.set_counter("image_checksum_us", static_cast<std::uint64_t>(build.checksum_seconds * 1e6));
}

}  // namespace

std::variant<PreparedRun, PipelineFailure> prepare_run(const catalog::Catalog& catalog, snapshot::TreeSource& source,
                                                       const PipelineOptions& options, util::RunStats& stats,
                                                       const PipelineHooks& hooks) {
  auto plan = plan::build_plan(catalog, options.selection);
  // A selection of nothing is the user's to fix: a typo must never pass silently.
  if (!plan) return PipelineFailure{PipelineStage::plan, plan.error(), true};
  if (hooks.planned) hooks.planned(*plan);

  util::Stopwatch walk_watch;
  auto walked = hooks.walked ? hooks.walked() : walk_here(catalog, source, options);
  if (!walked) return PipelineFailure{PipelineStage::walk, walked.error(), false};
  const snapshot::WalkTree tree = std::move(*walked);
  stats.add_phase("walk", walk_watch.seconds());
  stats.set_counter("entries", tree.nodes.size());

  util::Stopwatch image_watch;
  const plan::SnapshotNeeds needs = plan::snapshot_needs(catalog, *plan, options.profile, options.image.fused_scan);
  auto image = RunImage::build(tree, source, needs, options.image, hooks.source_done);
  if (!image) {
    // Only the --max-image-size refusal is the user's to fix; anything else
    // (out of memory) is the run failing.
    const bool usage = image.error().find("--max-image-size") != std::string::npos;
    return PipelineFailure{PipelineStage::image, image.error(), usage};
  }
  count_image(*image, image_watch.seconds(), stats);
  return PreparedRun{std::move(*plan), std::move(*image)};
}

std::variant<PipelineRun, PipelineFailure> run_pipeline(const catalog::Catalog& catalog, snapshot::TreeSource& source,
                                                        const PipelineOptions& options, util::RunStats& stats,
                                                        const PipelineHooks& hooks) {
  auto prepared = prepare_run(catalog, source, options, stats, hooks);
  if (auto* failure = std::get_if<PipelineFailure>(&prepared)) return std::move(*failure);
  PipelineRun run{std::move(std::get<PreparedRun>(prepared)), {}};
  ExecuteOptions execute_options = options.execute;
  if (hooks.progress) execute_options.on_progress = hooks.progress(run.prepared.plan);
  run.execution = execute(catalog, options.profile, run.prepared, execute_options, stats);
  return run;
}

}  // namespace sotcheck::exec
