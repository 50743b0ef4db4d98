#!/usr/bin/env bash
# Fails when a file of the repository cites a document that is not in it:
# the specification files rules.md / design.md or their quirk numbers Q-N
# (the content lives in docs/, see docs/reference-compatibility.md), or a
# docs/ page or #rc-N anchor that does not exist.
#
# Usage: scripts/check-doc-refs.sh [--after-rewrite] [SOURCE_DIR]
#   --after-rewrite  check a temporary copy after scripts/rewrite-spec-refs.py
#                    ran on it (for branches whose sources the lead rewrites
#                    after the merge); without it, check the tree as it is.
set -euo pipefail

after_rewrite=0
if [[ "${1:-}" == "--after-rewrite" ]]; then after_rewrite=1; shift; fi
root="$(cd "${1:-$(dirname "$0")/..}" && pwd)"

if ((after_rewrite)); then
  copy="$(mktemp -d)"
  trap 'rm -rf "$copy"' EXIT
  (cd "$root" && tar --exclude='./build*' --exclude='./.git' -cf - .) | (cd "$copy" && tar -xf -)
  (cd "$copy" && python3 scripts/rewrite-spec-refs.py . >/dev/null)
  root="$copy"
fi
cd "$root"

files() {
  find . \( -name '.git' -o -name 'build*' -o -name '.library' \) -prune -o -type f \
    \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' -o -name '*.py' -o -name '*.sh' -o -name '*.md' \
       -o -name '*.yaml' -o -name '*.yml' -o -name '*.txt' -o -name '*.cmake' -o -name '*.json' \) -print |
    grep -v -e '^./scripts/rewrite-spec-refs.py$' -e '^./scripts/check-doc-refs.sh$' | sort
}

status=0
# 1. Citations of documents that are not in the repository.
if files | xargs grep -nE '(^|[^A-Za-z0-9_/.-])(rules|design)\.md|(^|[^A-Za-z0-9_])Q[-‑][0-9]+' /dev/null; then
  echo "check-doc-refs: the lines above cite rules.md, design.md or Q-N, which are not in this repository;" >&2
  echo "  point them at docs/ (scripts/rewrite-spec-refs.py does it)" >&2
  status=1
fi
# 2. The pages that replace the specification, and every #rc-N anchor, must
#    exist wherever they are cited. (Other docs/... strings are mostly paths
#    inside SSID trees: fixtures, not citations.)
cited_pages() {
  files | xargs grep -ohE 'docs/(reference-compatibility|profiles|catalog-format|ARCHITECTURE|ci-integration|process-pool|bench|robustness|rules/[a-z0-9_-]+|rules/README)\.md(#rc-[0-9]+)?' /dev/null
}
while IFS= read -r ref; do
  page="${ref%%#*}"
  if [[ ! -f "$page" ]]; then
    echo "check-doc-refs: cited page $page does not exist" >&2
    status=1
  elif [[ "$ref" == *#rc-* ]] && ! grep -q "<a id=\"${ref##*#}\"></a>" "$page"; then
    echo "check-doc-refs: cited anchor $ref does not exist" >&2
    status=1
  fi
done < <(cited_pages | sort -u)
while IFS= read -r anchor; do
  if ! grep -q "<a id=\"${anchor#\#}\"></a>" docs/reference-compatibility.md; then
    echo "check-doc-refs: cited anchor docs/reference-compatibility.md$anchor does not exist" >&2
    status=1
  fi
done < <(files | xargs grep -ohE ', #rc-[0-9]+' /dev/null | sed 's/^, //' | sort -u)

if ((status == 0)); then echo "check-doc-refs: every reference resolves"; fi
exit "$status"
