#pragma once
/// Where this binary came from, for --version and bug reports: the version,
/// the git commit it was built from and how it was built.

#include <string>

namespace sotcheck::cli {

/// "sotcheck 0.1.0 (commit 1a2b3c4d5e6f, Release, static)".
std::string version_text();

}  // namespace sotcheck::cli
