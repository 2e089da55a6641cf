#!/usr/bin/env python3
"""Known-answer oracle for tests/sdk/azure.rs: signs SAS tokens with the official Azure SDK.

Usage: python generate_sas.py CASES.json

CASES.json is a list of objects:
  id, account, container, blob, endpoint,
  account_key (base64)            -- service SAS, or
  delegation_key {oid, tid, start, expiry, service, version, value, delegated_user_tid?}
  permission, expiry, start?, ip?, protocol?, policy_id?, version_id?,
  cache_control?, content_disposition?, content_encoding?, content_language?, content_type?

Prints one JSON object per line: {"id", "token", "url", "string_to_sign"} where token is the
query string from azure.storage.blob.generate_blob_sas and url is BlobClient(...).url (the
SDK's encoding of the blob path). On a bad case: {"id", "error"}.
"""
import json
import sys

from azure.storage.blob import BlobClient, UserDelegationKey, generate_blob_sas

try:
    from importlib.metadata import version

    SDK_VERSION = version("azure-storage-blob")
except Exception:  # pragma: no cover
    SDK_VERSION = "unknown"


def delegation_key(d):
    k = UserDelegationKey()
    k.signed_oid = d["oid"]
    k.signed_tid = d["tid"]
    k.signed_start = d["start"]
    k.signed_expiry = d["expiry"]
    k.signed_service = d["service"]
    k.signed_version = d["version"]
    k.signed_delegated_user_tid = d.get("delegated_user_tid")
    k.value = d["value"]
    return k


def sign(case):
    captured = {}
    kwargs = {}
    for name in ("cache_control", "content_disposition", "content_encoding",
                 "content_language", "content_type", "protocol"):
        if case.get(name) is not None:
            kwargs[name] = case[name]
    if case.get("version_id"):
        kwargs["version_id"] = case["version_id"]
    udk = case.get("delegation_key")
    token = generate_blob_sas(
        account_name=case["account"],
        container_name=case["container"],
        blob_name=case["blob"],
        account_key=None if udk else case["account_key"],
        user_delegation_key=delegation_key(udk) if udk else None,
        permission=case["permission"],
        expiry=case["expiry"],
        start=case.get("start"),
        policy_id=case.get("policy_id"),
        ip=case.get("ip"),
        sts_hook=lambda s: captured.setdefault("sts", s),
        **kwargs,
    )
    url = BlobClient(account_url=case["endpoint"], container_name=case["container"],
                     blob_name=case["blob"]).url
    return {"id": case["id"], "token": token, "url": url, "string_to_sign": captured.get("sts")}


def main():
    if len(sys.argv) != 2:
        print("usage: generate_sas.py CASES.json", file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        cases = json.load(f)
    print(json.dumps({"sdk": "azure-storage-blob", "version": SDK_VERSION}))
    for case in cases:
        try:
            out = sign(case)
        except Exception as e:  # report per case, keep going
            out = {"id": case.get("id"), "error": f"{type(e).__name__}: {e}"}
        print(json.dumps(out, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
