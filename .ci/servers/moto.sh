#!/usr/bin/env bash
# moto's server (pinned, from PyPI) for the STS credential tests (AssumeRole,
# AssumeRoleWithWebIdentity): presign-credentials-aws/tests. The tests start and stop their own
# server on an ephemeral 127.0.0.1 port; they find it through PRESIGN_MOTO_SERVER (default
# .emulators/moto-venv/bin/moto_server). Usage: .ci/servers/moto.sh {install|check}
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
version=5.2.5
venv=${PRESIGN_MOTO_VENV:-$root/.emulators/moto-venv}
py=$venv/bin/python
log() { printf '[%s moto] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
installed() {
  [ -x "$venv/bin/moto_server" ] &&
    [ "$("$py" -c "import importlib.metadata as m; print(m.version('moto'))" 2>/dev/null)" = "$version" ]
}
case "${1:-}" in
  install)
    if installed; then
      log "already installed: moto[server]==$version"
      exit 0
    fi
    t0=$SECONDS
    [ -x "$py" ] || python3 -m venv "$venv"
    "$py" -m pip install --quiet --disable-pip-version-check "moto[server]==$version"
    installed || { log "ERROR: moto_server missing after install"; exit 1; }
    log "installed moto[server]==$version in $((SECONDS - t0))s"
    ;;
  check) installed ;;
  *)
    echo "usage: $0 {install|check}" >&2
    exit 2
    ;;
esac
