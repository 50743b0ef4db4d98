#!/usr/bin/env bash
# Installs the Debian packages sotcheck builds and tests with (design.md 12,
# plus jemalloc, the executable's allocator when present: see CMakeLists.txt).
# Does nothing when they are all present; needs root (or sudo) otherwise.
set -euo pipefail

packages=(build-essential cmake ninja-build pkg-config
          libcli11-dev nlohmann-json3-dev libyaml-cpp-dev libyaml-dev libre2-dev
          libspdlog-dev libxxhash-dev libgtest-dev libbenchmark-dev libjemalloc-dev
          libxml2-utils tmux)
packages+=("$@")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
