#include "sotcheck/plan/plan.hpp"

#include <fnmatch.h>

#include "sotcheck/util/strings.hpp"

namespace sotcheck::plan {

bool selector_matches(const std::string& pattern, const catalog::Rule& rule) {
  if (pattern == rule.id || pattern == rule.family) return true;
  if (util::starts_with(rule.family, pattern + "-") || util::starts_with(rule.family, pattern + "_")) return true;
  if (pattern.find_first_of("*?[") != std::string::npos)
    return ::fnmatch(pattern.c_str(), rule.id.c_str(), 0) == 0;
  return false;
}

util::Result<Plan> build_plan(const catalog::Catalog& catalog, const Selection& selection) {
  auto any_match = [](const std::vector<std::string>& patterns, const catalog::Rule& rule) {
    for (const auto& p : patterns)
      if (selector_matches(p, rule)) return true;
    return false;
  };
  for (const auto& p : selection.select) {
    bool used = false;
    for (const auto& rule : catalog.rules) used = used || selector_matches(p, rule);
    if (!used) return util::make_error("--select " + p + " matches no rule in the catalog");
  }
  Plan plan;
  for (const auto& spec : catalog.batches) plan.batches.push_back({spec.id, spec.name, {}});
  for (std::size_t i = 0; i < catalog.rules.size(); ++i) {
    const catalog::Rule& rule = catalog.rules[i];
    if (!selection.select.empty() && !any_match(selection.select, rule)) continue;
    if (any_match(selection.ignore, rule)) continue;
    if (selection.min_severity && rule.severity > *selection.min_severity) continue;  // enum order: CRITICAL first
    plan.selected.push_back(i);
    if (rule.batch >= 0 && static_cast<std::size_t>(rule.batch) < plan.batches.size())
      plan.batches[static_cast<std::size_t>(rule.batch)].rules.push_back(i);
  }
  if (plan.selected.empty()) return util::make_error("the selection matches no rule: nothing would be checked");
  return plan;
}

}  // namespace sotcheck::plan
