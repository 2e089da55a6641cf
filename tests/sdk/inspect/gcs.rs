//! google-cloud-storage `Blob.generate_signed_url` (V4 with the service account's RSA key,
//! path and virtual-hosted style, signed headers, resumable POST; legacy V2) decoded by
//! `presign inspect`.

use presign_core::{Method, Timestamp};
use presign_gcs::{GcsPresigner, UrlStyle};
use presign_inspect::{CredentialKind, Provider};
use presign_tests::rng::Rng;
use presign_tests::sdk::{sdk_python, workspace_root};
use serde_json::{Value, json};

use super::{NAMES, codes, inspect_all_ways, lifetime_codes, sorted, urls, verify_all_ways};

const SIGNED_AT: i64 = 1_767_323_045; // 2026-01-02T03:04:05Z
const LIFETIMES: &[u64] = &[10, 300, 900, 3600, 604_800];

#[test]
fn google_cloud_storage_urls_decode_field_by_field() {
    let Some(py) = sdk_python(
        "sdk/inspect/gcs",
        "google.cloud.storage, google.oauth2.service_account",
        ".ci/sdk/gcs.sh",
    ) else {
        return;
    };
    let key_file = workspace_root().join("tests/vectors/gcs/test_service_account.not-a-test.json");
    let service_account: Value =
        serde_json::from_str(&std::fs::read_to_string(key_file).unwrap()).unwrap();
    let email = service_account["client_email"].as_str().unwrap().to_owned();
    let mut rng = Rng(0x1235_0002);
    let mut cases = Vec::new();
    for id in 0..90u64 {
        let v2 = id % 5 == 4;
        let method = rng.pick(&["GET", "GET", "PUT", "POST"]);
        let (content_type, headers) = if method == "PUT" && rng.chance(60) {
            (Some("text/plain"), json!([["x-goog-meta-owner", "alice"]]))
        } else {
            (None, json!([]))
        };
        cases.push(json!({
            "id": id,
            "version": if v2 { "v2" } else { "v4" },
            "bucket": "presign-bucket-1",
            "object": format!("{}{}", rng.pick(NAMES), id),
            "method": if v2 && method == "POST" { "GET" } else { method },
            "expires": rng.pick(LIFETIMES),
            "timestamp": Timestamp::from_unix(SIGNED_AT).unwrap().to_basic(),
            "style": if rng.chance(50) { "virtual" } else { "path" },
            "content_type": if v2 { None } else { content_type },
            "headers": if v2 { json!([]) } else { headers },
        }));
    }
    let input = json!({"service_account": service_account, "cases": cases});
    let urls = urls(&py, "tests/sdk/inspect/gcs_urls.py", &input);
    assert_eq!(urls.len(), cases.len());
    let now = Timestamp::from_unix(SIGNED_AT + 5).unwrap();
    let key_json = service_account.to_string();
    let presigner = |style| {
        GcsPresigner::builder()
            .bucket("presign-bucket-1")
            .service_account_json(&key_json)
            .url_style(style)
            .build()
            .unwrap()
    };
    let (path, virtual_hosted) = (
        presigner(UrlStyle::Path),
        presigner(UrlStyle::VirtualHosted),
    );
    let mut verified = 0;
    for case in &cases {
        let id = case["id"].as_u64().unwrap();
        let url = &urls[&id];
        let r = inspect_all_ways(url, now);
        let ctx = format!("case {id}: {url}");
        let lifetime = case["expires"].as_u64().unwrap();
        assert_eq!(r.provider, Provider::Gcs, "{ctx}");
        assert_eq!(r.bucket.as_deref(), Some("presign-bucket-1"), "{ctx}");
        assert_eq!(r.object.as_deref(), case["object"].as_str(), "{ctx}");
        assert_eq!(r.expires_at.unix(), SIGNED_AT + lifetime as i64, "{ctx}");
        assert_eq!(r.remaining_secs, lifetime as i64 - 5, "{ctx}");
        assert_eq!(r.credential.kind, CredentialKind::ServiceAccount, "{ctx}");
        assert_eq!(
            r.credential.key_id.as_deref(),
            Some(email.as_str()),
            "{ctx}"
        );
        if case["version"] == "v2" {
            assert_eq!(r.scheme, "V2", "{ctx}");
            let want = sorted(lifetime_codes(lifetime - 5), &["legacy-signature"]);
            assert_eq!(codes(&r), want, "{ctx}");
            continue;
        }
        assert_eq!(r.scheme, "V4", "{ctx}");
        assert_eq!(r.algorithm.as_deref(), Some("GOOG4-RSA-SHA256"), "{ctx}");
        assert_eq!(r.signed_at.map(|t| t.unix()), Some(SIGNED_AT), "{ctx}");
        assert_eq!(r.lifetime_secs, Some(lifetime), "{ctx}");
        assert_eq!(r.credential.region.as_deref(), Some("auto"), "{ctx}");
        let mut headers = Vec::new();
        if case["content_type"].is_string() {
            headers.extend(["content-type", "x-goog-meta-owner"]);
        }
        if case["method"] == "POST" {
            headers.push("x-goog-resumable");
        }
        assert_eq!(r.signed_headers, headers, "{ctx}");
        let (method, write) = match (case["method"].as_str(), headers.is_empty()) {
            (Some("POST"), _) => (Some("POST"), true),
            (Some("PUT"), false) => (Some("PUT"), true),
            _ => (None, false),
        };
        assert_eq!(r.method.as_deref(), method, "{ctx}");
        let more: &[&str] = if write { &["write-permission"] } else { &[] };
        assert_eq!(codes(&r), sorted(lifetime_codes(lifetime), more), "{ctx}");
        // presign verify with the same service-account key.
        let method: Method = case["method"].as_str().unwrap().parse().unwrap();
        let mut headers = Vec::new();
        if let Some(ct) = case["content_type"].as_str() {
            headers.push(("content-type".to_owned(), ct.to_owned()));
            headers.push(("x-goog-meta-owner".to_owned(), "alice".to_owned()));
        }
        if method == Method::Post {
            headers.push(("x-goog-resumable".to_owned(), "start".to_owned()));
        }
        let p = if case["style"] == "virtual" {
            &virtual_hosted
        } else {
            &path
        };
        verify_all_ways(p, url, method, &headers, now, true);
        verified += 1;
    }
    assert_eq!(verified, 72, "every V4 URL verified");
}
