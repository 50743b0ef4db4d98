#include "sotcheck/cli/build_info.hpp"

// Written at build time by cmake/WriteBuildInfo.cmake (SOTCHECK_COMMIT,
// SOTCHECK_BUILD_TYPE, SOTCHECK_LINKAGE). Only this file includes it, so a
// new commit recompiles one file.
#include "sotcheck_build_info.h"

namespace sotcheck::cli {

std::string version_text() {
  return std::string("sotcheck ") + SOTCHECK_VERSION + " (commit " + SOTCHECK_COMMIT + ", " + SOTCHECK_BUILD_TYPE +
         ", " + SOTCHECK_LINKAGE + ")";
}

}  // namespace sotcheck::cli
