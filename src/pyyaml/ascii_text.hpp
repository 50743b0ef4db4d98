#pragma once
/// ASCII helpers that PyYAML's regexes and Python's int()/float() share; private to the pyyaml module.

#include <string>
#include <string_view>

namespace sotcheck::pyyaml::detail {

inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

/// Python's str.strip() whitespace, restricted to ASCII (the only whitespace int() and float() meet here).
inline bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

inline std::string_view strip_ascii_space(std::string_view s) {
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  return s;
}

/// Python's `re` treats `$` as "end, or before a final newline". PyYAML's patterns end in `$`, so a scalar
/// that reaches the resolver with one trailing "\n" (only possible as `! "1\n"`) still matches.
inline std::string_view without_final_newline(std::string_view s) {
  if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
  return s;
}

/// PyYAML's constructors drop every '_' before converting a number.
inline std::string remove_underscores(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s)
    if (c != '_') out.push_back(c);
  return out;
}

inline void lower_ascii(std::string& s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
}

}  // namespace sotcheck::pyyaml::detail
