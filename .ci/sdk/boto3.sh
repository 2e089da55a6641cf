#!/usr/bin/env bash
# boto3 for the S3 POST policy differential test (tests/sdk/boto3_post.rs); 1.44.5 is the version
# the emulator report used (S3PostPresigner in botocore.signers). Usage: .ci/sdk/boto3.sh {install|check}
set -euo pipefail
# shellcheck source=../lib/pinned-sdk.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/pinned-sdk.sh"
pinned_sdk boto3 boto3 1.44.5 'boto3, botocore.auth, botocore.signers' "${1:-}"
