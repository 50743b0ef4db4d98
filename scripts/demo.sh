#!/usr/bin/env bash
# The README's first command: install, build, scaffold a demo SSID tree and
# validate it. Usage: scripts/demo.sh [DEMO_DIR]   (default: build-release/demo-tree)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
demo=${1:-build-release/demo-tree}
if [ ! -d "$demo" ]; then
  ./build-release/sotcheck scaffold "$demo"
fi
./build-release/sotcheck validate "$demo" --stats
