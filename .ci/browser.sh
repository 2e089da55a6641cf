#!/usr/bin/env bash
# What tests/emulator/browser_upload.rs needs: Debian's Chromium at /usr/bin/chromium and the pinned
# playwright-core (tests/browser/package-lock.json) in tests/browser/node_modules. Playwright's
# own browser download is never used: the test drives Debian's Chromium via executablePath.
# Usage: browser.sh {install|status}
#   install  apt-get install chromium if /usr/bin/chromium is missing (as root: CI runs as root
#            on Debian 12), then `npm ci` in tests/browser unless the locked version is there.
#   status   print what is installed.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
browser_dir=$root/tests/browser
chromium=/usr/bin/chromium

log() { printf '[%s browser] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

# The version of a package.json's "version" field (node does the parsing).
json_version() {
  node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).version ?? ""))' "$1"
}

# The playwright-core version package-lock.json pins.
locked_version() {
  node -e 'const l = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    process.stdout.write(String(l.packages?.["node_modules/playwright-core"]?.version ?? ""))' \
    "$browser_dir/package-lock.json"
}

chromium_version() { "$chromium" --version 2>/dev/null | head -n 1; }

install_chromium() {
  if [ -x "$chromium" ]; then
    log "chromium present: $(chromium_version)"
    return
  fi
  [ "$(id -u)" = 0 ] || die "$chromium is missing and this is not root: run as root, or: sudo apt-get install -y chromium"
  command -v apt-get >/dev/null 2>&1 || die "$chromium is missing and there is no apt-get (Debian's chromium package is expected)"
  local t0
  t0=$(now)
  log "installing Debian's chromium (apt-get update + install)"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  [ -x "$chromium" ] || die "apt-get install chromium did not provide $chromium"
  log "chromium installed in $(elapsed "$t0"): $(chromium_version)"
}

install_playwright() {
  command -v node >/dev/null 2>&1 || die "node is required (the machine's Node.js)"
  command -v npm >/dev/null 2>&1 || die "npm is required (the machine's Node.js)"
  local want have t0
  want=$(locked_version)
  [ -n "$want" ] || die "tests/browser/package-lock.json does not pin playwright-core"
  have=""
  if [ -f "$browser_dir/node_modules/playwright-core/package.json" ]; then
    have=$(json_version "$browser_dir/node_modules/playwright-core/package.json")
  fi
  if [ "$have" = "$want" ]; then
    log "playwright-core $have present"
    return
  fi
  t0=$(now)
  log "npm ci in tests/browser (playwright-core $want)"
  (cd "$browser_dir" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  have=$(json_version "$browser_dir/node_modules/playwright-core/package.json")
  [ "$have" = "$want" ] || die "npm ci installed playwright-core $have, the lock pins $want"
  log "playwright-core $have installed in $(elapsed "$t0")"
}

status() {
  log "node: $(node --version 2>/dev/null || echo missing)"
  if [ -x "$chromium" ]; then log "chromium: $(chromium_version)"; else log "chromium: missing ($chromium)"; fi
  if [ -f "$browser_dir/node_modules/playwright-core/package.json" ]; then
    log "playwright-core: $(json_version "$browser_dir/node_modules/playwright-core/package.json") (lock: $(locked_version))"
  else
    log "playwright-core: missing (lock: $(locked_version))"
  fi
}

case "${1:-}" in
  install)
    install_chromium
    install_playwright
    ;;
  status) status ;;
  *)
    echo "usage: $0 {install|status}" >&2
    exit 2
    ;;
esac
