#pragma once
/// Python ints have no bound. YAML ints beyond int64 are rare, so they take this slow, exact path.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sotcheck::pyyaml {

/// Python 3.11 refuses int(str) beyond this many decimal digits (sys.int_info.default_max_str_digits).
inline constexpr std::size_t k_max_int_digits = 4300;
/// The same bound translated to bits caps the power-of-two bases, so no scalar makes the quadratic path slow.
inline constexpr std::size_t k_max_int_bits = 14300;

/// A signed integer of any size. Limbs are base 1e9, little-endian, so decimal output is direct.
class BigInteger {
 public:
  static constexpr std::uint32_t k_base = 1'000'000'000;

  bool is_zero() const { return m_limbs.empty(); }
  bool negative() const { return m_negative && !is_zero(); }
  void negate() { m_negative = !m_negative; }

  /// |x| = |x| * factor + addend.
  void mul_add(std::uint32_t factor, std::uint32_t addend);
  /// x += other (signed).
  void add(const BigInteger& other);

  /// str(x).
  std::string decimal() const;
  /// x when it fits int64.
  std::optional<std::int64_t> to_int64() const;

 private:
  void add_magnitude(const std::vector<std::uint32_t>& other);
  void subtract_magnitude(const std::vector<std::uint32_t>& other);

  std::vector<std::uint32_t> m_limbs;
  bool m_negative = false;
};

/// Python's int(s, base) for bases 2, 8, 10 and 16 over ASCII text whose '_' the caller already removed: an
/// optional sign, an optional 0x/0o/0b prefix matching the base, surrounding whitespace allowed. False with
/// Python's ValueError text in `error` where Python raises (sotcheck also refuses power-of-two literals
/// beyond 14300 bits, where Python would not).
bool parse_python_int(std::string_view s, std::uint32_t base, BigInteger& out, std::string& error);

}  // namespace sotcheck::pyyaml
