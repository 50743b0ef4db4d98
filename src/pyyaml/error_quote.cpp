#include "sotcheck/pyyaml/error_quote.hpp"

#include <algorithm>

namespace sotcheck::pyyaml {

std::string quote_for_error(std::string_view s) {
  constexpr std::size_t k_max = 60;
  static constexpr char k_hex[] = "0123456789abcdef";
  std::size_t cut = std::min(k_max, s.size());
  while (cut < s.size() && cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // whole chars
  std::string out = "'";
  for (char c : s.substr(0, cut)) {
    const auto u = static_cast<unsigned char>(c);
    if (u == '\n') {
      out += "\\n";
    } else if (u < 0x20 || u == 0x7F) {
      out += "\\x";
      out.push_back(k_hex[u >> 4]);
      out.push_back(k_hex[u & 0xF]);
    } else {
      out.push_back(c);
    }
  }
  if (cut < s.size()) out.append("...");
  out.push_back('\'');
  return out;
}

}  // namespace sotcheck::pyyaml
