#!/usr/bin/env bash
# Verifies every way of installing sotcheck (README "Install"), as .ci/run's
# second step. One Release build (the `package` preset) gives the .deb; the
# release-static preset links the portable binary, compiling nothing again
# when ccache is there (same flags, same sources).
#   1. cmake --install into a prefix; the .deb: dependencies computed by dpkg-shlibdeps; apt-get install
#      ./sotcheck_*.deb; man page and completions in place; the installed
#      binary scaffolds and validates a tree; apt-get purge leaves nothing.
#   2. pre-commit: the repository's hook on a git repository holding a
#      scaffold passes, and fails once a shard is broken.
#   3. the static binary: no dynamic section; scaffold and validate in an
#      empty chroot (no /proc, /dev, /etc) finish and say what fell back.
#   4. with --image: scripts/build-image.sh, then the image's entrypoint under
#      chroot on an exported copy (downloads Debian packages: see README).
# Needs root (apt-get install, chroot). Prints the time each part took.
set -euo pipefail
[ "$(id -u)" -eq 0 ] || exec sudo --preserve-env=PATH "$0" "$@"
cd "$(dirname "$0")/.."
root_dir=$PWD
with_image=0
[ "${1:-}" = "--image" ] && with_image=1

scripts/install-deps.sh --build-only ccache dpkg-dev file git pre-commit man-db python3
export CMAKE_CXX_COMPILER_LAUNCHER=${CMAKE_CXX_COMPILER_LAUNCHER:-ccache}
export CMAKE_C_COMPILER_LAUNCHER=${CMAKE_C_COMPILER_LAUNCHER:-ccache}
# Paths under the checkout are hashed relative to the build directory, so the
# static build's unity files (build-release-static/.../unity_0_cxx.cxx) hit the
# package build's cache entries (build-package/.../unity_0_cxx.cxx).
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$root_dir}
jobs=$(nproc)
work=$(mktemp -d)
installed_by_us=0
# A failed run must not leave its package installed for the next one.
cleanup() {
  if [ "$installed_by_us" = 1 ]; then DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq sotcheck >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "check-packaging: FAIL: $*" >&2; exit 1; }
step_start=$(date +%s)
step_done() { local now; now=$(date +%s); echo "check-packaging: $1 ok ($((now - step_start)) s)"; step_start=$now; }

# ---- 1. the .deb
cmake --preset package >/dev/null
cmake --build --preset package -j "$jobs"
rm -f build-package/sotcheck_*.deb
cpack --preset package >/dev/null
deb=$(ls build-package/sotcheck_*.deb)
# cmake --install into another prefix: the GNUInstallDirs layout of README
# "Install" (zsh's directory was chosen for /usr, the preset's prefix).
cmake --install build-package --prefix "$work/prefix" >/dev/null
for file in bin/sotcheck share/man/man1/sotcheck.1 share/bash-completion/completions/sotcheck \
            share/zsh/vendor-completions/_sotcheck share/fish/vendor_completions.d/sotcheck.fish share/doc/sotcheck/LICENSE; do
  [ -s "$work/prefix/$file" ] || fail "cmake --install --prefix does not install $file"
done
depends=$(dpkg-deb -f "$deb" Depends)
echo "check-packaging: $deb depends on: $depends"
for library in libc6 libstdc++6 libyaml-cpp0.7 libre2-9; do
  [[ "$depends" == *"$library"* ]] || fail "dpkg-shlibdeps did not compute a dependency on $library"
done
package_status() { dpkg-query -W -f='${Status}' sotcheck 2>/dev/null || true; }
if [ "$(package_status)" = "install ok installed" ]; then
  fail "a sotcheck package is already installed; this check installs and purges its own"
fi
installed_by_us=1
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$root_dir/$deb" >/dev/null
installed_files=$(dpkg -L sotcheck)
for file in /usr/bin/sotcheck /usr/share/man/man1/sotcheck.1 /usr/share/bash-completion/completions/sotcheck \
            /usr/share/zsh/vendor-completions/_sotcheck /usr/share/fish/vendor_completions.d/sotcheck.fish \
            /usr/share/doc/sotcheck/LICENSE; do
  grep -qx "$file" <<<"$installed_files" || fail "the package does not install $file"
  [ -s "$file" ] || fail "$file is empty"
done
[ "$(command -v sotcheck)" = /usr/bin/sotcheck ] || fail "sotcheck on PATH is not the packaged one"
man -w sotcheck >/dev/null || fail "man cannot find sotcheck(1)"
bash --norc -c 'source /usr/share/bash-completion/completions/sotcheck; COMP_WORDS=(sotcheck valid); COMP_CWORD=1
                _sotcheck; [ "${COMPREPLY[*]}" = validate ]' || fail "the installed bash completion does not complete"
sotcheck --version
/usr/bin/sotcheck scaffold "$work/tree" >/dev/null
/usr/bin/sotcheck validate "$work/tree" --format json="$work/deb-report.json" >/dev/null \
  || fail "the packaged binary does not validate a fresh scaffold cleanly"
step_done ".deb build + install + validate"

# ---- 2. pre-commit, with the packaged binary on PATH (language: system)
repo="$work/precommit-repo"
/usr/bin/sotcheck scaffold "$repo" >/dev/null
git -C "$repo" init -q
git -C "$repo" add -A
git -C "$repo" -c user.name=ci -c user.email=ci@localhost commit -qm scaffold
export PRE_COMMIT_HOME="$work/pre-commit-home"
(cd "$repo" && pre-commit try-repo "$root_dir" sotcheck --all-files >"$work/precommit-clean.log" 2>&1) \
  || { cat "$work/precommit-clean.log"; fail "the pre-commit hook fails on a clean scaffold"; }
# `sed -n 1p` reads to the end: `head -n 1` would close the pipe early, and
# under pipefail the SIGPIPE that sort then gets fails the script (exit 141).
chart=$(cd "$repo" && find . -path '*/shards/*/chart.yaml' | LC_ALL=C sort | sed -n 1p)
git -C "$repo" rm -q "$chart"
if (cd "$repo" && pre-commit try-repo "$root_dir" sotcheck --all-files >"$work/precommit-broken.log" 2>&1); then
  cat "$work/precommit-broken.log"; fail "the pre-commit hook passes with $chart removed"
fi
grep -q "Failed" "$work/precommit-broken.log" || fail "pre-commit did not report the hook as failed"
step_done "pre-commit hook (clean passes, broken shard fails)"

# ---- the package leaves nothing behind
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq sotcheck >/dev/null
installed_by_us=0
[ "$(package_status)" != "install ok installed" ] || fail "sotcheck is still installed"
while read -r file; do
  [ -d "$file" ] || [ ! -e "$file" ] || fail "$file is left after apt-get purge"
done <<<"$installed_files"
step_done "apt-get purge"

# ---- 3. the static binary in an empty chroot
cmake --preset release-static >/dev/null
cmake --build --preset release-static -j "$jobs"
static=build-release-static/sotcheck
# Read whole outputs, then search: `readelf | grep -q` lets grep exit on the
# first match, and the SIGPIPE readelf then gets would make the check pass.
dynamic_section=$(readelf -d "$static" 2>/dev/null || true)
program_headers=$(readelf -l "$static")
if grep -q NEEDED <<<"$dynamic_section"; then fail "$static needs shared libraries"; fi
if grep -q INTERP <<<"$program_headers"; then fail "$static asks for a dynamic loader"; fi
jail="$work/jail"
mkdir -p "$jail"
cp "$static" "$jail/sotcheck"
version=$(chroot "$jail" /sotcheck --version)
echo "check-packaging: $version"
[[ "$version" == *", Release, static)" ]] || fail "--version does not say Release, static: $version"
chroot "$jail" /sotcheck scaffold /tree >/dev/null || fail "scaffold fails in an empty chroot"
status=0
chroot "$jail" /sotcheck validate /tree --format json=/report.json --format text=/report.txt || status=$?
[ "$status" -eq 0 ] || fail "validate in an empty chroot exited $status"
python3 - "$jail/report.json" <<'PY' || fail "the chroot run's report is incomplete"
import json, sys
report = json.load(open(sys.argv[1]))
assert report["total_rules"] == report["passed_count"] > 0, "not every rule passed"
run = report["run"]
print("check-packaging: chroot run:", json.dumps({k: run.get(k) for k in ("mode", "fallback", "fallback_reason")}))
assert run.get("fallback"), "no /dev or /proc, yet the run does not say it fell back"
PY
ls -l "$static" | awk '{printf "check-packaging: static binary %s bytes\n", $5}'
step_done "static binary in an empty chroot"

# ---- 4. the container image
if [ "$with_image" = 1 ]; then
  scripts/build-image.sh --deb "$deb" --verify
  step_done "container image (mmdebstrap + podman import + chroot)"
fi
echo "check-packaging: all ok"
