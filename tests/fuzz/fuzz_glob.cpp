// Fuzzes the glob matcher: the first line of the input is a pattern, compiled
// in both brace modes; every further line is a path it is matched against.
// compile() must refuse bad patterns cleanly and matches() must neither crash,
// read out of bounds nor run away on any name (bytes need not be UTF-8).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sotcheck/util/glob.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using sotcheck::util::BraceMode;
  using sotcheck::util::Glob;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const std::string_view pattern = input.substr(0, newline);
  std::string_view paths = newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);
  for (const BraceMode mode : {BraceMode::literal, BraceMode::expand}) {
    const auto glob = Glob::compile(pattern, mode);
    if (!glob) continue;
    std::string_view rest = paths;
    while (!rest.empty()) {
      const std::size_t end = rest.find('\n');
      const std::string_view path = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
      if (path.empty()) continue;  // matches() takes non-empty relative paths only
      const std::size_t slash = path.rfind('/');
      const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
      // A pre-filter may only reject what matches() rejects.
      if (glob->matches(path) && !name.empty() && !glob->may_match_name(name)) __builtin_trap();
    }
  }
  return 0;
}
