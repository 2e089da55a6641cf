#!/usr/bin/env bash
# Log redaction, measured run: presign's redactor (benches/examples/redact_logs.rs, the engine and
# declarations of `presign redact`) against GNU sed with the equivalent `sed -E` expression, on
# the same generated logs (benches/src/log_corpus.rs). Both outputs must equal the generator's
# expected file. Prints MB/s (best of 5 runs each) and the load average.
# Usage: bash benches/redact_vs_sed.sh [MIB per corpus, default 64]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mib=${1:-64}
cargo build --quiet --profile bench --manifest-path "$here/Cargo.toml" --example redact_logs
bin=${CARGO_TARGET_DIR:-$here/target}/release/examples/redact_logs
expr=$(grep -o 's/(\[?&; "\].*/gI' "$here/src/log_corpus.rs")
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bin" gen "$dir" "$mib"

best() { # best wall time in seconds of 5 runs of "$@" < input > /dev/null
  local input=$1 t best=
  shift
  for _ in 1 2 3 4 5; do
    t=$( { /usr/bin/time -f %e "$@" < "$input" > /dev/null; } 2>&1 )
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
  done
  echo "$best"
}

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $(sed --version | head -n1)"
for name in few all; do
  f=$dir/$name.log
  "$bin" redact < "$f" > "$dir/$name.presign"
  LC_ALL=C sed -E "$expr" < "$f" > "$dir/$name.sed"
  cmp "$dir/$name.presign" "$dir/$name.expected"
  cmp "$dir/$name.sed" "$dir/$name.expected"
  bytes=$(stat -c %s "$f")
  tp=$(best "$f" "$bin" redact)
  ts=$(best "$f" env LC_ALL=C sed -E "$expr")
  awk -v n="$name" -v b="$bytes" -v p="$tp" -v s="$ts" 'BEGIN {
    printf "%s_urls: %d MB  presign %.0f MB/s (%.3f s)  GNU sed %.0f MB/s (%.3f s)  ratio %.1fx\n",
      n, b/1e6, b/1e6/p, p, b/1e6/s, s, s/p }'
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
