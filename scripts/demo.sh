#!/usr/bin/env bash
# The README's first command: install what building needs, build a Release
# binary, and show the loop a user lives in -- scaffold a compliant SSID
# tree, break one shard, see the findings, restore it, see the clean run.
#   scripts/demo.sh [DEMO_DIR]   (default: build-release/demo-tree)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --build-only
if command -v ccache >/dev/null; then
  export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}
fi
echo "== building (Release; a few minutes on a small machine, once)"
cmake --preset release >/dev/null
cmake --build --preset release | { grep -v '^\[' || true; }  # Ninja's progress lines are noise here
sotcheck=./build-release/sotcheck
[ -x "$sotcheck" ] || { echo "demo: the build did not produce $sotcheck" >&2; exit 1; }

demo=${1:-build-release/demo-tree}
if [ ! -d "$demo" ]; then
  echo "== $sotcheck scaffold $demo"
  "$sotcheck" scaffold "$demo"
fi

# One shard's chart, moved out of the tree and put back whatever happens.
# `sed -n 1p`, not `head -n 1`: head closes the pipe early, and under
# pipefail the SIGPIPE sort then gets would end the demo (exit 141).
chart=$(find "$demo" -path '*/shards/*/chart.yaml' | LC_ALL=C sort | sed -n 1p)
[ -n "$chart" ] || { echo "demo: no shards/*/chart.yaml under $demo" >&2; exit 1; }
aside=$(mktemp -d)
restore() { if [ -e "$aside/chart.yaml" ]; then mv "$aside/chart.yaml" "$chart"; fi; }
trap 'restore; rmdir "$aside"' EXIT

echo
echo "== break one shard: remove ${chart#"$demo"/}"
mv "$chart" "$aside/chart.yaml"
echo "== $sotcheck validate $demo"
status=0
"$sotcheck" validate "$demo" || status=$?
echo "== exit code $status (1: failures)"
[ "$status" -eq 1 ] || { echo "demo: expected findings (exit 1) for the broken shard" >&2; exit 1; }

echo
echo "== restore it and validate again"
restore
status=0
"$sotcheck" validate "$demo" || status=$?
echo "== exit code $status (0: clean)"
exit "$status"
