#!/bin/sh
# Builds the libFuzzer targets (clang, ASan+UBSan) in build-fuzz and runs each
# one for SECONDS_PER_TARGET seconds (default 30) on a scratch copy of its seed
# corpus (tests/fuzz/corpus/<target>), so the committed corpus never grows.
# Fails on the first target that finds a crash, leak, timeout or sanitizer
# report; the reproducer is kept in build-fuzz/fuzz-artifacts/.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]
#
# Reproduce a finding: build-fuzz/tests/fuzz/fuzz_<target> build-fuzz/fuzz-artifacts/crash-...
set -eu

seconds=${1:-30}
case $seconds in '' | *[!0-9]*) echo "usage: $0 [SECONDS_PER_TARGET]" >&2; exit 2 ;; esac
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-fuzz"
lock=/tmp/sotcheck-build.lock  # shared with the other builds on this machine

# -O1 -g1, as fuzzing builds usually are: quick to compile (CI time), still
# optimised enough to run many inputs, with file:line in sanitizer reports.
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DSOTCHECK_BUILD_FUZZERS=ON \
  -DSOTCHECK_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g1" >/dev/null
flock "$lock" cmake --build "$build"

scratch=$(mktemp -d /tmp/sotcheck-fuzz-XXXXXX)
trap 'rm -rf "$scratch"' EXIT INT TERM
mkdir -p "$build/fuzz-artifacts"
cp -R "$root/tests/fuzz/corpus/." "$scratch/"
# Binary seeds in the current image and frame formats (make_fuzz_seeds.cpp).
"$build/tests/fuzz/make_fuzz_seeds" "$scratch"

status=0
for fuzzer in "$build"/tests/fuzz/fuzz_*; do
  target=${fuzzer##*/fuzz_}
  mkdir -p "$scratch/$target"
  echo "== fuzz_$target: ${seconds}s on $(ls "$scratch/$target" | wc -l) seeds"
  # -timeout: one input taking over 10 s is a hang; -rss_limit_mb bounds a runaway allocation.
  if ! "$fuzzer" "$scratch/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -artifact_prefix="$build/fuzz-artifacts/${target}-" -print_final_stats=1 >"$scratch/$target.log" 2>&1; then
    tail -n 60 "$scratch/$target.log" >&2
    echo "fuzz_$target FAILED; reproducer in $build/fuzz-artifacts/" >&2
    status=1
  else
    grep -E '^stat::number_of_executed_units|^Done' "$scratch/$target.log" || true
  fi
done
exit $status
