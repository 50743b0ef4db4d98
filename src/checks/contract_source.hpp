#pragma once
// Where a `contract_field_present` rule finds the SoT contract
// (docs/reference-compatibility.md#rc-21): the spec parsed from the catalog,
// and the selection it makes in an image.

#include <memory>
#include <string>

#include "sotcheck/checks/check.hpp"
#include "sotcheck/checks/contract_resolution.hpp"
#include "sotcheck/checks/file_query.hpp"

namespace sotcheck::checks {

class ContractSource {
 public:
  std::shared_ptr<const FileQuery> query;
  std::string exact_path;  ///< strict: this path first
  std::string prefer, avoid;
  bool strict_selection = false;
  /// Names the spec in the run's caches: equal exactly when two sources select alike (profile, paths,
  /// name preferences and patterns).
  std::string key;

  /// The resolution for the image of `context`, shared through the run's caches (one per run for every rule
  /// with this spec) or, without caches, computed for this call. Either way every rule that uses it notes the
  /// unreadable entries computing it touched (access_journal.hpp).
  ContractResolution resolve(const EvalContext& context) const;

 private:
  ContractResolution compute(const snapshot::ImageView& image) const;
};

}  // namespace sotcheck::checks
