#pragma once
/// One interrupt policy for the whole `validate` run (docs/ci-integration.md):
/// SIGINT, SIGTERM and SIGHUP all end it with exit code 130 and the single
/// line "sotcheck: interrupted" on stderr, whatever phase it is in. While the
/// process pool runs, the pool's own guard takes over (it must stop and reap
/// the workers first) and reports the signal back; validate then exits the
/// same way. Outside the pool there is nothing to stop but a report
/// temporary, which the handler removes before _exit.

#include "sotcheck/util/interrupt_guard.hpp"

namespace sotcheck::cli {

/// The line printed on an interrupt.
inline constexpr const char* k_interrupted_line = "sotcheck: interrupted\n";

/// The run-wide policy, in force while the returned guard lives. A signal the
/// caller's shell set to be ignored (a background job's SIGINT) stays ignored.
[[nodiscard]] util::InterruptGuard run_interrupt_guard();

}  // namespace sotcheck::cli
