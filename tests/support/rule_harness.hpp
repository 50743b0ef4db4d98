#pragma once
// The harness for rule tests: the small scaffold as an in-memory tree (no
// disk), evaluated with the built-in catalog exactly as `validate` would
// (same needs computation, same executor), so a rule test is "start from the
// compliant tree, apply the smallest breaking mutation, see which rules fail".

#include <map>
#include <set>
#include <string>
#include <vector>

#include "sotcheck/exec/pipeline.hpp"
#include "sotcheck/exec/verdict.hpp"
#include "support/memory_tree.hpp"

namespace sotcheck::testing {

/// The small scaffold (seed 1 unless given) as an in-memory tree.
MemoryTree scaffold_tree(std::uint64_t seed = 1);

struct RunResult {
  std::vector<exec::Verdict> verdicts;  ///< catalog order
  std::map<std::string, exec::Verdict> by_id;
  std::set<std::string> not_passing() const;  ///< ids whose status is not PASS
  const exec::Verdict& at(const std::string& id) const { return by_id.at(id); }
};

/// The verdicts of exec::run_pipeline (what `validate` runs); a run that stops
/// before its verdicts (a selection of nothing, an image that cannot be built) throws.
std::vector<exec::Verdict> pipeline_verdicts(const catalog::Catalog& catalog, snapshot::TreeSource& tree,
                                             const exec::PipelineOptions& options);

/// Evaluates every rule of the built-in catalog (or only `select`) on `tree` (a
/// MemoryTree, or a TreeSource wrapping one to simulate a hostile filesystem),
/// sequentially, or on the thread pool when `thread_workers` > 0. With
/// `fused_scan` off the image carries no content-scan results, so every
/// content check scans the text itself (the two must agree exactly).
RunResult run_catalog(snapshot::TreeSource& tree, checks::Profile profile, const std::vector<std::string>& select = {},
                      unsigned thread_workers = 0, bool fused_scan = true);

}  // namespace sotcheck::testing
