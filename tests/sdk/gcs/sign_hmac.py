"""Signs GCS V4 URLs with the official google-cloud-storage SDK, with an HMAC key.

Usage: python sign_hmac.py cases.json   (prints the results as JSON on stdout)

The SDK's V4 routine (google.cloud.storage._signing.generate_signed_url_v4) builds the canonical
request and string to sign; Blob.generate_signed_url builds the resource path and endpoint. The
routine hard-codes "GOOG4-RSA-SHA256", so this script re-compiles the installed function with
"GOOG4-HMAC-SHA256" at run time (nothing is vendored), fixes the clock through
get_v4_now_dtstamps, and passes credentials whose sign_bytes is the GCS HMAC signature: the
SigV4-style key derivation ("GOOG4" + secret, date, location, service, "goog4_request") and one
HMAC-SHA256 over the string to sign.
"""

import datetime
import hashlib
import hmac
import importlib.metadata
import inspect
import json
import sys
import textwrap

import google.auth.credentials
from google.cloud import storage
from google.cloud.storage import _signing
from google.cloud.storage import blob as blob_module

RSA = '"GOOG4-RSA-SHA256"'
HMAC = '"GOOG4-HMAC-SHA256"'


def patch_algorithm():
    source = textwrap.dedent(inspect.getsource(_signing.generate_signed_url_v4))
    count = source.count(RSA)
    if count != 2:
        raise SystemExit(
            f"expected 2 occurrences of {RSA} in generate_signed_url_v4, found {count}: "
            "the installed SDK changed; review this script"
        )
    namespace = _signing.__dict__
    exec(compile(source.replace(RSA, HMAC), _signing.__file__, "exec"), namespace)
    # Blob.generate_signed_url calls the name it imported from _signing.
    blob_module.generate_signed_url_v4 = namespace["generate_signed_url_v4"]


class HmacCredentials(google.auth.credentials.Signing):
    """An HMAC key presented as signing credentials."""

    def __init__(self, access_id, secret):
        self._access_id = access_id
        self._secret = secret

    def sign_bytes(self, message):
        lines = message.decode("ascii").split("\n")
        if lines[0] != "GOOG4-HMAC-SHA256":
            raise ValueError(f"unexpected algorithm line {lines[0]!r}")
        date, location, service, terminator = lines[2].split("/")
        key = ("GOOG4" + self._secret).encode("utf-8")
        for part in (date, location, service, terminator):
            key = hmac.new(key, part.encode("utf-8"), hashlib.sha256).digest()
        return hmac.new(key, message, hashlib.sha256).digest()

    @property
    def signer_email(self):
        return self._access_id

    @property
    def signer(self):
        return None


def sign(client, case):
    timestamp = case["timestamp"]  # yyyymmddThhmmssZ
    _signing.get_v4_now_dtstamps = lambda: (timestamp, timestamp[:8])
    blob = client.bucket(case["bucket"]).blob(case["object"])
    headers = {}
    for name, value in case.get("headers", []):
        headers[name] = value
    query = {}
    for name, value in case.get("query", []):
        query[name] = value
    kwargs = dict(
        version="v4",
        expiration=datetime.timedelta(seconds=case["expires"]),
        method="RESUMABLE" if case["method"] == "POST" else case["method"],
        credentials=HmacCredentials(case["access_id"], case["secret"]),
        content_type=case.get("content_type"),
        content_md5=case.get("content_md5"),
        response_disposition=case.get("response_disposition"),
        response_type=case.get("response_type"),
        generation=case.get("generation"),
        headers=headers or None,
        query_parameters=query or None,
    )
    style = case.get("style", "path")
    if style == "bucket-bound":
        kwargs["bucket_bound_hostname"] = case["bucket_bound_hostname"]
        kwargs["scheme"] = "https"
    else:
        kwargs["api_access_endpoint"] = case["endpoint"]
        kwargs["virtual_hosted_style"] = style == "virtual"
    return blob.generate_signed_url(**kwargs)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        cases = json.load(f)["cases"]
    patch_algorithm()
    client = storage.Client.create_anonymous_client()
    results = []
    for case in cases:
        try:
            results.append({"id": case["id"], "url": sign(client, case)})
        except Exception as e:  # reported per case, the Rust test fails on it
            results.append({"id": case["id"], "error": f"{type(e).__name__}: {e}"})
    json.dump(
        {
            "sdk": "google-cloud-storage " + importlib.metadata.version("google-cloud-storage"),
            "results": results,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()
