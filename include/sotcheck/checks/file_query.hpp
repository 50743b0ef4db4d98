#pragma once
/// FileQuery (docs/catalog-format.md): which entries a rule looks at. Patterns are
/// rglob patterns searched anywhere below the repository root; the results of
/// several patterns are concatenated (G9). Results come in rglob walk order
/// (image_format.hpp), so "first N" samples are deterministic.
///
/// YAML:
///   query:
///     patterns: ["*.py"]                 # one or more
///     entry_kind: any | file | dir       # default any (Python's rglob yields both)
///     exclude_path_contains: [".git"]    # reference: substring of the absolute path; strict: a path component
///     exclude_name_contains: [".template", "example"]
///     exclude_names: ["__pycache__"]
///     sample: all | N                    # first N in walk order; default all
///     matrix_name_regex: RE             # only entries below NN_root/X/NN_shard/ whose root and shard
///                                        # names fully match RE (docs/profiles.md); unset = no test
///     max_depth: N                       # only entries at most N path components below the root
///                                        # (anchors a pattern such as "*/shards/*/chart.yaml" at
///                                        # R/NN_root/... despite rglob's "anywhere below", G1); 0 = any
/// Braces follow the profile: literal in reference (dead globs), expanded in
/// strict. Entries below a directory named in the profile's
/// `query_excluded_dirs` (rules/catalog.yaml; strict: .git, .venv, venv,
/// node_modules, __pycache__) are never returned (docs/profiles.md).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sotcheck/checks/check.hpp"
#include "sotcheck/checks/params.hpp"
#include "sotcheck/util/glob.hpp"

namespace sotcheck::checks {

class FileQuery {
 public:
  /// Parses the query map at `key` of `params`; reports problems there.
  static std::shared_ptr<const FileQuery> parse(Params& params, const std::string& key = "query");
  /// A query of just `patterns` (every other setting its default), compiled for
  /// `params`' profile; problems are reported there.
  static std::shared_ptr<const FileQuery> of_patterns(Params& params, const std::vector<std::string>& patterns);

  struct Matches {
    std::vector<std::uint32_t> found;  ///< every match, walk order, patterns concatenated
    std::size_t sampled = 0;           ///< found[0 .. sampled) is the sample
  };
  Matches run(const snapshot::ImageView& image) const;

  /// The patterns (for content loading), as the user wrote them.
  void patterns(std::vector<std::string>* out) const;
  /// The patterns as a finding names what was looked for: "a/*.yaml or b/*.yml".
  std::string describe() const;
  /// True if this query can match `relpath` (used to decide which files to load).
  bool may_match(std::string_view relpath) const;
  /// The compiled patterns and the depth limit may_match applies (0 = any), so
  /// the planner can merge the queries of all rules into one matcher.
  const std::vector<util::Glob>& globs() const { return m_globs; }
  std::size_t max_depth() const { return m_max_depth; }
  /// The depth test may_match applies: `relpath` is at most `max_depth` components deep (0 = any).
  static bool within_depth(std::string_view relpath, std::size_t max_depth);

  enum class Kind { any, file, dir };

  /// True if the query's filters keep `entry` (depth, entry kind, excluded
  /// directories, exclusions, matrix folders), decided for that entry alone.
  /// run() keeps a pattern's match when this holds; it reaches the same answer
  /// working out the part that depends on the directory once per directory.
  bool accepts(const snapshot::ImageView& image, std::uint32_t entry) const;

 private:
  /// What accepts() decides from the directory an entry is in (its depth, an
  /// excluded directory on its path, the matrix folders), remembered by run()
  /// while it goes through one directory's entries, which rglob order keeps together.
  struct DirectoryVerdict {
    bool known = false;
    std::uint32_t parent = 0;
    bool rejected = false;
    std::string absolute;  // scratch for the reference profile's absolute-path test
    /// matrix_name_regex's answer per root or shard name met (a tree has a few dozen of them).
    std::vector<std::pair<std::string_view, bool>> matrix_names;
  };
  bool accepts(const snapshot::ImageView& image, std::uint32_t entry, DirectoryVerdict* directory) const;
  bool kind_fits(const snapshot::ImageView& image, std::uint32_t entry) const;  // entry_kind, following links
  bool name_excluded(std::string_view name) const;  // exclude_name_contains, exclude_names
  bool directory_rejects(std::string_view dir, std::string_view path, DirectoryVerdict* directory) const;
  bool within_depth(std::string_view relpath) const { return within_depth(relpath, m_max_depth); }
  /// `names`, when given, remembers the regex's answer per name (views into the image being read).
  bool in_matrix_folders(std::string_view path,
                         std::vector<std::pair<std::string_view, bool>>* names = nullptr) const;
  /// Notes (snapshot/access_journal.hpp) the unreadable entries this query
  /// would have looked at: unlisted directories it would search below, links
  /// out of the tree it would match or enter.
  void note_unreadable_in_reach(const snapshot::ImageView& image) const;

  std::vector<util::Glob> m_globs;
  Kind m_kind = Kind::any;
  std::vector<std::string> m_exclude_path_contains, m_exclude_name_contains, m_exclude_names;
  std::vector<std::string> m_excluded_dirs;  // the profile's query_excluded_dirs
  std::shared_ptr<const RE2> m_matrix_name_regex;  // null: no root/shard name test
  bool m_path_exclusion_by_component = false;
  std::string m_root_prefix_for_substring;  // reference: the absolute root path + '/'
  std::size_t m_sample = 0;                 // 0 = all
  std::size_t m_max_depth = 0;              // 0 = any depth
};

}  // namespace sotcheck::checks
