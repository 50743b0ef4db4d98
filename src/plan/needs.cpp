#include "sotcheck/plan/needs.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "sotcheck/checks/file_query.hpp"
#include "sotcheck/checks/text.hpp"

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
/// in a known suffix are only tried on paths with that suffix. Each query can
/// carry a tag, so the set also answers "which queries may match this path".
class PathMatcherSet {
 public:
  explicit PathMatcherSet(const std::vector<std::shared_ptr<const checks::FileQuery>>& queries,
                          const std::vector<std::uint32_t>& tags = {}) {
    std::map<std::string, std::size_t> seen;  // pattern key -> index in m_globs
    for (std::size_t q = 0; q < queries.size(); ++q) {
      const auto& query = queries[q];
      m_keep_alive.push_back(query);
      for (const util::Glob& glob : query->globs()) {
        const std::string key = glob.pattern() + '\0' + std::to_string(static_cast<int>(glob.brace_mode())) + '\0' +
                                std::to_string(query->max_depth());
        const auto [it, fresh] = seen.emplace(key, m_globs.size());
        if (fresh) {
          m_globs.push_back({{&glob, query->max_depth()}, {}});
          if (glob.final_suffixes().empty()) {
            m_unindexed.push_back(it->second);
          } else {
            for (const std::string& suffix : glob.final_suffixes()) m_by_suffix[suffix].push_back(it->second);
          }
        }
        if (q < tags.size()) m_globs[it->second].tags.push_back(tags[q]);
      }
    }
  }

  bool matches(std::string_view relpath) const {
    bool found = false;
    visit(relpath, [&](const TaggedGlob&) {
      found = true;
      return false;
    });
    return found;
  }

  /// Appends the tags of every query that may match `relpath` (unsorted, may repeat).
  void tags_of(std::string_view relpath, std::vector<std::uint32_t>* out) const {
    visit(relpath, [&](const TaggedGlob& g) {
      out->insert(out->end(), g.tags.begin(), g.tags.end());
      return true;
    });
  }

 private:
  struct TaggedGlob {
    DepthGlob glob;
    std::vector<std::uint32_t> tags;  // the queries (by tag) this pattern came from
  };

  /// Calls `on_match` with each pattern matching `relpath` until it returns false.
  template <typename OnMatch>
  void visit(std::string_view relpath, OnMatch on_match) const {
    for (const auto& [suffix, globs] : m_by_suffix) {
      if (relpath.size() < suffix.size() || relpath.substr(relpath.size() - suffix.size()) != suffix) continue;
      for (const std::size_t g : globs)
        if (m_globs[g].glob.matches(relpath) && !on_match(m_globs[g])) return;
    }
    for (const std::size_t g : m_unindexed)
      if (m_globs[g].glob.matches(relpath) && !on_match(m_globs[g])) return;
  }

  std::vector<std::shared_ptr<const checks::FileQuery>> m_keep_alive;  // owns the globs pointed to
  std::vector<TaggedGlob> m_globs;
  std::map<std::string, std::vector<std::size_t>> m_by_suffix;
  std::vector<std::size_t> m_unindexed;
};

/// The fused content scan over the selected checks' probes (snapshot::ContentScanner):
/// probes deduplicated by key (equal predicates of different rules run once per
/// file), and each file gets the probes of every query that may return it.
class ProbeScanner final : public snapshot::ContentScanner {
 public:
  explicit ProbeScanner(std::vector<checks::ContentProbe> probes) {
    std::sort(probes.begin(), probes.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    // One query per distinct FileQuery object, each tagged with its index; the probes it feeds by id.
    std::map<const checks::FileQuery*, std::uint32_t> query_tag;
    std::vector<std::shared_ptr<const checks::FileQuery>> queries;
    for (const auto& probe : probes) {
      if (m_keys.empty() || m_keys.back() != probe.key) {
        m_keys.push_back(probe.key);
        m_evaluate.push_back(probe.evaluate);
      }
      const auto id = static_cast<std::uint32_t>(m_keys.size() - 1);
      const auto [it, fresh] = query_tag.emplace(probe.query.get(), static_cast<std::uint32_t>(queries.size()));
      if (fresh) {
        queries.push_back(probe.query);
        m_probes_of_query.emplace_back();
      }
      m_probes_of_query[it->second].push_back(id);
    }
    std::vector<std::uint32_t> tags(queries.size());
    for (std::size_t t = 0; t < tags.size(); ++t) tags[t] = static_cast<std::uint32_t>(t);
    m_matcher = std::make_unique<PathMatcherSet>(queries, tags);
  }

  const std::vector<std::uint64_t>& probe_keys() const override { return m_keys; }

  void probes_for(std::string_view relpath, std::string_view, std::vector<std::uint32_t>* ids) const override {
    std::vector<std::uint32_t> tags;
    m_matcher->tags_of(relpath, &tags);
    const std::size_t first = ids->size();
    for (const std::uint32_t tag : tags) ids->insert(ids->end(), m_probes_of_query[tag].begin(), m_probes_of_query[tag].end());
    std::sort(ids->begin() + static_cast<std::ptrdiff_t>(first), ids->end());
    ids->erase(std::unique(ids->begin() + static_cast<std::ptrdiff_t>(first), ids->end()), ids->end());
  }

  bool scan(std::string_view bytes, const std::uint32_t* ids, std::size_t count, std::int32_t* values) const override {
    checks::TextFile text;
    const bool well_formed = checks::decode_text_lenient(bytes, &text);
    for (std::size_t i = 0; i < count; ++i) values[i] = m_evaluate[ids[i]](text.text, text.ascii);
    return well_formed;
  }

 private:
  std::vector<std::uint64_t> m_keys;
  std::vector<std::function<std::int32_t(std::string_view, bool)>> m_evaluate;  // by probe id
  std::vector<std::vector<std::uint32_t>> m_probes_of_query;                    // by query tag
  std::unique_ptr<PathMatcherSet> m_matcher;
};

PathPredicate predicate_for(const std::vector<std::shared_ptr<const checks::FileQuery>>& queries) {
  if (queries.empty()) return {};
  auto matcher = std::make_shared<const PathMatcherSet>(queries);
  return [matcher](std::string_view relpath, std::string_view) { return matcher->matches(relpath); };
}

}  // namespace

SnapshotNeeds snapshot_needs(const catalog::Catalog& catalog, const Plan& plan, checks::Profile profile) {
  std::vector<std::shared_ptr<const checks::FileQuery>> content, yaml;
  std::vector<checks::ContentProbe> probes;
  for (std::size_t index : plan.selected) {
    const auto& compiled = catalog.rules[index].for_profile(profile);
    if (!compiled.check) continue;
    compiled.check->content_queries(&content);
    compiled.check->yaml_queries(&yaml);
    compiled.check->content_probes(&probes);
  }
  SnapshotNeeds needs;
  // YAML files are parsed from their bytes, so they are loaded too.
  std::vector<std::shared_ptr<const checks::FileQuery>> all = content;
  all.insert(all.end(), yaml.begin(), yaml.end());
  needs.wants_content = predicate_for(all);
  needs.wants_yaml = predicate_for(yaml);
  if (!probes.empty()) needs.scanner = std::make_shared<const ProbeScanner>(std::move(probes));
  return needs;
}

}  // namespace sotcheck::plan
