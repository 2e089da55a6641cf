#!/usr/bin/env python3
"""Signed Azure Blob URLs from azure-storage-blob (generate_blob_sas, generate_container_sas,
generate_account_sas), for tests/sdk/inspect/.

Usage: python azure_urls.py CASES.json   (one JSON object per line on stdout)

CASES.json is a list of {id, kind ("blob" | "container" | "account"), account, account_key?,
delegation_key {oid, tid, start, expiry, service, version, value}?, endpoint, container,
blob?, permission, expiry, start?, ip?, protocol?, policy_id?}. The URL is the SDK's client URL
(BlobClient / ContainerClient / the account endpoint) + "?" + the SAS token. Prints
{"id", "url"} or {"id", "error"}.
"""
import os
import sys

from azure.storage.blob import (
    AccountSasPermissions,
    BlobClient,
    ContainerClient,
    ResourceTypes,
    generate_account_sas,
    generate_blob_sas,
    generate_container_sas,
)

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
sys.path.insert(0, os.path.join(here, "..", "azure"))
from cases import run  # noqa: E402
from generate_sas import delegation_key  # noqa: E402  (tests/sdk/azure)


def sign(case):
    udk = case.get("delegation_key")
    common = dict(
        expiry=case["expiry"],
        start=case.get("start"),
        ip=case.get("ip"),
        protocol=case.get("protocol"),
    )
    if case["kind"] == "account":
        token = generate_account_sas(
            account_name=case["account"],
            account_key=case["account_key"],
            resource_types=ResourceTypes(service=True, container=True, object=True),
            permission=AccountSasPermissions.from_string(case["permission"]),
            **common,
        )
        return case["endpoint"].rstrip("/") + "/?" + token
    keys = dict(
        account_key=None if udk else case["account_key"],
        user_delegation_key=delegation_key(udk) if udk else None,
    )
    if case.get("policy_id"):
        common["policy_id"] = case["policy_id"]
    if case["kind"] == "container":
        token = generate_container_sas(
            account_name=case["account"],
            container_name=case["container"],
            permission=case["permission"],
            **keys,
            **common,
        )
        base = ContainerClient(account_url=case["endpoint"], container_name=case["container"]).url
        return base + "?" + token
    token = generate_blob_sas(
        account_name=case["account"],
        container_name=case["container"],
        blob_name=case["blob"],
        permission=case["permission"],
        **keys,
        **common,
    )
    base = BlobClient(
        account_url=case["endpoint"], container_name=case["container"], blob_name=case["blob"]
    ).url
    return base + "?" + token


def main():
    run(sign)


if __name__ == "__main__":
    main()
