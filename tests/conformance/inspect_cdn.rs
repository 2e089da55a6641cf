//! `presign inspect` on the CDN vendors' published URLs (`tests/vectors/cloudfront`,
//! `tests/vectors/cloud-cdn`): every URL-shaped case decoded, each field checked against the
//! case's inputs (resource, expiry, start, IP range, key pair id, hash algorithm, key name,
//! URL prefix).

use base64::Engine;
use presign_core::Timestamp;
use presign_inspect::{CredentialKind, GrantScope, Provider, inspect};
use serde_json::Value;

const CLOUDFRONT: &str = include_str!("../vectors/cloudfront/sign-test-cases.json");
const CLOUD_CDN: &str = include_str!("../vectors/cloud-cdn/cases.json");

fn now() -> Timestamp {
    Timestamp::from_unix(1_500_000_000).unwrap()
}

/// The URL the SDK returns for an aws-cli SEP case: the resource (or the URL a wildcard policy
/// is applied to), its own query, then the signed parameters (the policy encoded for custom
/// policies; ECDSA cases carry no expected signature and get a placeholder).
pub(crate) fn sep_url(case: &Value) -> String {
    let (input, expected) = (&case["input"], &case["expected"]);
    let params = expected["queryParams"].as_object().unwrap();
    let base = expected["applyTo"]
        .as_str()
        .or(input["resource"].as_str())
        .unwrap();
    let mut url = base.to_owned();
    let mut sep = if url.contains('?') { '&' } else { '?' };
    let mut push = |k: &str, v: &str| {
        url.push(sep);
        url.push_str(&format!("{k}={v}"));
        sep = '&';
    };
    match params.get("Expires") {
        Some(e) => push("Expires", e.as_str().unwrap()),
        None => {
            let policy = expected["policyJson"].as_str().unwrap();
            push(
                "Policy",
                &presign_cloudfront::encoding::encode(policy.as_bytes()),
            );
        }
    }
    push(
        "Signature",
        expected["signature"].as_str().unwrap_or("ECDSA-in-test"),
    );
    push("Key-Pair-Id", params["Key-Pair-Id"].as_str().unwrap());
    if let Some(h) = params.get("Hash-Algorithm") {
        push("Hash-Algorithm", h.as_str().unwrap());
    }
    url
}

#[test]
fn cloudfront_sep_urls_decode() {
    let cases: Vec<Value> = serde_json::from_str(CLOUDFRONT).unwrap();
    let mut decoded = 0;
    for case in cases
        .iter()
        .filter(|c| c["expected"].get("queryParams").is_some())
    {
        let (input, expected) = (&case["input"], &case["expected"]);
        let id = case["id"].as_str().unwrap();
        let params = expected["queryParams"].as_object().unwrap();
        let canned = params.contains_key("Expires");
        let url = sep_url(case);
        let r = inspect(&url, now()).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(r.provider, Provider::Cloudfront, "{id}");
        assert_eq!(
            r.scheme,
            if canned {
                "canned policy"
            } else {
                "custom policy"
            },
            "{id}"
        );
        assert_eq!(
            r.expires_at.unix(),
            input["expirationDate"].as_i64().unwrap(),
            "{id}"
        );
        assert_eq!(
            r.credential.key_id.as_deref(),
            input["keyPairId"].as_str(),
            "{id}"
        );
        assert_eq!(r.credential.kind, CredentialKind::KeyGroupKey, "{id}");
        let sha256 = input["hashAlgorithm"] == "SHA256";
        assert_eq!(
            r.algorithm.as_deref(),
            Some(if sha256 { "SHA-256" } else { "SHA-1" }),
            "{id}"
        );
        assert_eq!(
            r.not_before.map(|t| t.unix()),
            input["activeDate"].as_i64(),
            "{id}"
        );
        assert_eq!(r.client_ip.as_deref(), input["ipRange"].as_str(), "{id}");
        if !canned {
            assert_eq!(r.resource.as_deref(), input["resource"].as_str(), "{id}");
        }
        let wildcard = input["resource"].as_str().unwrap().contains('*');
        let grant = if wildcard {
            GrantScope::Prefix
        } else {
            GrantScope::Object
        };
        assert_eq!(r.grant, grant, "{id}");
        decoded += 1;
    }
    assert_eq!(decoded, 13, "every URL-shaped SEP case");
}

#[test]
fn cloud_cdn_sample_urls_decode() {
    let cases: Value = serde_json::from_str(CLOUD_CDN).unwrap();
    let mut decoded = 0;
    for case in cases["cases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        let url = match (case["kind"].as_str(), case["expected_form"].as_str()) {
            (Some("url" | "url_prefix"), Some("full_url")) => {
                case["expected"].as_str().unwrap().to_owned()
            }
            (Some("url_prefix"), Some("query_only")) => {
                format!(
                    "{}x.ts?{}",
                    case["url_prefix"].as_str().unwrap(),
                    case["expected"].as_str().unwrap()
                )
            }
            _ => continue,
        };
        let r = inspect(&url, now()).unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(r.provider, Provider::CloudCdn, "{id}");
        assert_eq!(
            r.expires_at.unix(),
            case["expires"].as_i64().unwrap(),
            "{id}"
        );
        assert_eq!(
            r.credential.key_id.as_deref(),
            case["key_name"].as_str(),
            "{id}"
        );
        assert_eq!(r.credential.kind, CredentialKind::SigningKey, "{id}");
        match case["url_prefix"].as_str() {
            Some(prefix) => {
                assert_eq!(r.scheme, "signed URL prefix", "{id}");
                assert_eq!(r.resource.as_deref(), Some(prefix), "{id}");
                assert_eq!(r.grant, GrantScope::Prefix, "{id}");
                // The vector's base64url is the prefix, as the case says.
                let b64 = url
                    .split("URLPrefix=")
                    .nth(1)
                    .unwrap()
                    .split('&')
                    .next()
                    .unwrap();
                let raw = base64::engine::general_purpose::URL_SAFE
                    .decode(b64)
                    .unwrap();
                assert_eq!(raw, prefix.as_bytes(), "{id}");
            }
            None => assert_eq!(r.scheme, "signed URL", "{id}"),
        }
        decoded += 1;
    }
    assert_eq!(decoded, 11, "every URL-shaped Cloud CDN case");
}
