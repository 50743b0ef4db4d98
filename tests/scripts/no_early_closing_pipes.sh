#!/bin/sh
# Under `set -o pipefail`, a reader that stops early (`head`, `grep -q`,
# `grep -m`) lets the writer die of SIGPIPE, and the pipeline fails with 141
# or, inside `if`, silently takes the wrong branch -- depending on timing.
# CI once went red this way (check-packaging.sh, `find | sort | head -n 1`).
# This check rejects such pipes in the project's pipefail scripts.
# usage: no_early_closing_pipes.sh <source dir>
src=$1
status=0
for script in "$src"/.ci/run "$src"/scripts/*.sh "$src"/benchmarks/*.sh; do
  [ -f "$script" ] || continue
  grep -q 'pipefail' "$script" || continue
  # Comments are skipped; `grep -q X <<<"$var"` has no pipe and is fine.
  if grep -nE '^[^#]*\|[[:space:]]*(head|grep[[:space:]]+(-[a-zA-Z]*[qm]))' "$script"; then
    echo "FAIL: $script: a pipe whose reader closes early (see this script's header)"
    status=1
  fi
done
[ "$status" -eq 0 ] && echo "ok"
exit "$status"
