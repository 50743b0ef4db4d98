#pragma once
/// PyYAML's SafeConstructor.construct_yaml_int: the Python int a YAML 1.1 integer scalar loads as.

#include <cstdint>
#include <string>
#include <string_view>

#include "sotcheck/pyyaml/big_integer.hpp"

namespace sotcheck::pyyaml {

/// An int of any size: `small` when it fits int64, else `value`.
struct IntValue {
  bool big = false;
  std::int64_t small = 0;
  BigInteger value;  ///< set only when big
};

/// The int `text` constructs, for implicit and `!!int` scalars alike: '_' dropped, then a sign, then `0b`
/// binary, `0x` hex, a leading `0` octal, `a:b:c` sexagesimal (base 60) or decimal. False with Python's
/// error text where PyYAML raises (`!!int abc`, `!!int 08`).
bool construct_int(std::string_view text, IntValue& out, std::string& error);

/// float(int) for a decimal string: correctly rounded, ±inf beyond the double range (Python raises there;
/// sotcheck uses the approximation only for numeric comparisons).
double decimal_to_double(const std::string& decimal);

}  // namespace sotcheck::pyyaml
