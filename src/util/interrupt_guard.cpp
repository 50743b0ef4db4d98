// The interrupt guard (interrupt_guard.hpp): install for a scope, restore on exit.

#include "sotcheck/util/interrupt_guard.hpp"

#include <csignal>

namespace sotcheck::util {
namespace {

volatile std::sig_atomic_t g_recorded_signal = 0;

}  // namespace

void InterruptGuard::record(int signal_number) {
  g_recorded_signal = signal_number;
}

int InterruptGuard::recorded() {
  return g_recorded_signal;
}

InterruptGuard::InterruptGuard(Handler handler, Delivery delivery) : m_blocked(delivery == Delivery::blocked) {
  if (handler == &InterruptGuard::record) g_recorded_signal = 0;
  sigset_t signals;
  sigemptyset(&signals);
  for (const int sig : k_signals) sigaddset(&signals, sig);
  // Blocked before the handler is in place, so no signal slips between the two.
  ::sigprocmask(m_blocked ? SIG_BLOCK : SIG_SETMASK, m_blocked ? &signals : nullptr, &m_old_mask);
  m_poll_mask = m_old_mask;
  for (const int sig : k_signals) sigdelset(&m_poll_mask, sig);
  struct sigaction action {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  for (std::size_t i = 0; i < k_signals.size(); ++i) {
    ::sigaction(k_signals[i], nullptr, &m_old_actions[i]);
    if (m_old_actions[i].sa_handler != SIG_IGN) ::sigaction(k_signals[i], &action, nullptr);
  }
}

InterruptGuard::~InterruptGuard() {
  // Unblocked while this guard's handler is still installed, so a signal that
  // arrived outside the holder's wait is handled here rather than lost.
  if (m_blocked) ::sigprocmask(SIG_SETMASK, &m_old_mask, nullptr);
  for (std::size_t i = 0; i < k_signals.size(); ++i) ::sigaction(k_signals[i], &m_old_actions[i], nullptr);
}

}  // namespace sotcheck::util
