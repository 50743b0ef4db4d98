#!/bin/sh
# The layering check must fail on tests/layering/forbidden, name the one
# forbidden include (report -> cli) and leave the allowed one (cli -> report) alone.
# usage: rejects_forbidden.sh <cmake> <source dir>
cmake=$1 src=$2
out=$("$cmake" -DTREE="$src/tests/layering/forbidden" -DGRAPH="$src/cmake/ModuleGraph.cmake" \
      -P "$src/cmake/CheckLayering.cmake" 2>&1)
status=$?
printf '%s\n' "$out"
[ "$status" -ne 0 ] || { echo "FAIL: the check accepted a forbidden include"; exit 1; }
printf '%s\n' "$out" | grep -qF 'src/report/renders_cli.cpp: #include "sotcheck/cli/cli.hpp"' ||
  { echo "FAIL: the forbidden include is not named"; exit 1; }
if printf '%s\n' "$out" | grep -qE 'allowed\.cpp|verdict\.hpp'; then
  echo "FAIL: an allowed include was rejected"; exit 1
fi
echo "ok"
