//! `presign batch`: one JSON line out per line in, in order, with ids echoed; inline and named
//! providers of every kind; POST-policy lines.

use presign_tests::sigv4_reference::dev_get_url;
use serde_json::Value;

use crate::fixtures::{
    AZURITE_KEY, GCS_HMAC_ID, GCS_HMAC_SECRET, MULTI_ENV, azure_direct, gcs_direct, get,
    multi_cloud_config, ordered_fields, run_multi,
};
use crate::{ACCESS_KEY, NOW, SECRET_KEY, run_env};

#[test]
fn batch_answers_every_line_in_order() {
    let inline = r#"{"kind":"s3","bucket":"inline-bkt","region":"eu-west-1","access_key_id":"AKIDINLINE","secret_access_key":"inline-secret-value","policy":{"constraints":"best-effort","any_key":true}}"#;
    let input = [
        format!(r#"{{"id":1,"provider":"dev","method":"GET","key":"a.txt","now":"{NOW}"}}"#),
        "this is not json".to_string(),
        r#"{"id":"del","provider":"dev","method":"DELETE","key":"a"}"#.to_string(),
        String::new(),
        format!(r#"{{"id":{{"n":4}},"provider":{inline},"method":"PUT","key":"k","content_type":"text/plain","ip":"10.0.0.1","expires_in":"2m","now":"{NOW}"}}"#),
        r#"{"id":5,"provider":"dev","method":"GET"}"#.to_string(),
        r#"{"id":6,"provider":"nope","method":"GET","key":"a"}"#.to_string(),
        format!(r#"{{"id":7,"provider":{inline},"method":"GET","key":"k2","now":"{NOW}","expires_in":60}}"#),
        r#"{"id":8,"provider":"dev","method":"GET","key":"a","expires_in":"soon"}"#.to_string(),
    ]
    .join("\n");
    // Inline providers are allowed by the operator, whose top-level policy signs any key with
    // best-effort constraints (an inline policy may only tighten it).
    let operator = [
        ("PRESIGN_POLICY__ANY_KEY", "true"),
        ("PRESIGN_POLICY__CONSTRAINTS", "best-effort"),
    ];
    let out = run_env(&["batch", "--allow-inline-providers"], &operator, &input);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 8, "{}", out.stdout);
    let ids: Vec<Value> = lines.iter().map(|l| l["id"].clone()).collect();
    assert_eq!(
        ids,
        vec![
            Value::from(1),
            Value::Null,
            Value::from("del"),
            serde_json::json!({"n": 4}),
            Value::from(5),
            Value::from(6),
            Value::from(7),
            Value::from(8)
        ]
    );
    assert_eq!(lines[0]["url"].as_str().unwrap(), dev_get_url("a.txt"));
    assert_eq!(lines[0]["method"], "GET");
    assert_eq!(lines[0]["expires_at"], "2024-01-02T03:09:05Z");
    assert_eq!(lines[0]["headers"], serde_json::json!({}));
    assert!(lines[0].get("dropped").is_none());
    assert_eq!(lines[1]["error"]["kind"], "parse");
    assert_eq!(lines[2]["error"]["kind"], "method_not_allowed");
    assert!(
        lines[3]["url"]
            .as_str()
            .unwrap()
            .starts_with("https://inline-bkt.s3.eu-west-1.amazonaws.com/k?")
    );
    assert_eq!(lines[3]["headers"]["content-type"], "text/plain");
    assert_eq!(lines[3]["dropped"], serde_json::json!(["client-ip-v4"]));
    assert_eq!(lines[3]["expires_at"], "2024-01-02T03:06:05Z");
    assert_eq!(lines[4]["error"]["kind"], "parse");
    assert!(
        lines[4]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("key")
    );
    assert_eq!(lines[5]["error"]["kind"], "invalid_input");
    assert_eq!(lines[6]["expires_at"], "2024-01-02T03:05:05Z");
    assert_eq!(lines[7]["error"]["kind"], "invalid_input");
    // Empty input: nothing out, success.
    let out = run_env(&["batch"], &[], "");
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
}

#[test]
fn batch_accepts_every_kind_inline_and_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let file = multi_cloud_config(dir.path());
    let az_inline = format!(
        r#"{{"kind":"azure","account":"devstoreaccount1","container":"presign-test","account_key":"{AZURITE_KEY}","endpoint":"http://127.0.0.1:10000/devstoreaccount1","policy":{{"any_key":true}}}}"#
    );
    let gcs_inline = format!(
        r#"{{"kind":"gcs","bucket":"presign-test","hmac_access_id":"{GCS_HMAC_ID}","hmac_secret":"{GCS_HMAC_SECRET}","policy":{{"any_key":true}}}}"#
    );
    let input = [
        format!(r#"{{"id":1,"provider":{az_inline},"method":"GET","key":"a.txt","now":"{NOW}","ip":"203.0.113.7"}}"#),
        format!(r#"{{"id":2,"provider":{gcs_inline},"method":"GET","key":"a.txt","now":"{NOW}"}}"#),
        format!(r#"{{"id":3,"provider":"gk","method":"GET","key":"a b.txt","now":"{NOW}"}}"#),
        r#"{"id":4,"provider":{"kind":"azure","account":"devstoreaccount1","container":"c1","credential":"user-delegation"},"method":"GET","key":"k"}"#.to_string(),
    ]
    .join("\n");
    let out = run_multi(&file, &["batch", "--allow-inline-providers"], &input);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "{}", out.stdout);
    let mut c = presign_core::Constraints::default();
    c.client_ip = Some(presign_core::ClientIp::parse("203.0.113.7").unwrap());
    assert_eq!(
        lines[0]["url"].as_str().unwrap(),
        azure_direct(&get("a.txt").with_constraints(c))
    );
    assert_eq!(
        lines[1]["url"].as_str().unwrap(),
        gcs_direct(
            presign_gcs::GcsPresigner::builder().hmac_key(
                GCS_HMAC_ID,
                presign_core::SecretString::new(GCS_HMAC_SECRET)
            ),
            &get("a.txt")
        )
    );
    assert!(
        lines[2]["url"]
            .as_str()
            .unwrap()
            .starts_with("https://presign-test.storage.googleapis.com/a%20b.txt?"),
        "{}",
        lines[2]
    );
    assert_eq!(lines[3]["error"]["kind"], "config");
    let msg = lines[3]["error"]["message"].as_str().unwrap();
    assert!(
        msg.contains("provider.credential") && msg.contains("network"),
        "{msg}"
    );
    for secret in [AZURITE_KEY, GCS_HMAC_SECRET] {
        assert!(!out.stdout.contains(secret) || !msg.contains(secret));
        assert!(!out.stderr.contains(secret));
    }
}

#[test]
fn batch_post_lines() {
    let dir = tempfile::tempdir().unwrap();
    let file = multi_cloud_config(dir.path());
    let input = [
        format!(r#"{{"id":"p1","kind":"post","provider":"s3post","key_prefix":"uploads/","max_size":"2MiB","content_type_prefix":"image/","success_action_status":201,"metadata":{{"owner":"bob"}},"expires_in":"1m","now":"{NOW}"}}"#),
        format!(r#"{{"id":"p2","kind":"post","provider":"gcspost","key":"a.png","max_size":1000,"min_size":10,"content_type":"image/png","now":"{NOW}"}}"#),
        format!(r#"{{"id":"p3","kind":"post","provider":"dev","key":"a.png","now":"{NOW}"}}"#),
        format!(r#"{{"id":"p4","kind":"post","provider":"az","key":"a.png","now":"{NOW}"}}"#),
        r#"{"id":"p5","kind":"post","provider":"s3post","key":"a","key_prefix":"b/"}"#.to_string(),
        r#"{"id":"p6","kind":"post","provider":"s3post","key":"a","method":"PUT"}"#.to_string(),
        r#"{"id":"p7","provider":"s3post","method":"GET","key":"a","max_size":5}"#.to_string(),
        r#"{"id":"p8","kind":"ftp","provider":"s3post","key":"a"}"#.to_string(),
        format!(r#"{{"id":9,"provider":"s3post","method":"GET","key":"a.txt","now":"{NOW}"}}"#),
    ]
    .join("\n");
    // `dev` is not in this file: add it through the environment, with the default policy.
    let env_dev = [
        ("PRESIGN_PROVIDERS__DEV__KIND", "s3"),
        ("PRESIGN_PROVIDERS__DEV__BUCKET", "presign-test"),
        ("PRESIGN_PROVIDERS__DEV__REGION", "us-east-1"),
        ("PRESIGN_PROVIDERS__DEV__ACCESS_KEY_ID", ACCESS_KEY),
        ("PRESIGN_PROVIDERS__DEV__SECRET_ACCESS_KEY", SECRET_KEY),
    ];
    let mut env = MULTI_ENV.to_vec();
    env.extend_from_slice(&env_dev);
    let out = run_env(&["--config", file.to_str().unwrap(), "batch"], &env, &input);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let raw: Vec<&str> = out.stdout.lines().collect();
    let lines: Vec<Value> = raw
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 9, "{}", out.stdout);
    // p1: S3 prefix policy, fields in order, the client must add a Content-Type.
    assert_eq!(lines[0]["id"], "p1");
    assert_eq!(lines[0]["url"], "http://127.0.0.1:8333/presign-test/");
    assert_eq!(lines[0]["expires_at"], "2024-01-02T03:05:05Z");
    let f1 = ordered_fields(raw[0]);
    assert_eq!(f1[0], ("key".into(), "uploads/${filename}".into()));
    assert!(
        f1.iter()
            .any(|(n, v)| n == "x-amz-meta-owner" && v == "bob"),
        "{f1:?}"
    );
    assert_eq!(
        lines[0]["client_fields"],
        serde_json::json!([{"field": "Content-Type", "starts_with": "image/"}])
    );
    let keys: Vec<&str> = lines[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for k in ["id", "url", "fields", "expires_at"] {
        assert!(keys.contains(&k), "{keys:?}");
    }
    // p2: GCS exact key.
    assert_eq!(
        lines[1]["url"],
        "https://storage.googleapis.com/presign-test/"
    );
    let f2 = ordered_fields(raw[1]);
    assert_eq!(f2[0], ("key".into(), "a.png".into()));
    assert!(lines[1].get("client_fields").is_none());
    // p3: POST not allowed by dev's default policy; p4: Azure has no POST policies.
    assert_eq!(lines[2]["error"]["kind"], "method_not_allowed");
    assert!(
        lines[2]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("allow_methods"),
        "{}",
        lines[2]
    );
    assert_eq!(lines[3]["error"]["kind"], "invalid_input");
    assert!(
        lines[3]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("does not sign POST policies"),
        "{}",
        lines[3]
    );
    // Bad lines.
    assert_eq!(lines[4]["error"]["kind"], "invalid_input");
    assert_eq!(lines[5]["error"]["kind"], "parse");
    assert!(
        lines[5]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("method")
    );
    assert_eq!(lines[6]["error"]["kind"], "parse");
    assert!(
        lines[6]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("max_size")
    );
    assert_eq!(lines[7]["error"]["kind"], "parse");
    assert_eq!(lines[8]["id"], 9);
    assert_eq!(lines[8]["method"], "GET");
    assert!(!out.stdout.contains(SECRET_KEY) && !out.stdout.contains(GCS_HMAC_SECRET));
}

/// A cookie grant's `pattern` on a URL or POST line is refused, not silently ignored: the
/// caller would believe the URL or form is limited to the pattern.
#[test]
fn a_cookie_pattern_on_url_and_post_lines_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = multi_cloud_config(dir.path());
    let input = [
        r#"{"id":"u","provider":"s3post","method":"GET","key":"a.txt","pattern":"videos/*"}"#,
        r#"{"id":"p","kind":"post","provider":"s3post","key":"a.png","pattern":"videos/*"}"#,
    ]
    .join("\n");
    let out = run_env(
        &["--config", file.to_str().unwrap(), "batch"],
        &MULTI_ENV,
        &input,
    );
    let lines: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    for (line, words) in lines.iter().zip([
        "unknown field `pattern` for a URL line (it belongs to \"kind\": \"cookies\" lines)",
        "unknown field `pattern` for a \"kind\": \"post\" line",
    ]) {
        assert_eq!(line["error"]["kind"], "parse", "{line}");
        assert_eq!(line["error"]["message"], words, "{line}");
        assert!(line.get("url").is_none(), "{line}");
    }
}
