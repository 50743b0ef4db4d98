#include "sotcheck/util/errno_text.hpp"

#include <cstring>

namespace sotcheck::util {

std::string errno_text(std::string_view what, int error) {
  std::string out(what);
  out += ": ";
  out += std::strerror(error);
  return out;
}

}  // namespace sotcheck::util
