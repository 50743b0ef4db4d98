#pragma once
/// The execution plan: the catalog's nine batches restricted to the selected
/// rules. Batches run in order with a barrier; rules inside one batch are
/// independent (the catalog loader has already checked that no rule depends on
/// a rule of its own or a later batch).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sotcheck/catalog/model.hpp"
#include "sotcheck/util/result.hpp"

namespace sotcheck::plan {

struct PlannedBatch {
  int id = 0;
  std::string name;
  std::vector<std::size_t> rules;  ///< indices into Catalog::rules, in catalog order
};

struct Plan {
  std::vector<PlannedBatch> batches;  ///< all nine, possibly empty after selection
  std::vector<std::size_t> selected;  ///< every selected rule index, in catalog order
};

struct Selection {
  std::vector<std::string> select;  ///< ids, families or globs (* and ?); empty = everything
  std::vector<std::string> ignore;
  /// --min-severity: only rules at least this severe (CRITICAL > ... > INFO); unset = all.
  std::optional<catalog::Severity> min_severity = std::nullopt;
};

/// True if `pattern` selects the rule: its id, its family (or a family prefix
/// ending at a '-' boundary, e.g. "MD" selects MD-STRUCT), or a glob of the id.
bool selector_matches(const std::string& pattern, const catalog::Rule& rule);

/// Builds the plan. A selection that matches no rule is an error (exit 2): a
/// typo must never turn into a silent pass.
util::Result<Plan> build_plan(const catalog::Catalog& catalog, const Selection& selection);

}  // namespace sotcheck::plan
