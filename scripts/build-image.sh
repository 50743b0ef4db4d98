#!/usr/bin/env bash
# Builds the sotcheck container image without pulling a base image: the same
# image as the Dockerfile (Debian 12, the .deb installed, a non-root user
# `sotcheck`, WORKDIR /repo, ENTRYPOINT ["sotcheck"]), from a root filesystem
# made by mmdebstrap and imported with `podman import`.
#   scripts/build-image.sh [--deb FILE] [--tag NAME] [--verify]
# --deb: the package to install (default: build it with the `package` preset).
# --verify: export the imported image's filesystem and run its entrypoint
#   under chroot, as its user, in its working directory: scaffold + validate.
#   (`podman run` needs setrlimit, which some sandboxes refuse.)
# Needs root, mmdebstrap and podman (Debian packages), and the Debian archive.
set -euo pipefail
[ "$(id -u)" -eq 0 ] || exec sudo --preserve-env=PATH "$0" "$@"
cd "$(dirname "$0")/.."
deb="" tag="" verify=0
while [ $# -gt 0 ]; do
  case "$1" in
    --deb) deb=$2; shift 2 ;;
    --tag) tag=$2; shift 2 ;;
    --verify) verify=1; shift ;;
    *) echo "usage: $0 [--deb FILE] [--tag NAME] [--verify]" >&2; exit 2 ;;
  esac
done
scripts/install-deps.sh --build-only mmdebstrap podman python3
if [ -z "$deb" ]; then
  cmake --preset package >/dev/null
  cmake --build --preset package
  rm -f build-package/sotcheck_*.deb
  cpack --preset package >/dev/null
  deb=$(ls build-package/sotcheck_*.deb)
fi
deb=$(realpath "$deb")
version=$(dpkg-deb -f "$deb" Version)
tag=${tag:-localhost/sotcheck:$version}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The Debian 12 base the Dockerfile's second stage uses, plus the package and its
# dependencies (apt resolves them from the archive), then the user and /repo.
# Like debian:12-slim, leave out documentation, manuals and translations.
mmdebstrap --variant=minbase --quiet \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/lintian/*' \
  --customize-hook="copy-in $deb /tmp" \
  --customize-hook='chroot "$1" sh -c "DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends /tmp/*.deb >/dev/null && rm /tmp/*.deb"' \
  --customize-hook='chroot "$1" useradd --uid 10001 --user-group --home-dir /repo --no-create-home --shell /usr/sbin/nologin sotcheck' \
  --customize-hook='mkdir -p "$1/repo" && chroot "$1" chown sotcheck:sotcheck /repo' \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
  bookworm "$work/rootfs.tar" http://deb.debian.org/debian
podman import --quiet \
  --change 'ENTRYPOINT ["sotcheck"]' --change 'CMD ["validate", "."]' \
  --change 'WORKDIR /repo' --change 'USER sotcheck' \
  --change "LABEL org.opencontainers.image.version=$version" \
  "$work/rootfs.tar" "$tag" >/dev/null
echo "build-image: imported $tag ($(podman image inspect --format '{{.Size}}' "$tag") bytes)"

if [ "$verify" = 1 ]; then
  # An exported copy of the image as podman stores it: its one layer, unpacked.
  podman save -q --format docker-archive -o "$work/image.tar" "$tag"
  mkdir "$work/image" "$work/rootfs"
  tar -xf "$work/image.tar" -C "$work/image"
  layer=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["Layers"][0])' "$work/image/manifest.json")
  tar -xf "$work/image/$layer" -C "$work/rootfs"
  entrypoint=$(podman image inspect --format '{{index .Config.Entrypoint 0}}' "$tag")
  user=$(podman image inspect --format '{{.Config.User}}' "$tag")
  workdir=$(podman image inspect --format '{{.Config.WorkingDir}}' "$tag")
  [ "$entrypoint" = sotcheck ] && [ "$user" = sotcheck ] && [ "$workdir" = /repo ] \
    || { echo "build-image: unexpected config: $entrypoint $user $workdir" >&2; exit 1; }
  run_in_image() { chroot --userspec="$user:$user" "$work/rootfs" /bin/sh -c "cd $workdir && exec $entrypoint $*"; }
  run_in_image --version
  run_in_image scaffold demo >/dev/null
  run_in_image validate demo
  echo "build-image: the image's entrypoint scaffolds and validates as $user in $workdir"
fi
echo "build-image: run it with: podman run --rm -v \"\$PWD:/repo:ro\" $tag validate"
