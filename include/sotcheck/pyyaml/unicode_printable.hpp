#pragma once
/// Python 3.11's str.isprintable() above ASCII: what repr() leaves as is and what it escapes.

#include <cstdint>

namespace sotcheck::pyyaml {

/// True when chr(code_point).isprintable() in Python 3.11 (Unicode 14.0), for code_point >= 0x80.
bool is_printable_non_ascii(std::uint32_t code_point);

}  // namespace sotcheck::pyyaml
