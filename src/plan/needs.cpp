#include "sotcheck/plan/needs.hpp"

#include <memory>
#include <vector>

#include "sotcheck/checks/file_query.hpp"

namespace sotcheck::plan {
namespace {

PathPredicate predicate_for(std::vector<std::shared_ptr<const checks::FileQuery>> queries) {
  if (queries.empty()) return {};
  return [queries = std::move(queries)](std::string_view relpath, std::string_view) {
    for (const auto& q : queries)
      if (q->may_match(relpath)) return true;
    return false;
  };
}

}  // namespace

SnapshotNeeds snapshot_needs(const catalog::Catalog& catalog, const Plan& plan, checks::Profile profile) {
  std::vector<std::shared_ptr<const checks::FileQuery>> content, yaml;
  for (std::size_t index : plan.selected) {
    const auto& compiled = catalog.rules[index].for_profile(profile);
    if (!compiled.check) continue;
    compiled.check->content_queries(&content);
    compiled.check->yaml_queries(&yaml);
  }
  SnapshotNeeds needs;
  // YAML files are parsed from their bytes, so they are loaded too.
  std::vector<std::shared_ptr<const checks::FileQuery>> all = content;
  all.insert(all.end(), yaml.begin(), yaml.end());
  needs.wants_content = predicate_for(std::move(all));
  needs.wants_yaml = predicate_for(std::move(yaml));
  return needs;
}

}  // namespace sotcheck::plan
