#include "sotcheck/pyyaml/int_constructor.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <utility>

#include "ascii_text.hpp"

namespace sotcheck::pyyaml {

bool construct_int(std::string_view text, IntValue& out, std::string& error) {
  // Fast path: the plain decimal ints that make up nearly every chart.
  {
    std::string_view digits = text;
    bool negative = false;
    if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
      negative = digits[0] == '-';
      digits.remove_prefix(1);
    }
    if (!digits.empty() && digits.size() <= 18 && (digits[0] != '0' || digits.size() == 1) &&
        std::all_of(digits.begin(), digits.end(), detail::is_digit)) {
      std::int64_t v = 0;
      for (char c : digits) v = v * 10 + (c - '0');
      out.big = false;
      out.small = negative ? -v : v;
      return true;
    }
  }
  std::string v = detail::remove_underscores(text);
  if (v.empty()) {
    error = "string index out of range (empty int)";
    return false;
  }
  const bool negative = v[0] == '-';
  if (v[0] == '+' || v[0] == '-') v.erase(0, 1);
  BigInteger result;
  if (v == "0") {
    // zero
  } else if (v.starts_with("0b")) {
    if (!parse_python_int(std::string_view(v).substr(2), 2, result, error)) return false;
  } else if (v.starts_with("0x")) {
    if (!parse_python_int(std::string_view(v).substr(2), 16, result, error)) return false;
  } else if (v.empty()) {
    error = "string index out of range (sign without digits)";
    return false;
  } else if (v[0] == '0') {
    if (!parse_python_int(v, 8, result, error)) return false;
  } else if (v.find(':') != std::string::npos) {
    // Sexagesimal: sum of part * 60^k, i.e. ((p0 * 60 + p1) * 60 + p2)...
    std::string_view rest = v;
    bool first = true;
    while (true) {
      const std::size_t colon = rest.find(':');
      BigInteger part;
      if (!parse_python_int(rest.substr(0, colon), 10, part, error)) return false;
      if (!first) result.mul_add(60, 0);
      result.add(part);
      first = false;
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  } else {
    if (!parse_python_int(v, 10, result, error)) return false;
  }
  if (negative) result.negate();
  if (const auto small = result.to_int64()) {
    out.big = false;
    out.small = *small;
  } else {
    out.big = true;
    out.value = std::move(result);
  }
  return true;
}

double decimal_to_double(const std::string& decimal) {
  std::string_view s = decimal;
  const bool negative = !s.empty() && s[0] == '-';
  if (negative) s.remove_prefix(1);
  double d = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec == std::errc::result_out_of_range) d = std::numeric_limits<double>::infinity();
  return negative ? -d : d;
}

}  // namespace sotcheck::pyyaml
