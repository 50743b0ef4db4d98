#include "sotcheck/util/worker_threads.hpp"

#include <atomic>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <new>
#include <system_error>
#include <thread>
#include <vector>

namespace sotcheck::util {
namespace {

/// Threads started by run_on_threads that are still running, for the test limit.
std::atomic<unsigned long> g_live_threads{0};

/// True when SOTCHECK_TEST_THREAD_LIMIT says one more thread would be too many.
bool injected_start_failure() {
  const char* limit = std::getenv("SOTCHECK_TEST_THREAD_LIMIT");
  if (limit == nullptr || *limit == '\0') return false;
  return g_live_threads.load() >= std::strtoul(limit, nullptr, 10);
}

}  // namespace

unsigned run_on_threads(unsigned extra_threads, const std::function<void()>& work) {
  // An exception escaping a thread's function would call std::terminate: the
  // first one is kept and rethrown on the calling thread once all have joined.
  // Declared before the threads, so they outlive every join.
  std::mutex failure_mutex;
  std::exception_ptr failure;
  std::vector<std::thread> threads;
  // Joined even if `work` throws on this thread: destroying a joinable
  // std::thread calls std::terminate.
  struct JoinAll {
    std::vector<std::thread>& threads;
    ~JoinAll() {
      for (auto& thread : threads)
        if (thread.joinable()) thread.join();
    }
  } join_all{threads};
  try {
    threads.reserve(extra_threads);
  } catch (const std::bad_alloc&) {
    extra_threads = 0;  // no room even for the handles: the caller does it all
  }
  auto counted_work = [&work, &failure_mutex, &failure] {
    struct Leave {
      ~Leave() { g_live_threads.fetch_sub(1); }
    } leave;
    try {
      work();
    } catch (...) {
      const std::lock_guard lock(failure_mutex);
      if (!failure) failure = std::current_exception();
    }
  };
  for (unsigned t = 0; t < extra_threads; ++t) {
    try {
      if (injected_start_failure())
        throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again));
      g_live_threads.fetch_add(1);
      try {
        threads.emplace_back(counted_work);
      } catch (...) {
        g_live_threads.fetch_sub(1);
        throw;
      }
    } catch (const std::system_error&) {
      break;  // out of threads: the ones running (and this one) share the rest
    } catch (const std::bad_alloc&) {
      break;  // no memory for another stack
    }
  }
  work();
  const auto used = static_cast<unsigned>(threads.size()) + 1;
  for (auto& thread : threads) thread.join();
  if (failure) std::rethrow_exception(failure);
  return used;
}

bool try_start_thread(std::thread* thread, const std::function<void()>& work) {
  if (injected_start_failure()) return false;
  try {
    *thread = std::thread(work);
    return true;
  } catch (const std::system_error&) {
    return false;
  }
}

}  // namespace sotcheck::util
