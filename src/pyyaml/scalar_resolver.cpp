#include "sotcheck/pyyaml/scalar_resolver.hpp"

#include <algorithm>
#include <cctype>
#include <iterator>

#include "ascii_text.hpp"
#include "sotcheck/pyyaml/timestamp.hpp"

namespace sotcheck::pyyaml {
namespace {

using detail::is_digit;

bool is_bool_word(std::string_view s) {
  static constexpr std::string_view k_words[] = {"yes",   "Yes",   "YES",   "no", "No", "NO", "true", "True", "TRUE",
                                                 "false", "False", "FALSE", "on", "On", "ON", "off",  "Off",  "OFF"};
  return std::find(std::begin(k_words), std::end(k_words), s) != std::end(k_words);
}

/// `(?::[0-5]?[0-9])+` from position i; leaves i after the last group.
bool match_sexagesimal_groups(std::string_view s, std::size_t& i) {
  bool any = false;
  while (i < s.size() && s[i] == ':') {
    ++i;
    std::size_t run = 0;
    while (i + run < s.size() && is_digit(s[i + run])) ++run;
    // The next character after a group is ':', '.', or the end, never a digit, so the optional [0-5] is
    // decided by the run length alone.
    if (run == 1 || (run == 2 && s[i] <= '5')) {
      i += run;
      any = true;
    } else {
      return false;
    }
  }
  return any;
}

/// `(?:[eE][-+][0-9]+)?$` from position i.
bool match_exponent_then_end(std::string_view s, std::size_t i) {
  if (i == s.size()) return true;
  if (s[i] != 'e' && s[i] != 'E') return false;
  ++i;
  if (i >= s.size() || (s[i] != '-' && s[i] != '+')) return false;
  ++i;
  if (i >= s.size()) return false;
  while (i < s.size() && is_digit(s[i])) ++i;
  return i == s.size();
}

bool is_digit_or_underscore(char c) {
  return is_digit(c) || c == '_';
}

bool is_yaml11_float(std::string_view s) {
  const bool signed_ = !s.empty() && (s[0] == '-' || s[0] == '+');
  const std::string_view rest = s.substr(signed_ ? 1 : 0);
  if (rest == ".inf" || rest == ".Inf" || rest == ".INF") return true;
  if (!signed_ && (rest == ".nan" || rest == ".NaN" || rest == ".NAN")) return true;
  if (rest.empty()) return false;
  std::size_t i = 0;
  if (rest[0] == '.') {  // \.[0-9][0-9_]*(?:[eE][-+][0-9]+)?  -- unsigned only
    if (signed_ || rest.size() < 2 || !is_digit(rest[1])) return false;
    i = 2;
    while (i < rest.size() && is_digit_or_underscore(rest[i])) ++i;
    return match_exponent_then_end(rest, i);
  }
  if (!is_digit(rest[0])) return false;
  i = 1;
  while (i < rest.size() && is_digit_or_underscore(rest[i])) ++i;
  if (i < rest.size() && rest[i] == '.') {  // [0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?
    ++i;
    while (i < rest.size() && is_digit_or_underscore(rest[i])) ++i;
    return match_exponent_then_end(rest, i);
  }
  if (i < rest.size() && rest[i] == ':') {  // [0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
    if (!match_sexagesimal_groups(rest, i) || i >= rest.size() || rest[i] != '.') return false;
    ++i;
    while (i < rest.size() && is_digit_or_underscore(rest[i])) ++i;
    return i == rest.size();
  }
  return false;
}

bool is_yaml11_int(std::string_view s) {
  const bool signed_ = !s.empty() && (s[0] == '-' || s[0] == '+');
  const std::string_view rest = s.substr(signed_ ? 1 : 0);
  if (rest.empty()) return false;
  const auto all_of_from = [&](std::size_t from, auto pred) {
    return from < rest.size() && std::all_of(rest.begin() + static_cast<std::ptrdiff_t>(from), rest.end(), pred);
  };
  if (rest.starts_with("0b")) return all_of_from(2, [](char c) { return c == '0' || c == '1' || c == '_'; });
  if (rest.starts_with("0x"))
    return all_of_from(2, [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == '_'; });
  if (rest[0] == '0')
    return rest.size() == 1 || all_of_from(1, [](char c) { return (c >= '0' && c <= '7') || c == '_'; });
  if (rest[0] < '1' || rest[0] > '9') return false;
  std::size_t i = 1;
  while (i < rest.size() && is_digit_or_underscore(rest[i])) ++i;
  if (i == rest.size()) return true;
  return rest[i] == ':' && match_sexagesimal_groups(rest, i) && i == rest.size();
}

}  // namespace

Implicit resolve_implicit(std::string_view value) {
  if (value.empty()) return Implicit::null;
  const std::string_view s = detail::without_final_newline(value);
  switch (value[0]) {
    case 'y':
    case 'Y':
    case 't':
    case 'T':
    case 'f':
    case 'F':
    case 'o':
    case 'O':
      return is_bool_word(s) ? Implicit::boolean : Implicit::string;
    case 'n':
    case 'N':
      if (is_bool_word(s)) return Implicit::boolean;
      return s == "null" || s == "Null" || s == "NULL" ? Implicit::null : Implicit::string;
    case '~':
      return s == "~" ? Implicit::null : Implicit::string;
    case '.':
      return is_yaml11_float(s) ? Implicit::floating : Implicit::string;
    case '-':
    case '+':
      if (is_yaml11_float(s)) return Implicit::floating;
      return is_yaml11_int(s) ? Implicit::integer : Implicit::string;
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9': {
      if (is_yaml11_float(s)) return Implicit::floating;
      if (is_yaml11_int(s)) return Implicit::integer;
      Timestamp t;
      if (match_timestamp(value, t) && (t.has_time || t.two_digit_date)) return Implicit::timestamp;
      return Implicit::string;
    }
    case '<':
      return s == "<<" ? Implicit::merge : Implicit::string;
    case '=':
      return s == "=" ? Implicit::value : Implicit::string;
    case '!':
    case '&':
    case '*':
      // Only reachable as `! "*"`: PyYAML's documentation-only resolver then picks a tag nothing constructs.
      return s.size() == 1 ? Implicit::yaml : Implicit::string;
    default:
      return Implicit::string;
  }
}

}  // namespace sotcheck::pyyaml
