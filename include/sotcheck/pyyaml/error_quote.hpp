#pragma once
/// How PyYAML-style error messages quote a piece of source text.

#include <string>
#include <string_view>

namespace sotcheck::pyyaml {

/// `s` in single quotes, cut after 60 bytes (at a character boundary, then "..."), with newlines as "\n" and
/// other control characters as "\xNN", so a hostile scalar cannot flood or garble an error message.
std::string quote_for_error(std::string_view s);

}  // namespace sotcheck::pyyaml
