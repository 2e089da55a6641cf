//! `presign verify`'s diagnosis with the CDN providers' own verifiers on the vendors' published
//! URLs: every CloudFront RSA case (aws-cli SEP) and every Cloud CDN URL and URL-prefix case is
//! valid with its key, and each single-field tamper names its part.

use std::sync::Arc;

use presign_cloud_cdn::{CloudCdnKey, CloudCdnPresigner};
use presign_cloudfront::key_group::KeyGroup;
use presign_cloudfront::{CloudFrontPresigner, KeyPairId, SigningKey};
use presign_core::{Method, Timestamp};
use presign_inspect::{Part, verify};
use serde_json::Value;

use crate::inspect_cdn::sep_url;

const CLOUD_CDN: &str = include_str!("../vectors/cloud-cdn/cases.json");
const CLOUDFRONT: &str = include_str!("../vectors/cloudfront/sign-test-cases.json");

fn cloudfront(case: &Value) -> CloudFrontPresigner {
    let pem = match case["input"]["privateKeyFile"].as_str().unwrap() {
        "test-rsa-key.pem" => include_str!("../vectors/cloudfront/test-rsa-key.pem"),
        "test-rsa-key-pkcs1.pem" => include_str!("../vectors/cloudfront/test-rsa-key-pkcs1.pem"),
        other => panic!("no key file {other} for an RSA case"),
    };
    let id = KeyPairId::new(case["input"]["keyPairId"].as_str().unwrap()).unwrap();
    CloudFrontPresigner::builder()
        .domain("d111111abcdef8.cloudfront.net")
        .keys(KeyGroup::single(
            id,
            Arc::new(SigningKey::from_pem(pem).unwrap()),
        ))
        .build()
        .unwrap()
}

#[test]
fn cloudfront_vendor_urls_verify_and_tampers_are_named() {
    let cases: Vec<Value> = serde_json::from_str(CLOUDFRONT).unwrap();
    let mut checked = 0;
    for case in cases
        .iter()
        .filter(|c| c["expected"]["signature"].is_string())
    {
        let id = case["id"].as_str().unwrap();
        let url = sep_url(case);
        let p = cloudfront(case);
        let expires = case["input"]["expirationDate"].as_i64().unwrap();
        let start = case["input"]["activeDate"]
            .as_i64()
            .unwrap_or(expires - 3600);
        let inside = Timestamp::from_unix(start + 1).unwrap();
        let v = verify(&p, &url, Method::Get, &[], inside).unwrap();
        assert!(v.valid, "{id}: {}", v.message);
        let part = |url: &str, now: Timestamp| {
            let v = verify(&p, url, Method::Get, &[], now).unwrap();
            assert!(!v.valid, "{id}: {url}");
            v.part.unwrap()
        };
        let after = Timestamp::from_unix(expires).unwrap();
        assert_eq!(part(&url, after), Part::TimeWindow, "{id}");
        let other_key = url.replace("Key-Pair-Id=", "Key-Pair-Id=K9");
        assert_eq!(part(&other_key, inside), Part::Key, "{id}");
        let moved = url.replacen(".cloudfront.net/", ".cloudfront.net/x", 1);
        assert_eq!(part(&moved, inside), Part::Signature, "{id}: {moved}");
        checked += 1;
    }
    assert_eq!(checked, 11, "every RSA URL case of the SEP file");
}

fn presigner(case: &Value) -> CloudCdnPresigner {
    let key = CloudCdnKey::from_base64(
        case["key_name"].as_str().unwrap(),
        case["key_b64"].as_str().unwrap(),
    )
    .unwrap();
    CloudCdnPresigner::builder()
        .domain("example.com")
        .key(key)
        .build()
        .unwrap()
}

#[test]
fn cloud_cdn_vendor_urls_verify_and_tampers_are_named() {
    let cases: Value = serde_json::from_str(CLOUD_CDN).unwrap();
    let mut checked = 0;
    for case in cases["cases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        let url = match (case["kind"].as_str(), case["expected_form"].as_str()) {
            (Some("url" | "url_prefix"), Some("full_url")) => {
                case["expected"].as_str().unwrap().to_owned()
            }
            (Some("url_prefix"), Some("query_only")) => format!(
                "{}x.ts?{}",
                case["url_prefix"].as_str().unwrap(),
                case["expected"].as_str().unwrap()
            ),
            _ => continue,
        };
        let p = presigner(case);
        let expires = case["expires"].as_i64().unwrap();
        let before = Timestamp::from_unix(expires - 60).unwrap();
        let v = verify(&p, &url, Method::Get, &[], before).unwrap();
        assert!(v.valid, "{id}: {}", v.message);
        assert!(v.message.starts_with("valid until "), "{id}: {}", v.message);
        let part = |url: &str, now| {
            let v = verify(&p, url, Method::Get, &[], now).unwrap();
            assert!(!v.valid, "{id}: {url}");
            v.part.unwrap()
        };
        let after = Timestamp::from_unix(expires).unwrap();
        assert_eq!(part(&url, after), Part::TimeWindow, "{id}");
        let later = url.replace(
            &format!("Expires={expires}"),
            &format!("Expires={}", expires + 3600),
        );
        assert_eq!(part(&later, before), Part::Signature, "{id}");
        let other_key = url.replace("KeyName=", "KeyName=x");
        assert_eq!(part(&other_key, before), Part::Key, "{id}");
        let sig_at = url.find("Signature=").unwrap() + "Signature=".len();
        let mut forged = url.clone();
        forged.replace_range(
            sig_at..sig_at + 1,
            if &url[sig_at..sig_at + 1] == "A" {
                "B"
            } else {
                "A"
            },
        );
        assert_eq!(part(&forged, before), Part::Signature, "{id}");
        checked += 1;
    }
    assert_eq!(checked, 11);
}
