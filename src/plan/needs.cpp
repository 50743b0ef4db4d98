#include "sotcheck/plan/needs.hpp"

#include <algorithm>
#include <climits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sotcheck/checks/file_query.hpp"
#include "sotcheck/checks/literal_set.hpp"
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
            for (const std::string& suffix : glob.final_suffixes()) {
              auto& bucket = m_by_extension[extension_key(suffix)];
              auto at = std::find_if(bucket.begin(), bucket.end(), [&](const auto& e) { return e.first == suffix; });
              if (at == bucket.end()) at = bucket.insert(bucket.end(), {suffix, {}});
              at->second.push_back(it->second);
            }
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
    // A final suffix never holds '/', so a suffix with a '.' can only end a path whose last component has the
    // same extension; suffixes without one (key "/") are tried on every path.
    const std::size_t slash = relpath.rfind('/');
    const std::size_t dot = relpath.rfind('.');
    const bool has_extension = dot != std::string_view::npos && (slash == std::string_view::npos || dot > slash);
    for (const std::string_view key : {has_extension ? relpath.substr(dot + 1) : std::string_view("/"),
                                       std::string_view("/")}) {
      const auto bucket = m_by_extension.find(key);
      if (bucket != m_by_extension.end()) {
        for (const auto& [suffix, globs] : bucket->second) {
          if (relpath.size() < suffix.size() || relpath.substr(relpath.size() - suffix.size()) != suffix) continue;
          for (const std::size_t g : globs)
            if (m_globs[g].glob.matches(relpath) && !on_match(m_globs[g])) return;
        }
      }
      if (key == "/") break;  // the extension-less bucket is visited once
    }
    for (const std::size_t g : m_unindexed)
      if (m_globs[g].glob.matches(relpath) && !on_match(m_globs[g])) return;
  }

  /// The text after a suffix's last '.', or "/" (which no extension can be) when it has none.
  static std::string extension_key(const std::string& suffix) {
    const std::size_t dot = suffix.rfind('.');
    return dot == std::string::npos ? "/" : suffix.substr(dot + 1);
  }

  std::vector<std::shared_ptr<const checks::FileQuery>> m_keep_alive;  // owns the globs pointed to
  std::vector<TaggedGlob> m_globs;
  // Final suffixes grouped by extension_key(): (suffix, patterns ending in it).
  std::map<std::string, std::vector<std::pair<std::string, std::vector<std::size_t>>>, std::less<>> m_by_extension;
  std::vector<std::size_t> m_unindexed;
};

/// The fused content scan over the selected checks' probes (snapshot::ContentScanner):
/// probes deduplicated by key (equal predicates of different rules run once per
/// file), and each file gets the probes of every query that may return it.
class ProbeScanner final : public snapshot::ContentScanner {
 public:
  explicit ProbeScanner(std::vector<checks::ContentProbe> probes) {
    // Two built-in probes record why a file is not UTF-8, for strict reads of files whose bytes are not kept.
    const auto [position_key, detail_key] = checks::decode_failure_probe_keys();
    probes.push_back({nullptr, position_key, {}, {}});
    probes.push_back({nullptr, detail_key, {}, {}});
    std::sort(probes.begin(), probes.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
    // One query per distinct FileQuery object, each tagged with its index; the probes it feeds by id.
    std::map<const checks::FileQuery*, std::uint32_t> query_tag;
    std::vector<std::shared_ptr<const checks::FileQuery>> queries;
    for (const auto& probe : probes) {
      if (m_keys.empty() || m_keys.back() != probe.key) {
        m_keys.push_back(probe.key);
        m_evaluate.push_back(probe.evaluate);
        m_atoms_of.push_back(probe.atoms);
      }
      const auto id = static_cast<std::uint32_t>(m_keys.size() - 1);
      if (probe.key == position_key) m_position_id = id;
      if (probe.key == detail_key) m_detail_id = id;
      if (!probe.query) continue;
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
    if (ids->size() == first) return;
    ids->insert(ids->end(), {m_position_id, m_detail_id});
    std::sort(ids->begin() + static_cast<std::ptrdiff_t>(first), ids->end());
    ids->erase(std::unique(ids->begin() + static_cast<std::ptrdiff_t>(first), ids->end()), ids->end());
  }

  bool scan(std::string_view bytes, const std::uint32_t* ids, std::size_t count, std::int32_t* values) const override {
    checks::TextFile text;
    const bool well_formed = checks::decode_text_lenient(bytes, &text);
    const auto [failure_position, failure_detail] =
        well_formed ? std::pair<std::int32_t, std::int32_t>{-1, -1} : checks::decode_failure_probe_values(bytes);
    // The one pass over the text: every literal and regex atom of the probes that apply to this file.
    const ScanGroup& group = group_for(ids, count);
    std::vector<char> present;
    group.literals.scan(text.text, &present);
    std::vector<char> local;
    for (std::size_t i = 0; i < count; ++i) {
      const std::uint32_t id = ids[i];
      if (id == m_position_id) {
        values[i] = failure_position;
      } else if (id == m_detail_id) {
        values[i] = failure_detail;
      } else {
        local.clear();
        for (const std::uint32_t atom : group.atoms_of[i]) local.push_back(present[atom]);
        values[i] = m_evaluate[id](checks::ProbeText{text.text, text.ascii, local.data()});
      }
    }
    return well_formed;
  }

 private:
  std::vector<std::uint64_t> m_keys;
  /// The literals of one combination of probes (files of a kind share one: every *.py file under the same
  /// rules), built on first use.
  struct ScanGroup {
    checks::LiteralSet literals;
    std::vector<std::vector<std::uint32_t>> atoms_of;  // parallel to the combination's ids: ids in `literals`
  };

  const ScanGroup& group_for(const std::uint32_t* ids, std::size_t count) const {
    std::vector<std::uint32_t> key(ids, ids + count);
    const std::lock_guard<std::mutex> lock(m_groups_mutex);
    auto& slot = m_groups[std::move(key)];
    if (!slot) {
      auto group = std::make_unique<ScanGroup>();
      for (std::size_t i = 0; i < count; ++i) {
        auto& atoms = group->atoms_of.emplace_back();
        for (const std::string& atom : m_atoms_of[ids[i]]) atoms.push_back(group->literals.add(atom));
      }
      slot = std::move(group);
    }
    return *slot;
  }

  std::vector<std::function<std::int32_t(const checks::ProbeText&)>> m_evaluate;  // by probe id
  std::vector<std::vector<std::string>> m_atoms_of;                                 // by probe id
  mutable std::mutex m_groups_mutex;
  mutable std::map<std::vector<std::uint32_t>, std::unique_ptr<const ScanGroup>> m_groups;
  std::vector<std::vector<std::uint32_t>> m_probes_of_query;                    // by query tag
  std::unique_ptr<PathMatcherSet> m_matcher;
  std::uint32_t m_position_id = 0, m_detail_id = 0;  // the built-in decode-failure probes
};

PathPredicate predicate_for(const std::vector<std::shared_ptr<const checks::FileQuery>>& queries) {
  if (queries.empty()) return {};
  auto matcher = std::make_shared<const PathMatcherSet>(queries);
  return [matcher](std::string_view relpath, std::string_view) { return matcher->matches(relpath); };
}

}  // namespace

SnapshotNeeds snapshot_needs(const catalog::Catalog& catalog, const Plan& plan, checks::Profile profile,
                             bool fused_scan) {
  std::vector<std::shared_ptr<const checks::FileQuery>> content, unprobed, yaml;
  std::vector<checks::ContentProbe> probes;
  for (std::size_t index : plan.selected) {
    const auto& compiled = catalog.rules[index].for_profile(profile);
    if (!compiled.check) continue;
    compiled.check->content_queries(&content);
    compiled.check->unprobed_content_queries(&unprobed);
    compiled.check->yaml_queries(&yaml);
    compiled.check->content_probes(&probes);
  }
  SnapshotNeeds needs;
  // YAML files are read (and parsed) by the image builder whether or not their bytes are kept.
  needs.wants_content = predicate_for(content);
  needs.wants_yaml = predicate_for(yaml);
  if (fused_scan && !probes.empty()) {
    needs.scanner = std::make_shared<const ProbeScanner>(std::move(probes));
    needs.keep_content = unprobed.empty() ? PathPredicate([](std::string_view, std::string_view) { return false; })
                                          : predicate_for(unprobed);
  }
  return needs;
}

}  // namespace sotcheck::plan
