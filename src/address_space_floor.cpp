// Runs before anything else in the process, including the constructors of
// the shared libraries, to make a small address-space limit (`ulimit -v`,
// RLIMIT_AS) a clear error or a safe configuration instead of a crash:
//
// - Below k_floor_bytes the allocator cannot even start (jemalloc dies with
//   SIGSEGV inside the first operator new, in a library constructor, before
//   main), or the run fails in places that cannot report it. Refuse with a
//   message and exit 3.
// - Above it, jemalloc still dies with SIGSEGV when it cannot map a new arena
//   for a new thread. With a finite limit, one arena for all threads: threads
//   that cannot get memory then see std::bad_alloc like any other allocation.
//
// It lives in the executable (not the library), because only the executable's
// .preinit_array runs before the libraries' constructors. docs/robustness.md,
// "Resources", lists the limits and their tests.

#include <sys/resource.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>

extern "C" {
/// jemalloc reads its options from this symbol when it starts, which is after
/// the preinit function below (and harmless without jemalloc).
const char* malloc_conf = nullptr;
}

namespace {

constexpr std::uint64_t k_floor_bytes = 64ull << 20;

void check_address_space_limit(int, char**, char**) {
  struct rlimit limit {};
  if (::getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return;
  if (limit.rlim_cur < k_floor_bytes) {
    char message[200];
    const int n = std::snprintf(message, sizeof message,
                                "sotcheck: error: the address-space limit (ulimit -v) is %llu KiB; sotcheck needs at "
                                "least %llu KiB to start\n",
                                static_cast<unsigned long long>(limit.rlim_cur >> 10),
                                static_cast<unsigned long long>(k_floor_bytes >> 10));
    if (n > 0 && ::write(STDERR_FILENO, message, static_cast<std::size_t>(n)) < 0) {
      // nothing more to try: the exit code says it
    }
    ::_exit(3);  // the exit code of a run that could not be carried out (docs/ARCHITECTURE.md)
  }
  malloc_conf = "narenas:1";
}

}  // namespace

__attribute__((section(".preinit_array"), used)) void (*const sotcheck_address_space_check)(int, char**, char**) =
    check_address_space_limit;
