#include "sotcheck/pyyaml/float_constructor.hpp"

#include <bit>
#include <charconv>
#include <limits>
#include <vector>

#include "ascii_text.hpp"
#include "sotcheck/pyyaml/error_quote.hpp"

namespace sotcheck::pyyaml {

bool python_float(std::string_view s, double& out) {
  using detail::is_digit;
  s = detail::strip_ascii_space(s);
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  std::string word(s);
  detail::lower_ascii(word);
  if (word == "inf" || word == "infinity") {
    out = negative ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
    return true;
  }
  if (word == "nan") {
    out = std::bit_cast<double>(k_fresh_nan_bits);
    return true;
  }
  // digits [. digits] [e [sign] digits], at least one mantissa digit. Checked here because from_chars
  // accepts forms Python does not (hex floats need no prefix there, "nan(...)").
  std::size_t i = 0;
  std::size_t mantissa_digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++mantissa_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++mantissa_digits;
  }
  if (mantissa_digits == 0) return false;
  bool exponent_negative = false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) exponent_negative = s[i++] == '-';
    const std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start) return false;
  }
  if (i != s.size()) return false;
  double d = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d, std::chars_format::general);
  if (ec == std::errc::result_out_of_range) {
    // Overflow goes to inf, underflow to zero, as Python's float() does.
    d = exponent_negative ? 0.0 : std::numeric_limits<double>::infinity();
  } else if (ec != std::errc() || ptr != s.data() + s.size()) {
    return false;
  }
  out = negative ? -d : d;
  return true;
}

bool construct_float(std::string_view text, double& out, std::string& error) {
  std::string v = detail::remove_underscores(text);
  detail::lower_ascii(v);
  if (v.empty()) {
    error = "string index out of range (empty float)";
    return false;
  }
  const bool negative = v[0] == '-';
  if (v[0] == '+' || v[0] == '-') v.erase(0, 1);
  double value = 0;
  if (v == ".inf") {
    value = std::numeric_limits<double>::infinity();
  } else if (v == ".nan") {
    out = std::bit_cast<double>(k_shared_nan_bits);
    return true;
  } else if (v.find(':') != std::string::npos) {
    // PyYAML sums the parts from the last one up: value += digit * base; base *= 60.
    std::vector<double> parts;
    std::string_view rest = v;
    while (true) {
      const std::size_t colon = rest.find(':');
      double part = 0;
      if (!python_float(rest.substr(0, colon), part)) {
        error = "could not convert string to float: " + quote_for_error(rest.substr(0, colon));
        return false;
      }
      parts.push_back(part);
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
    double base = 1;
    for (std::size_t i = parts.size(); i-- > 0;) {
      value += parts[i] * base;
      base *= 60;
    }
  } else if (!python_float(v, value)) {
    error = "could not convert string to float: " + quote_for_error(v);
    return false;
  }
  out = negative ? -value : value;
  return true;
}

}  // namespace sotcheck::pyyaml
