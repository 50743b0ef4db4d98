#pragma once
/// The selected rules' file queries merged into one matcher that answers, in
/// one pass over a file's path, every question the image build asks about it
/// (snapshot::FileClassifier): parse it as YAML? read it? keep its bytes?
/// which content probes run on it?
///
/// Rules repeat the same few patterns hundreds of times, so equal patterns
/// (same text, brace mode and depth limit) are matched once, each carrying
/// what it stands for in every question. Patterns whose matches must end in a
/// known suffix are only tried on paths with that suffix. Most patterns look
/// at the last component alone (`*.py`, `**/*pii*.{py,yaml}`) and a tree
/// repeats a few hundred names over tens of thousands of files, so a session
/// answers those patterns once per distinct name. The others (`a/*/x`,
/// depth-limited ones) are matched per file, their directory's part
/// (util::Glob::directory_mask) once per directory while the files come from
/// one directory, as the walk's order gives them.

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sotcheck/checks/file_query.hpp"
#include "sotcheck/snapshot/image_build.hpp"

namespace sotcheck::plan {

class PathClassifier final : public snapshot::FileClassifier {
 public:
  using Queries = std::vector<std::shared_ptr<const checks::FileQuery>>;
  /// A query whose matches the fused scan runs `probe_ids` on.
  struct ProbedQuery {
    std::shared_ptr<const checks::FileQuery> query;
    std::vector<std::uint32_t> probe_ids;
  };
  struct Inputs {
    Queries content;  ///< files some rule reads as text
    Queries keep;     ///< of those, the files whose bytes the image stores
    Queries yaml;     ///< files parsed as YAML
    std::vector<ProbedQuery> probed;
    /// Probes that apply to every file that gets any probe (the decode-failure ones).
    std::vector<std::uint32_t> with_any_probe;
  };

  /// Most names a session remembers at once (it starts over when full): real
  /// trees repeat a few hundred names; a tree of unique names must not double
  /// the memory the walk takes.
  static constexpr std::size_t k_most_remembered_names = 4096;

  explicit PathClassifier(Inputs inputs);

  /// The answer computed from scratch, with no memo (a session's answers must
  /// equal it); FileNeeds::content is "some content query may match", keep and
  /// yaml likewise for their queries. Thread-safe.
  snapshot::FileNeeds classify(std::string_view relpath, std::string_view name,
                               std::vector<std::uint32_t>* probe_ids) const;

  /// A session remembering, per distinct name, the answer of the patterns
  /// that look at the name alone, and the directory's part of the others.
  std::unique_ptr<Session> session() const override;

 private:
  /// What the patterns matching one name or path stand for.
  struct Answer {
    snapshot::FileNeeds needs;
    std::vector<std::uint32_t> probe_ids;  ///< ascending, no repeats, without with_any_probe
  };

  /// One distinct pattern and everything it stands for.
  struct Pattern {
    const util::Glob* glob = nullptr;
    std::size_t max_depth = 0;  // 0 = any
    snapshot::FileNeeds needs;
    std::vector<std::uint32_t> probe_ids;  // ascending, no repeats
  };

  /// Patterns grouped by the extension of their final suffixes, so a path is
  /// only tried against the patterns that can end it.
  class SuffixIndex {
   public:
    void add(const util::Glob& glob, std::size_t pattern);
    /// Calls visit(pattern) for every pattern whose final suffix `text` ends with (or that has none).
    template <typename Visit>
    void for_candidates(std::string_view text, Visit visit) const;

   private:
    // extension (text after a suffix's last '.', "/" when it has none) -> (suffix, patterns ending in it)
    std::map<std::string, std::vector<std::pair<std::string, std::vector<std::size_t>>>, std::less<>> m_by_extension;
    std::vector<std::size_t> m_unindexed;  // patterns without a final-suffix constraint
  };

  class MemoSession;

  /// The patterns that decide on the name alone, matched against `name`.
  void answer_for_name(std::string_view name, Answer* out) const;
  /// The patterns that need the whole path, matched against `relpath`: their needs are or-ed into `needs`,
  /// their probe ids appended to `probe_ids` (unsorted) unless it is null. `matches(pattern index)` is the
  /// glob test (the session's may remember the directory's part); the depth limit is tested here.
  template <typename Matches>
  void add_path_matches(std::string_view relpath, snapshot::FileNeeds* needs, std::vector<std::uint32_t>* probe_ids,
                        Matches matches) const;
  /// Appends to `out` the probe ids of a file: the name's, the path's extra ones, and with_any_probe when
  /// there are any; ascending, no repeats.
  void append_probe_ids(const std::vector<std::uint32_t>& of_name, std::vector<std::uint32_t>& of_path,
                        std::vector<std::uint32_t>* out) const;

  Inputs m_inputs;  // owns the queries whose globs the patterns point to
  std::vector<Pattern> m_patterns;
  SuffixIndex m_name_patterns;  // name_only() and no depth limit: decided by the last component
  SuffixIndex m_path_patterns;  // the rest
};

}  // namespace sotcheck::plan
