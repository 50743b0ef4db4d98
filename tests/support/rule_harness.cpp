#include "support/rule_harness.hpp"

#include <stdexcept>

#include "sotcheck/exec/executor.hpp"
#include "sotcheck/plan/needs.hpp"
#include "sotcheck/scaffold/scaffold.hpp"
#include "sotcheck/snapshot/image.hpp"
#include "sotcheck/snapshot/walker.hpp"
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

RunResult run_catalog(snapshot::TreeSource& tree, checks::Profile profile, const std::vector<std::string>& select,
                      unsigned thread_workers, bool fused_scan) {
  const auto& catalog = builtin_catalog();
  auto plan = plan::build_plan(catalog, {select, {}});
  if (!plan) throw std::runtime_error(plan.error());
  snapshot::WalkOptions walk_options;
  walk_options.do_not_descend = catalog.profiles[static_cast<size_t>(profile)].do_not_descend;
  const auto walked = snapshot::walk(tree, walk_options);
  const auto needs = plan::snapshot_needs(catalog, *plan, profile, fused_scan);
  snapshot::BuildOptions options;
  options.root_path = "/repo";
  options.wants_content = needs.wants_content;
  options.wants_yaml = needs.wants_yaml;
  options.scanner = needs.scanner;
  options.keep_content = needs.keep_content;
  auto image = snapshot::HeapImage::build(walked, tree, options);
  if (!image) throw std::runtime_error(image.error());
  auto view = image->view();
  if (!view) throw std::runtime_error(view.error());
  util::RunStats stats;
  const exec::RunContext context{catalog, *plan, profile, *view};
  RunResult result;
  result.verdicts =
      thread_workers > 0 ? exec::run_threads(context, thread_workers, stats) : exec::run_sequential(context, stats);
  for (const auto& v : result.verdicts) result.by_id[v.rule_id] = v;
  return result;
}

}  // namespace sotcheck::testing
