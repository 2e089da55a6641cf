//! boto3 `generate_presigned_url` (SigV4 and legacy SigV2; virtual-hosted, path style and a
//! custom endpoint; long-term and temporary keys; uploads with a signed Content-Type; response
//! overrides) decoded by `presign inspect`.

use presign_core::{Method, SecretString, Timestamp};
use presign_inspect::{CredentialKind, Part, Provider, verify};
use presign_s3::{Credentials, S3Presigner};
use presign_tests::rng::Rng;
use presign_tests::sdk::sdk_python;
use serde_json::{Value, json};

use super::{NAMES, codes, inspect_all_ways, lifetime_codes, sorted, urls, verify_all_ways};

/// The provider `presign verify` checks a case's URL with: the same credentials.
fn presigner(case: &Value) -> S3Presigner {
    let mut creds = Credentials::new(
        case["access_key"].as_str().unwrap(),
        SecretString::new(case["secret_key"].as_str().unwrap()),
    );
    if let Some(token) = case["session_token"].as_str() {
        creds = creds.with_session_token(SecretString::new(token));
    }
    S3Presigner::builder()
        .bucket("any-bucket")
        .region(case["region"].as_str().unwrap())
        .credentials(creds)
        .build()
        .unwrap()
}

const SIGNED_AT: i64 = 1_767_323_045; // 2026-01-02T03:04:05Z
const REGIONS: &[&str] = &["us-east-1", "eu-west-1", "ap-southeast-2", "us-gov-west-1"];
const LIFETIMES: &[u64] = &[60, 300, 900, 901, 3600, 86_400, 86_401, 604_800];

#[test]
fn boto3_urls_decode_field_by_field() {
    let Some(py) = sdk_python("sdk/inspect/s3", "boto3", ".ci/sdk/boto3.sh") else {
        return;
    };
    let mut rng = Rng(0x1235_0001);
    let mut cases = Vec::new();
    for id in 0..120u64 {
        let v2 = id % 6 == 5;
        let temporary = rng.chance(40);
        let put = rng.chance(40);
        let mut params = serde_json::Map::new();
        if put && rng.chance(70) {
            params.insert("ContentType".into(), json!("image/png"));
        }
        if !put && rng.chance(40) {
            params.insert("ResponseContentDisposition".into(), json!("attachment"));
        }
        let endpoint = (id % 5 == 4).then_some("http://127.0.0.1:8333");
        cases.push(json!({
            "id": id,
            "signature_version": if v2 { "s3" } else { "s3v4" },
            "region": rng.pick(REGIONS),
            "endpoint": endpoint,
            // A custom endpoint is addressed path style (boto3 would put the bucket in front of
            // an IP address otherwise).
            "addressing": if endpoint.is_none() && rng.chance(50) { "virtual" } else { "path" },
            "access_key": if temporary { "ASIAIOSFODNN7EXAMPLE" } else { "AKIAIOSFODNN7EXAMPLE" },
            "secret_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "session_token": temporary.then_some("FwoGZXIvYXdzEJr//////////wEaDA+token="),
            "client_method": if put { "put_object" } else { "get_object" },
            "bucket": if rng.chance(20) { "my.dotted.bucket" } else { "my-bucket-1" },
            "key": format!("{}{}", rng.pick(NAMES), id),
            "params": params,
            "expires_in": rng.pick(LIFETIMES),
            "timestamp": Timestamp::from_unix(SIGNED_AT).unwrap().to_string(),
        }));
    }
    let urls = urls(
        &py,
        "tests/sdk/inspect/boto3_urls.py",
        &Value::Array(cases.clone()),
    );
    assert_eq!(urls.len(), cases.len());
    let now = Timestamp::from_unix(SIGNED_AT + 30).unwrap();
    let mut verified = 0;
    for case in &cases {
        let id = case["id"].as_u64().unwrap();
        let url = &urls[&id];
        let r = inspect_all_ways(url, now);
        let ctx = format!("case {id}: {url}");
        let lifetime = case["expires_in"].as_u64().unwrap();
        let v2 = case["signature_version"] == "s3";
        let temporary = case["session_token"].is_string();
        assert_eq!(r.provider, Provider::S3, "{ctx}");
        assert_eq!(r.scheme, if v2 { "SigV2" } else { "SigV4" }, "{ctx}");
        assert_eq!(r.bucket.as_deref(), case["bucket"].as_str(), "{ctx}");
        assert_eq!(r.object.as_deref(), case["key"].as_str(), "{ctx}");
        assert_eq!(r.expires_at.unix(), SIGNED_AT + lifetime as i64, "{ctx}");
        assert_eq!(r.remaining_secs, lifetime as i64 - 30, "{ctx}");
        assert_eq!(
            r.credential.key_id.as_deref(),
            case["access_key"].as_str(),
            "{ctx}"
        );
        let kind = if temporary {
            CredentialKind::AwsTemporaryKey
        } else {
            CredentialKind::AwsLongTermKey
        };
        assert_eq!(r.credential.kind, kind, "{ctx}");
        assert_eq!(r.credential.session_token, temporary, "{ctx}");
        let https = case["endpoint"].is_null();
        assert_eq!(r.url_scheme, if https { "https" } else { "http" }, "{ctx}");
        let content_type = case["params"].get("ContentType").is_some();
        // SigV2 carries no signing time: the checklist judges what is left of the lifetime.
        let mut want = lifetime_codes(if v2 { lifetime - 30 } else { lifetime });
        if !temporary {
            want.push("long-term-key-id");
        }
        if v2 {
            assert_eq!(r.signed_at, None, "{ctx}");
            want.push("legacy-signature");
        } else {
            assert_eq!(r.signed_at.map(|t| t.unix()), Some(SIGNED_AT), "{ctx}");
            assert_eq!(r.lifetime_secs, Some(lifetime), "{ctx}");
            assert_eq!(
                r.credential.region.as_deref(),
                case["region"].as_str(),
                "{ctx}"
            );
            let headers: Vec<&str> = if content_type {
                vec!["content-type"]
            } else {
                vec![]
            };
            assert_eq!(r.signed_headers, headers, "{ctx}");
            if content_type {
                assert_eq!(r.method.as_deref(), Some("PUT"), "{ctx}");
                want.push("write-permission");
            } else {
                assert_eq!(r.method, None, "{ctx}");
            }
            let overrides = case["params"].get("ResponseContentDisposition").is_some();
            assert_eq!(
                r.signed_params
                    .contains(&"response-content-disposition".to_owned()),
                overrides,
                "{ctx}"
            );
        }
        assert_eq!(codes(&r), sorted(want, &[]), "{ctx}");
        // presign verify, with the same credentials (SigV2 is not checked offline).
        if !v2 {
            let method = if case["client_method"] == "put_object" {
                Method::Put
            } else {
                Method::Get
            };
            let headers: Vec<(String, String)> = match case["params"].get("ContentType") {
                Some(ct) => vec![("Content-Type".into(), ct.as_str().unwrap().into())],
                None => vec![],
            };
            verify_all_ways(&presigner(case), url, method, &headers, now, true);
            verified += 1;
            let other = S3Presigner::builder()
                .bucket("any-bucket")
                .credentials(Credentials::new(
                    "AKIAOTHERKEY00000000",
                    SecretString::new("x"),
                ))
                .build()
                .unwrap();
            let v = verify(&other, url, method, &headers, now).unwrap();
            assert_eq!(v.part, Some(Part::Key), "{ctx}");
        }
    }
    assert_eq!(verified, 100, "every SigV4 URL verified");
}
