#include "sotcheck/pyyaml/base64.hpp"

namespace sotcheck::pyyaml {

bool decode_base64(std::string_view text, std::string& out, std::string& error) {
  for (unsigned char c : text) {
    if (c >= 0x80) {
      error = "failed to convert base64 data into ascii: non-ASCII character";
      return false;
    }
  }
  const auto sextet = [](unsigned char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  out.clear();
  int quad_pos = 0;
  int pads = 0;
  unsigned left = 0;
  std::size_t data_chars = 0;
  for (unsigned char c : text) {
    if (c == '=') {
      // A pad ends the data once it completes a quad; other pads are ignored.
      if (quad_pos >= 2 && quad_pos + ++pads >= 4) return true;
      continue;
    }
    const int v = sextet(c);
    if (v < 0) continue;  // lenient mode skips characters outside the alphabet (newlines, spaces)
    ++data_chars;
    pads = 0;
    switch (quad_pos) {
      case 0:
        quad_pos = 1;
        left = static_cast<unsigned>(v);
        break;
      case 1:
        quad_pos = 2;
        out.push_back(static_cast<char>((left << 2) | (static_cast<unsigned>(v) >> 4)));
        left = v & 0x0F;
        break;
      case 2:
        quad_pos = 3;
        out.push_back(static_cast<char>((left << 4) | (static_cast<unsigned>(v) >> 2)));
        left = v & 0x03;
        break;
      default:
        quad_pos = 0;
        out.push_back(static_cast<char>((left << 6) | static_cast<unsigned>(v)));
        left = 0;
        break;
    }
  }
  if (quad_pos == 1) {
    error = "failed to decode base64 data: Invalid base64-encoded string: number of data characters (" +
            std::to_string(data_chars) + ") cannot be 1 more than a multiple of 4";
    return false;
  }
  if (quad_pos != 0) {
    error = "failed to decode base64 data: Incorrect padding";
    return false;
  }
  return true;
}

}  // namespace sotcheck::pyyaml
