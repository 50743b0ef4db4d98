#include "sotcheck/pyyaml/key_equality.hpp"

#include <bit>
#include <charconv>
#include <cmath>
#include <string>

#include "sotcheck/pyyaml/float_constructor.hpp"
#include "sotcheck/pyyaml/int_constructor.hpp"

namespace sotcheck::pyyaml {
namespace {

using Type = KeyScalar::Type;

/// A Python number as one of three exact representations.
struct Number {
  enum class Form : std::uint8_t { small, big, real } form = Form::small;
  std::int64_t small = 0;
  double real = 0;
  std::string big;  ///< decimal
};

bool is_numeric(Type t) {
  return t == Type::boolean || t == Type::integer || t == Type::floating;
}

Number number_of(const KeyScalar& k) {
  Number n;
  if (k.type == Type::floating) {
    n.form = Number::Form::real;
    n.real = k.floating;
  } else if (!k.big) {
    n.small = k.integer;
  } else {
    IntValue v;
    std::string error;
    n.form = Number::Form::big;
    n.big = construct_int(k.text, v, error) && v.big ? v.value.decimal() : std::string(k.text);
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

bool same_fields(const DateTime& a, const DateTime& b) {
  return a.date.year == b.date.year && a.date.month == b.date.month && a.date.day == b.date.day &&
         a.hour == b.hour && a.minute == b.minute && a.second == b.second && a.microsecond == b.microsecond;
}

}  // namespace

bool python_keys_equal(const KeyScalar& a, const KeyScalar& b) {
  if (is_numeric(a.type) && is_numeric(b.type)) return numbers_equal(number_of(a), number_of(b));
  if (a.type != b.type) return false;
  switch (a.type) {
    case Type::none:
      return true;
    case Type::string:
    case Type::bytes:
      return a.text == b.text;
    case Type::date:
      return same_fields(a.datetime, b.datetime);
    case Type::datetime: {
      const bool a_aware = a.datetime.utc_offset_minutes.has_value();
      const bool b_aware = b.datetime.utc_offset_minutes.has_value();
      if (a_aware != b_aware) return false;  // Python: naive == aware is False
      return a_aware ? utc_microseconds(a.datetime) == utc_microseconds(b.datetime)
                     : same_fields(a.datetime, b.datetime);
    }
    default:
      return false;
  }
}

}  // namespace sotcheck::pyyaml
