#include "sotcheck/plan/path_classifier.hpp"

#include <algorithm>
#include <functional>
#include <unordered_map>

namespace sotcheck::plan {
namespace {

void merge_needs(const snapshot::FileNeeds& from, snapshot::FileNeeds* into) {
  into->yaml = into->yaml || from.yaml;
  into->content = into->content || from.content;
  into->keep = into->keep || from.keep;
}

void sort_unique(std::vector<std::uint32_t>* ids) {
  std::sort(ids->begin(), ids->end());
  ids->erase(std::unique(ids->begin(), ids->end()), ids->end());
}

/// The text after a suffix's last '.', or "/" (which no extension can be) when it has none.
std::string extension_key(const std::string& suffix) {
  const std::size_t dot = suffix.rfind('.');
  return dot == std::string::npos ? "/" : suffix.substr(dot + 1);
}

/// Names are looked up by string_view without building a string.
struct NameHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace

// ---- SuffixIndex -----------------------------------------------------------

void PathClassifier::SuffixIndex::add(const util::Glob& glob, std::size_t pattern) {
  if (glob.final_suffixes().empty()) {
    m_unindexed.push_back(pattern);
    return;
  }
  for (const std::string& suffix : glob.final_suffixes()) {
    auto& bucket = m_by_extension[extension_key(suffix)];
    auto at = std::find_if(bucket.begin(), bucket.end(), [&](const auto& e) { return e.first == suffix; });
    if (at == bucket.end()) at = bucket.insert(bucket.end(), {suffix, {}});
    at->second.push_back(pattern);
  }
}

template <typename Visit>
void PathClassifier::SuffixIndex::for_candidates(std::string_view text, Visit visit) const {
  // A final suffix never holds '/', so a suffix with a '.' can only end a text whose last component has the
  // same extension; suffixes without one (key "/") are tried on every text. A pattern with several final
  // suffixes that `text` ends with is visited once per suffix; the callers' results are idempotent.
  const std::size_t slash = text.rfind('/');
  const std::size_t dot = text.rfind('.');
  const bool has_extension = dot != std::string_view::npos && (slash == std::string_view::npos || dot > slash);
  const auto try_bucket = [&](std::string_view key) {
    const auto bucket = m_by_extension.find(key);
    if (bucket == m_by_extension.end()) return;
    for (const auto& [suffix, patterns] : bucket->second) {
      if (!text.ends_with(suffix)) continue;
      for (const std::size_t p : patterns) visit(p);
    }
  };
  if (has_extension) try_bucket(text.substr(dot + 1));
  try_bucket("/");
  for (const std::size_t p : m_unindexed) visit(p);
}

// ---- PathClassifier --------------------------------------------------------

PathClassifier::PathClassifier(Inputs inputs) : m_inputs(std::move(inputs)) {
  std::map<std::string, std::size_t> index_of;  // (pattern text, brace mode, depth limit) -> pattern
  const auto pattern_for = [&](const util::Glob& glob, std::size_t max_depth) -> Pattern& {
    const std::string key = glob.pattern() + '\0' + std::to_string(static_cast<int>(glob.brace_mode())) + '\0' +
                            std::to_string(max_depth);
    const auto [it, fresh] = index_of.emplace(key, m_patterns.size());
    if (fresh) {
      m_patterns.push_back({&glob, max_depth, {}, {}});
      // rglob reads a pattern without '/' as `**/NAME`: its match depends on the last component alone.
      (glob.name_only() && max_depth == 0 ? m_name_patterns : m_path_patterns).add(glob, it->second);
    }
    return m_patterns[it->second];
  };
  const auto add = [&](const Queries& queries, bool snapshot::FileNeeds::*need) {
    for (const auto& query : queries)
      for (const util::Glob& glob : query->globs()) pattern_for(glob, query->max_depth()).needs.*need = true;
  };
  add(m_inputs.content, &snapshot::FileNeeds::content);
  add(m_inputs.keep, &snapshot::FileNeeds::keep);
  add(m_inputs.yaml, &snapshot::FileNeeds::yaml);
  for (const ProbedQuery& probed : m_inputs.probed) {
    for (const util::Glob& glob : probed.query->globs()) {
      auto& ids = pattern_for(glob, probed.query->max_depth()).probe_ids;
      ids.insert(ids.end(), probed.probe_ids.begin(), probed.probe_ids.end());
    }
  }
  for (Pattern& pattern : m_patterns) sort_unique(&pattern.probe_ids);
}

void PathClassifier::answer_for_name(std::string_view name, Answer* out) const {
  out->needs = {};
  out->probe_ids.clear();
  m_name_patterns.for_candidates(name, [&](std::size_t p) {
    const Pattern& pattern = m_patterns[p];
    // Glob::name_only(): matching the name alone is matching any path that ends with it.
    if (!pattern.glob->matches(name)) return;
    merge_needs(pattern.needs, &out->needs);
    out->probe_ids.insert(out->probe_ids.end(), pattern.probe_ids.begin(), pattern.probe_ids.end());
  });
  sort_unique(&out->probe_ids);
}

template <typename Matches>
void PathClassifier::add_path_matches(std::string_view relpath, snapshot::FileNeeds* needs,
                                      std::vector<std::uint32_t>* probe_ids, Matches matches) const {
  m_path_patterns.for_candidates(relpath, [&](std::size_t p) {
    const Pattern& pattern = m_patterns[p];
    if (!checks::FileQuery::within_depth(relpath, pattern.max_depth) || !matches(p)) return;
    merge_needs(pattern.needs, needs);
    if (probe_ids != nullptr) probe_ids->insert(probe_ids->end(), pattern.probe_ids.begin(), pattern.probe_ids.end());
  });
}

void PathClassifier::append_probe_ids(const std::vector<std::uint32_t>& of_name, std::vector<std::uint32_t>& of_path,
                                      std::vector<std::uint32_t>* out) const {
  if (of_name.empty() && of_path.empty()) return;
  const std::size_t first = out->size();
  out->insert(out->end(), of_name.begin(), of_name.end());
  out->insert(out->end(), of_path.begin(), of_path.end());
  out->insert(out->end(), m_inputs.with_any_probe.begin(), m_inputs.with_any_probe.end());
  std::sort(out->begin() + static_cast<std::ptrdiff_t>(first), out->end());
  out->erase(std::unique(out->begin() + static_cast<std::ptrdiff_t>(first), out->end()), out->end());
}

snapshot::FileNeeds PathClassifier::classify(std::string_view relpath, std::string_view name,
                                             std::vector<std::uint32_t>* probe_ids) const {
  Answer answer;
  answer_for_name(name, &answer);
  std::vector<std::uint32_t> of_path;
  add_path_matches(relpath, &answer.needs, probe_ids != nullptr ? &of_path : nullptr,
                   [&](std::size_t p) { return m_patterns[p].glob->matches(relpath); });
  if (probe_ids != nullptr) append_probe_ids(answer.probe_ids, of_path, probe_ids);
  return answer.needs;
}

/// Remembers answer_for_name per distinct name, and for the path patterns the directory's part of their match
/// (Glob::directory_mask) while the files come from one directory, as the walk's order gives them.
class PathClassifier::MemoSession final : public Session {
 public:
  explicit MemoSession(const PathClassifier& classifier)
      : m_classifier(classifier), m_mask_known(classifier.m_patterns.size(), 0),
        m_masks(classifier.m_patterns.size(), 0) {}

  snapshot::FileNeeds classify(std::string_view relpath, std::string_view name,
                               std::vector<std::uint32_t>* probe_ids) override {
    const Remembered& known = remembered(name);
    snapshot::FileNeeds needs = known.answer.needs;
    m_of_path.clear();
    const std::string_view dir =
        relpath.size() > name.size() ? relpath.substr(0, relpath.size() - name.size() - 1) : std::string_view();
    if (dir != m_dir) {
      m_dir.assign(dir);
      std::fill(m_mask_known.begin(), m_mask_known.end(), 0);
    }
    m_classifier.add_path_matches(relpath, &needs, probe_ids != nullptr ? &m_of_path : nullptr, [&](std::size_t p) {
      const util::Glob& glob = *m_classifier.m_patterns[p].glob;
      if (!glob.splits_at_name()) return glob.matches(relpath);
      if (m_mask_known[p] == 0) {
        m_masks[p] = glob.directory_mask(m_dir);
        m_mask_known[p] = 1;
      }
      return glob.matches_in(m_masks[p], name);
    });
    if (probe_ids == nullptr) return needs;
    if (m_of_path.empty()) {
      probe_ids->insert(probe_ids->end(), known.final_ids.begin(), known.final_ids.end());
    } else {
      m_classifier.append_probe_ids(known.answer.probe_ids, m_of_path, probe_ids);
    }
    return needs;
  }

 private:
  struct Remembered {
    Answer answer;
    std::vector<std::uint32_t> final_ids;  // what a file with no path pattern matching gets: with_any_probe added
  };

  const Remembered& remembered(std::string_view name) {
    if (const auto it = m_by_name.find(name); it != m_by_name.end()) return it->second;
    // A tree of mostly unique names gains nothing from the memo: starting over bounds its memory.
    if (m_by_name.size() >= k_most_remembered_names) m_by_name.clear();
    Remembered fresh;
    m_classifier.answer_for_name(name, &fresh.answer);
    std::vector<std::uint32_t> none;
    m_classifier.append_probe_ids(fresh.answer.probe_ids, none, &fresh.final_ids);
    return m_by_name.emplace(std::string(name), std::move(fresh)).first->second;
  }

  const PathClassifier& m_classifier;
  std::unordered_map<std::string, Remembered, NameHash, std::equal_to<>> m_by_name;
  std::vector<std::uint32_t> m_of_path;  // reused between files
  std::string m_dir;                     // the directory the masks below are of
  std::vector<char> m_mask_known;        // per pattern
  std::vector<std::uint64_t> m_masks;    // per pattern: its directory_mask(m_dir)
};

std::unique_ptr<snapshot::FileClassifier::Session> PathClassifier::session() const {
  return std::make_unique<MemoSession>(*this);
}

}  // namespace sotcheck::plan
