#!/usr/bin/env bash
# botocore's CloudFrontSigner and `cryptography` (its RSA signer callback) for the CloudFront
# differential test (tests/sdk/cloudfront.rs). botocore 1.44.8 is compatible with the boto3 1.44.5
# of boto3.sh (botocore >=1.44.5,<1.45). Usage: .ci/sdk/botocore-cloudfront.sh {install|check}
set -euo pipefail
# shellcheck source=../lib/pinned-sdk.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/pinned-sdk.sh"
pinned_sdk botocore botocore 1.44.8 'botocore.signers' "${1:-}"
pinned_sdk cryptography cryptography 50.0.2 'cryptography.hazmat.primitives.asymmetric.padding' "${1:-}"
