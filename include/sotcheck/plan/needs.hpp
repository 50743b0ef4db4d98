#pragma once
/// What the selected rules need from the snapshot: which files' bytes to load
/// and which to parse as YAML. Computed from the checks' queries so nothing
/// is read that no rule looks at, and nothing a rule looks at is missed.

#include <functional>
#include <memory>
#include <string_view>

#include "sotcheck/catalog/model.hpp"
#include "sotcheck/plan/plan.hpp"
#include "sotcheck/snapshot/image.hpp"

namespace sotcheck::plan {

using PathPredicate = std::function<bool(std::string_view relpath, std::string_view name)>;

struct SnapshotNeeds {
  PathPredicate wants_content;  ///< empty when no selected rule reads file bytes
  PathPredicate wants_yaml;     ///< empty when no selected rule reads YAML
  /// The fused content scan of the selected rules' text predicates; null when they have none.
  std::shared_ptr<const snapshot::ContentScanner> scanner;
};

SnapshotNeeds snapshot_needs(const catalog::Catalog& catalog, const Plan& plan, checks::Profile profile);

}  // namespace sotcheck::plan
