#pragma once
/// The tags PyYAML's SafeLoader knows (tag:yaml.org,2002:*) and the errors it gives for the others.

#include <cstdint>
#include <string>
#include <string_view>

#include "sotcheck/pyyaml/scalar_resolver.hpp"

namespace sotcheck::pyyaml {

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
  unknown  ///< any other tag, local ones (`!foo`) included
};

/// The tag a resolved tag text names, e.g. "tag:yaml.org,2002:int" → Tag::integer.
Tag classify_tag(std::string_view tag);

/// The tag the implicit resolver assigns (Implicit::yaml → unknown: nothing constructs it).
Tag tag_of_implicit(Implicit resolved);

/// PyYAML's ConstructorError for a tag without constructor.
std::string no_constructor(std::string_view tag);

/// The error for `!!set`, `!!omap` and `!!pairs`, which build Python objects sotcheck has no kind for.
std::string unsupported_tag(std::string_view tag);

}  // namespace sotcheck::pyyaml
