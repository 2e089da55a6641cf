# shellcheck shell=bash
# Shared helpers for the emulator scripts in .ci/emulators/. Source it; do not run it.
#
# Everything an emulator writes lives under $EMU_STATE (<repo>/.emulators/<name>/):
#   <name>/pid        pid of the running server (its own process group, see emu_spawn)
#   <name>/log/       server output (server.log)
#   <name>/data/      server data, wiped on each start
# Servers bind 127.0.0.1 only; emu_assert_loopback checks that with `ss`.

EMU_REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
EMU_STATE=${EMU_STATE:-$EMU_REPO_ROOT/.emulators}
EMU_PYTHON=${EMU_PYTHON:-python3}

emu_log() { printf '[%s %s] %s\n' "$(date +%H:%M:%S)" "${EMU_NAME:-emu}" "$*" >&2; }
emu_die() { emu_log "ERROR: $*"; exit 1; }

# Seconds since the epoch with milliseconds, and a formatter for elapsed times.
emu_now() { date +%s.%N; }
emu_elapsed() { awk -v a="$1" -v b="$(emu_now)" 'BEGIN { printf "%.1fs", b - a }'; }

# emu_dir NAME: the state dir of one emulator (created), also sets the standard paths.
emu_dir() {
  EMU_NAME=$1
  EMU_DIR=$EMU_STATE/$1
  EMU_PIDFILE=$EMU_DIR/pid
  EMU_LOGDIR=$EMU_DIR/log
  EMU_LOG=$EMU_LOGDIR/server.log
  mkdir -p "$EMU_DIR" "$EMU_LOGDIR"
}

emu_require() {
  local c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || emu_die "required command not found: $c"
  done
}

# emu_pid: print the recorded pid if that process is still alive and still ours (its command
# line names a path under $EMU_DIR, so a recycled pid is never signalled), else fail and drop
# the stale file.
emu_pid() {
  local pid
  [ -f "$EMU_PIDFILE" ] || return 1
  pid=$(cat "$EMU_PIDFILE" 2>/dev/null) || return 1
  if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$EMU_DIR/"; then
    printf '%s\n' "$pid"
    return 0
  fi
  rm -f "$EMU_PIDFILE"
  return 1
}

# emu_running: if the server is already running, say so and succeed; else fail (start it).
emu_running() {
  local pid
  pid=$(emu_pid) || return 1
  emu_log "already running (pid $pid)"
}

# emu_port_free PORT...: fail if something already listens on one of the ports.
emu_port_free() {
  local p
  for p in "$@"; do
    if ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; then
      ss -Hltnp "sport = :$p" >&2 || true
      emu_die "port $p is already in use (see above); stop that process first"
    fi
  done
}

# emu_spawn CMD...: start CMD in the background, in its own session/process group,
# output appended to $EMU_LOG, pid written to $EMU_PIDFILE.
emu_spawn() {
  : >"$EMU_LOG"
  printf '# %s: %s\n' "$(date -u +%FT%TZ)" "$*" >>"$EMU_LOG"
  setsid "$@" </dev/null >>"$EMU_LOG" 2>&1 &
  echo $! >"$EMU_PIDFILE"
  emu_log "started pid $! (log: ${EMU_LOG#"$EMU_REPO_ROOT"/})"
}

# emu_log_tail [N]: the last N (40) lines of the server log, on stderr.
emu_log_tail() {
  local n=${1:-40}
  [ -f "$EMU_LOG" ] || return 0
  echo "----- last $n lines of ${EMU_LOG#"$EMU_REPO_ROOT"/} -----" >&2
  tail -n "$n" "$EMU_LOG" >&2
  echo "-----" >&2
}

# emu_wait TIMEOUT_S WHAT CMD...: run CMD every 0.25 s until it succeeds. If the server
# process dies, or on timeout (the server is then stopped), print the log tail and fail.
emu_wait() {
  local timeout=$1 what=$2 t0
  shift 2
  t0=$(emu_now)
  while :; do
    if "$@" >/dev/null 2>&1; then
      emu_log "$what: ready after $(emu_elapsed "$t0")"
      return 0
    fi
    if ! emu_pid >/dev/null; then
      emu_log_tail 40
      emu_die "$what: server process exited during start-up"
    fi
    if awk -v a="$t0" -v b="$(emu_now)" -v t="$timeout" 'BEGIN { exit !(b - a > t) }'; then
      emu_log_tail 40
      emu_stop_server
      emu_die "$what: not ready after ${timeout}s"
    fi
    sleep 0.25
  done
}

# emu_check_created CODE CREATED WHAT [EXISTS_RE]: judge the HTTP status of a request that
# creates WHAT (a bucket, a container), its body in $EMU_DIR/last-response: CREATED means
# created; 409 means it already exists (when EXISTS_RE is given, only if the body matches it);
# anything else prints the body and the log tail and fails.
emu_check_created() {
  local code=$1 created=$2 what=$3 exists_re=${4:-}
  case "$code" in
    "$created") emu_log "created $what" ;;
    409)
      if [ -n "$exists_re" ] && ! grep -qE "$exists_re" "$EMU_DIR/last-response"; then
        cat "$EMU_DIR/last-response" >&2
        emu_die "create $what: HTTP 409"
      fi
      emu_log "$what already exists"
      ;;
    *)
      cat "$EMU_DIR/last-response" >&2 || true
      emu_log_tail
      emu_die "create $what: HTTP $code"
      ;;
  esac
}

# emu_port_open HOST PORT: a TCP connect succeeds.
emu_port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# emu_http_answers URL: any HTTP response at all (even 4xx) counts.
emu_http_answers() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1") || return 1
  [ "$code" != 000 ]
}

# emu_group_pids PID: the pids of PID's process group (the group emu_spawn created).
emu_group_pids() { ps -e -o pid=,pgid= | awk -v g="$1" '$2 == g { print $1 }'; }

# emu_assert_loopback: every listening socket of the server's process group must be on
# 127.0.0.1 or ::1. Fails loudly (and stops the server) otherwise.
emu_assert_loopback() {
  local pid pids lines bad
  pid=$(emu_pid) || emu_die "not running"
  pids=$(emu_group_pids "$pid" | paste -sd'|')
  lines=$(ss -Hltnp | grep -E "pid=($pids)," || true)
  [ -n "$lines" ] || emu_die "no listening sockets found for pids $pids"
  bad=$(printf '%s\n' "$lines" | awk '$4 !~ /^(127\.[0-9.]+|\[::1\]|\[::ffff:127\.[0-9.]+\]):[0-9]+$/')
  if [ -n "$bad" ]; then
    echo "$bad" >&2
    emu_stop_server
    emu_die "server listened on a NON-LOOPBACK address (above); stopped it"
  fi
  emu_log "listening on loopback only: $(printf '%s\n' "$lines" | awk '{ print $4 }' | sort -u | paste -sd' ')"
}

# emu_stop_server: SIGTERM the process group, wait up to 10 s, then SIGKILL it.
emu_stop_server() {
  local pid
  if ! pid=$(emu_pid); then
    emu_log "not running"
    return 0
  fi
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do
    kill -0 -- "-$pid" 2>/dev/null || break
    sleep 0.25
  done
  if kill -0 -- "-$pid" 2>/dev/null; then
    emu_log "still alive after 10 s, sending SIGKILL"
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  rm -f "$EMU_PIDFILE"
  emu_log "stopped (pid $pid)"
}

# emu_venv DIR STAMP PIP_ARGS...: create a python venv in DIR and pip install into it,
# unless DIR/.installed already holds STAMP (idempotent).
emu_venv() {
  local dir=$1 stamp=$2 t0
  shift 2
  if [ -f "$dir/.installed" ] && [ "$(cat "$dir/.installed")" = "$stamp" ] && [ -x "$dir/bin/python" ]; then
    emu_log "already installed: $stamp"
    return 0
  fi
  emu_require "$EMU_PYTHON"
  t0=$(emu_now)
  rm -rf "$dir"
  "$EMU_PYTHON" -m venv "$dir" ||
    emu_die "'$EMU_PYTHON -m venv' failed (on Debian: apt-get install python3-venv)"
  "$dir/bin/pip" install --quiet --disable-pip-version-check "$@"
  printf '%s\n' "$stamp" >"$dir/.installed"
  emu_log "installed $stamp in $(emu_elapsed "$t0")"
}

# emu_main "$@": dispatch install|start|stop|status to emu_install/emu_start/emu_stop.
emu_main() {
  local t0 pid
  case "${1:-}" in
    install | start | stop)
      t0=$(emu_now)
      "emu_$1"
      emu_log "$1 done in $(emu_elapsed "$t0")"
      ;;
    status)
      if pid=$(emu_pid); then emu_log "running, pid $pid"; else emu_log "not running"; return 1; fi
      ;;
    *)
      echo "usage: $0 {install|start|stop|status}" >&2
      return 2
      ;;
  esac
}
