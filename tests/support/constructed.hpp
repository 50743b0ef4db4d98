#pragma once
// What a pyyaml constructor or decoder makes of a scalar's text, as one string a test compares with what
// Python prints: the value, or "ERROR <message>" where Python raises.

#include <string>
#include <string_view>

#include "sotcheck/pyyaml/python_repr.hpp"

namespace sotcheck::testing {

/// `construct(text, value, error)` (the pyyaml constructors' signature), then `shown(value)`, or
/// "ERROR <error>" when it refuses the text.
template <class Value, class Construct, class Show>
std::string constructed_or_error(std::string_view text, Construct construct, Show shown) {
  Value value{};
  std::string error;
  if (!construct(text, value, error)) return "ERROR " + error;
  return shown(value);
}

/// repr(float).
inline std::string float_repr(double d) {
  std::string out;
  pyyaml::append_float_repr(out, d);
  return out;
}

}  // namespace sotcheck::testing
