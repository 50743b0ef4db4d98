#include "sotcheck/cli/interrupts.hpp"

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

util::InterruptGuard run_interrupt_guard() { return util::InterruptGuard(end_interrupted_run); }

}  // namespace sotcheck::cli
