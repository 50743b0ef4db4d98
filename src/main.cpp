// sotcheck entry point. Everything lives in the library; main only keeps the
// last-resort catch so no exception ever escapes as a crash.

#include <cstdio>
#include <exception>

#include "sotcheck/cli/cli.hpp"

int main(int argc, char** argv) {
  try {
    return sotcheck::cli::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sotcheck: internal error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "sotcheck: internal error: unknown exception\n");
  }
  return sotcheck::cli::k_exit_internal;
}
