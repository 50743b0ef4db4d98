#include "sotcheck/cli/interrupts.hpp"

#include <signal.h>
#include <unistd.h>

#include <cstring>

#include "sotcheck/cli/cli.hpp"
#include "sotcheck/util/atomic_file.hpp"

namespace sotcheck::cli {
namespace {

extern "C" void end_interrupted_run(int) {
  // Only async-signal-safe calls: write, unlink, _exit.
  util::remove_pending_temporary();
  const ssize_t ignored = ::write(STDERR_FILENO, k_interrupted_line, std::strlen(k_interrupted_line));
  (void)ignored;
  ::_exit(k_exit_interrupted);
}

}  // namespace

void install_run_interrupt_handler() {
  struct sigaction action {};
  action.sa_handler = end_interrupted_run;
  sigemptyset(&action.sa_mask);
  for (const int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction previous {};
    ::sigaction(sig, nullptr, &previous);
    if (previous.sa_handler != SIG_IGN) ::sigaction(sig, &action, nullptr);
  }
}

}  // namespace sotcheck::cli
