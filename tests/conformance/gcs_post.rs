//! Every `postPolicyV4Tests` case of googleapis/conformance-tests `storage/v1/v4_signatures.json`,
//! signed with the inactive service-account key published next to it (GOOG4-RSA-SHA256): the
//! form URL, every field with its exact value (the `policy` base64 byte for byte, the RSA
//! `x-goog-signature`), no extra field, and the decoded policy document against
//! `expectedDecodedPolicy`.
//!
//! The vectors give `expectedDecodedPolicy` with non-ASCII characters unescaped (`é`), while the
//! signed `policy` field holds them as `\u00e9` — the form presign-core's JSON writer produces —
//! so the decoded document is compared after turning `\uXXXX` escapes back into characters
//! (as the client libraries' own tests do), and the base64 is compared as is.
//!
//! A case that does not apply is listed in `NOT_APPLICABLE` with the reason; the test fails if a
//! case is neither passed nor listed, and if a listed case starts to pass (stale list).
//!
//! Also here: the policy layer applied to GCS POST policies (size bound, key prefixes).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use presign_core::SyncPostPresigner;
use presign_core::post_policy::{Condition, PostPolicyRequest, PostPresigner, PresignedPost};
use presign_core::{FixedClock, ObjectKey, SecretString, Timestamp};
use presign_gcs::{GcsPresigner, UrlStyle};
use presign_policy::{ExcessTtl, Policy, PolicyLayer};
use presign_tests::gcs_vectors::GcsVectors;
use serde_json::Value;

/// Cases that do not apply, with the reason. None today: every case passes.
const NOT_APPLICABLE: &[(&str, &str)] = &[];

fn s<'a>(v: &'a Value, field: &str) -> Option<&'a str> {
    v.get(field).and_then(Value::as_str)
}

/// Maps the vector's input onto a presigner and a request.
fn build(input: &Value, service_account: &str) -> (GcsPresigner, PostPolicyRequest) {
    let scheme = s(input, "scheme").unwrap_or("https");
    let now = Timestamp::parse_rfc3339(s(input, "timestamp").unwrap()).unwrap();
    let mut b = GcsPresigner::builder()
        .bucket(s(input, "bucket").unwrap())
        .service_account_json(service_account)
        .clock(Arc::new(FixedClock(now)));
    match s(input, "urlStyle") {
        Some("VIRTUAL_HOSTED_STYLE") => b = b.url_style(UrlStyle::VirtualHosted),
        Some("BUCKET_BOUND_HOSTNAME") => {
            let host = s(input, "bucketBoundHostname").unwrap();
            b = b.bucket_bound_hostname(&format!("{scheme}://{host}"));
        }
        Some("PATH_STYLE") | None => {}
        Some(other) => panic!("unknown urlStyle {other}"),
    }
    let gcs = b.build().unwrap();

    let secs = input.get("expiration").and_then(Value::as_u64).unwrap();
    let mut req = PostPolicyRequest::exact(ObjectKey::new(s(input, "object").unwrap()).unwrap())
        .with_ttl(Duration::from_secs(secs))
        .signed_at(now);
    if let Some(fields) = input.get("fields").and_then(Value::as_object) {
        for (name, value) in fields {
            let value = value.as_str().unwrap();
            req = match name.as_str() {
                "acl" => req.acl(value),
                "cache-control" => req.cache_control(value),
                "content-disposition" => req.content_disposition(value),
                "content-encoding" => req.content_encoding(value),
                "content-type" => req.content_type(value),
                "success_action_redirect" => req.success_action_redirect(value),
                "success_action_status" => req.success_action_status(value.parse().unwrap()),
                other => match other.strip_prefix("x-goog-meta-") {
                    Some(meta) => req.metadata(meta, value),
                    None => req.condition(Condition::eq(other, value)),
                },
            };
        }
    }
    if let Some(conditions) = input.get("conditions").and_then(Value::as_object) {
        for (kind, args) in conditions {
            let args = args.as_array().unwrap();
            req = match kind.as_str() {
                "startsWith" => {
                    let field = args[0].as_str().unwrap();
                    let field = field.strip_prefix('$').unwrap_or(field);
                    req.condition(Condition::starts_with(field, args[1].as_str().unwrap()))
                }
                "contentLengthRange" => {
                    req.content_length_range(args[0].as_u64().unwrap(), args[1].as_u64().unwrap())
                }
                other => panic!("unknown condition kind {other}"),
            };
        }
    }
    (gcs, req)
}

/// Turns the `\uXXXX` escapes of a JSON text (surrogate pairs included) back into characters,
/// leaving every other escape as it is.
fn unescape_unicode(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut units: Vec<u16> = Vec::new();
    let mut chars = json.chars().peekable();
    let flush = |units: &mut Vec<u16>, out: &mut String| {
        if !units.is_empty() {
            out.push_str(&String::from_utf16(units).unwrap());
            units.clear();
        }
    };
    while let Some(c) = chars.next() {
        if c != '\\' {
            flush(&mut units, &mut out);
            out.push(c);
            continue;
        }
        let next = chars.next().unwrap();
        if next == 'u' {
            let hex: String = chars.by_ref().take(4).collect();
            units.push(u16::from_str_radix(&hex, 16).unwrap());
        } else {
            flush(&mut units, &mut out);
            out.push('\\');
            out.push(next);
        }
    }
    flush(&mut units, &mut out);
    out
}

/// What differs from the vector; empty when the case passes.
fn compare(post: &PresignedPost, output: &Value) -> Vec<String> {
    let mut diffs = Vec::new();
    let want_url = s(output, "url").unwrap();
    if post.url() != want_url {
        diffs.push(format!("url: got {:?}, want {want_url:?}", post.url()));
    }
    let got: BTreeMap<&str, &str> = post
        .expose_fields()
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    assert_eq!(got.len(), post.expose_fields().len(), "duplicate field");
    let want: BTreeMap<&str, &str> = output["fields"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str().unwrap()))
        .collect();
    if got != want {
        diffs.push(format!("fields: got {got:#?}, want {want:#?}"));
    }
    let json = post.policy_json();
    let want_policy = s(output, "expectedDecodedPolicy").unwrap();
    if unescape_unicode(json) != want_policy {
        diffs.push(format!("policy: got {json}, want {want_policy}"));
    }
    diffs
}

#[test]
fn gcs_post_policy_v4_conformance() {
    let vectors = GcsVectors::load();
    let service_account = &vectors.service_account;
    let cases = vectors.cases("postPolicyV4Tests");

    let (mut passed, mut not_applicable) = (0usize, 0usize);
    let mut failures = Vec::new();
    for case in cases {
        let name = s(case, "description").unwrap();
        let (gcs, req) = build(&case["policyInput"], service_account);
        let post = gcs.presign_post_sync(&req).unwrap();
        // The async trait path (what the policy layer calls) gives the same bytes.
        assert_eq!(
            futures_executor::block_on(gcs.presign_post(&req)).unwrap(),
            post,
            "{name}"
        );
        let diffs = compare(&post, &case["policyOutput"]);
        match NOT_APPLICABLE.iter().find(|(n, _)| *n == name) {
            Some((_, reason)) => {
                assert!(
                    !diffs.is_empty(),
                    "{name:?} is listed as not applicable but passes; drop it from the list"
                );
                println!("not applicable: {name}: {reason}");
                not_applicable += 1;
            }
            None if diffs.is_empty() => passed += 1,
            None => failures.push(format!("{name}:\n  {}", diffs.join("\n  "))),
        }
    }
    println!("{passed} passed, {not_applicable} not applicable");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(passed + not_applicable, cases.len());
    for (listed, _) in NOT_APPLICABLE {
        assert!(
            cases.iter().any(|c| s(c, "description") == Some(*listed)),
            "{listed:?} is listed as not applicable but is not in the file"
        );
    }
}

#[test]
fn unescape_unicode_only_touches_unicode_escapes() {
    assert_eq!(
        unescape_unicode(r#"{"a":"x\"\\u\u00e9\ud83d\ude00"}"#),
        "{\"a\":\"x\\\"\\\\u\u{e9}\u{1F600}\"}"
    );
}

// The policy layer over a GCS presigner (HMAC key, fixed clock).

fn t() -> Timestamp {
    Timestamp::parse_rfc3339("2026-01-02T03:04:05Z").unwrap()
}

fn policied(policy: Policy) -> presign_policy::Policied<GcsPresigner> {
    let gcs = GcsPresigner::builder()
        .bucket("photos")
        .hmac_key("GOOG1EXAMPLE", SecretString::new("example-secret"))
        .clock(Arc::new(FixedClock(t())))
        .build()
        .unwrap();
    PolicyLayer::new(policy)
        .unwrap()
        .with_clock(Arc::new(FixedClock(t())))
        .layer(gcs)
}

fn alice_policy() -> Policy {
    Policy::default()
        .with_key_prefixes(["users/alice/"])
        .with_max_upload_size(1000)
        .dangerous()
        .allow_post()
        .finish()
}

fn sign(
    p: &presign_policy::Policied<GcsPresigner>,
    r: PostPolicyRequest,
) -> Result<PresignedPost, presign_core::Error> {
    futures_executor::block_on(p.presign_post(&r))
}

#[test]
fn policy_layer_bounds_gcs_post_policies() {
    let p = policied(alice_policy());

    // No size range asked: the policy adds [0, max_upload_size]; default TTL 5 minutes.
    let post = sign(&p, PostPolicyRequest::starts_with("users/alice/")).unwrap();
    let json = post.policy_json();
    assert!(
        json.starts_with(r#"{"conditions":[["content-length-range",0,1000],{"bucket":"photos"},["starts-with","$key","users/alice/"],"#),
        "{json}"
    );
    assert!(
        json.ends_with(r#""expiration":"2026-01-02T03:09:05Z"}"#),
        "{json}"
    );
    assert_eq!(post.expose_field("key"), Some("users/alice/${filename}"));

    // Too large: clamped by default.
    let post = sign(
        &p,
        PostPolicyRequest::starts_with("users/alice/").content_length_range(1, 1 << 30),
    )
    .unwrap();
    assert!(
        post.policy_json()
            .contains(r#"["content-length-range",1,1000]"#)
    );
    // ... or refused.
    let strict = policied(alice_policy().with_excess_ttl(ExcessTtl::Reject));
    let e = sign(
        &strict,
        PostPolicyRequest::starts_with("users/alice/").content_length_range(1, 1001),
    )
    .unwrap_err();
    assert_eq!(e.kind(), "invalid_constraint", "{e}");

    // Keys outside the allowed prefix, or a prefix that escapes it, are refused.
    for r in [
        PostPolicyRequest::starts_with("users/bob/"),
        PostPolicyRequest::starts_with("users/alice"),
        PostPolicyRequest::starts_with("users/alice/../bob/"),
        PostPolicyRequest::exact(ObjectKey::new("users/bob/x").unwrap()),
    ] {
        let e = sign(&p, r).unwrap_err();
        assert_eq!(e.kind(), "key_not_allowed", "{e}");
    }
    // An exact key under the prefix passes.
    let post = sign(
        &p,
        PostPolicyRequest::exact(ObjectKey::new("users/alice/a.png").unwrap()),
    )
    .unwrap();
    assert_eq!(post.expose_field("key"), Some("users/alice/a.png"));

    // POST is allowed by name only.
    let e = sign(
        &policied(Policy::default().with_key_prefixes(["users/alice/"])),
        PostPolicyRequest::starts_with("users/alice/"),
    )
    .unwrap_err();
    assert_eq!(e.kind(), "method_not_allowed", "{e}");
}
