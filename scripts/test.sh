#!/usr/bin/env bash
# The README's second command (and what CI runs): install, build with
# warnings as errors, run the whole test suite.
#   scripts/test.sh           the ordinary suite (dev preset)
#   scripts/test.sh --full    also the suite under ASan+UBSan, the thread pool
#                             under TSan and each fuzzer for 10 s (what CI runs;
#                             SOTCHECK_FUZZ_SECONDS changes the fuzz time)
set -euo pipefail
cd "$(dirname "$0")/.."
full=0
[ "${1:-}" = "--full" ] && full=1

if [ "$full" = 1 ]; then
  scripts/install-deps.sh clang libclang-rt-14-dev  # the fuzzers are built with clang's libFuzzer
else
  scripts/install-deps.sh
fi
# install-deps.sh put tmux and xmllint in place: tests that need them must run, not skip.
export SOTCHECK_REQUIRE_TOOLS=1
jobs=$(nproc)
# Each phase says how long it took: CI's budget is 25 minutes for all of .ci/run.
phase_start=$(date +%s)
phase_done() { local now; now=$(date +%s); echo "test.sh: $1 took $((now - phase_start)) s"; phase_start=$now; }

cmake --preset dev >/dev/null
cmake --build --preset dev -j "$jobs"
ctest --preset dev -j "$jobs"
phase_done "dev build + ordinary suite"

if [ "$full" = 1 ]; then
  # The whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer
  # (clang; the same build makes the libFuzzer targets run below).
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j "$jobs"
  ctest --preset asan -j "$jobs"
  phase_done "asan build (with the fuzzers) + suite under ASan+UBSan"

  # The multi-threaded code under ThreadSanitizer (tests/CMakeLists.txt builds
  # only those tests in this preset). TSan needs the low-entropy address layout
  # older runtimes expect; setarch -R gives it where the kernel randomises more.
  cmake --preset tsan >/dev/null
  cmake --build --preset tsan -j "$jobs"
  if setarch "$(uname -m)" -R true 2>/dev/null; then
    setarch "$(uname -m)" -R ctest --preset tsan -j "$jobs"
  else
    ctest --preset tsan -j "$jobs"
  fi
  phase_done "tsan build + threaded tests"

  # Every libFuzzer target for a short, bounded time on its seed corpus.
  scripts/fuzz.sh "${SOTCHECK_FUZZ_SECONDS:-10}"
  phase_done "fuzzers"
fi
