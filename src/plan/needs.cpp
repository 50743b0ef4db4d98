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
#include "sotcheck/plan/path_classifier.hpp"

namespace sotcheck::plan {
namespace {

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
    std::map<const checks::FileQuery*, std::size_t> query_tag;
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
      const auto [it, fresh] = query_tag.emplace(probe.query.get(), m_probed.size());
      if (fresh) m_probed.push_back({probe.query, {}});
      m_probed[it->second].probe_ids.push_back(id);
    }
  }

  /// Each query that feeds probes, with the ids of the probes it feeds.
  const std::vector<PathClassifier::ProbedQuery>& probed_queries() const { return m_probed; }
  /// The built-in decode-failure probes, which apply to every file that gets any probe.
  std::vector<std::uint32_t> decode_failure_ids() const { return {m_position_id, m_detail_id}; }
  /// The matcher probes_for asks: the run's one classifier, made from probed_queries().
  void answer_paths_with(std::shared_ptr<const PathClassifier> classifier) { m_classifier = std::move(classifier); }

  const std::vector<std::uint64_t>& probe_keys() const override { return m_keys; }

  void probes_for(std::string_view relpath, std::string_view name, std::vector<std::uint32_t>* ids) const override {
    m_classifier->classify(relpath, name, ids);
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
  std::vector<PathClassifier::ProbedQuery> m_probed;  // one per distinct FileQuery object
  std::shared_ptr<const PathClassifier> m_classifier;
  std::uint32_t m_position_id = 0, m_detail_id = 0;  // the built-in decode-failure probes
};

/// One question of the classifier as a predicate; empty when no query asks it (BuildOptions: ask none).
PathPredicate predicate_for(const std::vector<std::shared_ptr<const checks::FileQuery>>& queries,
                            const std::shared_ptr<const PathClassifier>& classifier,
                            bool snapshot::FileNeeds::*need) {
  if (queries.empty()) return {};
  return [classifier, need](std::string_view relpath, std::string_view name) {
    return classifier->classify(relpath, name, nullptr).*need;
  };
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
  PathClassifier::Inputs inputs;
  std::shared_ptr<ProbeScanner> scanner;
  if (fused_scan && !probes.empty()) {
    scanner = std::make_shared<ProbeScanner>(std::move(probes));
    inputs.keep = unprobed;
    inputs.probed = scanner->probed_queries();
    inputs.with_any_probe = scanner->decode_failure_ids();
  }
  inputs.content = content;
  inputs.yaml = yaml;
  auto classifier = std::make_shared<const PathClassifier>(std::move(inputs));
  // YAML files are read (and parsed) by the image builder whether or not their bytes are kept.
  needs.wants_content = predicate_for(content, classifier, &snapshot::FileNeeds::content);
  needs.wants_yaml = predicate_for(yaml, classifier, &snapshot::FileNeeds::yaml);
  if (scanner) {
    scanner->answer_paths_with(classifier);
    needs.scanner = std::move(scanner);
    needs.keep_content = unprobed.empty() ? PathPredicate([](std::string_view, std::string_view) { return false; })
                                          : predicate_for(unprobed, classifier, &snapshot::FileNeeds::keep);
  }
  needs.classifier = std::move(classifier);
  return needs;
}

}  // namespace sotcheck::plan
