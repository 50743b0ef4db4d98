#pragma once
/// Message templates and evidence expressions: how a rule turns a check's
/// named outputs into the reference validator's exact message and ordered
/// evidence map, without rule-specific code.
///
/// Template:   "Root folder count: {count} (required: 24)"   {name} inserts an output,
///             {name?A:B} inserts A if the boolean output is true else B, {{ and }} are braces.
/// Evidence:   an ordered list of one-key maps `- key: EXPR` where EXPR is
///               a number, bool, null or list          -> that literal
///               {literal: "text"}                     -> that string
///               "name"                                 -> the output `name`
///               "first(20, name)"                      -> its first 20 elements
///               "count(name)"                          -> its length
///               "passed ? [] : name"                   -> [] when the rule passes, else the output

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "sotcheck/util/result.hpp"

namespace sotcheck::checks {

/// Python's str() of a JSON value: strings raw, booleans True/False, null
/// None, numbers, lists and maps as Python's repr.
std::string python_str(const nlohmann::ordered_json& value);
/// Python's repr(): like python_str but strings are quoted and escaped; str
/// and float reprs are pyyaml's (pyyaml/python_repr.hpp), the one definition.
std::string python_repr(const nlohmann::ordered_json& value);

class MessageTemplate {
 public:
  static util::Result<MessageTemplate> parse(const std::string& text);
  /// Renders with `values` (an object of outputs) and `passed` available as
  /// the boolean output "passed". Unknown names were rejected at parse time
  /// only if the check declared its outputs; otherwise they render as "".
  std::string render(const nlohmann::ordered_json& values, bool passed) const;
  /// Output names the template refers to.
  std::vector<std::string> names() const;
  const std::string& text() const { return m_text; }

 private:
  struct Piece {
    std::string literal;  ///< used when name is empty
    std::string name;
    std::optional<std::string> if_true, if_false;
  };
  std::string m_text;
  std::vector<Piece> m_pieces;
};

struct EvidenceItem {
  enum class Kind { literal, output, first, count, empty_when_passed };
  std::string key;
  Kind kind = Kind::literal;
  std::string name;  ///< output name for the non-literal kinds
  long long k = 0;   ///< for first(k, name)
  nlohmann::ordered_json literal;

  /// Parses an expression string (see file comment).
  static util::Result<EvidenceItem> parse_expression(std::string key, const std::string& expression);
  nlohmann::ordered_json evaluate(const nlohmann::ordered_json& values, bool passed) const;
};

}  // namespace sotcheck::checks
