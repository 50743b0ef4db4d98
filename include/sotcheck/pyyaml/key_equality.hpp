#pragma once
/// Python's `==` between two dict keys, which decides which YAML mapping keys fold into one. Only scalars
/// can be keys: PyYAML refuses lists and dicts as unhashable.

#include <cstdint>
#include <string_view>

#include "sotcheck/pyyaml/timestamp.hpp"

namespace sotcheck::pyyaml {

/// A loaded scalar, holding just what Python's `==` looks at.
struct KeyScalar {
  enum class Type : std::uint8_t { none, boolean, integer, floating, string, bytes, date, datetime };
  Type type = Type::none;
  std::int64_t integer = 0;  ///< boolean (0 or 1); integer when it fits int64
  bool big = false;          ///< an integer beyond int64, whose YAML source is `text`
  double floating = 0;       ///< with its NaN payload (float_constructor.hpp: shared vs fresh NaN)
  std::string_view text;     ///< string, bytes, a big integer's source
  DateTime datetime;         ///< date (time fields zero) and datetime
};

/// `a == b` in Python: bool, int and float compare as numbers (1 == 1.0 == True, exactly, at any size);
/// the shared `.nan` equals itself as a key because a dict tests identity first, a fresh NaN never; str,
/// bytes, None, dates compare within their type; naive and aware datetimes never compare equal, two aware
/// ones compare as instants.
bool python_keys_equal(const KeyScalar& a, const KeyScalar& b);

}  // namespace sotcheck::pyyaml
