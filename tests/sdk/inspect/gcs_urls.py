#!/usr/bin/env python3
"""Signed Cloud Storage URLs from google-cloud-storage's Blob.generate_signed_url, for
tests/sdk/inspect/.

Usage: python gcs_urls.py CASES.json   (one JSON object per line on stdout)

CASES.json is {"service_account": {...key file...}, "cases": [{id, version ("v4" | "v2"),
bucket, object, method, expires (seconds), timestamp (YYYYMMDDTHHMMSSZ), style ("path" |
"virtual"), headers [[k, v]], content_type?}]}. V4 signs with the service account's RSA key
(GOOG4-RSA-SHA256) at the fixed `timestamp`; V2 gets an absolute expiration (timestamp +
expires). Prints {"id", "url"} or {"id", "error"}.
"""
import datetime
import json
import os
import sys

from google.cloud import storage
from google.cloud.storage import _signing
from google.oauth2 import service_account

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cases import run  # noqa: E402


def sign(client, credentials, case):
    timestamp = case["timestamp"]
    _signing.get_v4_now_dtstamps = lambda: (timestamp, timestamp[:8])
    blob = client.bucket(case["bucket"]).blob(case["object"])
    kwargs = dict(
        version=case["version"],
        method="RESUMABLE" if case["method"] == "POST" else case["method"],
        credentials=credentials,
        content_type=case.get("content_type"),
        headers=dict(case.get("headers", [])) or None,
    )
    if case["version"] == "v4":
        kwargs["expiration"] = datetime.timedelta(seconds=case["expires"])
        kwargs["virtual_hosted_style"] = case["style"] == "virtual"
    else:
        start = datetime.datetime.strptime(timestamp, "%Y%m%dT%H%M%SZ").replace(
            tzinfo=datetime.timezone.utc
        )
        kwargs["expiration"] = start + datetime.timedelta(seconds=case["expires"])
    return blob.generate_signed_url(**kwargs)


def main():
    data = json.load(open(sys.argv[1], encoding="utf-8"))
    credentials = service_account.Credentials.from_service_account_info(data["service_account"])
    client = storage.Client.create_anonymous_client()
    run(lambda case: sign(client, credentials, case))


if __name__ == "__main__":
    main()
