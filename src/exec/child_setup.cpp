// A worker child's clean slate (child_setup.hpp).

#include "child_setup.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>

namespace sotcheck::exec {

void reset_signal_state() {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  for (int sig = 1; sig < NSIG; ++sig)
    if (sig != SIGKILL && sig != SIGSTOP) (void)::sigaction(sig, &dfl, nullptr);
  sigset_t none;
  sigemptyset(&none);
  (void)::sigprocmask(SIG_SETMASK, &none, nullptr);
}

void close_descriptors_from(int lowest) {
  if (::close_range(static_cast<unsigned>(lowest), ~0u, 0) == 0) return;
  const long max = std::min(::sysconf(_SC_OPEN_MAX), 65536L);
  for (long fd = lowest; fd < max; ++fd) ::close(static_cast<int>(fd));
}

}  // namespace sotcheck::exec
