#!/usr/bin/env bash
# The official Google Cloud Storage Python SDK for the HMAC differential test (tests/sdk/gcs_hmac.rs):
# V4 signing in google.cloud.storage._signing. Usage: .ci/sdk/gcs.sh {install|check}
set -euo pipefail
# shellcheck source=../lib/pinned-sdk.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/pinned-sdk.sh"
pinned_sdk gcs google-cloud-storage 3.17.1 'google.cloud.storage._signing' "${1:-}"
