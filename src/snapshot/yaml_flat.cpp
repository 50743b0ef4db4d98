#include "sotcheck/snapshot/yaml_flat.hpp"
#include "sotcheck/util/utf8.hpp"

#include <yaml.h>

#include <algorithm>
#include <bit>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <new>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>

namespace sotcheck::snapshot {
namespace {

// ---------------------------------------------------------------------------------------------------------------
// Small text helpers
// ---------------------------------------------------------------------------------------------------------------

constexpr std::uint64_t align8(std::uint64_t n) {
  return (n + 7) & ~std::uint64_t{7};
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view strip_ascii_space(std::string_view s) {
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  return s;
}

/// Python's `re` treats `$` as "end, or before a final newline". PyYAML's patterns end in `$`, so a scalar
/// that reaches the resolver with one trailing "\n" (only possible as `! "1\n"`) still matches.
std::string_view without_final_newline(std::string_view s) {
  if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
  return s;
}

std::string remove_underscores(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s)
    if (c != '_') out.push_back(c);
  return out;
}

void lower_ascii(std::string& s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
}

/// A short quoted rendering of source text for error messages.
std::string quote_for_error(std::string_view s) {
  constexpr std::size_t k_max = 60;
  static constexpr char k_hex[] = "0123456789abcdef";
  std::size_t cut = std::min(k_max, s.size());
  while (cut < s.size() && cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // whole chars
  std::string out = "'";
  for (char c : s.substr(0, cut)) {
    const auto u = static_cast<unsigned char>(c);
    if (u == '\n') {
      out += "\\n";
    } else if (u < 0x20 || u == 0x7F) {
      out += "\\x";
      out.push_back(k_hex[u >> 4]);
      out.push_back(k_hex[u & 0xF]);
    } else {
      out.push_back(c);
    }
  }
  if (cut < s.size()) out.append("...");
  out.push_back('\'');
  return out;
}

std::string at(std::uint32_t line, std::uint32_t column, std::string_view message) {
  return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + std::string(message);
}

std::uint32_t clamp_u32(std::size_t v) {
  return v > std::numeric_limits<std::uint32_t>::max() ? std::numeric_limits<std::uint32_t>::max()
                                                       : static_cast<std::uint32_t>(v);
}

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  std::uint64_t r = 0;
  return __builtin_add_overflow(a, b, &r) ? std::numeric_limits<std::uint64_t>::max() : r;
}

// ---------------------------------------------------------------------------------------------------------------
// Integers: Python ints have no bound, YAML ints beyond int64 are rare, so they take a slow exact path.
// ---------------------------------------------------------------------------------------------------------------

/// Python 3.11 refuses int(str) beyond this many decimal digits (sys.int_info.default_max_str_digits). The
/// same bound, translated to bits, caps power-of-two bases so that no scalar makes the quadratic path slow.
constexpr std::size_t k_max_int_digits = 4300;
constexpr std::size_t k_max_int_bits = 14300;

/// A signed integer of any size. Limbs are base 1e9, little-endian, so decimal output is direct.
class BigInt {
 public:
  static constexpr std::uint32_t k_base = 1'000'000'000;

  bool is_zero() const { return m_limbs.empty(); }
  bool negative() const { return m_negative && !is_zero(); }
  void negate() { m_negative = !m_negative; }

  /// |x| = |x| * factor + addend.
  void mul_add(std::uint32_t factor, std::uint32_t addend) {
    std::uint64_t carry = addend;
    for (std::uint32_t& limb : m_limbs) {
      const std::uint64_t v = std::uint64_t{limb} * factor + carry;
      limb = static_cast<std::uint32_t>(v % k_base);
      carry = v / k_base;
    }
    while (carry != 0) {
      m_limbs.push_back(static_cast<std::uint32_t>(carry % k_base));
      carry /= k_base;
    }
  }

  void add(const BigInt& other) {
    if (other.is_zero()) return;
    if (is_zero()) {
      *this = other;
      return;
    }
    if (negative() == other.negative()) {
      add_magnitude(other.m_limbs);
      return;
    }
    if (compare_magnitude(m_limbs, other.m_limbs) >= 0) {
      subtract_magnitude(other.m_limbs);
    } else {
      std::vector<std::uint32_t> mine = std::move(m_limbs);
      m_limbs = other.m_limbs;
      m_negative = other.negative();
      subtract_magnitude(mine);
    }
  }

  std::string decimal() const {
    if (is_zero()) return "0";
    std::string out = negative() ? "-" : "";
    out += std::to_string(m_limbs.back());
    char buf[16];
    for (std::size_t i = m_limbs.size() - 1; i-- > 0;) {
      std::snprintf(buf, sizeof buf, "%09u", m_limbs[i]);
      out += buf;
    }
    return out;
  }

  std::optional<std::int64_t> to_int64() const {
    if (m_limbs.size() > 3) return std::nullopt;
    std::uint64_t magnitude = 0;
    for (std::size_t i = m_limbs.size(); i-- > 0;) {
      if (__builtin_mul_overflow(magnitude, std::uint64_t{k_base}, &magnitude)) return std::nullopt;
      if (__builtin_add_overflow(magnitude, std::uint64_t{m_limbs[i]}, &magnitude)) return std::nullopt;
    }
    constexpr std::uint64_t k_limit = std::uint64_t{1} << 63;
    if (negative()) {
      if (magnitude > k_limit) return std::nullopt;
      return magnitude == k_limit ? std::numeric_limits<std::int64_t>::min() : -static_cast<std::int64_t>(magnitude);
    }
    if (magnitude >= k_limit) return std::nullopt;
    return static_cast<std::int64_t>(magnitude);
  }

 private:
  static int compare_magnitude(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
    for (std::size_t i = a.size(); i-- > 0;)
      if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
  }

  void add_magnitude(const std::vector<std::uint32_t>& other) {
    if (m_limbs.size() < other.size()) m_limbs.resize(other.size(), 0);
    std::uint32_t carry = 0;
    for (std::size_t i = 0; i < m_limbs.size(); ++i) {
      std::uint32_t v = m_limbs[i] + carry + (i < other.size() ? other[i] : 0);
      carry = v >= k_base ? 1 : 0;
      m_limbs[i] = carry != 0 ? v - k_base : v;
      if (carry == 0 && i >= other.size()) break;
    }
    if (carry != 0) m_limbs.push_back(carry);
  }

  /// |x| -= |other|, with |x| >= |other|.
  void subtract_magnitude(const std::vector<std::uint32_t>& other) {
    std::int64_t borrow = 0;
    for (std::size_t i = 0; i < m_limbs.size(); ++i) {
      std::int64_t v = std::int64_t{m_limbs[i]} - borrow - (i < other.size() ? std::int64_t{other[i]} : 0);
      borrow = v < 0 ? 1 : 0;
      m_limbs[i] = static_cast<std::uint32_t>(v < 0 ? v + k_base : v);
    }
    while (!m_limbs.empty() && m_limbs.back() == 0) m_limbs.pop_back();
  }

  std::vector<std::uint32_t> m_limbs;
  bool m_negative = false;
};

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

/// Python's int(s, base) for bases 2, 8, 10 and 16 over ASCII text (the caller already removed '_').
bool python_int(std::string_view s, std::uint32_t base, BigInt& out, std::string& error) {
  const std::string_view original = s;
  s = strip_ascii_space(s);
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (base != 10 && s.size() >= 2 && s[0] == '0') {
    const char p = static_cast<char>(s[1] | 0x20);
    if ((base == 16 && p == 'x') || (base == 8 && p == 'o') || (base == 2 && p == 'b')) s.remove_prefix(2);
  }
  const auto invalid = [&] {
    error = "invalid literal for int() with base " + std::to_string(base) + ": " + quote_for_error(original);
    return false;
  };
  if (s.empty()) return invalid();
  if (base == 10 && s.size() > k_max_int_digits) {
    error = "Exceeds the limit (4300 digits) for integer string conversion: value has " + std::to_string(s.size()) +
            " digits; use sys.set_int_max_str_digits() to increase the limit";
    return false;
  }
  const std::size_t bits_per_digit = base == 2 ? 1 : base == 8 ? 3 : 4;
  if (base != 10 && s.size() * bits_per_digit > k_max_int_bits) {
    error = "integer literal too large (sotcheck accepts up to 4300 decimal digits)";
    return false;
  }
  out = BigInt{};
  for (char c : s) {
    const int d = digit_value(c);
    if (d >= static_cast<int>(base)) return invalid();
    out.mul_add(base, static_cast<std::uint32_t>(d));
  }
  if (negative) out.negate();
  return true;
}

struct IntValue {
  bool big = false;
  std::int64_t small = 0;
  BigInt value;  ///< set only when big
};

/// SafeConstructor.construct_yaml_int, for implicit and `!!int` scalars alike.
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
        std::all_of(digits.begin(), digits.end(), is_digit)) {
      std::int64_t v = 0;
      for (char c : digits) v = v * 10 + (c - '0');
      out.big = false;
      out.small = negative ? -v : v;
      return true;
    }
  }
  std::string v = remove_underscores(text);
  if (v.empty()) {
    error = "string index out of range (empty int)";
    return false;
  }
  const bool negative = v[0] == '-';
  if (v[0] == '+' || v[0] == '-') v.erase(0, 1);
  BigInt result;
  if (v == "0") {
    // zero
  } else if (v.starts_with("0b")) {
    if (!python_int(std::string_view(v).substr(2), 2, result, error)) return false;
  } else if (v.starts_with("0x")) {
    if (!python_int(std::string_view(v).substr(2), 16, result, error)) return false;
  } else if (v.empty()) {
    error = "string index out of range (sign without digits)";
    return false;
  } else if (v[0] == '0') {
    if (!python_int(v, 8, result, error)) return false;
  } else if (v.find(':') != std::string::npos) {
    // Sexagesimal: sum of part * 60^k, i.e. ((p0 * 60 + p1) * 60 + p2)...
    std::string_view rest = v;
    bool first = true;
    while (true) {
      const std::size_t colon = rest.find(':');
      BigInt part;
      if (!python_int(rest.substr(0, colon), 10, part, error)) return false;
      if (!first) result.mul_add(60, 0);
      result.add(part);
      first = false;
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  } else {
    if (!python_int(v, 10, result, error)) return false;
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

/// float(int) for a decimal string: correctly rounded, ±inf beyond the double range (Python raises there;
/// sotcheck only uses the approximation for numeric comparisons).
double decimal_to_double(const std::string& decimal) {
  std::string_view s = decimal;
  const bool negative = !s.empty() && s[0] == '-';
  if (negative) s.remove_prefix(1);
  double d = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec == std::errc::result_out_of_range) d = std::numeric_limits<double>::infinity();
  return negative ? -d : d;
}

// ---------------------------------------------------------------------------------------------------------------
// Floats
// ---------------------------------------------------------------------------------------------------------------

/// PyYAML returns one shared NaN object (SafeConstructor.nan_value) for every `.nan`, and a dict finds keys by
/// identity before equality, so `.nan` keys fold into one; a NaN from float("nan") (`!!float nan`) is a new
/// object each time. Two NaN payloads keep that difference visible to key folding.
constexpr std::uint64_t k_shared_nan_bits = 0x7FF8000000000000ull;
constexpr std::uint64_t k_fresh_nan_bits = 0x7FF8000000000001ull;

/// Python's float(s) over ASCII text (the caller already removed '_'); false where Python raises.
bool python_float(std::string_view s, double& out) {
  s = strip_ascii_space(s);
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  std::string word(s);
  lower_ascii(word);
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

/// SafeConstructor.construct_yaml_float.
bool construct_float(std::string_view text, double& out, std::string& error) {
  std::string v = remove_underscores(text);
  lower_ascii(v);
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

// ---------------------------------------------------------------------------------------------------------------
// Timestamps
// ---------------------------------------------------------------------------------------------------------------

struct Timestamp {
  int year = 0, month = 0, day = 0;
  int hour = 0, minute = 0, second = 0, microsecond = 0;
  bool has_time = false;
  bool has_tz = false;
  int tz_minutes = 0;           ///< signed
  bool two_digit_date = false;  ///< month and day were both written with two digits
};

/// Reads min_digits..max_digits ASCII digits at s[i] into value; false on fewer or more.
bool read_digits(std::string_view s, std::size_t& i, std::size_t min_digits, std::size_t max_digits, int& value) {
  std::size_t n = 0;
  value = 0;
  while (i < s.size() && is_digit(s[i]) && n < max_digits + 1) value = value * 10 + (s[i++] - '0'), ++n;
  return n >= min_digits && n <= max_digits;
}

/// SafeConstructor.timestamp_regexp (a superset of the implicit resolver's pattern).
bool match_timestamp(std::string_view text, Timestamp& t) {
  const std::string_view s = without_final_newline(text);
  std::size_t i = 0;
  if (!read_digits(s, i, 4, 4, t.year) || i >= s.size() || s[i++] != '-') return false;
  const std::size_t month_start = i;
  if (!read_digits(s, i, 1, 2, t.month)) return false;
  const bool two_digit_month = i - month_start == 2;
  if (i >= s.size() || s[i++] != '-') return false;
  const std::size_t day_start = i;
  if (!read_digits(s, i, 1, 2, t.day)) return false;
  t.two_digit_date = two_digit_month && i - day_start == 2;
  if (i == s.size()) return true;
  if (s[i] == 'T' || s[i] == 't') {
    ++i;
  } else if (s[i] == ' ' || s[i] == '\t') {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  } else {
    return false;
  }
  t.has_time = true;
  if (!read_digits(s, i, 1, 2, t.hour) || i >= s.size() || s[i++] != ':') return false;
  if (!read_digits(s, i, 2, 2, t.minute) || i >= s.size() || s[i++] != ':') return false;
  if (!read_digits(s, i, 2, 2, t.second)) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int scale = 100000;
    while (i < s.size() && is_digit(s[i])) {
      // Python keeps the first six fraction digits and pads: ".1" is 100000 microseconds.
      if (scale > 0) t.microsecond += (s[i] - '0') * scale;
      scale /= 10;
      ++i;
    }
  }
  std::size_t tz = i;
  while (tz < s.size() && (s[tz] == ' ' || s[tz] == '\t')) ++tz;
  if (tz < s.size() && s[tz] == 'Z') {
    t.has_tz = true;
    i = tz + 1;
  } else if (tz < s.size() && (s[tz] == '+' || s[tz] == '-')) {
    const bool negative = s[tz] == '-';
    i = tz + 1;
    int hours = 0;
    int minutes = 0;
    if (!read_digits(s, i, 1, 2, hours)) return false;
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (!read_digits(s, i, 2, 2, minutes)) return false;
    }
    t.has_tz = true;
    t.tz_minutes = (negative ? -1 : 1) * (hours * 60 + minutes);
  }
  return i == s.size();
}

bool is_leap(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int days_in_month(int year, int month) {
  static constexpr int k_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : k_days[month - 1];
}

/// The ValueError datetime.date/datetime/timezone would raise, or "".
std::string timestamp_range_error(const Timestamp& t) {
  if (t.year < 1 || t.year > 9999) return "year " + std::to_string(t.year) + " is out of range";
  if (t.month < 1 || t.month > 12) return "month must be in 1..12";
  if (t.day < 1 || t.day > days_in_month(t.year, t.month)) return "day is out of range for month";
  if (!t.has_time) return "";
  if (t.hour > 23) return "hour must be in 0..23";
  if (t.minute > 59) return "minute must be in 0..59";
  if (t.second > 59) return "second must be in 0..59";
  if (t.tz_minutes <= -1440 || t.tz_minutes >= 1440)
    return "offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24)";
  return "";
}

// Payload layout of dates and datetimes (bit offsets); dates leave the time fields zero.
constexpr int k_us_shift = 0;       // 20 bits
constexpr int k_second_shift = 20;  // 6
constexpr int k_minute_shift = 26;  // 6
constexpr int k_hour_shift = 32;    // 5
constexpr int k_day_shift = 37;     // 5
constexpr int k_month_shift = 42;   // 4
constexpr int k_year_shift = 46;    // 14

std::uint64_t pack_timestamp(const Timestamp& t) {
  return std::uint64_t(t.microsecond) << k_us_shift | std::uint64_t(t.second) << k_second_shift |
         std::uint64_t(t.minute) << k_minute_shift | std::uint64_t(t.hour) << k_hour_shift |
         std::uint64_t(t.day) << k_day_shift | std::uint64_t(t.month) << k_month_shift |
         std::uint64_t(t.year) << k_year_shift;
}

YamlDateTime unpack_timestamp(std::uint64_t p) {
  YamlDateTime d;
  d.microsecond = static_cast<int>((p >> k_us_shift) & 0xFFFFF);
  d.second = static_cast<int>((p >> k_second_shift) & 0x3F);
  d.minute = static_cast<int>((p >> k_minute_shift) & 0x3F);
  d.hour = static_cast<int>((p >> k_hour_shift) & 0x1F);
  d.date.day = static_cast<int>((p >> k_day_shift) & 0x1F);
  d.date.month = static_cast<int>((p >> k_month_shift) & 0xF);
  d.date.year = static_cast<int>((p >> k_year_shift) & 0x3FFF);
  return d;
}

/// Days since 1970-01-01 (Howard Hinnant's days_from_civil), for comparing aware datetimes.
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// ---------------------------------------------------------------------------------------------------------------
// The implicit resolver (PyYAML resolver.py, YAML 1.1), hand-compiled: the regexes are tried in
// registration order among those registered for the scalar's first character.
// ---------------------------------------------------------------------------------------------------------------

enum class Implicit : std::uint8_t { string, null, boolean, integer, floating, timestamp, merge, value, yaml };

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

Implicit resolve_implicit(std::string_view value) {
  if (value.empty()) return Implicit::null;
  const std::string_view s = without_final_newline(value);
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

// ---------------------------------------------------------------------------------------------------------------
// Tags
// ---------------------------------------------------------------------------------------------------------------

enum class Tag : std::uint8_t {
  str,
  null,
  boolean,
  integer,
  floating,
  timestamp,
  binary,
  map,
  seq,
  set,
  omap,
  pairs,
  merge,
  value,
  unknown
};

constexpr std::string_view k_yaml_tag_prefix = "tag:yaml.org,2002:";

Tag classify_tag(std::string_view tag) {
  if (!tag.starts_with(k_yaml_tag_prefix)) return Tag::unknown;
  const std::string_view name = tag.substr(k_yaml_tag_prefix.size());
  static constexpr std::pair<std::string_view, Tag> k_tags[] = {
      {"str", Tag::str},       {"null", Tag::null},      {"bool", Tag::boolean},
      {"int", Tag::integer},   {"float", Tag::floating}, {"timestamp", Tag::timestamp},
      {"binary", Tag::binary}, {"map", Tag::map},        {"seq", Tag::seq},
      {"set", Tag::set},       {"omap", Tag::omap},      {"pairs", Tag::pairs},
      {"merge", Tag::merge},   {"value", Tag::value}};
  for (const auto& [n, t] : k_tags)
    if (n == name) return t;
  return Tag::unknown;
}

Tag tag_of_implicit(Implicit r) {
  switch (r) {
    case Implicit::null:
      return Tag::null;
    case Implicit::boolean:
      return Tag::boolean;
    case Implicit::integer:
      return Tag::integer;
    case Implicit::floating:
      return Tag::floating;
    case Implicit::timestamp:
      return Tag::timestamp;
    case Implicit::merge:
      return Tag::merge;
    case Implicit::value:
      return Tag::value;
    case Implicit::yaml:
      return Tag::unknown;
    case Implicit::string:
      break;
  }
  return Tag::str;
}

std::string no_constructor(std::string_view tag) {
  return "could not determine a constructor for the tag '" + std::string(tag) + "'";
}

std::string unsupported_tag(std::string_view tag) {
  return "the tag '" + std::string(tag) +
         "' builds a Python set or list of pairs, which sotcheck does not model; use a mapping or a sequence";
}

// ---------------------------------------------------------------------------------------------------------------
// Base64 (binascii.a2b_base64 in its default, lenient mode, as base64.decodebytes calls it)
// ---------------------------------------------------------------------------------------------------------------

bool decode_base64(std::string_view text, std::string& out, std::string& error) {
  for (unsigned char c : text) {
    if (c >= 0x80) {
      error = "failed to convert base64 data into ascii: non-ASCII character";
      return false;
    }
  }
  const auto sextet = [](unsigned char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  out.clear();
  int quad_pos = 0;
  int pads = 0;
  unsigned left = 0;
  std::size_t data_chars = 0;
  for (unsigned char c : text) {
    if (c == '=') {
      // A pad ends the data once it completes a quad; other pads are ignored.
      if (quad_pos >= 2 && quad_pos + ++pads >= 4) return true;
      continue;
    }
    const int v = sextet(c);
    if (v < 0) continue;  // lenient mode skips characters outside the alphabet (newlines, spaces)
    ++data_chars;
    pads = 0;
    switch (quad_pos) {
      case 0:
        quad_pos = 1;
        left = static_cast<unsigned>(v);
        break;
      case 1:
        quad_pos = 2;
        out.push_back(static_cast<char>((left << 2) | (static_cast<unsigned>(v) >> 4)));
        left = v & 0x0F;
        break;
      case 2:
        quad_pos = 3;
        out.push_back(static_cast<char>((left << 4) | (static_cast<unsigned>(v) >> 2)));
        left = v & 0x03;
        break;
      default:
        quad_pos = 0;
        out.push_back(static_cast<char>((left << 6) | static_cast<unsigned>(v)));
        left = 0;
        break;
    }
  }
  if (quad_pos == 1) {
    error = "failed to decode base64 data: Invalid base64-encoded string: number of data characters (" +
            std::to_string(data_chars) + ") cannot be 1 more than a multiple of 4";
    return false;
  }
  if (quad_pos != 0) {
    error = "failed to decode base64 data: Incorrect padding";
    return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Python repr() pieces
// ---------------------------------------------------------------------------------------------------------------

/// Code point ranges (above ASCII) for which Python 3.11's str.isprintable() is false (Unicode 14.0: Cc, Cf,
/// Cs, Co, Cn, Zl, Zp, Zs). repr() escapes these. Generated with:
///   python3.11 -c "import sys; ..."  (ranges of c in 0x80..0x10FFFF with not chr(c).isprintable())
struct CodeRange {
  std::uint32_t first;
  std::uint32_t last;
};
// clang-format off
constexpr CodeRange k_non_printable[] = {
    {0x80, 0xA0}, {0xAD, 0xAD}, {0x378, 0x379}, {0x380, 0x383}, {0x38B, 0x38B}, {0x38D, 0x38D}, {0x3A2, 0x3A2},
    {0x530, 0x530}, {0x557, 0x558}, {0x58B, 0x58C}, {0x590, 0x590}, {0x5C8, 0x5CF}, {0x5EB, 0x5EE}, {0x5F5, 0x605},
    {0x61C, 0x61C}, {0x6DD, 0x6DD}, {0x70E, 0x70F}, {0x74B, 0x74C}, {0x7B2, 0x7BF}, {0x7FB, 0x7FC}, {0x82E, 0x82F},
    {0x83F, 0x83F}, {0x85C, 0x85D}, {0x85F, 0x85F}, {0x86B, 0x86F}, {0x88F, 0x897}, {0x8E2, 0x8E2}, {0x984, 0x984},
    {0x98D, 0x98E}, {0x991, 0x992}, {0x9A9, 0x9A9}, {0x9B1, 0x9B1}, {0x9B3, 0x9B5}, {0x9BA, 0x9BB}, {0x9C5, 0x9C6},
    {0x9C9, 0x9CA}, {0x9CF, 0x9D6}, {0x9D8, 0x9DB}, {0x9DE, 0x9DE}, {0x9E4, 0x9E5}, {0x9FF, 0xA00}, {0xA04, 0xA04},
    {0xA0B, 0xA0E}, {0xA11, 0xA12}, {0xA29, 0xA29}, {0xA31, 0xA31}, {0xA34, 0xA34}, {0xA37, 0xA37}, {0xA3A, 0xA3B},
    {0xA3D, 0xA3D}, {0xA43, 0xA46}, {0xA49, 0xA4A}, {0xA4E, 0xA50}, {0xA52, 0xA58}, {0xA5D, 0xA5D}, {0xA5F, 0xA65},
    {0xA77, 0xA80}, {0xA84, 0xA84}, {0xA8E, 0xA8E}, {0xA92, 0xA92}, {0xAA9, 0xAA9}, {0xAB1, 0xAB1}, {0xAB4, 0xAB4},
    {0xABA, 0xABB}, {0xAC6, 0xAC6}, {0xACA, 0xACA}, {0xACE, 0xACF}, {0xAD1, 0xADF}, {0xAE4, 0xAE5}, {0xAF2, 0xAF8},
    {0xB00, 0xB00}, {0xB04, 0xB04}, {0xB0D, 0xB0E}, {0xB11, 0xB12}, {0xB29, 0xB29}, {0xB31, 0xB31}, {0xB34, 0xB34},
    {0xB3A, 0xB3B}, {0xB45, 0xB46}, {0xB49, 0xB4A}, {0xB4E, 0xB54}, {0xB58, 0xB5B}, {0xB5E, 0xB5E}, {0xB64, 0xB65},
    {0xB78, 0xB81}, {0xB84, 0xB84}, {0xB8B, 0xB8D}, {0xB91, 0xB91}, {0xB96, 0xB98}, {0xB9B, 0xB9B}, {0xB9D, 0xB9D},
    {0xBA0, 0xBA2}, {0xBA5, 0xBA7}, {0xBAB, 0xBAD}, {0xBBA, 0xBBD}, {0xBC3, 0xBC5}, {0xBC9, 0xBC9}, {0xBCE, 0xBCF},
    {0xBD1, 0xBD6}, {0xBD8, 0xBE5}, {0xBFB, 0xBFF}, {0xC0D, 0xC0D}, {0xC11, 0xC11}, {0xC29, 0xC29}, {0xC3A, 0xC3B},
    {0xC45, 0xC45}, {0xC49, 0xC49}, {0xC4E, 0xC54}, {0xC57, 0xC57}, {0xC5B, 0xC5C}, {0xC5E, 0xC5F}, {0xC64, 0xC65},
    {0xC70, 0xC76}, {0xC8D, 0xC8D}, {0xC91, 0xC91}, {0xCA9, 0xCA9}, {0xCB4, 0xCB4}, {0xCBA, 0xCBB}, {0xCC5, 0xCC5},
    {0xCC9, 0xCC9}, {0xCCE, 0xCD4}, {0xCD7, 0xCDC}, {0xCDF, 0xCDF}, {0xCE4, 0xCE5}, {0xCF0, 0xCF0}, {0xCF3, 0xCFF},
    {0xD0D, 0xD0D}, {0xD11, 0xD11}, {0xD45, 0xD45}, {0xD49, 0xD49}, {0xD50, 0xD53}, {0xD64, 0xD65}, {0xD80, 0xD80},
    {0xD84, 0xD84}, {0xD97, 0xD99}, {0xDB2, 0xDB2}, {0xDBC, 0xDBC}, {0xDBE, 0xDBF}, {0xDC7, 0xDC9}, {0xDCB, 0xDCE},
    {0xDD5, 0xDD5}, {0xDD7, 0xDD7}, {0xDE0, 0xDE5}, {0xDF0, 0xDF1}, {0xDF5, 0xE00}, {0xE3B, 0xE3E}, {0xE5C, 0xE80},
    {0xE83, 0xE83}, {0xE85, 0xE85}, {0xE8B, 0xE8B}, {0xEA4, 0xEA4}, {0xEA6, 0xEA6}, {0xEBE, 0xEBF}, {0xEC5, 0xEC5},
    {0xEC7, 0xEC7}, {0xECE, 0xECF}, {0xEDA, 0xEDB}, {0xEE0, 0xEFF}, {0xF48, 0xF48}, {0xF6D, 0xF70}, {0xF98, 0xF98},
    {0xFBD, 0xFBD}, {0xFCD, 0xFCD}, {0xFDB, 0xFFF}, {0x10C6, 0x10C6}, {0x10C8, 0x10CC}, {0x10CE, 0x10CF},
    {0x1249, 0x1249}, {0x124E, 0x124F}, {0x1257, 0x1257}, {0x1259, 0x1259}, {0x125E, 0x125F}, {0x1289, 0x1289},
    {0x128E, 0x128F}, {0x12B1, 0x12B1}, {0x12B6, 0x12B7}, {0x12BF, 0x12BF}, {0x12C1, 0x12C1}, {0x12C6, 0x12C7},
    {0x12D7, 0x12D7}, {0x1311, 0x1311}, {0x1316, 0x1317}, {0x135B, 0x135C}, {0x137D, 0x137F}, {0x139A, 0x139F},
    {0x13F6, 0x13F7}, {0x13FE, 0x13FF}, {0x1680, 0x1680}, {0x169D, 0x169F}, {0x16F9, 0x16FF}, {0x1716, 0x171E},
    {0x1737, 0x173F}, {0x1754, 0x175F}, {0x176D, 0x176D}, {0x1771, 0x1771}, {0x1774, 0x177F}, {0x17DE, 0x17DF},
    {0x17EA, 0x17EF}, {0x17FA, 0x17FF}, {0x180E, 0x180E}, {0x181A, 0x181F}, {0x1879, 0x187F}, {0x18AB, 0x18AF},
    {0x18F6, 0x18FF}, {0x191F, 0x191F}, {0x192C, 0x192F}, {0x193C, 0x193F}, {0x1941, 0x1943}, {0x196E, 0x196F},
    {0x1975, 0x197F}, {0x19AC, 0x19AF}, {0x19CA, 0x19CF}, {0x19DB, 0x19DD}, {0x1A1C, 0x1A1D}, {0x1A5F, 0x1A5F},
    {0x1A7D, 0x1A7E}, {0x1A8A, 0x1A8F}, {0x1A9A, 0x1A9F}, {0x1AAE, 0x1AAF}, {0x1ACF, 0x1AFF}, {0x1B4D, 0x1B4F},
    {0x1B7F, 0x1B7F}, {0x1BF4, 0x1BFB}, {0x1C38, 0x1C3A}, {0x1C4A, 0x1C4C}, {0x1C89, 0x1C8F}, {0x1CBB, 0x1CBC},
    {0x1CC8, 0x1CCF}, {0x1CFB, 0x1CFF}, {0x1F16, 0x1F17}, {0x1F1E, 0x1F1F}, {0x1F46, 0x1F47}, {0x1F4E, 0x1F4F},
    {0x1F58, 0x1F58}, {0x1F5A, 0x1F5A}, {0x1F5C, 0x1F5C}, {0x1F5E, 0x1F5E}, {0x1F7E, 0x1F7F}, {0x1FB5, 0x1FB5},
    {0x1FC5, 0x1FC5}, {0x1FD4, 0x1FD5}, {0x1FDC, 0x1FDC}, {0x1FF0, 0x1FF1}, {0x1FF5, 0x1FF5}, {0x1FFF, 0x200F},
    {0x2028, 0x202F}, {0x205F, 0x206F}, {0x2072, 0x2073}, {0x208F, 0x208F}, {0x209D, 0x209F}, {0x20C1, 0x20CF},
    {0x20F1, 0x20FF}, {0x218C, 0x218F}, {0x2427, 0x243F}, {0x244B, 0x245F}, {0x2B74, 0x2B75}, {0x2B96, 0x2B96},
    {0x2CF4, 0x2CF8}, {0x2D26, 0x2D26}, {0x2D28, 0x2D2C}, {0x2D2E, 0x2D2F}, {0x2D68, 0x2D6E}, {0x2D71, 0x2D7E},
    {0x2D97, 0x2D9F}, {0x2DA7, 0x2DA7}, {0x2DAF, 0x2DAF}, {0x2DB7, 0x2DB7}, {0x2DBF, 0x2DBF}, {0x2DC7, 0x2DC7},
    {0x2DCF, 0x2DCF}, {0x2DD7, 0x2DD7}, {0x2DDF, 0x2DDF}, {0x2E5E, 0x2E7F}, {0x2E9A, 0x2E9A}, {0x2EF4, 0x2EFF},
    {0x2FD6, 0x2FEF}, {0x2FFC, 0x3000}, {0x3040, 0x3040}, {0x3097, 0x3098}, {0x3100, 0x3104}, {0x3130, 0x3130},
    {0x318F, 0x318F}, {0x31E4, 0x31EF}, {0x321F, 0x321F}, {0xA48D, 0xA48F}, {0xA4C7, 0xA4CF}, {0xA62C, 0xA63F},
    {0xA6F8, 0xA6FF}, {0xA7CB, 0xA7CF}, {0xA7D2, 0xA7D2}, {0xA7D4, 0xA7D4}, {0xA7DA, 0xA7F1}, {0xA82D, 0xA82F},
    {0xA83A, 0xA83F}, {0xA878, 0xA87F}, {0xA8C6, 0xA8CD}, {0xA8DA, 0xA8DF}, {0xA954, 0xA95E}, {0xA97D, 0xA97F},
    {0xA9CE, 0xA9CE}, {0xA9DA, 0xA9DD}, {0xA9FF, 0xA9FF}, {0xAA37, 0xAA3F}, {0xAA4E, 0xAA4F}, {0xAA5A, 0xAA5B},
    {0xAAC3, 0xAADA}, {0xAAF7, 0xAB00}, {0xAB07, 0xAB08}, {0xAB0F, 0xAB10}, {0xAB17, 0xAB1F}, {0xAB27, 0xAB27},
    {0xAB2F, 0xAB2F}, {0xAB6C, 0xAB6F}, {0xABEE, 0xABEF}, {0xABFA, 0xABFF}, {0xD7A4, 0xD7AF}, {0xD7C7, 0xD7CA},
    {0xD7FC, 0xF8FF}, {0xFA6E, 0xFA6F}, {0xFADA, 0xFAFF}, {0xFB07, 0xFB12}, {0xFB18, 0xFB1C}, {0xFB37, 0xFB37},
    {0xFB3D, 0xFB3D}, {0xFB3F, 0xFB3F}, {0xFB42, 0xFB42}, {0xFB45, 0xFB45}, {0xFBC3, 0xFBD2}, {0xFD90, 0xFD91},
    {0xFDC8, 0xFDCE}, {0xFDD0, 0xFDEF}, {0xFE1A, 0xFE1F}, {0xFE53, 0xFE53}, {0xFE67, 0xFE67}, {0xFE6C, 0xFE6F},
    {0xFE75, 0xFE75}, {0xFEFD, 0xFF00}, {0xFFBF, 0xFFC1}, {0xFFC8, 0xFFC9}, {0xFFD0, 0xFFD1}, {0xFFD8, 0xFFD9},
    {0xFFDD, 0xFFDF}, {0xFFE7, 0xFFE7}, {0xFFEF, 0xFFFB}, {0xFFFE, 0xFFFF}, {0x1000C, 0x1000C}, {0x10027, 0x10027},
    {0x1003B, 0x1003B}, {0x1003E, 0x1003E}, {0x1004E, 0x1004F}, {0x1005E, 0x1007F}, {0x100FB, 0x100FF},
    {0x10103, 0x10106}, {0x10134, 0x10136}, {0x1018F, 0x1018F}, {0x1019D, 0x1019F}, {0x101A1, 0x101CF},
    {0x101FE, 0x1027F}, {0x1029D, 0x1029F}, {0x102D1, 0x102DF}, {0x102FC, 0x102FF}, {0x10324, 0x1032C},
    {0x1034B, 0x1034F}, {0x1037B, 0x1037F}, {0x1039E, 0x1039E}, {0x103C4, 0x103C7}, {0x103D6, 0x103FF},
    {0x1049E, 0x1049F}, {0x104AA, 0x104AF}, {0x104D4, 0x104D7}, {0x104FC, 0x104FF}, {0x10528, 0x1052F},
    {0x10564, 0x1056E}, {0x1057B, 0x1057B}, {0x1058B, 0x1058B}, {0x10593, 0x10593}, {0x10596, 0x10596},
    {0x105A2, 0x105A2}, {0x105B2, 0x105B2}, {0x105BA, 0x105BA}, {0x105BD, 0x105FF}, {0x10737, 0x1073F},
    {0x10756, 0x1075F}, {0x10768, 0x1077F}, {0x10786, 0x10786}, {0x107B1, 0x107B1}, {0x107BB, 0x107FF},
    {0x10806, 0x10807}, {0x10809, 0x10809}, {0x10836, 0x10836}, {0x10839, 0x1083B}, {0x1083D, 0x1083E},
    {0x10856, 0x10856}, {0x1089F, 0x108A6}, {0x108B0, 0x108DF}, {0x108F3, 0x108F3}, {0x108F6, 0x108FA},
    {0x1091C, 0x1091E}, {0x1093A, 0x1093E}, {0x10940, 0x1097F}, {0x109B8, 0x109BB}, {0x109D0, 0x109D1},
    {0x10A04, 0x10A04}, {0x10A07, 0x10A0B}, {0x10A14, 0x10A14}, {0x10A18, 0x10A18}, {0x10A36, 0x10A37},
    {0x10A3B, 0x10A3E}, {0x10A49, 0x10A4F}, {0x10A59, 0x10A5F}, {0x10AA0, 0x10ABF}, {0x10AE7, 0x10AEA},
    {0x10AF7, 0x10AFF}, {0x10B36, 0x10B38}, {0x10B56, 0x10B57}, {0x10B73, 0x10B77}, {0x10B92, 0x10B98},
    {0x10B9D, 0x10BA8}, {0x10BB0, 0x10BFF}, {0x10C49, 0x10C7F}, {0x10CB3, 0x10CBF}, {0x10CF3, 0x10CF9},
    {0x10D28, 0x10D2F}, {0x10D3A, 0x10E5F}, {0x10E7F, 0x10E7F}, {0x10EAA, 0x10EAA}, {0x10EAE, 0x10EAF},
    {0x10EB2, 0x10EFF}, {0x10F28, 0x10F2F}, {0x10F5A, 0x10F6F}, {0x10F8A, 0x10FAF}, {0x10FCC, 0x10FDF},
    {0x10FF7, 0x10FFF}, {0x1104E, 0x11051}, {0x11076, 0x1107E}, {0x110BD, 0x110BD}, {0x110C3, 0x110CF},
    {0x110E9, 0x110EF}, {0x110FA, 0x110FF}, {0x11135, 0x11135}, {0x11148, 0x1114F}, {0x11177, 0x1117F},
    {0x111E0, 0x111E0}, {0x111F5, 0x111FF}, {0x11212, 0x11212}, {0x1123F, 0x1127F}, {0x11287, 0x11287},
    {0x11289, 0x11289}, {0x1128E, 0x1128E}, {0x1129E, 0x1129E}, {0x112AA, 0x112AF}, {0x112EB, 0x112EF},
    {0x112FA, 0x112FF}, {0x11304, 0x11304}, {0x1130D, 0x1130E}, {0x11311, 0x11312}, {0x11329, 0x11329},
    {0x11331, 0x11331}, {0x11334, 0x11334}, {0x1133A, 0x1133A}, {0x11345, 0x11346}, {0x11349, 0x1134A},
    {0x1134E, 0x1134F}, {0x11351, 0x11356}, {0x11358, 0x1135C}, {0x11364, 0x11365}, {0x1136D, 0x1136F},
    {0x11375, 0x113FF}, {0x1145C, 0x1145C}, {0x11462, 0x1147F}, {0x114C8, 0x114CF}, {0x114DA, 0x1157F},
    {0x115B6, 0x115B7}, {0x115DE, 0x115FF}, {0x11645, 0x1164F}, {0x1165A, 0x1165F}, {0x1166D, 0x1167F},
    {0x116BA, 0x116BF}, {0x116CA, 0x116FF}, {0x1171B, 0x1171C}, {0x1172C, 0x1172F}, {0x11747, 0x117FF},
    {0x1183C, 0x1189F}, {0x118F3, 0x118FE}, {0x11907, 0x11908}, {0x1190A, 0x1190B}, {0x11914, 0x11914},
    {0x11917, 0x11917}, {0x11936, 0x11936}, {0x11939, 0x1193A}, {0x11947, 0x1194F}, {0x1195A, 0x1199F},
    {0x119A8, 0x119A9}, {0x119D8, 0x119D9}, {0x119E5, 0x119FF}, {0x11A48, 0x11A4F}, {0x11AA3, 0x11AAF},
    {0x11AF9, 0x11BFF}, {0x11C09, 0x11C09}, {0x11C37, 0x11C37}, {0x11C46, 0x11C4F}, {0x11C6D, 0x11C6F},
    {0x11C90, 0x11C91}, {0x11CA8, 0x11CA8}, {0x11CB7, 0x11CFF}, {0x11D07, 0x11D07}, {0x11D0A, 0x11D0A},
    {0x11D37, 0x11D39}, {0x11D3B, 0x11D3B}, {0x11D3E, 0x11D3E}, {0x11D48, 0x11D4F}, {0x11D5A, 0x11D5F},
    {0x11D66, 0x11D66}, {0x11D69, 0x11D69}, {0x11D8F, 0x11D8F}, {0x11D92, 0x11D92}, {0x11D99, 0x11D9F},
    {0x11DAA, 0x11EDF}, {0x11EF9, 0x11FAF}, {0x11FB1, 0x11FBF}, {0x11FF2, 0x11FFE}, {0x1239A, 0x123FF},
    {0x1246F, 0x1246F}, {0x12475, 0x1247F}, {0x12544, 0x12F8F}, {0x12FF3, 0x12FFF}, {0x1342F, 0x143FF},
    {0x14647, 0x167FF}, {0x16A39, 0x16A3F}, {0x16A5F, 0x16A5F}, {0x16A6A, 0x16A6D}, {0x16ABF, 0x16ABF},
    {0x16ACA, 0x16ACF}, {0x16AEE, 0x16AEF}, {0x16AF6, 0x16AFF}, {0x16B46, 0x16B4F}, {0x16B5A, 0x16B5A},
    {0x16B62, 0x16B62}, {0x16B78, 0x16B7C}, {0x16B90, 0x16E3F}, {0x16E9B, 0x16EFF}, {0x16F4B, 0x16F4E},
    {0x16F88, 0x16F8E}, {0x16FA0, 0x16FDF}, {0x16FE5, 0x16FEF}, {0x16FF2, 0x16FFF}, {0x187F8, 0x187FF},
    {0x18CD6, 0x18CFF}, {0x18D09, 0x1AFEF}, {0x1AFF4, 0x1AFF4}, {0x1AFFC, 0x1AFFC}, {0x1AFFF, 0x1AFFF},
    {0x1B123, 0x1B14F}, {0x1B153, 0x1B163}, {0x1B168, 0x1B16F}, {0x1B2FC, 0x1BBFF}, {0x1BC6B, 0x1BC6F},
    {0x1BC7D, 0x1BC7F}, {0x1BC89, 0x1BC8F}, {0x1BC9A, 0x1BC9B}, {0x1BCA0, 0x1CEFF}, {0x1CF2E, 0x1CF2F},
    {0x1CF47, 0x1CF4F}, {0x1CFC4, 0x1CFFF}, {0x1D0F6, 0x1D0FF}, {0x1D127, 0x1D128}, {0x1D173, 0x1D17A},
    {0x1D1EB, 0x1D1FF}, {0x1D246, 0x1D2DF}, {0x1D2F4, 0x1D2FF}, {0x1D357, 0x1D35F}, {0x1D379, 0x1D3FF},
    {0x1D455, 0x1D455}, {0x1D49D, 0x1D49D}, {0x1D4A0, 0x1D4A1}, {0x1D4A3, 0x1D4A4}, {0x1D4A7, 0x1D4A8},
    {0x1D4AD, 0x1D4AD}, {0x1D4BA, 0x1D4BA}, {0x1D4BC, 0x1D4BC}, {0x1D4C4, 0x1D4C4}, {0x1D506, 0x1D506},
    {0x1D50B, 0x1D50C}, {0x1D515, 0x1D515}, {0x1D51D, 0x1D51D}, {0x1D53A, 0x1D53A}, {0x1D53F, 0x1D53F},
    {0x1D545, 0x1D545}, {0x1D547, 0x1D549}, {0x1D551, 0x1D551}, {0x1D6A6, 0x1D6A7}, {0x1D7CC, 0x1D7CD},
    {0x1DA8C, 0x1DA9A}, {0x1DAA0, 0x1DAA0}, {0x1DAB0, 0x1DEFF}, {0x1DF1F, 0x1DFFF}, {0x1E007, 0x1E007},
    {0x1E019, 0x1E01A}, {0x1E022, 0x1E022}, {0x1E025, 0x1E025}, {0x1E02B, 0x1E0FF}, {0x1E12D, 0x1E12F},
    {0x1E13E, 0x1E13F}, {0x1E14A, 0x1E14D}, {0x1E150, 0x1E28F}, {0x1E2AF, 0x1E2BF}, {0x1E2FA, 0x1E2FE},
    {0x1E300, 0x1E7DF}, {0x1E7E7, 0x1E7E7}, {0x1E7EC, 0x1E7EC}, {0x1E7EF, 0x1E7EF}, {0x1E7FF, 0x1E7FF},
    {0x1E8C5, 0x1E8C6}, {0x1E8D7, 0x1E8FF}, {0x1E94C, 0x1E94F}, {0x1E95A, 0x1E95D}, {0x1E960, 0x1EC70},
    {0x1ECB5, 0x1ED00}, {0x1ED3E, 0x1EDFF}, {0x1EE04, 0x1EE04}, {0x1EE20, 0x1EE20}, {0x1EE23, 0x1EE23},
    {0x1EE25, 0x1EE26}, {0x1EE28, 0x1EE28}, {0x1EE33, 0x1EE33}, {0x1EE38, 0x1EE38}, {0x1EE3A, 0x1EE3A},
    {0x1EE3C, 0x1EE41}, {0x1EE43, 0x1EE46}, {0x1EE48, 0x1EE48}, {0x1EE4A, 0x1EE4A}, {0x1EE4C, 0x1EE4C},
    {0x1EE50, 0x1EE50}, {0x1EE53, 0x1EE53}, {0x1EE55, 0x1EE56}, {0x1EE58, 0x1EE58}, {0x1EE5A, 0x1EE5A},
    {0x1EE5C, 0x1EE5C}, {0x1EE5E, 0x1EE5E}, {0x1EE60, 0x1EE60}, {0x1EE63, 0x1EE63}, {0x1EE65, 0x1EE66},
    {0x1EE6B, 0x1EE6B}, {0x1EE73, 0x1EE73}, {0x1EE78, 0x1EE78}, {0x1EE7D, 0x1EE7D}, {0x1EE7F, 0x1EE7F},
    {0x1EE8A, 0x1EE8A}, {0x1EE9C, 0x1EEA0}, {0x1EEA4, 0x1EEA4}, {0x1EEAA, 0x1EEAA}, {0x1EEBC, 0x1EEEF},
    {0x1EEF2, 0x1EFFF}, {0x1F02C, 0x1F02F}, {0x1F094, 0x1F09F}, {0x1F0AF, 0x1F0B0}, {0x1F0C0, 0x1F0C0},
    {0x1F0D0, 0x1F0D0}, {0x1F0F6, 0x1F0FF}, {0x1F1AE, 0x1F1E5}, {0x1F203, 0x1F20F}, {0x1F23C, 0x1F23F},
    {0x1F249, 0x1F24F}, {0x1F252, 0x1F25F}, {0x1F266, 0x1F2FF}, {0x1F6D8, 0x1F6DC}, {0x1F6ED, 0x1F6EF},
    {0x1F6FD, 0x1F6FF}, {0x1F774, 0x1F77F}, {0x1F7D9, 0x1F7DF}, {0x1F7EC, 0x1F7EF}, {0x1F7F1, 0x1F7FF},
    {0x1F80C, 0x1F80F}, {0x1F848, 0x1F84F}, {0x1F85A, 0x1F85F}, {0x1F888, 0x1F88F}, {0x1F8AE, 0x1F8AF},
    {0x1F8B2, 0x1F8FF}, {0x1FA54, 0x1FA5F}, {0x1FA6E, 0x1FA6F}, {0x1FA75, 0x1FA77}, {0x1FA7D, 0x1FA7F},
    {0x1FA87, 0x1FA8F}, {0x1FAAD, 0x1FAAF}, {0x1FABB, 0x1FABF}, {0x1FAC6, 0x1FACF}, {0x1FADA, 0x1FADF},
    {0x1FAE8, 0x1FAEF}, {0x1FAF7, 0x1FAFF}, {0x1FB93, 0x1FB93}, {0x1FBCB, 0x1FBEF}, {0x1FBFA, 0x1FFFF},
    {0x2A6E0, 0x2A6FF}, {0x2B739, 0x2B73F}, {0x2B81E, 0x2B81F}, {0x2CEA2, 0x2CEAF}, {0x2EBE1, 0x2F7FF},
    {0x2FA1E, 0x2FFFF}, {0x3134B, 0xE00FF}, {0xE01F0, 0x10FFFF},
};
// clang-format on

bool is_printable_non_ascii(std::uint32_t cp) {
  const auto it = std::upper_bound(std::begin(k_non_printable), std::end(k_non_printable), cp,
                                   [](std::uint32_t v, const CodeRange& r) { return v < r.first; });
  return it == std::begin(k_non_printable) || std::prev(it)->last < cp;
}

/// The shared strict decoder (util/utf8.hpp) in this file's calling shape. An invalid sequence is only
/// possible in a blob built elsewhere; attach() rejects those, this keeps the reader safe regardless.
bool decode_utf8(std::string_view s, std::size_t i, std::uint32_t& cp, std::size_t& length) {
  const std::size_t n = util::decode_utf8(s, i, &cp);
  if (n == 0) return false;
  length = n;
  return true;
}

void append_hex(std::string& out, std::uint32_t v, int digits) {
  static constexpr char k_hex[] = "0123456789abcdef";
  for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) out.push_back(k_hex[(v >> shift) & 0xF]);
}

/// Python chooses '"' only when the text has a ' and no ".
char repr_quote(std::string_view s) {
  return s.find('\'') != std::string_view::npos && s.find('"') == std::string_view::npos ? '"' : '\'';
}

/// repr(str).
void append_str_repr(std::string& out, std::string_view s) {
  const char quote = repr_quote(s);
  out.push_back(quote);
  for (std::size_t i = 0; i < s.size();) {
    // Copy runs of printable ASCII that need no escape in one go: nearly all chart text.
    std::size_t run = i;
    while (run < s.size() && s[run] >= 0x20 && s[run] < 0x7F && s[run] != quote && s[run] != '\\') ++run;
    if (run != i) {
      out.append(s.data() + i, run - i);
      i = run;
      continue;
    }
    std::uint32_t cp = 0;
    std::size_t n = 1;
    if (!decode_utf8(s, i, cp, n)) {
      cp = static_cast<unsigned char>(s[i]);
      n = 1;
      out += "\\x";
      append_hex(out, cp, 2);
      i += n;
      continue;
    }
    if (cp == static_cast<unsigned char>(quote) || cp == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(cp));
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp < 0x20 || cp == 0x7F) {
      out += "\\x";
      append_hex(out, cp, 2);
    } else if (cp < 0x7F || is_printable_non_ascii(cp)) {
      out.append(s.substr(i, n));
    } else if (cp <= 0xFF) {
      out += "\\x";
      append_hex(out, cp, 2);
    } else if (cp <= 0xFFFF) {
      out += "\\u";
      append_hex(out, cp, 4);
    } else {
      out += "\\U";
      append_hex(out, cp, 8);
    }
    i += n;
  }
  out.push_back(quote);
}

/// repr(bytes).
void append_bytes_repr(std::string& out, std::string_view s) {
  const char quote = repr_quote(s);
  out += 'b';
  out.push_back(quote);
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == static_cast<unsigned char>(quote) || c == '\\') {
      out.push_back('\\');
      out.push_back(ch);
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c < 0x20 || c >= 0x7F) {
      out += "\\x";
      append_hex(out, c, 2);
    } else {
      out.push_back(ch);
    }
  }
  out.push_back(quote);
}

/// repr(float): the shortest round-tripping digits, laid out as CPython's float_repr_style 'short' does
/// (fixed notation for decimal exponents -4 <= e < 16, else d.ddde+XX with at least two exponent digits).
void append_float_repr(std::string& out, double d) {
  if (std::isnan(d)) {
    out += "nan";
    return;
  }
  if (std::isinf(d)) {
    out += d < 0 ? "-inf" : "inf";
    return;
  }
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  const std::string_view sci(buf, static_cast<std::size_t>(res.ptr - buf));
  const std::size_t e_pos = sci.find('e');
  std::string_view mantissa = sci.substr(0, e_pos);
  int exponent = 0;
  std::from_chars(sci.data() + e_pos + 1 + (sci[e_pos + 1] == '+' ? 1 : 0), sci.data() + sci.size(), exponent);
  if (!mantissa.empty() && mantissa[0] == '-') {
    out.push_back('-');
    mantissa.remove_prefix(1);
  }
  std::string digits;
  for (char c : mantissa)
    if (c != '.') digits.push_back(c);
  const int decpt = exponent + 1;  // digits are d1 d2 ... with the point after position decpt
  const int ndigits = static_cast<int>(digits.size());
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) {
      out += "0.";
      out.append(static_cast<std::size_t>(-decpt), '0');
      out += digits;
    } else if (decpt >= ndigits) {
      out += digits;
      out.append(static_cast<std::size_t>(decpt - ndigits), '0');
      out += ".0";
    } else {
      out.append(digits, 0, static_cast<std::size_t>(decpt));
      out.push_back('.');
      out.append(digits, static_cast<std::size_t>(decpt));
    }
    return;
  }
  out.push_back(digits[0]);
  if (ndigits > 1) {
    out.push_back('.');
    out.append(digits, 1);
  }
  out.push_back('e');
  out.push_back(exponent < 0 ? '-' : '+');
  const int magnitude = exponent < 0 ? -exponent : exponent;
  if (magnitude < 10) out.push_back('0');
  out += std::to_string(magnitude);
}

/// datetime.timedelta repr for a whole number of minutes, normalised as Python does (days may be negative,
/// seconds never are).
std::string timedelta_repr(int minutes) {
  std::int64_t seconds = std::int64_t{minutes} * 60;
  std::int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
  seconds -= days * 86400;
  std::string out = "datetime.timedelta(";
  if (days == 0 && seconds == 0) return out + "0)";
  if (days != 0) out += "days=" + std::to_string(days);
  if (seconds != 0) out += (days != 0 ? ", seconds=" : "seconds=") + std::to_string(seconds);
  return out + ")";
}

void append_two(std::string& out, int v) {
  out.push_back(static_cast<char>('0' + v / 10 % 10));
  out.push_back(static_cast<char>('0' + v % 10));
}

void append_iso_date(std::string& out, const YamlDate& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-", d.year);
  out += buf;
  append_two(out, d.month);
  out.push_back('-');
  append_two(out, d.day);
}

/// datetime.isoformat(sep): microseconds only when non-zero, "+HH:MM" offsets ("+00:00" for UTC).
void append_iso_datetime(std::string& out, const YamlDateTime& t, char sep) {
  append_iso_date(out, t.date);
  out.push_back(sep);
  append_two(out, t.hour);
  out.push_back(':');
  append_two(out, t.minute);
  out.push_back(':');
  append_two(out, t.second);
  if (t.microsecond != 0) {
    char buf[16];
    std::snprintf(buf, sizeof buf, ".%06d", t.microsecond);
    out += buf;
  }
  if (t.utc_offset_minutes) {
    const int m = *t.utc_offset_minutes;
    out.push_back(m < 0 ? '-' : '+');
    append_two(out, std::abs(m) / 60);
    out.push_back(':');
    append_two(out, std::abs(m) % 60);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Python equality of mapping keys (only scalars can be keys: PyYAML refuses lists and dicts as unhashable)
// ---------------------------------------------------------------------------------------------------------------

bool is_collection(const YamlNodeRecord& r) {
  return r.kind >= static_cast<std::uint8_t>(YamlKind::sequence);
}

std::uint32_t height_of(const YamlNodeRecord& r) {
  return is_collection(r) ? r.small : 0;
}

std::uint64_t expanded_bytes_of(const YamlNodeRecord& r) {
  return is_collection(r) ? r.payload : r.count;
}

/// A Python number as one of three exact representations.
struct Number {
  enum class Form : std::uint8_t { small, big, real } form = Form::small;
  std::int64_t small = 0;
  double real = 0;
  std::string big;  ///< decimal
};

Number number_of(const YamlNodeRecord& r, std::string_view text) {
  Number n;
  const auto kind = static_cast<YamlKind>(r.kind);
  if (kind == YamlKind::floating) {
    n.form = Number::Form::real;
    n.real = std::bit_cast<double>(r.payload);
  } else if (kind == YamlKind::boolean) {
    n.small = r.payload != 0 ? 1 : 0;
  } else if ((r.flags & k_yaml_flag_bigint) == 0) {
    n.small = std::bit_cast<std::int64_t>(r.payload);
  } else {
    IntValue v;
    std::string error;
    n.form = Number::Form::big;
    n.big = construct_int(text, v, error) && v.big ? v.value.decimal() : std::string(text);
  }
  return n;
}

/// The exact decimal of an integral double, as Python's int(float) would print it.
std::string integral_double_decimal(double d) {
  char buf[400];
  const auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed, 0);
  return std::string(buf, res.ptr);
}

bool numbers_equal(const Number& a, const Number& b) {
  using F = Number::Form;
  if (a.form == F::real && b.form == F::real) {
    if (std::isnan(a.real) && std::isnan(b.real))
      return std::bit_cast<std::uint64_t>(a.real) == k_shared_nan_bits &&
             std::bit_cast<std::uint64_t>(b.real) == k_shared_nan_bits;
    return a.real == b.real;
  }
  if (a.form == F::real || b.form == F::real) {
    const Number& r = a.form == F::real ? a : b;
    const Number& i = a.form == F::real ? b : a;
    if (!std::isfinite(r.real) || std::trunc(r.real) != r.real) return false;
    constexpr double k_two63 = 9223372036854775808.0;
    const bool fits = r.real >= -k_two63 && r.real < k_two63;
    if (i.form == F::small) return fits && static_cast<std::int64_t>(r.real) == i.small;
    return !fits && integral_double_decimal(r.real) == i.big;
  }
  if (a.form != b.form) return false;  // a big int is by definition outside int64
  return a.form == F::small ? a.small == b.small : a.big == b.big;
}

bool is_numeric(YamlKind k) {
  return k == YamlKind::boolean || k == YamlKind::integer || k == YamlKind::floating;
}

/// Seconds since the epoch (as microseconds) of an aware datetime payload.
std::int64_t utc_microseconds(const YamlNodeRecord& r) {
  const YamlDateTime t = unpack_timestamp(r.payload);
  const std::int64_t days = days_from_civil(t.date.year, t.date.month, t.date.day);
  const std::int64_t seconds =
      days * 86400 + t.hour * 3600 + t.minute * 60 + t.second - std::int64_t{std::bit_cast<std::int16_t>(r.small)} * 60;
  return seconds * 1'000'000 + t.microsecond;
}

/// Python `a == b` for two scalar nodes (a dict folds keys that compare equal).
bool python_scalars_equal(const YamlNodeRecord& a, std::string_view a_text, const YamlNodeRecord& b,
                          std::string_view b_text) {
  const auto ka = static_cast<YamlKind>(a.kind);
  const auto kb = static_cast<YamlKind>(b.kind);
  if (is_numeric(ka) && is_numeric(kb)) return numbers_equal(number_of(a, a_text), number_of(b, b_text));
  if (ka != kb) return false;
  switch (ka) {
    case YamlKind::null:
      return true;
    case YamlKind::string:
    case YamlKind::binary:
      return a_text == b_text;
    case YamlKind::date:
      return a.payload == b.payload;
    case YamlKind::datetime: {
      const bool a_aware = (a.flags & k_yaml_flag_tz) != 0;
      const bool b_aware = (b.flags & k_yaml_flag_tz) != 0;
      if (a_aware != b_aware) return false;  // Python: naive == aware is False
      return a_aware ? utc_microseconds(a) == utc_microseconds(b) : a.payload == b.payload;
    }
    default:
      return false;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The flattener: libyaml events straight into records, no intermediate tree.
// ---------------------------------------------------------------------------------------------------------------

/// PyYAML's node id ("scalar", "sequence", "mapping") used in its messages.
std::string_view node_id(const YamlNodeRecord& r) {
  if (r.kind == static_cast<std::uint8_t>(YamlKind::sequence)) return "sequence";
  if (r.kind == static_cast<std::uint8_t>(YamlKind::mapping)) return "mapping";
  return "scalar";
}

/// Builder-only facts about a node, never stored in the blob.
enum BuildMark : std::uint8_t {
  k_mark_open = 1u << 0,   ///< a collection whose end event has not come yet
  k_mark_merge = 1u << 1,  ///< a scalar tagged tag:yaml.org,2002:merge (`<<`)
  k_mark_value = 1u << 2,  ///< a scalar tagged tag:yaml.org,2002:value (`=`)
  k_mark_key = 1u << 3,    ///< used as a mapping key somewhere
};

struct Frame {
  YamlNode node;
  std::uint32_t pending_start;  ///< where this collection's children begin in m_pending
  bool mapping;
  bool flow;  ///< written as [...] or {...}
};

/// Where a scalar's content begins: libyaml's start mark includes the node's anchor and tag, and PyYAML
/// treats whitespace after those like any other separator.
std::size_t content_start(std::string_view text, std::size_t index) {
  std::size_t p = std::min(index, text.size());
  while (p < text.size()) {
    const char c = text[p];
    if (c == '&' || c == '!') {
      while (p < text.size() && !is_ascii_space(text[p])) ++p;
    } else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++p;
    } else if (c == '#') {
      while (p < text.size() && text[p] != '\n') ++p;
    } else {
      break;
    }
  }
  return p;
}

class Flattener {
 public:
  /// Parses one stream; the result's vectors are this object's scratch, reused across calls on one thread.
  util::Result<std::vector<std::byte>> run(std::string_view text, const YamlLimits& limits);
  /// Frees scratch grown by an unusually large document, so one big file does not pin its memory per thread.
  void release_if_large();

 private:
  bool handle(const yaml_event_t& event);
  bool on_document_start(const yaml_event_t& event);
  bool on_scalar(const yaml_event_t& event);
  bool on_collection_start(const yaml_event_t& event, bool mapping);
  bool on_collection_end();
  bool on_alias(const yaml_event_t& event);
  bool add_child(YamlNode node);
  bool register_anchor(const yaml_char_t* anchor, YamlNode node, const yaml_mark_t& mark);
  bool count_expansion(std::uint64_t nodes, std::uint64_t bytes, const yaml_mark_t& mark);
  YamlNode new_node(YamlKind kind, const yaml_mark_t& mark);
  bool store_text(YamlNodeRecord& record, std::string_view text);
  void construct_scalar(YamlNode node, Tag tag, std::string_view tag_text, std::string_view text);
  void fold_mapping(const Frame& frame);
  bool keys_equal(YamlNode a, YamlNode b) const;
  std::string_view text_of(const YamlNodeRecord& r) const { return {m_pool.data() + r.first, r.count}; }
  void defer(const YamlNodeRecord& where, std::string_view message);
  bool fail(const yaml_mark_t& mark, std::string_view message);
  util::Result<std::vector<std::byte>> assemble() const;
  std::string check_tabs(std::string_view text) const;

  const YamlLimits* m_limits = nullptr;
  std::string_view m_text;
  std::vector<YamlNodeRecord> m_nodes;
  std::vector<std::uint8_t> m_marks;  ///< BuildMark bits per node
  std::vector<std::uint32_t> m_slots;
  std::string m_pool;
  std::vector<std::uint32_t> m_pending;  ///< children of the open collections, innermost last
  std::vector<Frame> m_stack;
  std::unordered_map<std::string, YamlNode> m_anchors;
  std::vector<std::uint32_t> m_merged;    ///< fold_mapping scratch: pairs contributed by merge keys
  std::vector<std::uint32_t> m_combined;  ///< fold_mapping scratch: merged pairs, then the mapping's own
  std::vector<std::uint32_t> m_folded;    ///< fold_mapping scratch: the dict's pairs
  std::unordered_map<std::string_view, std::uint32_t> m_key_index;  ///< fold_mapping scratch for big dicts
  std::string m_scratch;
  std::vector<YamlNode> m_value_uses;  ///< `=` scalars met outside key position
  /// Source byte ranges of scalars (content only, without anchor or tag), kept only when the text has a tab:
  /// quoted and block scalars may hold tabs, and no scalar holds a comment (check_tabs).
  std::vector<std::pair<std::size_t, std::size_t>> m_tab_safe_ranges;
  std::vector<std::pair<std::size_t, std::size_t>> m_scalar_ranges;
  bool m_track_tabs = false;
  std::size_t m_stopped_at = std::string_view::npos;  ///< source offset of the error that stopped the parse
  std::uint64_t m_expanded_nodes = 0;
  bool m_used_alias = false;  ///< the document expanded at least one alias
  std::uint64_t m_expanded_bytes = 0;
  std::uint32_t m_documents = 0;
  std::uint32_t m_flow_depth = 0;  ///< open flow collections
  YamlNode m_root = 0;
  bool m_has_root = false;
  std::string m_error;     ///< the error that stops the parse
  std::string m_deferred;  ///< the first construction error: PyYAML reports it only after composing
};

bool Flattener::fail(const yaml_mark_t& mark, std::string_view message) {
  m_stopped_at = mark.index;
  m_error = at(clamp_u32(mark.line + 1), clamp_u32(mark.column + 1), message);
  return false;
}

void Flattener::defer(const YamlNodeRecord& where, std::string_view message) {
  if (m_deferred.empty()) m_deferred = at(where.line, where.column, message);
}

YamlNode Flattener::new_node(YamlKind kind, const yaml_mark_t& mark) {
  YamlNodeRecord r{};
  r.kind = static_cast<std::uint8_t>(kind);
  r.line = clamp_u32(mark.line + 1);
  r.column = clamp_u32(mark.column + 1);
  r.logical_nodes = 1;
  m_nodes.push_back(r);
  m_marks.push_back(0);
  return static_cast<YamlNode>(m_nodes.size() - 1);
}

bool Flattener::store_text(YamlNodeRecord& record, std::string_view text) {
  if (m_pool.size() + text.size() > std::numeric_limits<std::uint32_t>::max()) return false;
  record.first = static_cast<std::uint32_t>(m_pool.size());
  record.count = static_cast<std::uint32_t>(text.size());
  m_pool.append(text);
  return true;
}

bool Flattener::register_anchor(const yaml_char_t* anchor, YamlNode node, const yaml_mark_t& mark) {
  if (anchor == nullptr) return true;
  const auto [it, inserted] = m_anchors.try_emplace(reinterpret_cast<const char*>(anchor), node);
  if (!inserted) {
    const YamlNodeRecord& first = m_nodes[it->second];
    return fail(mark, "found duplicate anchor '" + it->first + "'; first occurrence at line " +
                          std::to_string(first.line) + ", column " + std::to_string(first.column));
  }
  return true;
}

bool Flattener::count_expansion(std::uint64_t nodes, std::uint64_t bytes, const yaml_mark_t& mark) {
  m_expanded_nodes = saturating_add(m_expanded_nodes, nodes);
  m_expanded_bytes = saturating_add(m_expanded_bytes, bytes);
  // Only a document that used an alias is suspected of being an alias bomb.
  const std::string verb = m_used_alias ? "the document expands to more than " : "the document has more than ";
  const std::string how = m_used_alias ? " through its aliases (an alias bomb?)" : "";
  if (m_expanded_nodes > m_limits->max_expanded_nodes)
    return fail(mark, verb + std::to_string(m_limits->max_expanded_nodes) + " nodes" + how);
  if (m_expanded_bytes > m_limits->max_expanded_bytes)
    return fail(mark, verb + std::to_string(m_limits->max_expanded_bytes) + " bytes of scalars" + how);
  return true;
}

bool Flattener::add_child(YamlNode node) {
  const bool as_key =
      !m_stack.empty() && m_stack.back().mapping && (m_pending.size() - m_stack.back().pending_start) % 2 == 0;
  // `<<` and `=` mean something only as mapping keys; anywhere else PyYAML finds no constructor for them.
  // PyYAML's flatten_mapping retags a `=` key as str in place, so an anchored `=` that also serves as a key
  // loads as '=' where it is a value too (in PyYAML only if that mapping is flattened first; sotcheck does
  // not model construction order and accepts it): those errors wait for the end of the document.
  if (as_key) {
    m_marks[node] |= k_mark_key;
  } else if ((m_marks[node] & k_mark_merge) != 0) {
    defer(m_nodes[node], no_constructor("tag:yaml.org,2002:merge"));
  } else if ((m_marks[node] & k_mark_value) != 0) {
    m_value_uses.push_back(node);
  }
  if (m_stack.empty()) {
    m_root = node;
    m_has_root = true;
    return true;
  }
  m_pending.push_back(node);
  return true;
}

void Flattener::construct_scalar(YamlNode node, Tag tag, std::string_view tag_text, std::string_view text) {
  YamlNodeRecord& r = m_nodes[node];
  auto set_kind = [&](YamlKind k) { r.kind = static_cast<std::uint8_t>(k); };
  std::string error;
  switch (tag) {
    case Tag::str:
      set_kind(YamlKind::string);
      break;
    case Tag::null:
      set_kind(YamlKind::null);
      break;
    case Tag::boolean: {
      m_scratch.assign(text);
      lower_ascii(m_scratch);
      static constexpr std::pair<std::string_view, bool> k_values[] = {{"yes", true},    {"no", false}, {"true", true},
                                                                       {"false", false}, {"on", true},  {"off", false}};
      set_kind(YamlKind::string);
      bool found = false;
      for (const auto& [word, value] : k_values) {
        if (word == m_scratch) {
          set_kind(YamlKind::boolean);
          r.payload = value ? 1 : 0;
          found = true;
        }
      }
      if (!found) defer(r, "could not construct a bool from " + quote_for_error(text));
      break;
    }
    case Tag::integer: {
      IntValue v;
      set_kind(YamlKind::string);
      if (!construct_int(text, v, error)) {
        defer(r, error);
        break;
      }
      set_kind(YamlKind::integer);
      if (v.big) {
        r.flags |= k_yaml_flag_bigint;
        r.payload = std::bit_cast<std::uint64_t>(decimal_to_double(v.value.decimal()));
      } else {
        r.payload = std::bit_cast<std::uint64_t>(v.small);
      }
      break;
    }
    case Tag::floating: {
      double d = 0;
      set_kind(YamlKind::string);
      if (!construct_float(text, d, error)) {
        defer(r, error);
        break;
      }
      set_kind(YamlKind::floating);
      r.payload = std::bit_cast<std::uint64_t>(d);
      break;
    }
    case Tag::timestamp: {
      Timestamp t;
      set_kind(YamlKind::string);
      if (!match_timestamp(text, t)) {
        defer(r, "could not construct a timestamp from " + quote_for_error(text));
        break;
      }
      if (const std::string range = timestamp_range_error(t); !range.empty()) {
        defer(r, range);
        break;
      }
      set_kind(t.has_time ? YamlKind::datetime : YamlKind::date);
      r.payload = pack_timestamp(t);
      if (t.has_tz) {
        r.flags |= k_yaml_flag_tz;
        r.small = std::bit_cast<std::uint16_t>(static_cast<std::int16_t>(t.tz_minutes));
      }
      break;
    }
    case Tag::binary: {
      set_kind(YamlKind::binary);
      std::string bytes;
      if (!decode_base64(text, bytes, error)) {
        set_kind(YamlKind::string);
        defer(r, error);
        break;
      }
      // The text of a binary node is its bytes: Python keeps nothing else. The pool already holds the
      // source text at r.first, and the decoded bytes are never longer, so they overwrite it in place.
      std::memcpy(m_pool.data() + r.first, bytes.data(), bytes.size());
      m_pool.resize(r.first + bytes.size());
      r.count = static_cast<std::uint32_t>(bytes.size());
      break;
    }
    case Tag::merge:
      set_kind(YamlKind::string);
      m_marks[node] |= k_mark_merge;
      break;
    case Tag::value:
      set_kind(YamlKind::string);
      m_marks[node] |= k_mark_value;
      break;
    case Tag::map:
    case Tag::seq:
      set_kind(YamlKind::string);
      defer(r, tag == Tag::map ? "expected a mapping node, but found scalar"
                               : "expected a sequence node, but found scalar");
      break;
    case Tag::set:
    case Tag::omap:
    case Tag::pairs:
      set_kind(YamlKind::string);
      defer(r, unsupported_tag(tag_text));
      break;
    case Tag::unknown:
      set_kind(YamlKind::string);
      defer(r, no_constructor(tag_text));
      break;
  }
}

bool Flattener::on_scalar(const yaml_event_t& event) {
  const auto& s = event.data.scalar;
  const std::string_view text(reinterpret_cast<const char*>(s.value), s.length);
  const YamlNode node = new_node(YamlKind::string, event.start_mark);
  if (!register_anchor(s.anchor, node, event.start_mark)) return false;
  if (!count_expansion(1, text.size(), event.start_mark)) return false;
  if (!store_text(m_nodes[node], text)) return fail(event.start_mark, "document too large");
  if (s.style == YAML_PLAIN_SCALAR_STYLE) m_nodes[node].flags |= k_yaml_flag_plain;
  // Inside [...] or {...} PyYAML's scanner ends a plain scalar at '?' and then meets a KEY token its parser
  // never accepts there ("[http://x/?q=1]" fails in PyYAML); libyaml keeps the '?' in the scalar.
  if (s.style == YAML_PLAIN_SCALAR_STYLE && m_flow_depth > 0 && text.find('?') != std::string_view::npos)
    return fail(event.start_mark,
                "found '?' inside a plain scalar in a flow collection (PyYAML ends the scalar there and "
                "rejects the '?'; quote the scalar)");
  if (m_track_tabs) {
    const std::pair range{content_start(m_text, event.start_mark.index), event.end_mark.index};
    m_scalar_ranges.push_back(range);
    if (s.style != YAML_PLAIN_SCALAR_STYLE) m_tab_safe_ranges.push_back(range);
  }
  // PyYAML runs its implicit resolver on an untagged plain scalar and on any scalar tagged with the
  // non-specific `!` (libyaml flags the first as plain_implicit, the second only when it has content, so
  // the tag is tested too); an untagged quoted scalar is a str; anything else carries an explicit tag.
  const std::string_view tag_text = s.tag != nullptr ? reinterpret_cast<const char*>(s.tag) : "";
  Tag tag = Tag::str;
  if (s.plain_implicit != 0 || tag_text == "!") {
    const Implicit resolved = resolve_implicit(text);
    tag = tag_of_implicit(resolved);
    construct_scalar(node, tag, resolved == Implicit::yaml ? "tag:yaml.org,2002:yaml" : "", text);
  } else if (s.tag != nullptr) {
    tag = classify_tag(tag_text);
    construct_scalar(node, tag, tag_text, text);
  } else {
    construct_scalar(node, Tag::str, "", text);
  }
  return add_child(node);
}

bool Flattener::on_collection_start(const yaml_event_t& event, bool mapping) {
  if (m_stack.size() + 1 > m_limits->max_depth)
    return fail(event.start_mark, "nesting deeper than " + std::to_string(m_limits->max_depth) + " levels");
  const YamlNode node = new_node(mapping ? YamlKind::mapping : YamlKind::sequence, event.start_mark);
  const yaml_char_t* anchor = mapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor;
  const yaml_char_t* raw_tag = mapping ? event.data.mapping_start.tag : event.data.sequence_start.tag;
  if (!register_anchor(anchor, node, event.start_mark)) return false;
  if (!count_expansion(1, 0, event.start_mark)) return false;
  m_marks[node] |= k_mark_open;
  const std::string_view tag_text = raw_tag != nullptr ? reinterpret_cast<const char*>(raw_tag) : "";
  if (!tag_text.empty() && tag_text != "!") {
    const std::string_view found = mapping ? "mapping" : "sequence";
    switch (classify_tag(tag_text)) {
      case Tag::map:
        if (!mapping) defer(m_nodes[node], "expected a mapping node, but found sequence");
        break;
      case Tag::seq:
        if (mapping) defer(m_nodes[node], "expected a sequence node, but found mapping");
        break;
      case Tag::str:
      case Tag::null:
      case Tag::boolean:
      case Tag::integer:
      case Tag::floating:
      case Tag::timestamp:
      case Tag::binary:
        defer(m_nodes[node], "expected a scalar node, but found " + std::string(found));
        break;
      case Tag::set:
      case Tag::omap:
      case Tag::pairs:
        defer(m_nodes[node], unsupported_tag(tag_text));
        break;
      case Tag::merge:
      case Tag::value:
      case Tag::unknown:
        defer(m_nodes[node], no_constructor(tag_text));
        break;
    }
  }
  const bool flow = mapping ? event.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                            : event.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
  m_flow_depth += flow ? 1 : 0;
  m_stack.push_back(Frame{node, static_cast<std::uint32_t>(m_pending.size()), mapping, flow});
  return true;
}

bool Flattener::keys_equal(YamlNode a, YamlNode b) const {
  if (a == b) return true;  // Python's dict checks identity first: an aliased NaN key is one key
  const YamlNodeRecord& ra = m_nodes[a];
  const YamlNodeRecord& rb = m_nodes[b];
  return python_scalars_equal(ra, text_of(ra), rb, text_of(rb));
}

/// Builds the dict PyYAML's SafeConstructor builds: flatten_mapping puts the pairs of every merge source
/// first (the mappings of a merge sequence in reverse order), then the mapping's own pairs; dict assignment
/// then keeps each key at its first position with its last value. Merge sources are already folded dicts,
/// which gives the same result as PyYAML's unfolded pair lists.
void Flattener::fold_mapping(const Frame& frame) {
  YamlNodeRecord& self = m_nodes[frame.node];
  const std::uint32_t* pairs = m_pending.data() + frame.pending_start;
  const std::size_t pair_count = (m_pending.size() - frame.pending_start) / 2;
  bool has_merge = false;
  for (std::size_t i = 0; i < pair_count; ++i) has_merge |= (m_marks[pairs[2 * i]] & k_mark_merge) != 0;

  const std::uint32_t* source = pairs;
  std::size_t source_pairs = pair_count;
  if (has_merge) {
    m_merged.clear();
    m_combined.clear();
    const auto append_pairs_of = [&](const YamlNodeRecord& m) {
      m_merged.insert(m_merged.end(), m_slots.begin() + m.first, m_slots.begin() + m.first + 2 * m.count);
    };
    for (std::size_t i = 0; i < pair_count; ++i) {
      const YamlNode key = pairs[2 * i];
      const YamlNode value = pairs[2 * i + 1];
      if ((m_marks[key] & k_mark_merge) == 0) {
        m_combined.push_back(key);
        m_combined.push_back(value);
        continue;
      }
      const YamlNodeRecord& v = m_nodes[value];
      if (v.kind == static_cast<std::uint8_t>(YamlKind::mapping)) {
        append_pairs_of(v);
      } else if (v.kind == static_cast<std::uint8_t>(YamlKind::sequence)) {
        for (std::uint32_t e = v.count; e-- > 0;) {
          const YamlNodeRecord& element = m_nodes[m_slots[v.first + e]];
          if (element.kind == static_cast<std::uint8_t>(YamlKind::mapping)) {
            append_pairs_of(element);
          } else {
            defer(element, "while constructing a mapping (line " + std::to_string(self.line) +
                               "): expected a mapping for merging, but found " + std::string(node_id(element)));
          }
        }
      } else {
        defer(v, "while constructing a mapping (line " + std::to_string(self.line) +
                     "): expected a mapping or list of mappings for merging, but found " + std::string(node_id(v)));
      }
    }
    m_merged.insert(m_merged.end(), m_combined.begin(), m_combined.end());
    source = m_merged.data();
    source_pairs = m_merged.size() / 2;
  }

  // Fold. String keys, nearly all of them, compare by text (through a hash index for big mappings); the
  // rare other keys compare with Python's cross-type equality against the other non-string keys.
  m_folded.clear();
  const bool use_index = source_pairs > 16;
  if (use_index) m_key_index.clear();
  for (std::size_t i = 0; i < source_pairs; ++i) {
    const YamlNode key = source[2 * i];
    const YamlNode value = source[2 * i + 1];
    const YamlNodeRecord& k = m_nodes[key];
    if (is_collection(k)) {
      defer(k, "while constructing a mapping (line " + std::to_string(self.line) + "): found unhashable key");
      continue;
    }
    const bool is_string = k.kind == static_cast<std::uint8_t>(YamlKind::string);
    std::uint32_t found = std::numeric_limits<std::uint32_t>::max();
    if (is_string && use_index) {
      if (const auto it = m_key_index.find(text_of(k)); it != m_key_index.end()) found = it->second;
    } else {
      for (std::uint32_t j = 0; j < m_folded.size() / 2; ++j) {
        const YamlNodeRecord& other = m_nodes[m_folded[2 * j]];
        if ((other.kind == static_cast<std::uint8_t>(YamlKind::string)) != is_string) continue;
        if (keys_equal(key, m_folded[2 * j])) {
          found = j;
          break;
        }
      }
    }
    if (found != std::numeric_limits<std::uint32_t>::max()) {
      m_folded[2 * found + 1] = value;
      continue;
    }
    if (is_string && use_index) m_key_index.emplace(text_of(k), static_cast<std::uint32_t>(m_folded.size() / 2));
    m_folded.push_back(key);
    m_folded.push_back(value);
  }
  self.first = static_cast<std::uint32_t>(m_slots.size());
  self.count = static_cast<std::uint32_t>(m_folded.size() / 2);
  m_slots.insert(m_slots.end(), m_folded.begin(), m_folded.end());
}

bool Flattener::on_collection_end() {
  const Frame frame = m_stack.back();
  m_stack.pop_back();
  m_flow_depth -= frame.flow ? 1 : 0;
  if (frame.mapping) {
    fold_mapping(frame);
  } else {
    YamlNodeRecord& self = m_nodes[frame.node];
    self.first = static_cast<std::uint32_t>(m_slots.size());
    self.count = static_cast<std::uint32_t>(m_pending.size() - frame.pending_start);
    m_slots.insert(m_slots.end(), m_pending.begin() + frame.pending_start, m_pending.end());
  }
  m_pending.resize(frame.pending_start);
  YamlNodeRecord& self = m_nodes[frame.node];
  const std::size_t slot_count =
      self.kind == static_cast<std::uint8_t>(YamlKind::mapping) ? 2 * self.count : self.count;
  std::uint32_t height = 0;
  std::uint64_t nodes = 1;
  std::uint64_t bytes = 0;
  for (std::size_t i = self.first; i < self.first + slot_count; ++i) {
    const YamlNodeRecord& child = m_nodes[m_slots[i]];
    height = std::max(height, height_of(child));
    nodes += child.logical_nodes;
    bytes = saturating_add(bytes, expanded_bytes_of(child));
  }
  // The running totals were checked against the limits as events arrived and bound these sums from above
  // (a folded dict keeps a subset of what was counted), so they fit.
  self.small = static_cast<std::uint16_t>(height + 1);
  self.logical_nodes = clamp_u32(nodes);
  self.payload = bytes;
  m_marks[frame.node] &= static_cast<std::uint8_t>(~k_mark_open);
  return add_child(frame.node);
}

bool Flattener::on_alias(const yaml_event_t& event) {
  const char* name = reinterpret_cast<const char*>(event.data.alias.anchor);
  const auto it = m_anchors.find(name);
  if (it == m_anchors.end()) return fail(event.start_mark, "found undefined alias '" + std::string(name) + "'");
  const YamlNode target = it->second;
  // PyYAML builds a self-containing list or dict here; sotcheck's blob is acyclic by design.
  if ((m_marks[target] & k_mark_open) != 0)
    return fail(event.start_mark,
                "recursive alias '" + std::string(name) + "' (a collection that contains itself) is not supported");
  const YamlNodeRecord& r = m_nodes[target];
  if (m_stack.size() + height_of(r) > m_limits->max_depth)
    return fail(event.start_mark, "nesting deeper than " + std::to_string(m_limits->max_depth) +
                                      " levels through alias '" + std::string(name) + "'");
  m_used_alias = true;
  if (!count_expansion(r.logical_nodes, expanded_bytes_of(r), event.start_mark)) return false;
  return add_child(target);
}

bool Flattener::on_document_start(const yaml_event_t& event) {
  if (++m_documents > 1)
    return fail(event.start_mark, "expected a single document in the stream, but found another document");
  return true;
}

bool Flattener::handle(const yaml_event_t& event) {
  switch (event.type) {
    case YAML_DOCUMENT_START_EVENT:
      return on_document_start(event);
    case YAML_SCALAR_EVENT:
      return on_scalar(event);
    case YAML_SEQUENCE_START_EVENT:
      return on_collection_start(event, false);
    case YAML_MAPPING_START_EVENT:
      return on_collection_start(event, true);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
      return on_collection_end();
    case YAML_ALIAS_EVENT:
      return on_alias(event);
    case YAML_STREAM_END_EVENT:
      if (m_documents == 0) {
        m_root = new_node(YamlKind::null, event.start_mark);
        m_has_root = true;
      }
      return true;
    default:
      return true;
  }
}

/// PyYAML's scanner skips only spaces between tokens and ends a plain scalar at a tab, so a tab anywhere but
/// inside a quoted scalar, a block scalar or a comment is "found character '\t' that cannot start any token".
/// libyaml accepts tabs as separators, so documents it loads are checked here, up to where reading stopped
/// (the end, a second document, or an error found while composing). Returns the error or "".
std::string Flattener::check_tabs(std::string_view text) const {
  const std::size_t limit = std::min(text.size(), m_stopped_at);
  const auto inside = [](const std::vector<std::pair<std::size_t, std::size_t>>& ranges, std::size_t offset) {
    const auto it = std::upper_bound(ranges.begin(), ranges.end(), offset,
                                     [](std::size_t v, const auto& r) { return v < r.first; });
    return it != ranges.begin() && offset < std::prev(it)->second;
  };
  for (std::size_t p = text.find('\t'); p < limit; p = text.find('\t', p + 1)) {
    if (inside(m_tab_safe_ranges, p)) continue;
    // Outside scalars a '#' can only open a comment (anchors cannot hold one; tags that do are ignored).
    const std::size_t line_start = p == 0 ? 0 : text.rfind('\n', p - 1) + 1;  // npos + 1 == 0
    bool in_comment = false;
    for (std::size_t q = line_start; q < p && !in_comment; ++q)
      in_comment = text[q] == '#' && !inside(m_scalar_ranges, q);
    if (in_comment) continue;
    std::size_t column = 1;
    for (std::size_t q = line_start; q < p; ++q) column += (static_cast<unsigned char>(text[q]) & 0xC0) != 0x80;
    const auto line =
        static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(p), '\n')) + 1;
    return at(clamp_u32(line), clamp_u32(column),
              "found character '\\t' that cannot start any token (PyYAML allows tabs only inside quoted and "
              "block scalars and comments)");
  }
  return "";
}

/// "line L, column C: problem (context at line l, column c)" from libyaml's error fields.
std::string parser_error(const yaml_parser_t& parser, std::string_view text) {
  if (parser.error == YAML_MEMORY_ERROR) return "out of memory while parsing YAML";
  const std::string problem = parser.problem != nullptr ? parser.problem : "unknown YAML error";
  if (parser.error == YAML_READER_ERROR) {
    // Reader errors carry a byte offset, not a mark.
    const std::size_t offset = std::min(parser.problem_offset, text.size());
    const std::size_t line = static_cast<std::size_t>(std::count(text.begin(), text.begin() + offset, '\n')) + 1;
    const std::size_t line_start = text.rfind('\n', offset == 0 ? 0 : offset - 1);
    const std::size_t column = line_start == std::string_view::npos || offset == 0 ? offset + 1 : offset - line_start;
    std::string message = problem;
    if (parser.problem_value != -1) {
      char buf[32];
      std::snprintf(buf, sizeof buf, " (byte #x%02X)", static_cast<unsigned>(parser.problem_value) & 0xFFu);
      message += buf;
    }
    return at(clamp_u32(line), clamp_u32(column), message);
  }
  std::string message = at(clamp_u32(parser.problem_mark.line + 1), clamp_u32(parser.problem_mark.column + 1), problem);
  if (parser.context != nullptr)
    message += " (" + std::string(parser.context) + " at line " + std::to_string(parser.context_mark.line + 1) +
               ", column " + std::to_string(parser.context_mark.column + 1) + ")";
  return message;
}

util::Result<std::vector<std::byte>> Flattener::run(std::string_view text, const YamlLimits& limits) {
  if (limits.max_depth == 0 || limits.max_depth > k_yaml_max_supported_depth)
    return util::make_error("YAML depth limit must be within 1.." + std::to_string(k_yaml_max_supported_depth));
  // Expanded node counts are stored as u32; a bigger limit could not be honoured exactly.
  if (limits.max_expanded_nodes >= std::numeric_limits<std::uint32_t>::max())
    return util::make_error("YAML expansion limit must be below 2^32 nodes");
  if (text.size() >= std::numeric_limits<std::uint32_t>::max() / 2)
    return util::make_error("YAML document too large: " + std::to_string(text.size()) + " bytes");
  m_limits = &limits;
  m_nodes.clear();
  m_marks.clear();
  m_slots.clear();
  m_pool.clear();
  m_pending.clear();
  m_stack.clear();
  m_anchors.clear();
  m_expanded_nodes = 0;
  m_used_alias = false;
  m_expanded_bytes = 0;
  m_documents = 0;
  m_flow_depth = 0;
  m_has_root = false;
  m_error.clear();
  m_deferred.clear();
  m_tab_safe_ranges.clear();
  m_scalar_ranges.clear();
  m_value_uses.clear();
  m_text = text;
  m_track_tabs = text.find('\t') != std::string_view::npos;
  m_stopped_at = std::string_view::npos;
  // Typical chart YAML holds a node per ~12 bytes and a little less scalar text than source text.
  m_nodes.reserve(text.size() / 12 + 4);
  m_marks.reserve(text.size() / 12 + 4);
  m_slots.reserve(text.size() / 10 + 4);
  m_pool.reserve(text.size());

  // RAII for libyaml's handles: a bad_alloc from this side must not leak them.
  struct Parser {
    yaml_parser_t handle;
    bool live = false;
    ~Parser() {
      if (live) yaml_parser_delete(&handle);
    }
  } parser;
  struct Event {
    yaml_event_t handle;
    ~Event() { yaml_event_delete(&handle); }
  };
  if (yaml_parser_initialize(&parser.handle) == 0) return util::make_error("out of memory initialising libyaml");
  parser.live = true;
  yaml_parser_set_input_string(&parser.handle, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  // The text is UTF-8 by contract (docs/catalog-format.md T3/T4); without this libyaml would also accept UTF-16 by BOM.
  yaml_parser_set_encoding(&parser.handle, YAML_UTF8_ENCODING);
  bool ok = true;
  bool libyaml_failed = false;
  while (true) {
    Event event;
    if (yaml_parser_parse(&parser.handle, &event.handle) == 0) {
      m_error = parser_error(parser.handle, text);
      std::memset(&event.handle, 0, sizeof event.handle);  // nothing to delete
      ok = false;
      libyaml_failed = true;
      break;
    }
    if (!handle(event.handle)) {
      ok = false;
      break;
    }
    if (event.handle.type == YAML_STREAM_END_EVENT) break;
  }
  // A syntax error libyaml found stands (PyYAML fails too, maybe elsewhere); otherwise a stray tab before
  // the point where reading stopped comes first, as PyYAML's scanner meets it before anything is composed.
  if (m_track_tabs && !libyaml_failed) {
    if (std::string tab_error = check_tabs(text); !tab_error.empty()) return util::make_error(std::move(tab_error));
  }
  if (!ok) return util::make_error(m_error);
  for (const YamlNode node : m_value_uses)
    if ((m_marks[node] & k_mark_key) == 0) defer(m_nodes[node], no_constructor("tag:yaml.org,2002:value"));
  if (!m_deferred.empty()) return util::make_error(m_deferred);
  if (!m_has_root) return util::make_error("YAML stream without a document node");
  return assemble();
}

void Flattener::release_if_large() {
  constexpr std::size_t k_keep_bytes = std::size_t{4} << 20;
  const auto trim = [&](auto& v) {
    if (v.capacity() * sizeof(v[0]) > k_keep_bytes) std::decay_t<decltype(v)>().swap(v);
  };
  trim(m_nodes);
  trim(m_marks);
  trim(m_slots);
  trim(m_pool);
  trim(m_pending);
  trim(m_merged);
  trim(m_combined);
  trim(m_folded);
  trim(m_tab_safe_ranges);
  trim(m_scalar_ranges);
  if (m_anchors.size() > 4096) std::unordered_map<std::string, YamlNode>().swap(m_anchors);
}

util::Result<std::vector<std::byte>> Flattener::assemble() const {
  const std::uint64_t nodes_offset = sizeof(YamlBlobHeader);
  const std::uint64_t slots_offset = nodes_offset + m_nodes.size() * sizeof(YamlNodeRecord);
  const std::uint64_t pool_offset = slots_offset + m_slots.size() * sizeof(std::uint32_t);
  const std::uint64_t total = align8(pool_offset + m_pool.size());
  if (m_nodes.size() > std::numeric_limits<std::uint32_t>::max() ||
      m_slots.size() > std::numeric_limits<std::uint32_t>::max() ||
      m_pool.size() > std::numeric_limits<std::uint32_t>::max() || total > (std::uint64_t{1} << 40))
    return util::make_error("YAML document too large to flatten");
  YamlBlobHeader header{};
  std::memcpy(header.magic, k_yaml_magic, sizeof header.magic);
  header.version = k_yaml_format_version;
  header.header_size = sizeof(YamlBlobHeader);
  header.node_record_size = sizeof(YamlNodeRecord);
  header.node_count = static_cast<std::uint32_t>(m_nodes.size());
  header.slot_count = static_cast<std::uint32_t>(m_slots.size());
  header.pool_size = static_cast<std::uint32_t>(m_pool.size());
  header.root = m_root;
  header.total_size = total;
  std::vector<std::byte> blob(total);
  std::memcpy(blob.data(), &header, sizeof header);
  if (!m_nodes.empty())
    std::memcpy(blob.data() + nodes_offset, m_nodes.data(), m_nodes.size() * sizeof(YamlNodeRecord));
  if (!m_slots.empty()) std::memcpy(blob.data() + slots_offset, m_slots.data(), m_slots.size() * sizeof(std::uint32_t));
  if (!m_pool.empty()) std::memcpy(blob.data() + pool_offset, m_pool.data(), m_pool.size());
  return blob;
}

}  // namespace

util::Result<std::vector<std::byte>> flatten_yaml(std::string_view text, const YamlLimits& limits) {
  // One flattener per thread keeps its scratch vectors warm across the ~2,000 files of a run.
  thread_local Flattener flattener;
  try {
    auto result = flattener.run(text, limits);
    flattener.release_if_large();
    return result;
  } catch (const std::bad_alloc&) {
    flattener.release_if_large();
    return util::make_error("out of memory while flattening YAML (" + std::to_string(text.size()) + " bytes)");
  }
}

// ---------------------------------------------------------------------------------------------------------------
// YamlView
// ---------------------------------------------------------------------------------------------------------------

util::Result<YamlView> YamlView::attach(const std::byte* data, std::size_t size) {
  const auto corrupt = [](const std::string& why) { return util::make_error("corrupt YAML blob: " + why); };
  if (data == nullptr || size < sizeof(YamlBlobHeader)) return corrupt("shorter than its header");
  if (reinterpret_cast<std::uintptr_t>(data) % alignof(YamlNodeRecord) != 0) return corrupt("not 8-byte aligned");
  const auto* header = reinterpret_cast<const YamlBlobHeader*>(data);
  if (std::memcmp(header->magic, k_yaml_magic, sizeof header->magic) != 0) return corrupt("bad magic");
  if (header->version != k_yaml_format_version)
    return corrupt("format version " + std::to_string(header->version) + ", expected " +
                   std::to_string(k_yaml_format_version));
  if (header->header_size != sizeof(YamlBlobHeader) || header->node_record_size != sizeof(YamlNodeRecord))
    return corrupt("record sizes differ from this build's");
  const std::uint64_t nodes_offset = header->header_size;
  const std::uint64_t slots_offset = nodes_offset + std::uint64_t{header->node_count} * sizeof(YamlNodeRecord);
  const std::uint64_t pool_offset = slots_offset + std::uint64_t{header->slot_count} * sizeof(std::uint32_t);
  const std::uint64_t end = pool_offset + header->pool_size;
  if (header->total_size != align8(end) || header->total_size > size) return corrupt("sizes do not add up");
  if (header->node_count == 0 || header->root >= header->node_count) return corrupt("no root node");

  YamlView view;
  view.m_header = header;
  view.m_nodes = reinterpret_cast<const YamlNodeRecord*>(data + nodes_offset);
  view.m_slots = reinterpret_cast<const std::uint32_t*>(data + slots_offset);
  view.m_pool = reinterpret_cast<const char*>(data + pool_offset);

  // One pass over the nodes. The height rule (every child strictly lower than its parent, the root at most
  // k_yaml_max_supported_depth) rules out cycles and bounds every recursive reader; the expanded counts must
  // add up so that a reader's work is bounded by what the header-level numbers say.
  for (std::uint32_t i = 0; i < header->node_count; ++i) {
    const YamlNodeRecord& r = view.m_nodes[i];
    struct Where {  // builds "node N: " only on the error path
      std::uint32_t index;
      std::string operator+(const char* why) const { return "node " + std::to_string(index) + ": " + why; }
    } const where{i};
    if (r.kind > static_cast<std::uint8_t>(YamlKind::mapping)) return corrupt(where + "unknown kind");
    if ((r.flags & ~k_yaml_known_flags) != 0) return corrupt(where + "unknown flags");
    const auto kind = static_cast<YamlKind>(r.kind);
    if (kind < YamlKind::sequence) {
      if (std::uint64_t{r.first} + r.count > header->pool_size) return corrupt(where + "text outside the pool");
      if (r.logical_nodes != 1) return corrupt(where + "a scalar expands to one node");
      const std::string_view text(view.m_pool + r.first, r.count);
      if ((r.flags & k_yaml_flag_bigint) != 0 && kind != YamlKind::integer) return corrupt(where + "stray bigint");
      if ((r.flags & k_yaml_flag_tz) != 0 && kind != YamlKind::datetime) return corrupt(where + "stray offset");
      if (r.small != 0 && kind != YamlKind::datetime) return corrupt(where + "stray small field");
      switch (kind) {
        case YamlKind::boolean:
          if (r.payload > 1) return corrupt(where + "bad bool");
          break;
        case YamlKind::integer:
          if ((r.flags & k_yaml_flag_bigint) != 0) {
            IntValue v;
            std::string error;
            if (!construct_int(text, v, error) || !v.big) return corrupt(where + "bad big integer text");
          }
          break;
        case YamlKind::date:
        case YamlKind::datetime: {
          const YamlDateTime t = unpack_timestamp(r.payload);
          if (r.payload >> 60 != 0) return corrupt(where + "bad timestamp bits");
          Timestamp ts;
          ts.year = t.date.year, ts.month = t.date.month, ts.day = t.date.day, ts.hour = t.hour;
          ts.minute = t.minute, ts.second = t.second, ts.has_time = kind == YamlKind::datetime;
          ts.tz_minutes = std::bit_cast<std::int16_t>(r.small);
          if (!timestamp_range_error(ts).empty() || t.microsecond > 999'999)
            return corrupt(where + "timestamp out of range");
          if (kind == YamlKind::date && (r.payload & ((std::uint64_t{1} << k_day_shift) - 1)) != 0)
            return corrupt(where + "date with a time");
          if ((r.flags & k_yaml_flag_tz) == 0 && r.small != 0) return corrupt(where + "offset without flag");
          break;
        }
        case YamlKind::string:
          if (!util::is_valid_utf8(text)) return corrupt(where + "invalid UTF-8");
          break;
        default:
          break;
      }
      continue;
    }
    const std::uint32_t height = r.small;
    if (height == 0 || height > k_yaml_max_supported_depth) return corrupt(where + "bad height");
    const std::uint64_t slot_count = (kind == YamlKind::mapping ? 2 : 1) * std::uint64_t{r.count};
    if (std::uint64_t{r.first} + slot_count > header->slot_count) return corrupt(where + "children outside slots");
    std::uint32_t max_child_height = 0;
    std::uint64_t nodes = 1;
    std::uint64_t bytes = 0;
    for (std::uint64_t s = r.first; s < r.first + slot_count; ++s) {
      const std::uint32_t c = view.m_slots[s];
      if (c >= header->node_count) return corrupt(where + "child index out of range");
      const YamlNodeRecord& child = view.m_nodes[c];
      // The child's own record is validated in its own iteration; here only what links the two is checked.
      const bool child_is_collection = child.kind >= static_cast<std::uint8_t>(YamlKind::sequence);
      const std::uint32_t child_height = child_is_collection ? child.small : 0;
      if (child_height >= height) return corrupt(where + "child not lower than its parent (a cycle?)");
      if (kind == YamlKind::mapping && (s - r.first) % 2 == 0 && child_is_collection)
        return corrupt(where + "a collection as a mapping key");
      max_child_height = std::max(max_child_height, child_height);
      nodes += child.logical_nodes;
      bytes = saturating_add(bytes, child_is_collection ? child.payload : child.count);
    }
    if (max_child_height + 1 != height) return corrupt(where + "height does not match its children");
    if (nodes != r.logical_nodes || bytes != r.payload) return corrupt(where + "expanded counts do not add up");
  }
  return view;
}

std::string_view YamlView::text(YamlNode node) const {
  const YamlNodeRecord& r = m_nodes[node];
  if (!is_scalar(node)) return {};
  return {m_pool + r.first, r.count};
}

std::optional<YamlNode> YamlView::find(YamlNode node, std::string_view key) const {
  if (!is_mapping(node)) return std::nullopt;
  const std::uint32_t n = m_nodes[node].count;
  for (std::uint32_t i = 0; i < n; ++i) {
    const YamlNode k = key_at(node, i);
    if (kind(k) == YamlKind::string && text(k) == key) return value_at(node, i);
  }
  return std::nullopt;
}

std::optional<std::int64_t> YamlView::as_int64(YamlNode node) const {
  if (kind(node) != YamlKind::integer || is_bigint(node)) return std::nullopt;
  return std::bit_cast<std::int64_t>(m_nodes[node].payload);
}

std::string YamlView::int_decimal(YamlNode node) const {
  if (kind(node) == YamlKind::boolean) return as_bool(node) ? "1" : "0";
  if (kind(node) != YamlKind::integer) return "";
  if (!is_bigint(node)) return std::to_string(std::bit_cast<std::int64_t>(m_nodes[node].payload));
  IntValue v;
  std::string error;
  construct_int(text(node), v, error);  // attach() proved this succeeds with a big value
  return v.value.decimal();
}

std::optional<double> YamlView::as_number(YamlNode node) const {
  switch (kind(node)) {
    case YamlKind::boolean:
      return as_bool(node) ? 1.0 : 0.0;
    case YamlKind::integer:
      if (is_bigint(node)) return std::bit_cast<double>(m_nodes[node].payload);
      return static_cast<double>(std::bit_cast<std::int64_t>(m_nodes[node].payload));
    case YamlKind::floating:
      return std::bit_cast<double>(m_nodes[node].payload);
    default:
      return std::nullopt;
  }
}

YamlDate YamlView::date(YamlNode node) const {
  if (kind(node) != YamlKind::date && kind(node) != YamlKind::datetime) return {};
  return unpack_timestamp(m_nodes[node].payload).date;
}

YamlDateTime YamlView::datetime(YamlNode node) const {
  if (kind(node) != YamlKind::date && kind(node) != YamlKind::datetime) return {};
  YamlDateTime t = unpack_timestamp(m_nodes[node].payload);
  if ((m_nodes[node].flags & k_yaml_flag_tz) != 0)
    t.utc_offset_minutes = std::bit_cast<std::int16_t>(m_nodes[node].small);
  return t;
}

bool YamlView::truthy(YamlNode node) const {
  const YamlNodeRecord& r = m_nodes[node];
  switch (kind(node)) {
    case YamlKind::null:
      return false;
    case YamlKind::boolean:
      return r.payload != 0;
    case YamlKind::integer:
      return is_bigint(node) || r.payload != 0;
    case YamlKind::floating:
      return std::bit_cast<double>(r.payload) != 0.0;  // NaN is truthy, as in Python
    case YamlKind::string:
    case YamlKind::binary:
    case YamlKind::sequence:
    case YamlKind::mapping:
      return r.count != 0;
    case YamlKind::date:
    case YamlKind::datetime:
      return true;
  }
  return false;
}

YamlMembership YamlView::python_in(YamlNode node, std::string_view key) const {
  switch (kind(node)) {
    case YamlKind::mapping:
      return find(node, key) ? YamlMembership::present : YamlMembership::absent;
    case YamlKind::sequence:
      for (std::uint32_t i = 0; i < m_nodes[node].count; ++i) {
        const YamlNode e = element(node, i);
        if (kind(e) == YamlKind::string && text(e) == key) return YamlMembership::present;
      }
      return YamlMembership::absent;
    case YamlKind::string:
      return text(node).find(key) != std::string_view::npos ? YamlMembership::present : YamlMembership::absent;
    default:
      return YamlMembership::type_error;
  }
}

std::string YamlView::python_in_error(YamlNode node) const {
  switch (kind(node)) {
    case YamlKind::mapping:
    case YamlKind::sequence:
    case YamlKind::string:
      return "";
    case YamlKind::binary:
      return "a bytes-like object is required, not 'str'";
    default:
      break;
  }
  std::string_view name = python_type_name(node);  // "<class 'X'>" → "'X'"
  name.remove_prefix(7);
  name.remove_suffix(1);
  return "argument of type " + std::string(name) + " is not iterable";
}

std::string_view YamlView::python_type_name(YamlNode node) const {
  switch (kind(node)) {
    case YamlKind::null:
      return "<class 'NoneType'>";
    case YamlKind::boolean:
      return "<class 'bool'>";
    case YamlKind::integer:
      return "<class 'int'>";
    case YamlKind::floating:
      return "<class 'float'>";
    case YamlKind::string:
      return "<class 'str'>";
    case YamlKind::binary:
      return "<class 'bytes'>";
    case YamlKind::date:
      return "<class 'datetime.date'>";
    case YamlKind::datetime:
      return "<class 'datetime.datetime'>";
    case YamlKind::sequence:
      return "<class 'list'>";
    case YamlKind::mapping:
      return "<class 'dict'>";
  }
  return "<class 'object'>";
}

std::string_view YamlView::value_type_name(YamlNode node) const {
  switch (kind(node)) {
    case YamlKind::null:
      return "null";
    case YamlKind::boolean:
      return "bool";
    case YamlKind::integer:
      return "int";
    case YamlKind::floating:
      return "float";
    case YamlKind::string:
      return "string";
    case YamlKind::binary:
      return "bytes";
    case YamlKind::date:
      return "date";
    case YamlKind::datetime:
      return "datetime";
    case YamlKind::sequence:
      return "list";
    case YamlKind::mapping:
      return "map";
  }
  return "unknown";
}

void YamlView::append_python_repr(YamlNode node, std::string& out) const {
  const YamlNodeRecord& r = m_nodes[node];
  switch (kind(node)) {
    case YamlKind::null:
      out += "None";
      return;
    case YamlKind::boolean:
      out += r.payload != 0 ? "True" : "False";
      return;
    case YamlKind::integer:
      out += int_decimal(node);
      return;
    case YamlKind::floating:
      append_float_repr(out, std::bit_cast<double>(r.payload));
      return;
    case YamlKind::string:
      append_str_repr(out, text(node));
      return;
    case YamlKind::binary:
      append_bytes_repr(out, text(node));
      return;
    case YamlKind::date: {
      const YamlDate d = date(node);
      out += "datetime.date(" + std::to_string(d.year) + ", " + std::to_string(d.month) + ", " + std::to_string(d.day) +
             ")";
      return;
    }
    case YamlKind::datetime: {
      // Python drops a zero microsecond, then a zero second (only when the microsecond was dropped).
      const YamlDateTime t = datetime(node);
      out += "datetime.datetime(" + std::to_string(t.date.year) + ", " + std::to_string(t.date.month) + ", " +
             std::to_string(t.date.day) + ", " + std::to_string(t.hour) + ", " + std::to_string(t.minute);
      if (t.second != 0 || t.microsecond != 0) out += ", " + std::to_string(t.second);
      if (t.microsecond != 0) out += ", " + std::to_string(t.microsecond);
      if (t.utc_offset_minutes) {
        // datetime.timezone(timedelta(0)) is the utc singleton in CPython, whatever the source spelled.
        out += *t.utc_offset_minutes == 0 ? ", tzinfo=datetime.timezone.utc"
                                          : ", tzinfo=datetime.timezone(" + timedelta_repr(*t.utc_offset_minutes) + ")";
      }
      out += ")";
      return;
    }
    case YamlKind::sequence:
      out += '[';
      for (std::uint32_t i = 0; i < r.count; ++i) {
        if (i != 0) out += ", ";
        append_python_repr(element(node, i), out);
      }
      out += ']';
      return;
    case YamlKind::mapping:
      out += '{';
      for (std::uint32_t i = 0; i < r.count; ++i) {
        if (i != 0) out += ", ";
        append_python_repr(key_at(node, i), out);
        out += ": ";
        append_python_repr(value_at(node, i), out);
      }
      out += '}';
      return;
  }
}

std::string YamlView::python_repr(YamlNode node) const {
  std::string out;
  append_python_repr(node, out);
  return out;
}

std::string YamlView::python_str(YamlNode node) const {
  std::string out;
  switch (kind(node)) {
    case YamlKind::string:
      return std::string(text(node));
    case YamlKind::date:
      append_iso_date(out, date(node));
      return out;
    case YamlKind::datetime:
      append_iso_datetime(out, datetime(node), ' ');
      return out;
    default:
      append_python_repr(node, out);
      return out;
  }
}

namespace {

/// How json.dumps writes a float, as a string where JSON has no number for it.
nlohmann::ordered_json json_float(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d < 0 ? "-Infinity" : "Infinity";
  return d;
}

}  // namespace

nlohmann::ordered_json YamlView::to_json(YamlNode node) const {
  const YamlNodeRecord& r = m_nodes[node];
  switch (kind(node)) {
    case YamlKind::null:
      return nullptr;
    case YamlKind::boolean:
      return r.payload != 0;
    case YamlKind::integer:
      if (is_bigint(node)) return int_decimal(node);
      return std::bit_cast<std::int64_t>(r.payload);
    case YamlKind::floating:
      return json_float(std::bit_cast<double>(r.payload));
    case YamlKind::string:
      return std::string(text(node));
    case YamlKind::binary:
      return python_repr(node);
    case YamlKind::date: {
      std::string out;
      append_iso_date(out, date(node));
      return out;
    }
    case YamlKind::datetime: {
      std::string out;
      append_iso_datetime(out, datetime(node), 'T');
      return out;
    }
    case YamlKind::sequence: {
      nlohmann::ordered_json array = nlohmann::ordered_json::array();
      for (std::uint32_t i = 0; i < r.count; ++i) array.push_back(to_json(element(node, i)));
      return array;
    }
    case YamlKind::mapping: {
      nlohmann::ordered_json object = nlohmann::ordered_json::object();
      for (std::uint32_t i = 0; i < r.count; ++i) {
        const YamlNode k = key_at(node, i);
        std::string key;
        switch (kind(k)) {
          case YamlKind::string:
            key = text(k);
            break;
          case YamlKind::null:
            key = "null";
            break;
          case YamlKind::boolean:
            key = as_bool(k) ? "true" : "false";
            break;
          case YamlKind::floating: {
            const nlohmann::ordered_json f = json_float(std::bit_cast<double>(m_nodes[k].payload));
            if (f.is_string()) {
              key = f.get<std::string>();
            } else {
              append_float_repr(key, std::bit_cast<double>(m_nodes[k].payload));
            }
            break;
          }
          case YamlKind::date:
            append_iso_date(key, date(k));
            break;
          case YamlKind::datetime:
            append_iso_datetime(key, datetime(k), 'T');
            break;
          default:
            key = python_str(k);
            break;  // int → its decimal; bytes → repr
        }
        if (!object.contains(key)) object.emplace(std::move(key), to_json(value_at(node, i)));
      }
      return object;
    }
  }
  return nullptr;
}

}  // namespace sotcheck::snapshot
