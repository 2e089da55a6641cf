#!/usr/bin/env bash
# Azurite 3.35.0 (blob service only) as the Azure emulator: checks service/account SAS signatures,
# se/st, sp, spr (not sip). Blob endpoint http://127.0.0.1:10000/devstoreaccount1, container presign-test.
# Usage: azurite.sh {install|start|stop|status}
set -euo pipefail
# shellcheck source=SCRIPTDIR/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
emu_dir azurite

AZURITE_VERSION=3.35.0 # newest release that declares Node 20 support
BLOB_HOST=127.0.0.1
BLOB_PORT=10000
ACCOUNT=devstoreaccount1
# Azurite's well-known development account key (published in its README); not a secret.
ACCOUNT_KEY=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==
CONTAINER=presign-test
API_VERSION=2021-08-06
BIN=$EMU_DIR/node_modules/.bin/azurite-blob

emu_install() {
  local stamp="azurite@$AZURITE_VERSION" t0
  if [ -f "$EMU_DIR/.installed" ] && [ "$(cat "$EMU_DIR/.installed")" = "$stamp" ] && [ -x "$BIN" ]; then
    emu_log "already installed: $stamp"
    return 0
  fi
  emu_require node npm
  t0=$(emu_now)
  npm install --prefix "$EMU_DIR" --no-audit --no-fund --loglevel=error "$stamp"
  printf '%s\n' "$stamp" >"$EMU_DIR/.installed"
  emu_log "installed $stamp in $(emu_elapsed "$t0")"
}

# az_create_container: PUT ?restype=container signed with SharedKey (the account key);
# prints the HTTP status, body in $EMU_DIR/last-response.
az_create_container() {
  local date sts sig
  date=$(LC_ALL=C TZ=GMT date '+%a, %d %b %Y %H:%M:%S GMT')
  # VERB, 11 standard headers (all empty here), x-ms-* headers, canonicalized resource.
  sts=$(printf 'PUT\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:%s\nx-ms-version:%s\n/%s/%s/%s\nrestype:container' \
    "$date" "$API_VERSION" "$ACCOUNT" "$ACCOUNT" "$CONTAINER")
  sig=$(printf '%s' "$sts" |
    openssl dgst -sha256 -mac HMAC -macopt "hexkey:$(printf '%s' "$ACCOUNT_KEY" | base64 -d | od -An -v -tx1 | tr -d ' \n')" -binary |
    base64 | tr -d '\n')
  curl -s -o "$EMU_DIR/last-response" -w '%{http_code}' --max-time 5 -X PUT \
    -H "x-ms-date: $date" -H "x-ms-version: $API_VERSION" -H "Content-Length: 0" \
    -H "Authorization: SharedKey $ACCOUNT:$sig" \
    "http://$BLOB_HOST:$BLOB_PORT/$ACCOUNT/$CONTAINER?restype=container"
}

emu_start() {
  local code
  emu_require curl ss setsid node openssl od base64
  [ -x "$BIN" ] || emu_die "azurite not installed; run: $0 install"
  if ! emu_running; then
    emu_port_free $BLOB_PORT
    rm -rf "$EMU_DIR/data"
    mkdir -p "$EMU_DIR/data"
    # --skipApiVersionCheck: current SDKs send an x-ms-version newer than Azurite knows.
    emu_spawn "$BIN" --blobHost $BLOB_HOST --blobPort $BLOB_PORT --location "$EMU_DIR/data" \
      --disableTelemetry --skipApiVersionCheck --silent
  fi
  emu_wait 60 "Azurite blob on http://$BLOB_HOST:$BLOB_PORT" emu_http_answers "http://$BLOB_HOST:$BLOB_PORT/$ACCOUNT?comp=list"
  emu_assert_loopback
  code=$(az_create_container)
  emu_check_created "$code" 201 "container $CONTAINER" ContainerAlreadyExists
}

emu_stop() { emu_stop_server; }

emu_main "$@"
