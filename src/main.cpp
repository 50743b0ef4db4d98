// sotcheck entry point. Everything lives in the library; main only sets up
// the process (see below) and keeps the last-resort catch so no exception
// ever escapes as a crash.

#include <csignal>
#include <cstdio>
#include <exception>

#include "sotcheck/cli/cli.hpp"
#include "sotcheck/util/standard_streams.hpp"

int main(int argc, char** argv) {
  // Past `ulimit -f` a write fails with EFBIG instead of killing the process,
  // so a too-large report is an ordinary, reported write error (exit 3).
  std::signal(SIGXFSZ, SIG_IGN);
  sotcheck::util::reserve_standard_descriptors();
  try {
    return sotcheck::cli::run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "sotcheck: internal error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "sotcheck: internal error: unknown exception\n");
  }
  return sotcheck::cli::k_exit_internal;
}
