#!/usr/bin/env bash
# Installs the Debian packages sotcheck needs. Does nothing when they are all
# present; needs root (or sudo) otherwise.
#   scripts/install-deps.sh [--build-only] [EXTRA_PACKAGE...]
# --build-only: what building and running need (scripts/demo.sh, the
# container image); the default adds the test, benchmark and tooling packages
# scripts/test.sh uses. Extra package names are installed too.
set -euo pipefail

# Compiler, build system and the libraries the binary links (CMakeLists.txt).
build_packages=(build-essential cmake ninja-build pkg-config
                libcli11-dev nlohmann-json3-dev libyaml-cpp-dev libyaml-dev libre2-dev
                libxxhash-dev libjemalloc-dev)
# GoogleTest, Google Benchmark, and the tools end-to-end tests drive: xmllint
# (JUnit schema), tmux (the progress bar on a real terminal), zsh and fish
# (the generated completion scripts must parse), groff (the man page must
# render without warnings), chromium and a font (the HTML report is loaded
# and screenshotted in a headless browser).
test_packages=(libgtest-dev libbenchmark-dev libxml2-utils tmux zsh fish groff-base chromium fonts-dejavu-core)

packages=("${build_packages[@]}")
if [ "${1:-}" = "--build-only" ]; then
  shift
else
  packages+=("${test_packages[@]}")
fi
packages+=("$@")

missing=()
for p in "${packages[@]}"; do
  [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)" = "install ok installed" ] || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
