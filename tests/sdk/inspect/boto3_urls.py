#!/usr/bin/env python3
"""Signed S3 URLs from boto3's generate_presigned_url, for tests/sdk/inspect/.

Usage: python boto3_urls.py CASES.json   (one JSON object per line on stdout)

CASES.json is a list of {id, signature_version ("s3v4" | "s3"), region, endpoint?, addressing
("virtual" | "path"), access_key, secret_key, session_token?, client_method, bucket, key,
params {...}, expires_in, timestamp (RFC 3339)}. The signing clock is fixed at `timestamp`
(botocore.auth.get_current_datetime for SigV4, time.time for SigV2). Prints {"id", "url"}
or {"id", "error"}.
"""
import datetime
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cases import run  # noqa: E402

import boto3
import botocore.auth
from botocore.config import Config


CLIENTS = {}


def client_for(case):
    """One client per configuration (creating one costs far more than signing)."""
    key = tuple(
        case.get(k)
        for k in ("access_key", "secret_key", "session_token", "region", "endpoint",
                  "signature_version", "addressing")
    )
    if key not in CLIENTS:
        CLIENTS[key] = new_client(case)
    return CLIENTS[key]


def new_client(case):
    session = boto3.session.Session(
        aws_access_key_id=case["access_key"],
        aws_secret_access_key=case["secret_key"],
        aws_session_token=case.get("session_token"),
        region_name=case["region"],
    )
    config = Config(
        signature_version=case["signature_version"],
        s3={"addressing_style": case["addressing"]},
    )
    return session.client("s3", endpoint_url=case.get("endpoint"), config=config)


def sign(case):
    now = datetime.datetime.fromisoformat(case["timestamp"].replace("Z", "+00:00"))
    botocore.auth.get_current_datetime = lambda: now.replace(tzinfo=None)
    time.time = lambda: now.timestamp()
    client = client_for(case)
    params = {"Bucket": case["bucket"], "Key": case["key"]}
    params.update(case.get("params", {}))
    return client.generate_presigned_url(
        case["client_method"], Params=params, ExpiresIn=case["expires_in"]
    )


def main():
    run(sign)


if __name__ == "__main__":
    main()
