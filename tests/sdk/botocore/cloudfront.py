"""Signs CloudFront URLs with botocore's CloudFrontSigner for tests/sdk/cloudfront.rs.

Usage: python cloudfront.py CASES.json -> one JSON object per case on stdout (JSON Lines).

The file holds {"key_pem": ..., "key_id": ..., "cases": [...]}. Each case gives the URL, the
expiry (Unix seconds) and, for a custom policy, presign's policy JSON plus the inputs botocore's
own build_policy takes (resource, not-before, IP range). For each case this prints:
  url            generate_presigned_url(url, date_less_than=...) for a canned policy, or
                 generate_presigned_url(url, policy=<presign's policy>) for a custom one
  built_policy   botocore's build_policy(...) for the same inputs (custom cases only)
"""
import datetime
import json
import sys

from botocore.signers import CloudFrontSigner
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    key = serialization.load_pem_private_key(doc["key_pem"].encode(), password=None)

    def rsa_signer(message):
        return key.sign(message, padding.PKCS1v15(), hashes.SHA1())

    signer = CloudFrontSigner(doc["key_id"], rsa_signer)
    utc = datetime.timezone.utc
    for case in doc["cases"]:
        expires = datetime.datetime.fromtimestamp(case["expires"], tz=utc)
        out = {}
        if case.get("policy") is None:
            out["url"] = signer.generate_presigned_url(case["url"], date_less_than=expires)
        else:
            out["url"] = signer.generate_presigned_url(case["url"], policy=case["policy"])
            not_before = case.get("not_before")
            out["built_policy"] = signer.build_policy(
                case["resource"],
                expires,
                date_greater_than=None
                if not_before is None
                else datetime.datetime.fromtimestamp(not_before, tz=utc),
                ip_address=case.get("ip"),
            )
        print(json.dumps(out))


if __name__ == "__main__":
    main()
