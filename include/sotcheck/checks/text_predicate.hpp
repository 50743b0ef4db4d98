#pragma once
/// TextPredicate (docs/catalog-format.md 3.1), evaluated on one file's text:
///   {contains: "lit"}                 case-sensitive substring
///   {contains: "lit", ci: true}       substring of the ASCII-lower-cased text; the literal must be lowercase
///   {contains: "lit", word: true}     only where bounded by ASCII non-word characters (docs/reference-compatibility.md#rc-9 strict)
///   {regex: "re", icase: true}        RE2 search; `.` stops at '\n' as in Python's re
///   {all: [p, ...]} {any: [p, ...]} {not: p} {at_least: k, of: [p, ...]}
///   true / false                      constants
/// Case-insensitive literals compare ASCII letters only: Python's str.lower()
/// also maps U+212A (Kelvin sign) to 'k' and U+0130 to "i\u0307"; those two
/// code points are the only divergence, and a documented one.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>

#include "sotcheck/checks/params.hpp"

namespace sotcheck::checks {

/// A compiled TextPredicate (see the file comment). Immutable and thread-safe after parse.
class TextPredicate {
 public:
  /// Parses `node`; reports problems through `params` and returns nullptr if the predicate is unusable.
  static std::shared_ptr<const TextPredicate> parse(Params& params, const ParamNode& node);

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
  std::size_t parse_node(Params& params, const ParamNode& node, bool* ok);
  bool eval(std::size_t index, std::string_view text, const char* atoms_present) const;
  void canonical_of(std::size_t index, std::string* out) const;
  void describe_of(std::size_t index, std::string* out) const;

  std::vector<Node> m_nodes;  // m_nodes[m_root] is the root
  std::vector<int> m_atom_of;  // per node: its index in atoms(), or -1
  std::size_t m_root = 0;
  bool m_uses_regex = false;
};

}  // namespace sotcheck::checks
