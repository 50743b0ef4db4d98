// The interrupt guard (util/interrupt_guard.hpp): what it installs, that it
// always puts back what it found (handlers and mask, nested guards too), that
// an ignored signal stays ignored, and the recording and blocked modes the
// process pool and the bench rely on.

#include <gtest/gtest.h>

#include <signal.h>

#include "sotcheck/util/interrupt_guard.hpp"

namespace sotcheck {
namespace {

using util::InterruptGuard;

InterruptGuard::Handler handler_of(int signal_number) {
  struct sigaction current {};
  ::sigaction(signal_number, nullptr, &current);
  return current.sa_handler;
}

bool blocked(int signal_number) {
  sigset_t mask;
  ::sigprocmask(SIG_SETMASK, nullptr, &mask);
  return sigismember(&mask, signal_number) == 1;
}

volatile sig_atomic_t g_callers_signal = 0;
void callers_handler(int signal_number) {
  g_callers_signal = signal_number;
}

/// Sets a disposition for the test and puts the previous one back after it.
class Disposition {
 public:
  Disposition(int signal_number, InterruptGuard::Handler handler) : m_signal(signal_number) {
    struct sigaction action {};
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    ::sigaction(m_signal, &action, &m_previous);
  }
  ~Disposition() { ::sigaction(m_signal, &m_previous, nullptr); }

 private:
  int m_signal;
  struct sigaction m_previous {};
};

TEST(InterruptGuard, InstallsForItsScopeAndRestoresWhatItFound) {
  const Disposition callers(SIGTERM, callers_handler);
  {
    const InterruptGuard guard(InterruptGuard::record);
    for (const int sig : {SIGINT, SIGTERM, SIGHUP}) EXPECT_EQ(handler_of(sig), &InterruptGuard::record) << sig;
  }
  EXPECT_EQ(handler_of(SIGTERM), &callers_handler);
  g_callers_signal = 0;
  ::raise(SIGTERM);
  EXPECT_EQ(g_callers_signal, SIGTERM);
}

TEST(InterruptGuard, RecordNotesTheSignalAndTheNextGuardStartsClean) {
  {
    const InterruptGuard guard(InterruptGuard::record);
    EXPECT_EQ(InterruptGuard::recorded(), 0);
    ::raise(SIGHUP);
    EXPECT_EQ(InterruptGuard::recorded(), SIGHUP);
  }
  const InterruptGuard next(InterruptGuard::record);
  EXPECT_EQ(InterruptGuard::recorded(), 0);
}

TEST(InterruptGuard, AnIgnoredSignalStaysIgnored) {
  const Disposition ignored(SIGINT, SIG_IGN);
  {
    const InterruptGuard guard(InterruptGuard::record);
    EXPECT_EQ(handler_of(SIGINT), SIG_IGN);
    EXPECT_EQ(handler_of(SIGTERM), &InterruptGuard::record);
    ::raise(SIGINT);
    EXPECT_EQ(InterruptGuard::recorded(), 0);
  }
  EXPECT_EQ(handler_of(SIGINT), SIG_IGN);
}

// The process pool's mode: the signals wait while the loop works and arrive
// only inside its ppoll (poll_mask); one still pending when the guard ends is
// recorded then, never lost, and the mask is the caller's again.
TEST(InterruptGuard, BlockedSignalsWaitForThePollOrTheGuardsEnd) {
  ASSERT_FALSE(blocked(SIGTERM));
  {
    const InterruptGuard guard(InterruptGuard::record, InterruptGuard::Delivery::blocked);
    for (const int sig : {SIGINT, SIGTERM, SIGHUP}) {
      EXPECT_TRUE(blocked(sig)) << sig;
      EXPECT_EQ(sigismember(guard.poll_mask(), sig), 0) << sig;
    }
    ::raise(SIGTERM);
    EXPECT_EQ(InterruptGuard::recorded(), 0);
    const timespec no_wait{0, 0};
    EXPECT_EQ(::pselect(0, nullptr, nullptr, nullptr, &no_wait, guard.poll_mask()), -1);
    EXPECT_EQ(InterruptGuard::recorded(), SIGTERM);
    ::raise(SIGHUP);
  }
  EXPECT_EQ(InterruptGuard::recorded(), SIGHUP);
  for (const int sig : {SIGINT, SIGTERM, SIGHUP}) EXPECT_FALSE(blocked(sig)) << sig;
}

TEST(InterruptGuard, NestedGuardsUnwindInOrder) {
  const Disposition callers(SIGINT, callers_handler);
  {
    const InterruptGuard outer(InterruptGuard::record);
    {
      const InterruptGuard inner(SIG_DFL);
      EXPECT_EQ(handler_of(SIGINT), SIG_DFL);
    }
    EXPECT_EQ(handler_of(SIGINT), &InterruptGuard::record);
  }
  EXPECT_EQ(handler_of(SIGINT), &callers_handler);
}

}  // namespace
}  // namespace sotcheck
