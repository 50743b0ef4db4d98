#pragma once
/// Glob: the path matching of Python 3.11 `Path(R).rglob(P)` as a predicate on
/// R-relative paths (docs/catalog-format.md "Glob semantics (G)", 3.1 FileQuery).
///
/// rglob(P) is glob(`**/P`): the pattern may match at any depth (G1). Per
/// component: `**` alone = zero or more directory levels; `*` any run of
/// characters, `?` one character, `[...]` an fnmatch class (`[!...]` negates,
/// `]` first is literal, `a-z` ranges); everything else literal; case-sensitive;
/// names starting with `.` are ordinary (G2, G5, G7). A trailing `/` restricts
/// matches to directories (G4). Braces are literal in BraceMode::literal (G3,
/// the reference) and alternatives in BraceMode::expand (docs/reference-compatibility.md#rc-1 strict).
///
/// Characters are Unicode code points as Python sees them: names are decoded
/// from UTF-8, each undecodable byte counting as one character
/// (surrogateescape), so `?` matches `é` (two bytes) and one stray 0xff byte.
///
/// Walk-level aspects of rglob (which entries exist, symlinks, order, G6/G8)
/// are the walker's; this class only answers "would rglob yield this path".
/// matches() never allocates and never uses std::regex.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sotcheck/util/result.hpp"

namespace sotcheck::util {

/// How `{`, `}` and `,` are read. literal: ordinary characters, as Python's
/// rglob does (reference profile). expand: `{a,b}` alternatives, nestable.
enum class BraceMode { literal, expand };

class Glob {
 public:
  /// Most alternatives one pattern may expand to in BraceMode::expand.
  static constexpr std::size_t k_max_alternatives = 256;
  /// Deepest brace nesting accepted (keeps the parser's recursion bounded).
  static constexpr std::size_t k_max_brace_depth = 32;
  /// Longest pattern accepted, in bytes; real patterns are under 100. Bounds the
  /// memory brace expansion may use (alternatives x length).
  static constexpr std::size_t k_max_pattern_length = 4096;

  /// Compiles an rglob pattern. Errors: empty or over-long pattern (empty also after dropping `.`
  /// and empty components, as pathlib does), absolute pattern, `..` component,
  /// `**` inside a component (Python 3.11 raises ValueError), unterminated `[`,
  /// a class range Python's re rejects, invalid UTF-8; in expand mode also
  /// unbalanced braces, nesting deeper than k_max_brace_depth, more than
  /// k_max_alternatives alternatives, an empty alternative, and alternatives
  /// that disagree on directories_only(). In expand mode a `[...]` class is
  /// opaque to brace parsing, so `[{]`, `[}]` and `[,]` spell literal braces.
  static Result<Glob> compile(std::string_view pattern, BraceMode mode);

  /// True if rglob(pattern) from R yields the entry at `relpath`: relative to R,
  /// '/'-separated, no leading "./", no empty components, never empty (R itself
  /// is not an entry). Kinds are not checked: see directories_only().
  bool matches(std::string_view relpath) const;

  /// True if only directories may be yielded; the caller filters kinds. Set by
  /// a trailing `/` (G4) and, as in Python 3.11, by a final `**` component
  /// (`a/**` yields `a` and the directories below it, never files). Python
  /// tests "directory" with is_dir(), which follows symlinks.
  bool directories_only() const { return m_directories_only; }

  /// The pattern text as given, for evidence and messages.
  const std::string& pattern() const { return m_pattern; }

  BraceMode brace_mode() const { return m_brace_mode; }

  /// Number of alternatives after brace expansion (1 in literal mode).
  std::size_t alternative_count() const { return m_alternative_count; }

  // ---- Pre-filters: necessary conditions, so a caller can skip entries early.

  /// Every matching path ends with this text (possibly empty = no constraint),
  /// e.g. ".py" for "*.py", "manifest.yaml" for "**/manifest.yaml". Never holds '/'.
  std::string_view required_suffix() const { return m_required_suffix; }

  /// If non-empty, every matching path ends with one of these (sorted, none a
  /// suffix of another): "*.{py,yaml,yml}" in expand mode -> {".py", ".yaml",
  /// ".yml"}. Empty = no constraint. matches() tests it first.
  const std::vector<std::string>& final_suffixes() const { return m_final_suffixes; }

  /// If non-empty, the last component of every matching path is one of these
  /// names (sorted, unique): "**/manifest.yaml" -> {"manifest.yaml"}; in
  /// expand mode "Chart.{yaml,yml}" -> {"Chart.yaml", "Chart.yml"}. Note for
  /// the reference profile: Python looks such names up with exists(), which
  /// follows symlinks, so a dangling symlink of that name is not yielded;
  /// wildcard names are listed with scandir and dangling links are yielded.
  const std::vector<std::string>& exact_names() const { return m_exact_names; }

  /// False if no path whose last component is `name` can match; true does not
  /// promise a match. Lets a caller test names before building paths.
  bool may_match_name(std::string_view name) const;

  /// True if a path matches exactly when its last component does, as for every
  /// pattern without '/' (rglob reads `*.py` as `**/*.py`): a caller may then
  /// test each distinct name once, as matches(name), instead of every path.
  bool name_only() const { return m_name_only; }

  // ---- A match split at the path's last '/', so a caller can work out the
  // directory's part once for all the entries of one directory.

  /// Most alternatives (after merging) a split match covers.
  static constexpr std::size_t k_max_split_alternatives = 64;

  /// True if directory_mask() and matches_in() may be used: every alternative
  /// ends with a name component (not `**`), and there are at most
  /// k_max_split_alternatives of them.
  bool splits_at_name() const { return m_splits_at_name; }

  /// Which alternatives accept `dir` as the directory of a match (bit i: the
  /// i-th): `dir` is a path without its last component, "" for an entry at the
  /// root. Requires splits_at_name().
  std::uint64_t directory_mask(std::string_view dir) const;

  /// Given directory_mask(dir), the answer of matches(dir + "/" + name), or of
  /// matches(name) when dir is "". `name` is an entry's name: not empty, no
  /// '/' (false for an empty one). Never allocates.
  bool matches_in(std::uint64_t directory_mask, std::string_view name) const;

 private:
  /// One `[...]` class over code points, already reduced to what Python's re
  /// makes of fnmatch.translate's output.
  struct CharClass {
    bool negated = false;
    std::uint64_t ascii[2] = {0, 0};                         // members below U+0080
    std::vector<std::pair<char32_t, char32_t>> wide_ranges;  // members from U+0080, inclusive
    bool contains(char32_t cp) const;
  };

  /// One step of a general component pattern.
  struct Token {
    enum class Kind : std::uint8_t { literal, star, one, char_class };
    Kind kind;
    std::uint32_t offset = 0;  // literal: into NameMatcher::text; char_class: into NameMatcher::classes
    std::uint32_t length = 0;  // literal: byte count
  };

  /// Matches one path component (a name, never containing '/').
  struct NameMatcher {
    /// any: `*`. literal: exact bytes. star_literals: head*mid*...*tail with only
    /// literals and stars (covers `*.py`, `*word*`, `RFC*.md`). general: tokens.
    enum class Kind : std::uint8_t { any, literal, star_literals, general };
    Kind kind = Kind::literal;
    std::string source;                 // the component text; identity for merging alternatives
    std::string head;                   // literal: the name; star_literals: anchored prefix
    std::string tail;                   // star_literals: anchored suffix
    std::vector<std::string> mids;      // star_literals: found left to right between head and tail
    std::size_t min_length = 0;         // star_literals: head + mids + tail bytes
    std::uint32_t next_tail_group = 0;  // star_literals: next alternative in the Component with another tail
    std::string text;                   // general: literal bytes referenced by tokens
    std::vector<Token> tokens;          // general
    std::vector<CharClass> classes;     // general
    bool matches(std::string_view name) const;
    bool matches_general(std::string_view name) const;
    std::string_view literal_suffix() const;
  };

  /// A pattern component: `**`, or a name matched by any of its alternatives
  /// (alternatives come from merging brace expansions that differ only here).
  struct Component {
    bool recursive = false;
    std::vector<NameMatcher> alternatives;
    bool matches(std::string_view name) const;
  };
  using Segment = std::vector<Component>;

  /// One brace alternative: `** S0 ** S1 ... ** Sk [**]` with the leading `**`
  /// implied by rglob. Segments hold no recursive components.
  struct Program {
    std::vector<Component> components;  // as written, `**` included (used while merging)
    std::vector<Segment> segments;
    bool tail_anchored = false;  // last component is not `**`: segments.back() ends the path
    bool matches(std::string_view path) const;
    /// The rest of matches() once the last `tail_done` components of the
    /// anchored tail matched: path[0, end) holds what comes before them
    /// (`prefix_left`: at least one component).
    bool matches_before(std::string_view path, std::size_t end, bool prefix_left, std::size_t tail_done) const;
  };

  struct Compiler;  // compile-time helpers, defined in glob.cpp

  Glob() = default;  // only compile() makes one

  std::string m_pattern;
  BraceMode m_brace_mode = BraceMode::literal;
  bool m_directories_only = false;
  std::size_t m_alternative_count = 1;
  std::vector<Program> m_programs;
  std::string m_required_suffix;
  std::vector<std::string> m_final_suffixes;
  std::vector<std::string> m_exact_names;
  bool m_name_only = false;
  bool m_splits_at_name = false;
};

}  // namespace sotcheck::util
