#pragma once
/// The one way sotcheck takes over SIGINT, SIGTERM and SIGHUP: a guard
/// installs a handler for the three while it lives and, when it ends, puts
/// back the dispositions and the signal mask it found, whatever path the
/// holder leaves by. Guards nest (the process pool's inside the validate
/// run's). A signal the user's shell set to be ignored (a background job's
/// SIGINT) stays ignored.

#include <signal.h>

#include <array>

namespace sotcheck::util {

class InterruptGuard {
 public:
  using Handler = void (*)(int);

  enum class Delivery {
    immediate,  ///< the handler runs whenever a signal arrives
    /// The signals stay blocked; they arrive only inside a wait that unblocks
    /// them (ppoll with poll_mask()), so a loop sees them at one place.
    blocked,
  };

  /// `handler` may be SIG_DFL, a function of the caller's (it must be
  /// async-signal-safe) or InterruptGuard::record.
  explicit InterruptGuard(Handler handler, Delivery delivery = Delivery::immediate);
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  /// The mask found at construction without the three signals: what a
  /// Delivery::blocked holder waits with.
  const sigset_t* poll_mask() const { return &m_poll_mask; }

  /// The handler that only notes the signal; a guard installing it clears the note.
  static void record(int signal_number);
  /// The signal record() noted last, or 0.
  static int recorded();

 private:
  static constexpr std::array<int, 3> k_signals = {SIGINT, SIGTERM, SIGHUP};
  bool m_blocked = false;
  sigset_t m_old_mask{};
  sigset_t m_poll_mask{};
  std::array<struct sigaction, k_signals.size()> m_old_actions{};
};

}  // namespace sotcheck::util
