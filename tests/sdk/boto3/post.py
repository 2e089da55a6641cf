"""Signs S3 POST policies with boto3 for tests/sdk/boto3_post.rs.

Usage: python post.py CASES.json  -> prints one JSON object per case on stdout (JSON Lines).

Each case gives the boto3 inputs (bucket, key, fields, conditions, expires_in, credentials,
region, endpoint, addressing style, signing time) and, for the cross-check, presign's base64
policy. For each case this prints:
  url, fields           what generate_presigned_post returned (its own policy and signature)
  policy_json           boto3's policy document, decoded
  signature_over_ours   S3SigV4PostAuth's signature over presign's base64 policy, with the
                        same credentials, region and signing time
"""
import base64
import datetime
import json
import sys
from unittest import mock

import boto3
import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials


def sign_case(case):
    t = datetime.datetime.strptime(case["time"], "%Y%m%dT%H%M%SZ")
    client = boto3.client(
        "s3",
        region_name=case["region"],
        endpoint_url=case["endpoint"],
        aws_access_key_id=case["access_key"],
        aws_secret_access_key=case["secret_key"],
        aws_session_token=case.get("token"),
        config=Config(signature_version="s3v4", s3={"addressing_style": case["addressing"]}),
    )
    with mock.patch("botocore.signers.get_current_datetime", return_value=t), mock.patch(
        "botocore.auth.get_current_datetime", return_value=t
    ):
        post = client.generate_presigned_post(
            case["bucket"],
            case["key"],
            Fields=case["fields"],
            Conditions=case["conditions"],
            ExpiresIn=case["expires_in"],
        )
    policy_json = json.loads(base64.b64decode(post["fields"]["policy"]))

    creds = Credentials(case["access_key"], case["secret_key"], case.get("token"))
    auth = botocore.auth.S3SigV4PostAuth(creds, "s3", case["region"])
    request = AWSRequest(method="POST", url=post["url"])
    request.context["timestamp"] = case["time"]
    signature_over_ours = auth.signature(case["our_policy"], request)
    return {
        "id": case["id"],
        "url": post["url"],
        "fields": post["fields"],
        "policy_json": policy_json,
        "signature_over_ours": signature_over_ours,
    }


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        cases = json.load(f)
    out = sys.stdout
    for case in cases:
        out.write(json.dumps(sign_case(case)) + "\n")


if __name__ == "__main__":
    main()
