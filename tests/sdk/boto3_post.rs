//! Differential test of S3 POST policies against boto3's `generate_presigned_post` (boto3
//! pinned in .ci/sdk/boto3.sh): 200 generated cases with tricky keys, prefixes, metadata,
//! Content-Type (exact and prefix), size ranges, success actions, ACLs, session tokens,
//! regions, addressing styles and signing times.
//!
//! The Rust side maps each case to boto3's inputs on its own (not through presign's code) and
//! signs it with presign-s3; `tests/sdk/boto3/post.py` signs it with boto3 at the same fixed
//! time. The policy documents differ in formatting (key order, whitespace), so the test compares:
//! 1. boto3's `S3SigV4PostAuth` signature over presign's base64 policy equals presign's
//!    signature;
//! 2. the conditions, parsed, are equal as sets, and the expirations are the same instant;
//! 3. the form fields other than `policy` and `x-amz-signature` are equal (same names, same
//!    values), and the URL is the same (boto3 writes a path-style bucket URL without the final
//!    `/`, presign with it; both are accepted);
//! 4. presign's signing-key derivation reproduces boto3's own signature over boto3's policy.
//!
//! Python: `PRESIGN_PYTHON`, default `.emulators/sdk-venv/bin/python` under the workspace root
//! (`bash .ci/sdk/boto3.sh install` creates it). Under `CI=true` a missing interpreter or SDK fails
//! the test; otherwise it prints a loud SKIPPED line.

use std::collections::BTreeSet;
use std::time::Duration;

use presign_core::SyncPostPresigner;
use presign_core::crypto::{hex, hmac_sha256};
use presign_core::post_policy::{PostPolicyRequest, PresignedPost};
use presign_core::{ObjectKey, Timestamp};
use presign_s3::{Addressing, Credentials, S3Presigner};
use presign_tests::rng::Rng;
use presign_tests::sdk::{run_sdk_script, sdk_python};
use presign_v4::derive_signing_key;
use serde_json::{Value, json};

const CASES: usize = 200;

const KEY_PARTS: &[&str] = &[
    "a",
    "Z",
    "0",
    "file.txt",
    " ",
    "+",
    "%",
    "%2F",
    "?",
    "#",
    "&",
    "=",
    ";",
    ":",
    "@",
    "!",
    "*",
    "'",
    "(",
    ")",
    ",",
    "$",
    "[",
    "]",
    "~",
    "-",
    "_",
    ".",
    "..",
    "/",
    "//",
    "\\",
    "\"",
    "<",
    ">",
    "{",
    "}",
    "|",
    "^",
    "`",
    "é",
    "ü",
    "日本",
    "😀",
    "\u{200b}",
    "\u{a0}",
    "Ω",
    "e\u{301}",
    "q4 summary.pdf",
    "uploads/",
    "users/alice/",
];

const TEXT_PARTS: &[&str] = &[
    "alice",
    "x y",
    "\"quoted\"",
    "back\\slash",
    "ü",
    "日本",
    "😀",
    "a,b",
    "$x",
    "${filename}",
    "=",
    "&",
    "<tag>",
    "'",
    "",
];

fn text(rng: &mut Rng, parts: usize) -> String {
    (0..parts).map(|_| rng.pick(TEXT_PARTS)).collect()
}

fn key_text(rng: &mut Rng) -> String {
    (0..(1 + rng.below(6)))
        .map(|_| rng.pick(KEY_PARTS))
        .collect()
}

struct Case {
    /// boto3's inputs, mapped from the case here (independently of presign-s3's code).
    json: Value,
    post: PresignedPost,
    secret: String,
    region: String,
}

fn make_case(rng: &mut Rng, i: usize) -> Case {
    let access_key = format!("AKIA{:016X}", rng.next_u64());
    let secret = format!(
        "{:016x}/{:016x}+{:08X}",
        rng.next_u64(),
        rng.next_u64(),
        rng.next_u64() as u32
    );
    let token = rng.chance(25).then(|| {
        format!(
            "FwoG{:016x}/+={:08x}",
            rng.next_u64(),
            rng.next_u64() as u32
        )
    });
    let region = rng
        .pick(&["us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2"])
        .to_owned();
    let bucket = rng
        .pick(&["presign-test", "my-bucket", "b.0-example", "abc"])
        .to_owned();
    let path_style = rng.chance(50) || bucket.contains('.');
    let (endpoint, addressing) = if path_style && rng.chance(50) {
        ("http://127.0.0.1:8333".to_owned(), "path")
    } else {
        (
            format!("https://s3.{region}.amazonaws.com"),
            if path_style { "path" } else { "virtual" },
        )
    };
    let time = Timestamp::from_unix(946_684_800 + (rng.next_u64() % 1_100_000_000) as i64).unwrap();
    let expires = 1 + rng.below(604_800) as u64;

    let mut fields = serde_json::Map::new();
    let mut conditions: Vec<Value> = Vec::new();
    let exact = |fields: &mut serde_json::Map<String, Value>,
                 conditions: &mut Vec<Value>,
                 name: &str,
                 value: &str| {
        fields.insert(name.to_owned(), json!(value));
        conditions.push(json!({ name: value }));
    };

    let (mut req, boto_key) = if rng.chance(50) {
        let prefix = if rng.chance(10) {
            String::new()
        } else {
            key_text(rng)
        };
        (
            PostPolicyRequest::starts_with(prefix.clone()),
            format!("{prefix}${{filename}}"),
        )
    } else {
        let mut key = key_text(rng);
        if i.is_multiple_of(41) {
            while key.len() < 1000 {
                key.push_str(rng.pick(&["ab/", "ü", "😀", "x y"]));
            }
        }
        // An exact key ending in ${filename}: boto3 turns it into a starts-with condition
        // (S3 substitutes the file name before checking the policy).
        if rng.chance(15) {
            key.push_str("${filename}");
        }
        (
            PostPolicyRequest::exact(ObjectKey::new(key.clone()).unwrap()),
            key,
        )
    };
    req = req.with_ttl(Duration::from_secs(expires)).signed_at(time);
    if rng.chance(40) {
        let acl = rng.pick(&["private", "public-read", "bucket-owner-full-control"]);
        req = req.acl(acl);
        exact(&mut fields, &mut conditions, "acl", acl);
    }
    if rng.chance(30) {
        let v = rng.pick(&[
            "max-age=60",
            "no-store",
            "public, max-age=31536000, immutable",
        ]);
        req = req.cache_control(v);
        exact(&mut fields, &mut conditions, "Cache-Control", v);
    }
    if rng.chance(30) {
        let v = format!("attachment; filename=\"{}\"", text(rng, 2));
        req = req.content_disposition(v.clone());
        exact(&mut fields, &mut conditions, "Content-Disposition", &v);
    }
    match rng.below(3) {
        0 => {
            let v = rng.pick(&["image/png", "text/plain; charset=utf-8", "application/json"]);
            req = req.content_type(v);
            exact(&mut fields, &mut conditions, "Content-Type", v);
        }
        1 => {
            let p = rng.pick(&["image/", "text/", "", "application/vnd."]);
            req = req.content_type_prefix(p);
            conditions.push(json!(["starts-with", "$Content-Type", p]));
        }
        _ => {}
    }
    if rng.chance(30) {
        let v = format!("https://example.com/done?u={}", text(rng, 2));
        req = req.success_action_redirect(v.clone());
        exact(&mut fields, &mut conditions, "success_action_redirect", &v);
    }
    if rng.chance(40) {
        let s = [200u16, 201, 204][rng.below(3)];
        req = req.success_action_status(s);
        exact(
            &mut fields,
            &mut conditions,
            "success_action_status",
            &s.to_string(),
        );
    }
    for n in 0..rng.below(4) {
        let name = format!("{}{n}", rng.pick(&["owner", "tag", "a.b", "x_y-z"]));
        let parts = 1 + rng.below(3);
        let value = text(rng, parts);
        req = req.metadata(name.clone(), value.clone());
        exact(
            &mut fields,
            &mut conditions,
            &format!("x-amz-meta-{name}"),
            &value,
        );
    }
    if rng.chance(80) {
        let min = if rng.chance(50) {
            0
        } else {
            rng.below(1000) as u64
        };
        let max = min + rng.next_u64() % (5 << 30);
        req = req.content_length_range(min, max);
        conditions.push(json!(["content-length-range", min, max]));
    }

    let mut credentials = Credentials::new(access_key.clone(), secret.clone());
    if let Some(t) = &token {
        credentials = credentials.with_session_token(t.clone());
    }
    let s3 = S3Presigner::builder()
        .bucket(bucket.clone())
        .region(region.clone())
        .endpoint(&endpoint)
        .addressing(if addressing == "path" {
            Addressing::Path
        } else {
            Addressing::Virtual
        })
        .credentials(credentials)
        .build()
        .unwrap();
    let post = s3.presign_post_sync(&req).unwrap();
    let json = json!({
        "id": i,
        "access_key": access_key,
        "secret_key": secret,
        "token": token,
        "region": region,
        "endpoint": endpoint,
        "addressing": addressing,
        "bucket": bucket,
        "key": boto_key,
        "fields": fields,
        "conditions": conditions,
        "expires_in": expires,
        "time": time.to_basic(),
        "our_policy": post.expose_field("policy").unwrap(),
    });
    Case {
        json,
        post,
        secret,
        region,
    }
}

/// Conditions as a set of canonical JSON texts.
fn condition_set(policy: &Value) -> BTreeSet<String> {
    policy["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| serde_json::to_string(c).unwrap())
        .collect()
}

fn compare(case: &Case, boto: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    let ours = &case.post;
    let id = &case.json["id"];

    // 1. boto3's signature over our policy.
    let sig = ours.expose_field("x-amz-signature").unwrap();
    if boto["signature_over_ours"].as_str() != Some(sig) {
        diffs.push(format!("case {id}: boto3 signs our policy differently"));
    }

    // 2. Conditions and expiration.
    let our_policy: Value = serde_json::from_str(ours.policy_json()).unwrap();
    let boto_policy = &boto["policy_json"];
    let (a, b) = (condition_set(&our_policy), condition_set(boto_policy));
    if a != b {
        diffs.push(format!(
            "case {id}: conditions differ\n  only presign: {:?}\n  only boto3:   {:?}",
            a.difference(&b).collect::<Vec<_>>(),
            b.difference(&a).collect::<Vec<_>>()
        ));
    }
    let our_exp = our_policy["expiration"].as_str().unwrap();
    if boto_policy["expiration"].as_str() != Some(our_exp) {
        diffs.push(format!(
            "case {id}: expiration {our_exp} vs {}",
            boto_policy["expiration"]
        ));
    }

    // 3. Fields other than the policy and its signature, and the URL.
    let skip = |n: &str| n == "policy" || n == "x-amz-signature";
    let ours_fields: BTreeSet<(String, String)> = ours
        .expose_fields()
        .iter()
        .filter(|(n, _)| !skip(n))
        .cloned()
        .collect();
    let boto_fields: BTreeSet<(String, String)> = boto["fields"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(n, _)| !skip(n))
        .map(|(n, v)| (n.clone(), v.as_str().unwrap().to_owned()))
        .collect();
    if ours_fields != boto_fields {
        diffs.push(format!(
            "case {id}: fields differ\n  only presign: {:?}\n  only boto3:   {:?}",
            ours_fields.difference(&boto_fields).collect::<Vec<_>>(),
            boto_fields.difference(&ours_fields).collect::<Vec<_>>()
        ));
    }
    let boto_url = boto["url"].as_str().unwrap();
    if ours.url().trim_end_matches('/') != boto_url.trim_end_matches('/') {
        diffs.push(format!("case {id}: url {} vs {boto_url}", ours.url()));
    }

    // 4. Our key derivation over boto3's own policy gives boto3's signature.
    let time = ours.signed_at();
    let key = derive_signing_key(
        b"AWS4",
        case.secret.as_bytes(),
        time,
        &case.region,
        "s3",
        "aws4_request",
    );
    let boto_b64 = boto["fields"]["policy"].as_str().unwrap();
    if boto["fields"]["x-amz-signature"].as_str()
        != Some(hex(&hmac_sha256(&*key, boto_b64.as_bytes())).as_str())
    {
        diffs.push(format!("case {id}: boto3's own signature not reproduced"));
    }
    diffs
}

#[test]
fn post_policies_match_boto3() {
    let Some(py) = sdk_python(
        "sdk/boto3_post",
        "boto3, botocore.auth, botocore.signers",
        ".ci/sdk/boto3.sh",
    ) else {
        return;
    };
    let mut rng = Rng(0x5EED_B070_3000_0001);
    let cases: Vec<Case> = (0..CASES).map(|i| make_case(&mut rng, i)).collect();
    let input: Vec<&Value> = cases.iter().map(|c| &c.json).collect();
    let stdout = run_sdk_script(&py, "tests/sdk/boto3/post.py", &json!(input));
    let lines: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), CASES, "one answer per case");
    let mut diffs = Vec::new();
    let mut identical = 0;
    for (case, boto) in cases.iter().zip(&lines) {
        assert_eq!(case.json["id"], boto["id"]);
        let d = compare(case, boto);
        identical += usize::from(d.is_empty());
        diffs.extend(d);
    }
    println!(
        "S3 POST policy vs boto3: {identical} of {CASES} cases identical (signature over our policy, conditions, fields, URL, key derivation)"
    );
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}
