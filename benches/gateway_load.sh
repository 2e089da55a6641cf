#!/usr/bin/env bash
# The load benchmark of `presign serve` (issue 13): signed redirects with JWT auth (ES256),
# load generator (wrk) on the same machine, traffic to 127.0.0.1 only.
#
#   bash benches/gateway_load.sh [SECONDS] [SOAK_SECONDS]      # defaults 60 and 600
#
# Environment: CONNS (wrk connections, 32), THREADS (wrk threads, 1), PORT (18399),
# PACED_CONNS (connections of the paced run, 28; 0 skips it), SAMPLE (RSS sample interval during
# the soak, 30 s), SKIP_BUILD=1 (use target/release as is).
#
# What it does: builds `presign` and `gateway-token` (examples/gateway-downloads) in release
# mode; mints an ES256 key, its JWKS file and one token (sub "load"); writes a configuration
# with an S3 provider (AWS's published example keys, bucket examplebucket: nothing is sent to
# S3, the redirect is only signed), a rule `users/{sub}/` for every JWT user, and a rate limit
# high enough not to refuse the benchmark's single principal (the limiter still runs on every
# request); starts `presign serve` on 127.0.0.1; warms up for 5 s; then `wrk --latency` for
# SECONDS on `GET /v1/media/users/load/report.pdf` with the token (every answer must be a 303:
# wrk counts any other status as an error), as fast as the machine allows; then a paced run of
# SECONDS: PACED_CONNS connections each waiting 1 ms after every answer (about 20,000 requests/s
# with 28 connections: the latency at the target rate rather than at saturation); then a soak
# of SOAK_SECONDS at full load with the server's VmRSS/VmHWM sampled every SAMPLE seconds. The
# audit log goes to a file in the temporary directory for the measured runs and to /dev/null for
# the soak (20 M lines would fill the disk), formatted and written by the audit thread either
# way. Load average is printed next to every figure: the machine is shared.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_RUN=${1:-60}
SOAK=${2:-600}
CONNS=${CONNS:-32}
THREADS=${THREADS:-1}
PORT=${PORT:-18399}
SAMPLE=${SAMPLE:-30}
PACED_CONNS=${PACED_CONNS:-28}
URL="http://127.0.0.1:${PORT}/v1/media/users/load/report.pdf"

command -v wrk >/dev/null || {
    echo "gateway_load: needs wrk (Debian: apt-get install wrk)" >&2
    exit 2
}
if [ "${SKIP_BUILD:-}" != 1 ]; then
    nice -n 10 cargo build --release --locked -p presign-cli -p presign-example-gateway-downloads \
        --bin presign --bin gateway-token
fi
BIN=target/release

dir=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$dir"
}
trap cleanup EXIT

token=$("$BIN/gateway-token" "$dir/jwks.json" load 86400)

config() { # $1: audit file
    cat <<EOF
[providers.media]
kind = "s3"
bucket = "examplebucket"
region = "us-east-1"
access_key_id = "AKIAIOSFODNN7EXAMPLE"
secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
[providers.media.policy]
key_prefixes = ["users/"]
allow_methods = ["GET", "HEAD"]
default_ttl = "60s"
max_ttl = "60s"

[serve]
listen = "127.0.0.1:${PORT}"
[serve.auth]
issuer = "https://idp.gateway-downloads.invalid/"
audience = "presign-gateway"
algorithms = ["ES256"]
jwks_file = "$dir/jwks.json"
[serve.limits]
rate_per_second = 1000000.0
burst = 1000000
[serve.audit]
file = "$1"

[[serve.rules]]
name = "own-files"
all_users = true
provider = "media"
[serve.rules.policy]
key_prefixes = ["users/{sub}/"]
EOF
}

load() { uptime | sed 's/.*load average: /load average /'; }

start() { # $1: audit file
    config "$1" >"$dir/presign.toml"
    "$BIN/presign" --config "$dir/presign.toml" serve >"$dir/serve.log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do
        curl -fsS "http://127.0.0.1:${PORT}/readyz" >/dev/null 2>&1 && break
        sleep 0.1
    done
    local status
    status=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$URL")
    if [ "$status" != 303 ]; then
        echo "gateway_load: expected 303, got $status" >&2
        cat "$dir/serve.log" >&2
        exit 1
    fi
}

counts() { # the server's own count of answers by status, and of audit refusals
    curl -s "http://127.0.0.1:${PORT}/metrics" |
        grep -E '^presign_http_requests_total\{endpoint="object"|^presign_audit_refusals_total' || true
}

stop() {
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    pid=
}

rss() { awk '/^VmRSS|^VmHWM/ {printf "%s %s %s  ", $1, $2, $3}' "/proc/$pid/status"; }

echo "== $(date -u +%FT%TZ) commit $(git rev-parse --short HEAD) $(git diff --quiet HEAD || echo '(dirty)')"
echo "== wrk -t$THREADS -c$CONNS, $URL"
start "$dir/audit.jsonl"
echo "warm-up 5 s ($(load))"
wrk -t"$THREADS" -c"$CONNS" -d5s -H "Authorization: Bearer $token" "$URL" >/dev/null
echo "== measured run, ${SECONDS_RUN} s; before: $(load)"
wrk -t"$THREADS" -c"$CONNS" -d"${SECONDS_RUN}s" --latency -H "Authorization: Bearer $token" "$URL"
echo "after: $(load)"
echo "server: $(rss)"
if [ "$PACED_CONNS" -gt 0 ]; then
    echo 'function delay() return 1 end' >"$dir/paced.lua"
    echo "== paced run, ${SECONDS_RUN} s, -c$PACED_CONNS, 1 ms between answer and next request; before: $(load)"
    wrk -t"$THREADS" -c"$PACED_CONNS" -d"${SECONDS_RUN}s" --latency -s "$dir/paced.lua" \
        -H "Authorization: Bearer $token" "$URL"
    echo "after: $(load)"
    echo "server: $(rss)"
fi
lines=$(wc -l <"$dir/audit.jsonl")
echo "audit lines: $lines (one per request, warm-up included); the last one:"
tail -n 1 "$dir/audit.jsonl"
counts
stop

if [ "$SOAK" -gt 0 ]; then
    echo "== soak, ${SOAK} s, RSS every ${SAMPLE} s (audit to /dev/null)"
    start /dev/null
    wrk -t"$THREADS" -c"$CONNS" -d"${SOAK}s" --latency -H "Authorization: Bearer $token" "$URL" \
        >"$dir/soak.txt" &
    wrk_pid=$!
    elapsed=0
    echo "t=0s $(rss) $(load)"
    while [ "$elapsed" -lt "$SOAK" ]; do
        sleep "$SAMPLE"
        elapsed=$((elapsed + SAMPLE))
        echo "t=${elapsed}s $(rss) $(load)"
    done
    wait "$wrk_pid"
    cat "$dir/soak.txt"
    echo "server at the end: $(rss)"
    counts
    stop
fi
