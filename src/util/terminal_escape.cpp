#include "sotcheck/util/terminal_escape.hpp"

#include "sotcheck/util/utf8.hpp"

#include <cstdint>
#include <cstdio>

namespace sotcheck::util {
namespace {

constexpr std::string_view k_replacement = "\xEF\xBF\xBD";  // U+FFFD

bool must_escape(std::uint32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
}

void append_escaped(std::uint32_t cp, std::string& out) {
  switch (cp) {
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    default: break;
  }
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "\\u%04X", static_cast<unsigned>(cp));
  out += buffer;
}

}  // namespace

std::string escape_for_terminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    std::uint32_t cp = 0;
    const std::size_t length = decode_utf8(text, i, &cp);
    if (length == 0) {
      out += k_replacement;  // one replacement per invalid byte, as nlohmann's "replace" does
      ++i;
      continue;
    }
    if (must_escape(cp))
      append_escaped(cp, out);
    else
      out.append(text.substr(i, length));
    i += length;
  }
  return out;
}

}  // namespace sotcheck::util
