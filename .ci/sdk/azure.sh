#!/usr/bin/env bash
# The official Azure Python SDK for the known-answer differential test (tests/sdk_azure.rs).
# Usage: .ci/sdk/azure.sh {install|check}
#   install  create .emulators/sdk-venv (shared with other SDK scripts) and pip-install the pin;
#            idempotent: does nothing when the pinned version is already there.
#   check    exit 0 when the venv has the pinned version.
# The test finds the interpreter through PRESIGN_PYTHON (default .emulators/sdk-venv/bin/python).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
AZURE_STORAGE_BLOB_VERSION=12.31.1 # signs sv=2026-10-06
VENV=${PRESIGN_SDK_VENV:-$root/.emulators/sdk-venv}
PY=$VENV/bin/python

log() { printf '[%s sdk-azure] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

installed() {
  [ -x "$PY" ] &&
    [ "$("$PY" -c 'import importlib.metadata as m; print(m.version("azure-storage-blob"))' 2>/dev/null)" = "$AZURE_STORAGE_BLOB_VERSION" ]
}

install() {
  if installed; then
    log "already installed: azure-storage-blob==$AZURE_STORAGE_BLOB_VERSION in ${VENV#"$root"/}"
    return 0
  fi
  command -v python3 >/dev/null 2>&1 || { log "ERROR: python3 not found"; exit 1; }
  local t0=$SECONDS
  [ -x "$PY" ] || python3 -m venv "$VENV"
  "$PY" -m pip install --quiet --disable-pip-version-check "azure-storage-blob==$AZURE_STORAGE_BLOB_VERSION"
  installed || { log "ERROR: azure-storage-blob==$AZURE_STORAGE_BLOB_VERSION not importable after install"; exit 1; }
  log "installed azure-storage-blob==$AZURE_STORAGE_BLOB_VERSION in $((SECONDS - t0))s"
}

case "${1:-}" in
  install) install ;;
  check) installed ;;
  *)
    echo "usage: $0 {install|check}" >&2
    exit 2
    ;;
esac
