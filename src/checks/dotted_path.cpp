// Dotted key paths (dotted_path.hpp).

#include "dotted_path.hpp"

#include "sotcheck/util/strings.hpp"

namespace sotcheck::checks {

std::vector<std::string> split_path(const std::string& dotted) {
  if (dotted.empty()) return {};
  return util::split(dotted, '.');
}

std::string joined(const std::vector<std::string>& segments, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) {
    if (i) out += '.';
    out += segments[i];
  }
  return out;
}

}  // namespace sotcheck::checks
