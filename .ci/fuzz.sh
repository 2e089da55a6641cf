#!/usr/bin/env bash
# Fuzzing with cargo-fuzz (libFuzzer) on the stable toolchain (RUSTC_BOOTSTRAP=1 lets
# cargo-fuzz pass its flags; no sanitizer: presign forbids unsafe code, and the property
# checks in each target are the oracle; an input that takes more than 10 s is a failure too).
# The targets and their seeds are in fuzz/.
#
#   bash .ci/fuzz.sh smoke                 # CI: a debug build, each target 10 s on its seeds
#   bash .ci/fuzz.sh campaign [SECONDS]    # locally: a release build, each target SECONDS (900)
#
# A crash leaves its input in fuzz/artifacts/TARGET/; reproduce it with
# `RUSTC_BOOTSTRAP=1 cargo fuzz run -s none TARGET fuzz/artifacts/TARGET/crash-...` and turn it
# into a regression test next to the promise it breaks (THREAT_MODEL.md).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root/fuzz"
export RUSTC_BOOTSTRAP=1

mode=${1:-smoke}
version=0.13.2
if ! cargo fuzz --version 2>/dev/null | grep -q "cargo-fuzz $version"; then
  echo ".ci/fuzz.sh: installing cargo-fuzz $version (debug build)" >&2
  CARGO_PROFILE_DEV_DEBUG=0 cargo install cargo-fuzz --locked --version "$version" --debug
fi

case "$mode" in
  smoke)
    build=(--dev)
    seconds=${2:-10}
    ;;
  campaign)
    build=()
    seconds=${2:-900}
    ;;
  *)
    echo "usage: $0 {smoke|campaign [SECONDS]}" >&2
    exit 2
    ;;
esac

targets=(batch_line config_load key_encoding endpoint_cidr inspect_url redact_stream)
cargo fuzz build -s none "${build[@]}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for t in "${targets[@]}"; do
  mkdir -p "$work/$t"
  echo "==> fuzz $t for ${seconds}s"
  rc=0
  cargo fuzz run -s none "${build[@]}" "$t" "$work/$t" "seeds/$t" -- \
    -max_total_time="$seconds" -timeout=10 -print_final_stats=1 >"$work/$t.log" 2>&1 || rc=$?
  grep -E '^(Done|stat::number_of_executed_units)' "$work/$t.log" || true
  if [ "$rc" -ne 0 ]; then
    tail -n 60 "$work/$t.log"
    echo "fuzz target $t failed (exit $rc); the input is in fuzz/artifacts/$t/" >&2
    exit 1
  fi
done
