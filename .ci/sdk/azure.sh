#!/usr/bin/env bash
# The official Azure Python SDK for the known-answer differential test (tests/sdk/azure.rs):
# azure-storage-blob 12.31.1 signs sv=2026-10-06. Usage: .ci/sdk/azure.sh {install|check}
set -euo pipefail
# shellcheck source=../lib/pinned-sdk.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/pinned-sdk.sh"
pinned_sdk azure azure-storage-blob 12.31.1 'azure.storage.blob' "${1:-}"
