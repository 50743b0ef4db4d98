#!/bin/sh
# Builds the libFuzzer targets (asan preset: clang, ASan+UBSan) and runs each
# one for SECONDS_PER_TARGET seconds (default 30), as many at a time as there
# are cores, on a scratch copy of its seed corpus (tests/fuzz/corpus/<target>),
# so the committed corpus never grows. Fails when any target finds a crash,
# leak, timeout or sanitizer report; the reproducer is kept in
# build-asan/fuzz-artifacts/.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]
#
# Reproduce a finding: build-asan/tests/fuzz/fuzz_<target> build-asan/fuzz-artifacts/crash-...
set -eu

seconds=${1:-30}
case $seconds in '' | *[!0-9]*) echo "usage: $0 [SECONDS_PER_TARGET]" >&2; exit 2 ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-asan"
lock=/tmp/sotcheck-build.lock  # shared with the other builds on this machine

# The asan preset (-O1 -g1: quick to compile, optimised enough to run many
# inputs, file:line in sanitizer reports) builds the fuzzers beside the test
# suite; after scripts/test.sh --full this compiles nothing.
cd "$root"
cmake --preset asan >/dev/null
flock "$lock" cmake --build --preset asan --target fuzzers

scratch=$(mktemp -d /tmp/sotcheck-fuzz-XXXXXX)
trap 'rm -rf "$scratch"' EXIT INT TERM
mkdir -p "$build/fuzz-artifacts"
cp -R "$root/tests/fuzz/corpus/." "$scratch/"
# Binary seeds in the current image and frame formats (make_fuzz_seeds.cpp).
"$build/tests/fuzz/make_fuzz_seeds" "$scratch"

# One fuzzer per core at a time: the targets are independent, each is
# single-threaded, and CI's time budget is wall time.
jobs=$(nproc 2>/dev/null || echo 1)

# run_one FUZZER: runs one target; its log and exit status go to the scratch dir.
run_one() {
  target=${1##*/fuzz_}
  mkdir -p "$scratch/$target"
  echo "== fuzz_$target: ${seconds}s on $(ls "$scratch/$target" | wc -l) seeds"
  # -timeout: one input taking over 10 s is a hang; -rss_limit_mb bounds a runaway allocation.
  # (set -e is on: the status is taken inside the if, not from $?.)
  if "$1" "$scratch/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$build/fuzz-artifacts/${target}-" -print_final_stats=1 >"$scratch/$target.log" 2>&1; then
    echo 0 >"$scratch/$target.status"
  else
    echo 1 >"$scratch/$target.status"
  fi
}

running=0
for fuzzer in "$build"/tests/fuzz/fuzz_*; do
  if [ "$running" -ge "$jobs" ]; then wait; running=0; fi
  run_one "$fuzzer" &
  running=$((running + 1))
done
wait

status=0
for fuzzer in "$build"/tests/fuzz/fuzz_*; do
  target=${fuzzer##*/fuzz_}
  if [ "$(cat "$scratch/$target.status" 2>/dev/null)" != 0 ]; then
    tail -n 60 "$scratch/$target.log" >&2
    echo "fuzz_$target FAILED; reproducer in $build/fuzz-artifacts/" >&2
    status=1
  else
    printf '%s: ' "fuzz_$target"
    grep -E '^stat::number_of_executed_units' "$scratch/$target.log" || echo "done"
  fi
done
exit $status
