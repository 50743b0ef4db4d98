#include "sotcheck/pyyaml/big_integer.hpp"

#include <cstdio>
#include <limits>
#include <utility>

#include "ascii_text.hpp"
#include "sotcheck/pyyaml/error_quote.hpp"

namespace sotcheck::pyyaml {
namespace {

int compare_magnitude(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  for (std::size_t i = a.size(); i-- > 0;)
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

}  // namespace

void BigInteger::mul_add(std::uint32_t factor, std::uint32_t addend) {
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

void BigInteger::add(const BigInteger& other) {
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

std::string BigInteger::decimal() const {
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

std::optional<std::int64_t> BigInteger::to_int64() const {
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

void BigInteger::add_magnitude(const std::vector<std::uint32_t>& other) {
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
void BigInteger::subtract_magnitude(const std::vector<std::uint32_t>& other) {
  std::int64_t borrow = 0;
  for (std::size_t i = 0; i < m_limbs.size(); ++i) {
    std::int64_t v = std::int64_t{m_limbs[i]} - borrow - (i < other.size() ? std::int64_t{other[i]} : 0);
    borrow = v < 0 ? 1 : 0;
    m_limbs[i] = static_cast<std::uint32_t>(v < 0 ? v + k_base : v);
  }
  while (!m_limbs.empty() && m_limbs.back() == 0) m_limbs.pop_back();
}

bool parse_python_int(std::string_view s, std::uint32_t base, BigInteger& out, std::string& error) {
  const std::string_view original = s;
  s = detail::strip_ascii_space(s);
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
  out = BigInteger{};
  for (char c : s) {
    const int d = digit_value(c);
    if (d >= static_cast<int>(base)) return invalid();
    out.mul_add(base, static_cast<std::uint32_t>(d));
  }
  if (negative) out.negate();
  return true;
}

}  // namespace sotcheck::pyyaml
