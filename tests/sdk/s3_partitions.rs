//! Where S3 URLs point in every AWS partition, against botocore (its endpoint rules and
//! `partitions.json`): `cn-north-1` used to give `my-bucket.s3.cn-north-1.amazonaws.com`, a
//! host that does not exist (China is `amazonaws.com.cn`; the ISO partitions and the European
//! sovereign cloud have their own suffixes too).

use presign_core::{PresignRequest, SyncPresigner, Timestamp};
use presign_s3::{Credentials, S3Presigner};
use presign_tests::sdk::{run_sdk_script, sdk_python};
use serde_json::{Value, json};

/// Two regions of each partition botocore 1.44 knows.
const REGIONS: &[&str] = &[
    "us-east-1",
    "eu-west-1",
    "ap-southeast-5",
    "il-central-1",
    "mx-central-1",
    "cn-north-1",
    "cn-northwest-1",
    "us-gov-west-1",
    "us-gov-east-1",
    "us-iso-east-1",
    "us-iso-west-1",
    "us-isob-east-1",
    "eu-isoe-west-1",
    "us-isof-south-1",
    "us-isof-east-1",
    "eusc-de-east-1",
];

#[test]
fn every_partition_has_botocores_host() {
    let Some(py) = sdk_python(
        "sdk::s3_partitions",
        "botocore",
        ".ci/sdk/botocore-cloudfront.sh",
    ) else {
        return;
    };
    let out = run_sdk_script(
        &py,
        "tests/sdk/botocore/s3_hosts.py",
        &json!({"bucket": "my-bucket", "regions": REGIONS}),
    );
    let answers: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(answers.len(), REGIONS.len());
    let at = Timestamp::parse_rfc3339("2026-01-02T03:04:05Z").unwrap();
    for (region, answer) in REGIONS.iter().zip(&answers) {
        assert_eq!(answer["region"], *region);
        let s3 = S3Presigner::builder()
            .bucket("my-bucket")
            .region(*region)
            .credentials(Credentials::new(
                "AKIAIOSFODNN7EXAMPLE",
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            ))
            .build()
            .unwrap();
        let url = s3
            .presign_sync(&PresignRequest::parse("GET", "k").unwrap().signed_at(at))
            .unwrap();
        let host = url.expose_url().split('/').nth(2).unwrap().to_owned();
        assert_eq!(
            host,
            answer["host"].as_str().unwrap(),
            "{region} ({answer})"
        );
    }
}
