#pragma once
/// What the selected rules need from the snapshot: which files' bytes to load
/// and which to parse as YAML. Computed from the checks' queries so nothing
/// is read that no rule looks at, and nothing a rule looks at is missed.

#include <functional>
#include <memory>
#include <string_view>

#include "sotcheck/catalog/model.hpp"
#include "sotcheck/plan/plan.hpp"
#include "sotcheck/snapshot/image_build.hpp"

namespace sotcheck::plan {

using PathPredicate = std::function<bool(std::string_view relpath, std::string_view name)>;

struct SnapshotNeeds {
  PathPredicate wants_content;  ///< files some selected rule reads as text; empty when none
  /// Of those, the files whose bytes the image keeps; empty = all. With the
  /// fused scan, only files some check reads beyond its probes.
  PathPredicate keep_content;
  PathPredicate wants_yaml;     ///< empty when no selected rule reads YAML
  /// The fused content scan of the selected rules' text predicates; null when
  /// they have none or `fused_scan` was off.
  std::shared_ptr<const snapshot::ContentScanner> scanner;
  /// The three predicates and the scanner's probes_for answered in one pass
  /// (plan/path_classifier.hpp): what the image build asks. Null when the
  /// needs were put together by hand; the build then asks the four.
  std::shared_ptr<const snapshot::FileClassifier> classifier;
};

/// With `fused_scan` off (tests comparing both ways) the image keeps every
/// file's bytes and carries no probe values, so each check scans for itself.
SnapshotNeeds snapshot_needs(const catalog::Catalog& catalog, const Plan& plan, checks::Profile profile,
                             bool fused_scan = true);

}  // namespace sotcheck::plan
