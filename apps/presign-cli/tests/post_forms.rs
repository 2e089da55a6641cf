#![cfg(test)] // all test code: clippy.toml's allow-*-in-tests cover its helpers too
//! Issue 8, item 5 (S3 POST): an exact key ending in `${filename}` must be a `starts-with`
//! condition (S3 substitutes the file name before it checks the policy, so an exact condition
//! can never match: boto3's rule), and metadata names in mixed case are lower-cased (S3 and GCS
//! store them so) instead of refused.

mod support;

use base64::Engine;
use support::{attacked_config, run};

fn conditions(stdout: &str) -> (serde_json::Value, Vec<serde_json::Value>) {
    let v: serde_json::Value = serde_json::from_str(stdout).unwrap();
    let policy = base64::engine::general_purpose::STANDARD
        .decode(v["fields"]["policy"].as_str().unwrap())
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&policy).unwrap();
    (
        v["fields"].clone(),
        doc["conditions"].as_array().unwrap().clone(),
    )
}

#[test]
fn an_exact_key_ending_in_filename_is_a_prefix_condition() {
    let dir = tempfile::tempdir().unwrap();
    let config = attacked_config(dir.path(), "");
    let out = run(
        &[
            "--config",
            config.to_str().unwrap(),
            "post",
            "--provider",
            "s3post",
            "uploads/alice/${filename}",
            "--meta",
            "Owner-ID=alice",
        ],
        &[],
        b"",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let (fields, conditions) = conditions(&out.stdout);
    assert_eq!(fields["key"], "uploads/alice/${filename}");
    assert!(
        conditions.contains(&serde_json::json!([
            "starts-with",
            "$key",
            "uploads/alice/"
        ])),
        "{conditions:?}"
    );
    assert!(
        !conditions.iter().any(|c| c.get("key").is_some()),
        "an exact key condition can never match: {conditions:?}"
    );
    assert_eq!(fields["x-amz-meta-owner-id"], "alice", "{fields}");
    assert!(conditions.contains(&serde_json::json!({"x-amz-meta-owner-id": "alice"})));
}
