#pragma once
// A mutex that spins a little before it sleeps (glibc's adaptive kind). The
// walk's listing threads enter tiny critical sections (the listing queue, the
// directory cache) tens of thousands of times per walk; a std::mutex goes to
// the kernel (futex wait and wake) on every collision, which cost more CPU
// than the sections themselves. Lockable, so std::lock_guard and
// std::condition_variable_any take it.

#include <pthread.h>

namespace sotcheck::snapshot {

class AdaptiveMutex {
 public:
  AdaptiveMutex() {
    pthread_mutexattr_t attributes;
    pthread_mutexattr_init(&attributes);
    pthread_mutexattr_settype(&attributes, PTHREAD_MUTEX_ADAPTIVE_NP);
    pthread_mutex_init(&m_mutex, &attributes);
    pthread_mutexattr_destroy(&attributes);
  }
  ~AdaptiveMutex() { pthread_mutex_destroy(&m_mutex); }
  AdaptiveMutex(const AdaptiveMutex&) = delete;
  AdaptiveMutex& operator=(const AdaptiveMutex&) = delete;

  void lock() { pthread_mutex_lock(&m_mutex); }
  bool try_lock() { return pthread_mutex_trylock(&m_mutex) == 0; }
  void unlock() { pthread_mutex_unlock(&m_mutex); }

 private:
  pthread_mutex_t m_mutex;
};

}  // namespace sotcheck::snapshot
