#!/usr/bin/env bash
# boto3 for the S3 POST policy differential test (tests/sdk_boto3_post.rs).
# Usage: .ci/sdk/boto3.sh {install|check}
#   install  create .emulators/sdk-venv (shared with the other SDK scripts: azure.sh, gcs.sh) if it
#            is missing and pip-install only the boto3 pin into it; idempotent: does nothing when
#            the pinned version is already there, and never removes what other scripts installed.
#   check    exit 0 when the venv has the pinned version.
# The test finds the interpreter through PRESIGN_PYTHON (default .emulators/sdk-venv/bin/python).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BOTO3_VERSION=1.44.5 # the version the emulator report (REPORT.md) used; S3PostPresigner in botocore.signers
VENV=${PRESIGN_SDK_VENV:-$root/.emulators/sdk-venv}
PY=$VENV/bin/python

log() { printf '[%s sdk-boto3] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

installed() {
  [ -x "$PY" ] &&
    [ "$("$PY" -c 'import importlib.metadata as m; print(m.version("boto3"))' 2>/dev/null)" = "$BOTO3_VERSION" ] &&
    "$PY" -c 'import boto3, botocore.auth, botocore.signers' 2>/dev/null
}

install() {
  if installed; then
    log "already installed: boto3==$BOTO3_VERSION in ${VENV#"$root"/}"
    return 0
  fi
  command -v python3 >/dev/null 2>&1 || { log "ERROR: python3 not found"; exit 1; }
  local t0=$SECONDS
  [ -x "$PY" ] || python3 -m venv "$VENV"
  "$PY" -m pip install --quiet --disable-pip-version-check "boto3==$BOTO3_VERSION"
  installed || { log "ERROR: boto3==$BOTO3_VERSION not importable after install"; exit 1; }
  log "installed boto3==$BOTO3_VERSION in $((SECONDS - t0))s"
}

case "${1:-}" in
  install) install ;;
  check) installed ;;
  *)
    echo "usage: $0 {install|check}" >&2
    exit 2
    ;;
esac
