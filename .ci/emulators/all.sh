#!/usr/bin/env bash
# Install, start or stop all three emulators (SeaweedFS S3, Azurite, fake-gcs-server).
# Usage: all.sh {install|start|stop|status}
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
emulators=(seaweedfs azurite fake-gcs)

case "${1:-}" in
  install)
    for e in "${emulators[@]}"; do bash "$here/$e.sh" install; done
    ;;
  start)
    for e in "${emulators[@]}"; do
      if ! bash "$here/$e.sh" start; then
        echo "all.sh: $e failed to start; stopping the emulators again" >&2
        for s in "${emulators[@]}"; do bash "$here/$s.sh" stop || true; done
        exit 1
      fi
    done
    ;;
  stop)
    # In parallel: each waits for its server to exit (weed takes ~4 s).
    pids=()
    for e in "${emulators[@]}"; do
      bash "$here/$e.sh" stop &
      pids+=($!)
    done
    rc=0
    for p in "${pids[@]}"; do wait "$p" || rc=1; done
    exit $rc
    ;;
  status)
    rc=0
    for e in "${emulators[@]}"; do bash "$here/$e.sh" status || rc=1; done
    exit $rc
    ;;
  *)
    echo "usage: $0 {install|start|stop|status}" >&2
    exit 2
    ;;
esac
