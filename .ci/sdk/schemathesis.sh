#!/usr/bin/env bash
# schemathesis for the OpenAPI check of the signing gateway (tests/sdk/gateway_openapi.rs): it
# reads /openapi.json from the running gateway and sends generated requests (no 5xx, every
# answer matching the document). Its own venv (.emulators/schemathesis-venv, or
# PRESIGN_SCHEMATHESIS_VENV), so that its dependencies never move the SDKs' pins.
# Usage: .ci/sdk/schemathesis.sh {install|check}
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export PRESIGN_SDK_VENV=${PRESIGN_SCHEMATHESIS_VENV:-$root/.emulators/schemathesis-venv}
# shellcheck source=../lib/pinned-sdk.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/pinned-sdk.sh"
pinned_sdk schemathesis schemathesis 4.32.5 'schemathesis' "${1:-}"
