#pragma once
/// `!!binary` content as PyYAML decodes it: base64.decodebytes, i.e. binascii.a2b_base64 in its default,
/// lenient mode.

#include <string>
#include <string_view>

namespace sotcheck::pyyaml {

/// The bytes `text` encodes. Characters outside the base64 alphabet (newlines, spaces) are skipped; a '='
/// that completes a quad ends the data. False with Python's error text for non-ASCII input, a lone sextet
/// (one data character more than a multiple of four) or a missing pad.
bool decode_base64(std::string_view text, std::string& out, std::string& error);

}  // namespace sotcheck::pyyaml
