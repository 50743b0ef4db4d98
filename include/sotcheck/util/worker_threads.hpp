#pragma once
/// Runs one piece of work on several threads without ever depending on a
/// thread being available. Both thread pools (the image builder's and the
/// thread executor's) start their helpers here: a thread that cannot be
/// created (EAGAIN under a thread or memory limit) is simply not used, and the
/// calling thread always works too, so the job completes even when no thread
/// at all can be started. See docs/robustness.md, "Resources".

#include <functional>
#include <thread>

namespace sotcheck::util {

/// Calls `work` on the calling thread and on up to `extra_threads` new
/// threads, and returns once every call has returned. `work` must share its
/// input through something like an atomic index, so that however many threads
/// really run, together they do all of it. Returns how many threads ran
/// `work`, the caller included (1 .. extra_threads + 1). An exception thrown
/// by `work` on any thread (std::bad_alloc, say) is rethrown here after every
/// thread has joined, instead of terminating the process.
///
/// The hidden environment variable SOTCHECK_TEST_THREAD_LIMIT=N makes a start
/// fail, as if the system had refused it, while N threads started here are
/// still running; tests use it because RLIMIT_NPROC does not bind root.
unsigned run_on_threads(unsigned extra_threads, const std::function<void()>& work);

/// Starts `work` on `*thread` and returns true, or returns false without
/// running it when no thread can be started (the system refused, or the test
/// limit above is reached), so the caller can run it itself.
bool try_start_thread(std::thread* thread, const std::function<void()>& work);

}  // namespace sotcheck::util
