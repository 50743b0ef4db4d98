#!/usr/bin/env bash
# Installs Microsoft's SARIF validator (sarif-multitool, from the npm registry),
# which the SARIF validation test (KnownFailures.SarifPassesMicrosoftsValidatorWithNoErrors)
# runs. Optional: without it and without npx the test is skipped, saying so.
# Called from .ci/run; does nothing when the tool is already on PATH.
set -euo pipefail

if command -v sarif-multitool >/dev/null 2>&1; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "install-sarif-validator: npm is not installed; the SARIF validation test will be skipped" >&2
  echo "  (apt-get install npm, then rerun this script)" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
# The package's postinstall only marks its bundled .NET binary executable; newer npm
# versions skip install scripts unless allowed, so do that part here.
$SUDO npm install -g --no-fund --no-audit @microsoft/sarif-multitool
$SUDO find "$(npm root -g)/@microsoft" -name Sarif.Multitool -type f -exec chmod a+rx {} + || true
sarif-multitool --help >/dev/null 2>&1 || {
  echo "install-sarif-validator: sarif-multitool was installed but does not run" >&2
  exit 1
}
