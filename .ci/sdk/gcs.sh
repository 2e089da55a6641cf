#!/usr/bin/env bash
# The official Google Cloud Storage Python SDK for the HMAC differential test (tests/sdk_gcs_hmac.rs).
# Usage: .ci/sdk/gcs.sh {install|check}
#   install  create .emulators/sdk-venv (shared with the other SDK scripts, e.g. azure.sh) if it is
#            missing and pip-install the pin into it; idempotent: does nothing when the pinned
#            version is already there, and never removes what other scripts installed.
#   check    exit 0 when the venv has the pinned version.
# The test finds the interpreter through PRESIGN_PYTHON (default .emulators/sdk-venv/bin/python).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
GOOGLE_CLOUD_STORAGE_VERSION=3.17.1 # V4 signing in google.cloud.storage._signing
VENV=${PRESIGN_SDK_VENV:-$root/.emulators/sdk-venv}
PY=$VENV/bin/python

log() { printf '[%s sdk-gcs] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

installed() {
  [ -x "$PY" ] &&
    [ "$("$PY" -c 'import importlib.metadata as m; print(m.version("google-cloud-storage"))' 2>/dev/null)" = "$GOOGLE_CLOUD_STORAGE_VERSION" ] &&
    "$PY" -c 'import google.cloud.storage._signing' 2>/dev/null
}

install() {
  if installed; then
    log "already installed: google-cloud-storage==$GOOGLE_CLOUD_STORAGE_VERSION in ${VENV#"$root"/}"
    return 0
  fi
  command -v python3 >/dev/null 2>&1 || { log "ERROR: python3 not found"; exit 1; }
  local t0=$SECONDS
  [ -x "$PY" ] || python3 -m venv "$VENV"
  "$PY" -m pip install --quiet --disable-pip-version-check "google-cloud-storage==$GOOGLE_CLOUD_STORAGE_VERSION"
  installed || { log "ERROR: google-cloud-storage==$GOOGLE_CLOUD_STORAGE_VERSION not importable after install"; exit 1; }
  log "installed google-cloud-storage==$GOOGLE_CLOUD_STORAGE_VERSION in $((SECONDS - t0))s"
}

case "${1:-}" in
  install) install ;;
  check) installed ;;
  *)
    echo "usage: $0 {install|check}" >&2
    exit 2
    ;;
esac
