# shellcheck shell=bash
# One pinned Python package in the shared SDK venv (.emulators/sdk-venv), for the differential
# tests that compare presign with a vendor SDK. Sourced by .ci/sdk/*.sh.
#
#   pinned_sdk LABEL PACKAGE VERSION IMPORTS {install|check}
#
# install: create the venv if missing and pip-install PACKAGE==VERSION; idempotent, and never
#          removes what other scripts installed into the same venv.
# check:   exit 0 when the venv has exactly that version and IMPORTS (a Python import list) load.
# The tests find the interpreter through PRESIGN_PYTHON (default .emulators/sdk-venv/bin/python).
set -euo pipefail

pinned_sdk() {
  local label=$1 package=$2 version=$3 imports=$4 action=${5:-}
  local root venv py
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  venv=${PRESIGN_SDK_VENV:-$root/.emulators/sdk-venv}
  py=$venv/bin/python

  log() { printf '[%s sdk-%s] %s\n' "$(date +%H:%M:%S)" "$label" "$*" >&2; }
  installed() {
    [ -x "$py" ] &&
      [ "$("$py" -c "import importlib.metadata as m; print(m.version('$package'))" 2>/dev/null)" = "$version" ] &&
      "$py" -c "import $imports" 2>/dev/null
  }

  case "$action" in
    install)
      if installed; then
        log "already installed: $package==$version in ${venv#"$root"/}"
        return 0
      fi
      command -v python3 >/dev/null 2>&1 || { log "ERROR: python3 not found"; return 1; }
      local t0=$SECONDS
      [ -x "$py" ] || python3 -m venv "$venv" || {
        log "ERROR: python3 -m venv failed (on stock Debian: apt-get install python3-venv)"
        return 1
      }
      "$py" -m pip install --quiet --disable-pip-version-check "$package==$version"
      installed || { log "ERROR: $package==$version not importable after install"; return 1; }
      log "installed $package==$version in $((SECONDS - t0))s"
      ;;
    check) installed ;;
    *)
      echo "usage: $0 {install|check}" >&2
      return 2
      ;;
  esac
}
