// HTML escaping for the HTML report: file names, messages and evidence come
// from the tree, so every text is escaped before it reaches the page (a file
// named `<script>` must stay text).

#include "sotcheck/report/shard_matrix.hpp"

namespace sotcheck::report {

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\0': out += "\xEF\xBF\xBD"; break;  // U+FFFD: HTML forbids NUL in text
      default: out += c;
    }
  }
  return out;
}

}  // namespace sotcheck::report
