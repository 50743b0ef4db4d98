#!/usr/bin/env bash
# The README's second command (and what CI runs): install, build with
# warnings as errors, run the whole test suite.
#   scripts/test.sh           the ordinary suite (dev preset)
#   scripts/test.sh --full    also the ASan+UBSan build of the suite (CI)
set -euo pipefail
cd "$(dirname "$0")/.."
full=0
[ "${1:-}" = "--full" ] && full=1

scripts/install-deps.sh
# install-deps.sh put tmux and xmllint in place: tests that need them must run, not skip.
export SOTCHECK_REQUIRE_TOOLS=1
jobs=$(nproc)

cmake --preset dev >/dev/null
cmake --build --preset dev -j "$jobs"
ctest --preset dev -j "$jobs"

if [ "$full" = 1 ]; then
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j "$jobs"
  ctest --preset asan -j "$jobs"
fi
