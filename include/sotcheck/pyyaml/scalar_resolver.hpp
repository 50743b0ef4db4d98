#pragma once
/// PyYAML's implicit resolver (resolver.py, YAML 1.1): the type an untagged plain scalar loads as.

#include <cstdint>
#include <string_view>

namespace sotcheck::pyyaml {

/// What the resolver decides for a plain scalar.
enum class Implicit : std::uint8_t {
  string,
  null,       ///< ~, null, Null, NULL and the empty scalar
  boolean,    ///< the eighteen yes/no/true/false/on/off spellings
  integer,    ///< 0b…, 0x…, 0…(octal), decimal and sexagesimal, '_' allowed
  floating,   ///< a dot is required; an exponent needs a sign; .inf/.nan
  timestamp,  ///< YYYY-MM-DD, or a date with a time
  merge,      ///< `<<`
  value,      ///< `=`
  yaml,       ///< `!`, `&` or `*` alone: PyYAML's documentation-only tag, which nothing constructs
};

/// The resolver's answer for `value`: the patterns hand-compiled and tried in PyYAML's registration order
/// among those registered for the scalar's first character.
Implicit resolve_implicit(std::string_view value);

}  // namespace sotcheck::pyyaml
