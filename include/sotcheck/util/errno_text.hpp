#pragma once
/// "what: strerror(error)", the one way system-call failures are worded.

#include <cerrno>
#include <string>
#include <string_view>

namespace sotcheck::util {

std::string errno_text(std::string_view what, int error = errno);

}  // namespace sotcheck::util
