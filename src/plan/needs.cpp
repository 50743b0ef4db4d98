#include "sotcheck/plan/needs.hpp"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "sotcheck/checks/file_query.hpp"

namespace sotcheck::plan {
namespace {

/// One pattern with the depth limit of the query it came from.
struct DepthGlob {
  const util::Glob* glob;
  std::size_t max_depth;  // 0 = any
  bool matches(std::string_view relpath) const {
    return checks::FileQuery::within_depth(relpath, max_depth) && glob->matches(relpath);
  }
};

/// The union of many FileQuery::may_match, asked once per walked entry. Rules
/// repeat the same few patterns hundreds of times (every chart rule asks for
/// the charts), so patterns are deduplicated, and those whose matches must end
/// in a known suffix are only tried on paths with that suffix.
class PathMatcherSet {
 public:
  explicit PathMatcherSet(const std::vector<std::shared_ptr<const checks::FileQuery>>& queries) {
    std::set<std::string> seen;
    for (const auto& query : queries) {
      m_keep_alive.push_back(query);
      for (const util::Glob& glob : query->globs()) {
        const std::string key = glob.pattern() + '\0' + std::to_string(static_cast<int>(glob.brace_mode())) + '\0' +
                                std::to_string(query->max_depth());
        if (!seen.insert(key).second) continue;
        const DepthGlob entry{&glob, query->max_depth()};
        if (glob.final_suffixes().empty()) {
          m_unindexed.push_back(entry);
          continue;
        }
        for (const std::string& suffix : glob.final_suffixes()) m_by_suffix[suffix].push_back(entry);
      }
    }
  }

  bool matches(std::string_view relpath) const {
    for (const auto& [suffix, globs] : m_by_suffix) {
      if (relpath.size() < suffix.size() || relpath.substr(relpath.size() - suffix.size()) != suffix) continue;
      for (const DepthGlob& g : globs)
        if (g.matches(relpath)) return true;
    }
    for (const DepthGlob& g : m_unindexed)
      if (g.matches(relpath)) return true;
    return false;
  }

 private:
  std::vector<std::shared_ptr<const checks::FileQuery>> m_keep_alive;  // owns the globs pointed to
  std::map<std::string, std::vector<DepthGlob>> m_by_suffix;
  std::vector<DepthGlob> m_unindexed;
};

PathPredicate predicate_for(const std::vector<std::shared_ptr<const checks::FileQuery>>& queries) {
  if (queries.empty()) return {};
  auto matcher = std::make_shared<const PathMatcherSet>(queries);
  return [matcher](std::string_view relpath, std::string_view) { return matcher->matches(relpath); };
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
  needs.wants_content = predicate_for(all);
  needs.wants_yaml = predicate_for(yaml);
  return needs;
}

}  // namespace sotcheck::plan
