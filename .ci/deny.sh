#!/usr/bin/env bash
# Supply chain: cargo-deny checks licenses, bans and sources of the whole dependency graph
# (deny.toml), offline: the advisory database cannot be fetched from CI machines.
# Installs the pinned cargo-deny from crates.io on first use, as a debug build (compiling the
# release profile — fat LTO, one codegen unit — took 31 min on 2 loaded cores, debug 6 min).
# Usage: bash .ci/deny.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

version=0.20.2
if ! cargo deny --version 2>/dev/null | grep -qx "cargo-deny $version"; then
  echo ".ci/deny.sh: installing cargo-deny $version (debug build)" >&2
  CARGO_PROFILE_DEV_DEBUG=0 cargo install cargo-deny --locked --version "$version" --debug
fi
cargo fetch --locked >/dev/null
cargo deny --offline check licenses bans sources
