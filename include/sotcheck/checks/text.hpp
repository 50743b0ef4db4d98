#pragma once
/// Reading repository files as text and testing that text (docs/catalog-format.md T,
/// 3.1 TextRead / TextPredicate), shared by the content primitives
/// (`content_match`, `content_regex_absent`, `path_exists` with a literal).
///
/// TextRead (YAML `read:`):
///   encoding:   utf8 | locale      # locale = the process' locale, UTF-8 on Linux (T2/T3)
///   errors:     ignore | strict    # ignore drops undecodable bytes (T1/T2); strict fails the read (T3/T4)
///   on_failure: skip | abort | report
///     skip   the file is silently left out (the reference's guarded reads)
///     abort  the evaluation throws, so the rule becomes an ERROR verdict (the
///            reference's unguarded reads, which kill its whole run, docs/reference-compatibility.md#rc-14)
///     report the file is listed in evidence `errors: [{file, error}]` and counts
///            as a violation / as not satisfying (strict, docs/reference-compatibility.md#rc-13)
/// A file fails to read when it is not a regular file (after following a
/// symlink), when its bytes were not loaded (over --max-file-size, read error),
/// or, with `errors: strict`, when it is not valid UTF-8. Text is decoded as
/// Python's read_text() does, including universal newlines (\r\n and \r -> \n).
///
/// TextPredicate (YAML), evaluated on one file's text:
///   {contains: "lit"}                 case-sensitive substring
///   {contains: "lit", ci: true}       substring of the ASCII-lower-cased text; the literal must be lowercase
///   {contains: "lit", word: true}     only where bounded by ASCII non-word characters (docs/reference-compatibility.md#rc-9 strict)
///   {regex: "re", icase: true}        RE2 search; `.` stops at '\n' as in Python's re
///   {all: [p, ...]} {any: [p, ...]} {not: p} {at_least: k, of: [p, ...]}
///   true / false                      constants
/// Case-insensitive literals compare ASCII letters only: Python's str.lower()
/// also maps U+212A (Kelvin sign) to 'k' and U+0130 to "i\u0307"; those two
/// code points are the only divergence, and a documented one.

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <re2/re2.h>

#include "sotcheck/checks/params.hpp"
#include "sotcheck/snapshot/image_view.hpp"

namespace sotcheck::checks {

/// How a rule reads text (docs/catalog-format.md TextRead).
struct TextRead {
  enum class Encoding { utf8, locale };
  enum class Errors { ignore, strict };
  enum class OnFailure { skip, abort, report };
  Encoding encoding = Encoding::utf8;
  Errors errors = Errors::ignore;
  OnFailure on_failure = OnFailure::skip;

  /// Parses the map at `key` (absent: utf8 / ignore / skip); reports problems through `params`.
  static TextRead parse(Params& params, const std::string& key = "read");
};

/// One file's decoded text, or why it could not be read.
struct TextFile {
  bool ok = false;
  std::string_view text;  ///< points into the image or into `storage`; valid while both live
  std::string storage;    ///< holds the text when decoding changed the bytes
  std::string error;      ///< when !ok: the reason, worded like Python's OSError/UnicodeDecodeError
  bool ascii = false;     ///< when ok: every byte of `text` is ASCII (lets scanners skip Unicode special cases)
};

/// Reads `entry` of `image` as text under `read` (encoding, errors; on_failure is the caller's business).
/// Never throws. The result must not be moved from while `text` is used (it may point into `storage`).
void read_text(const snapshot::ImageView& image, std::uint32_t entry, const TextRead& read, TextFile* out);

/// Decodes raw file bytes the way TextRead errors=ignore reads them (bad UTF-8 dropped, universal newlines)
/// into `out` (always ok); returns false if the bytes were not well-formed UTF-8. The fused content scan's reader.
bool decode_text_lenient(std::string_view bytes, TextFile* out);

/// True if the fused content scan's values stand for `entry`'s text as `read` reads it: the scan ran on the
/// file, and either the file is well-formed UTF-8 or `read` drops bad bytes (a strict read of a bad file fails,
/// and read_text words the error).
bool scanned_text_usable(const snapshot::ImageView& image, std::uint32_t entry, const TextRead& read);

/// Where and why bytes stop being UTF-8, which is all Python's UnicodeDecodeError text needs. The fused scan
/// stores it as two probe values (decode_failure_probe_keys) for files whose bytes the image does not keep, so
/// a strict read of such a file still fails with the reference's words.
struct DecodeFailure {
  enum Reason : std::int32_t { invalid_start = 0, invalid_continuation = 1, unexpected_end = 2 };
  std::uint64_t position = 0;
  unsigned char byte = 0;
  Reason reason = invalid_start;
};
std::optional<DecodeFailure> first_decode_failure(std::string_view bytes);
/// "'utf-8' codec can't decode byte 0x.. in position N: reason" (without the file name).
std::string decode_failure_text(const DecodeFailure& failure);
/// The keys of the two probe values that hold a DecodeFailure: position, and byte | reason << 8 (-1: none).
std::pair<std::uint64_t, std::uint64_t> decode_failure_probe_keys();

/// Offset of the first byte of `bytes` that is not part of a well-formed UTF-8 sequence, if any.
std::optional<std::size_t> first_invalid_utf8(std::string_view bytes);

/// Python's bytes.decode("utf-8", errors="ignore"): keeps exactly the well-formed sequences.
std::string utf8_drop_invalid(std::string_view bytes);

/// Position of the first occurrence of `needle_lower` (lowercase ASCII) in `hay` at or after `from`, comparing
/// ASCII letters case-insensitively; npos if none. An empty needle matches at `from`.
std::size_t find_ascii_ci(std::string_view hay, std::string_view needle_lower, std::size_t from = 0);

/// True if `text` contains `literal` (see TextPredicate `contains`): `ci` compares ASCII letters
/// case-insensitively (literal lowercase), `word` requires ASCII non-word characters (or the text's ends) on
/// both sides of the occurrence.
bool contains_literal(std::string_view text, std::string_view literal, bool ci, bool word);

/// A compiled TextPredicate (see the file comment). Immutable and thread-safe after parse.
class TextPredicate {
 public:
  /// Parses `node`; reports problems through `params` and returns nullptr if the predicate is unusable.
  static std::shared_ptr<const TextPredicate> parse(Params& params, const YAML::Node& node);

  /// Evaluates on one text. Leaves are tested lazily (an `all` stops at its first false child). With
  /// `atoms_present` (one flag per atoms() entry, from a LiteralSet scan of the same text) an absent literal
  /// is false without a search, and a present case-insensitive one without word bounds is true.
  bool evaluate(std::string_view text, const char* atoms_present = nullptr) const;
  /// The lowercase forms of the predicate's ASCII literals, in node order (the fused scan's atoms).
  std::vector<std::string> atoms() const;
  /// True (and *value set) if the predicate never looks at text.
  bool constant(bool* value) const;
  /// True if some leaf is a regex (the text then needs Python's universal newlines to be exact).
  bool uses_regex() const { return m_uses_regex; }
  /// A text that two predicates share exactly when they test the same thing (the fused scan's probe name).
  std::string canonical() const;
  /// The predicate in words, for findings: `contains "apiVersion"`, `matches /v[0-9]+/`,
  /// `all of (contains "a", not (contains "b"))`.
  std::string describe() const;

 private:
  struct Node {
    enum class Kind : std::uint8_t { constant, literal, regex, all, any, negate, at_least };
    Kind kind = Kind::constant;
    bool value = false;                 // constant
    bool ci = false, word = false;      // literal
    std::string literal;                // literal
    std::shared_ptr<const RE2> regex;   // regex
    long long k = 0;                    // at_least
    std::vector<std::size_t> children;  // all/any/negate/at_least: indices into m_nodes
  };
  std::size_t parse_node(Params& params, const YAML::Node& node, bool* ok);
  bool eval(std::size_t index, std::string_view text, const char* atoms_present) const;
  void canonical_of(std::size_t index, std::string* out) const;
  void describe_of(std::size_t index, std::string* out) const;

  std::vector<Node> m_nodes;  // m_nodes[m_root] is the root
  std::vector<int> m_atom_of;  // per node: its index in atoms(), or -1
  std::size_t m_root = 0;
  bool m_uses_regex = false;
};

/// A threshold ratio such as 0.7 held as an exact fraction, so `c / n >= 0.7` is tested as `10 c >= 7 n`
/// (docs/reference-compatibility.md#rc-23: identical to Python's float test at every size that occurs).
struct Ratio {
  long long numerator = 0;
  long long denominator = 1;
  /// Parses a non-negative decimal ("0.7", "1", "0.45"); nullopt if it is not one.
  static std::optional<Ratio> parse(std::string_view text);
  /// value / total >= this ratio, for total > 0.
  bool reached(std::size_t value, std::size_t total) const;
  /// The ratio as people read it in a finding: "70 %", "100 %", "45.5 %".
  std::string percent_text() const;
};

/// How per-file outcomes become `passed` (docs/catalog-format.md Quantifier). YAML:
///   any | all | none | {count_ge: k} | {count_ge: k, empty: pass}
///   {ratio_ge: {x: 0.7, denominator: found|sampled, empty: pass|fail}}
struct Quantifier {
  enum class Kind { any, all, none, count_ge, ratio_ge };
  Kind kind = Kind::any;
  long long k = 1;                   ///< count_ge
  Ratio ratio;                       ///< ratio_ge
  bool denominator_found = true;     ///< ratio_ge: |F| (true) or the files evaluated (false)
  std::optional<bool> empty_passes;  ///< when nothing was found: pass/fail; unset = the plain rule applies

  static Quantifier parse(Params& params, const std::string& key = "quantifier");
  /// `matched` files satisfied the predicate and `violating` did not (read failures in report mode
  /// included), out of `sampled` evaluated and `found` matched by the query.
  bool passed(std::size_t found, std::size_t sampled, std::size_t matched, std::size_t violating) const;
  /// What the quantifier asks of the files, for a finding's message: "every file", "no file",
  /// "at least 2 files", "at least 70 % of the files", "at least one file".
  std::string requirement() const;
  /// True when the files that satisfy the predicate are the offending ones (`none`).
  bool matches_offend() const { return kind == Kind::none; }
};

/// `constants: {name: value, ...}` of a check's parameters: fixed outputs that a rule's evidence can name
/// (e.g. CE007's `forbidden_extensions` list). Scalars become integers or booleans when YAML reads them so
/// (unquoted), else strings; lists are converted element by element.
nlohmann::ordered_json parse_constants(Params& params);
/// Copies `constants` into a check's outputs.
void add_constants(const nlohmann::ordered_json& constants, nlohmann::ordered_json& values);

}  // namespace sotcheck::checks
