"""Asks botocore where S3 presigned URLs point, for tests/sdk/s3_partitions.rs.

Usage: python s3_hosts.py CASES.json -> one JSON object per case on stdout (JSON Lines).

The file holds {"bucket": ..., "regions": [...]}. For each region this prints
{"region": ..., "host": ...}: the host of botocore's generate_presigned_url('get_object') with
virtual-hosted addressing and the regional us-east-1 endpoint, resolved by botocore's own
endpoint rules and partitions data (no network is used: presigning is local).
"""
import json
import sys

import botocore
import botocore.session
from botocore.config import Config


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    session = botocore.session.get_session()
    config = Config(
        signature_version="s3v4",
        s3={"addressing_style": "virtual", "us_east_1_regional_endpoint": "regional"},
    )
    for region in doc["regions"]:
        client = session.create_client(
            "s3",
            region_name=region,
            aws_access_key_id="AKIAIOSFODNN7EXAMPLE",
            aws_secret_access_key="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            config=config,
        )
        url = client.generate_presigned_url(
            "get_object", Params={"Bucket": doc["bucket"], "Key": "k"}
        )
        print(json.dumps({"region": region, "host": url.split("/")[2], "botocore": botocore.__version__}))


if __name__ == "__main__":
    main()
