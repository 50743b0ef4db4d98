#include "support/rule_harness.hpp"

#include <stdexcept>

#include "sotcheck/scaffold/scaffold.hpp"
#include "support/trees.hpp"

namespace sotcheck::testing {

MemoryTree scaffold_tree(std::uint64_t seed) {
  MemoryTree tree;
  scaffold::visit_planned_files(scaffold::Size::small, seed, [&](const scaffold::PlannedFileView& f) {
    tree.add_file(std::string(f.path), f.bulk ? std::string(f.size, 'x') : std::string(f.content));
  });
  return tree;
}

std::set<std::string> RunResult::not_passing() const {
  std::set<std::string> ids;
  for (const auto& v : verdicts)
    if (v.status != exec::Status::pass) ids.insert(v.rule_id);
  return ids;
}

std::vector<exec::Verdict> pipeline_verdicts(const catalog::Catalog& catalog, snapshot::TreeSource& tree,
                                             const exec::PipelineOptions& options) {
  util::RunStats stats;
  auto outcome = exec::run_pipeline(catalog, tree, options, stats);
  if (const auto* failure = std::get_if<exec::PipelineFailure>(&outcome)) throw std::runtime_error(failure->message);
  return std::move(std::get<exec::PipelineRun>(outcome).execution.verdicts);
}

RunResult run_catalog(snapshot::TreeSource& tree, checks::Profile profile, const std::vector<std::string>& select,
                      unsigned thread_workers, bool fused_scan) {
  exec::PipelineOptions options;
  options.profile = profile;
  options.selection.select = select;
  options.image.fused_scan = fused_scan;
  options.execute.mode = thread_workers > 0 ? exec::Mode::thread : exec::Mode::sequential;
  options.execute.workers = thread_workers;
  RunResult result;
  result.verdicts = pipeline_verdicts(builtin_catalog(), tree, options);
  for (const auto& v : result.verdicts) result.by_id[v.rule_id] = v;
  return result;
}

}  // namespace sotcheck::testing
