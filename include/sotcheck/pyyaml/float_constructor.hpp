#pragma once
/// PyYAML's SafeConstructor.construct_yaml_float and the Python float() it relies on.

#include <cstdint>
#include <string>
#include <string_view>

namespace sotcheck::pyyaml {

/// PyYAML returns one shared NaN object (SafeConstructor.nan_value) for every `.nan`, and a dict finds keys by
/// identity before equality, so `.nan` keys fold into one; a NaN from float("nan") (`!!float nan`) is a new
/// object each time. Two NaN payloads keep that difference visible to key equality (key_equality.hpp).
inline constexpr std::uint64_t k_shared_nan_bits = 0x7FF8000000000000ull;
inline constexpr std::uint64_t k_fresh_nan_bits = 0x7FF8000000000001ull;

/// Python's float(s) over ASCII text whose '_' the caller already removed; false where Python raises.
/// Overflow gives ±inf and underflow zero, as in Python; "nan" gives the fresh NaN.
bool python_float(std::string_view s, double& out);

/// The float `text` constructs, for implicit and `!!float` scalars alike: '_' dropped, case folded, a sign,
/// then `.inf`, `.nan` (the shared NaN), `a:b:c` sexagesimal or float(). False with Python's error text.
bool construct_float(std::string_view text, double& out, std::string& error);

}  // namespace sotcheck::pyyaml
