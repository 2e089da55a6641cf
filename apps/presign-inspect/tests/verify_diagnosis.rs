#![cfg(test)]
//! The diagnosis of `verify` with a toy verifier (its "signature" is a hash of the method, the
//! decoded path and the header values), so that each part is tampered with alone. The real
//! providers' verifiers are tested against SDK URLs in the workspace tests.

use presign_core::encoding::decode_lossy;
use presign_core::signed_url::SignedUrl;
use presign_core::verify::{SignatureCheck, Verifier, VerifyRequest};
use presign_core::{Error, Method, Timestamp};
use presign_inspect::{Part, verify};

#[derive(Debug)]
struct Toy;

fn toy_signature(method: Method, path: &str, headers: &[(String, String)]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |s: &str| {
        for b in s.bytes().chain([0]) {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    eat(method.as_str());
    eat(&decode_lossy(path));
    for (_, v) in headers {
        eat(v);
    }
    format!("{h:016x}").repeat(4)
}

impl Verifier for Toy {
    fn key_ids(&self) -> Vec<String> {
        vec!["AKIAIOSFODNN7EXAMPLE".into()]
    }
    fn check_signature(&self, r: &VerifyRequest<'_>) -> Result<SignatureCheck, Error> {
        let want = toy_signature(r.method, &r.url.raw_path, r.headers);
        Ok(SignatureCheck {
            matches: r.url.get("X-Amz-Signature") == Some(want.as_str()),
            signed_text: Some(format!("{} {}", r.method, r.url.raw_path)),
        })
    }
}

fn signed(
    path: &str,
    method: Method,
    headers: &[(String, String)],
    signed_headers: &str,
) -> String {
    format!(
        "https://b.s3.amazonaws.com{path}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20260101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20260101T000000Z&X-Amz-Expires=300&X-Amz-SignedHeaders={signed_headers}&X-Amz-Signature={}",
        toy_signature(method, path, headers)
    )
}

fn at(s: i64) -> Timestamp {
    Timestamp::from_unix(1_767_225_600 + s).unwrap()
}

fn h(k: &str, v: &str) -> (String, String) {
    (k.to_owned(), v.to_owned())
}

#[test]
fn valid_then_each_part_tampered_alone() {
    let headers = [h("content-type", "image/png")];
    let url = signed(
        "/up/a%20b.png",
        Method::Put,
        &headers,
        "content-type%3Bhost",
    );
    let v = verify(&Toy, &url, Method::Put, &headers, at(10)).unwrap();
    assert!(v.valid, "{}", v.message);
    assert_eq!(
        v.message,
        "valid until 2026-01-01T00:05:00Z, for PUT with these headers: content-type"
    );
    let part = |url: &str, m, hs: &[(String, String)], t| {
        let v = verify(&Toy, url, m, hs, at(t)).unwrap();
        assert!(!v.valid);
        (v.part.unwrap(), v.message)
    };
    let (p, msg) = part(&url, Method::Get, &headers, 10);
    assert_eq!(
        (p, msg.as_str()),
        (Part::Method, "the URL was signed for PUT, not GET")
    );
    let (p, msg) = part(&url, Method::Put, &[], 10);
    assert_eq!(p, Part::MissingHeader, "{msg}");
    assert!(msg.contains("content-type"), "{msg}");
    let (p, msg) = part(&url, Method::Put, &[h("Content-Type", "image/gif")], 10);
    assert_eq!(p, Part::Header, "{msg}");
    assert!(msg.starts_with("header content-type:"), "{msg}");
    let (p, msg) = part(&url, Method::Put, &headers, 300);
    assert_eq!(p, Part::TimeWindow, "{msg}");
    assert!(msg.contains("expired at 2026-01-01T00:05:00Z"), "{msg}");
    let plus = url.replace("a%20b", "a+b");
    let (p, msg) = part(&plus, Method::Put, &headers, 10);
    assert_eq!(p, Part::CanonicalPath, "{msg}");
    assert!(
        msg.contains("/up/a%20b.png") && msg.contains("'+'"),
        "{msg}"
    );
    let other_key = url.replace("AKIAIOSFODNN7EXAMPLE", "AKIAOTHERKEY00000000");
    assert_eq!(part(&other_key, Method::Put, &headers, 10).0, Part::Key);
    let bad_sig = url.replacen("X-Amz-Signature=", "X-Amz-Signature=0", 1);
    let bad_sig = &bad_sig[..bad_sig.len() - 1];
    assert_eq!(part(bad_sig, Method::Put, &headers, 10).0, Part::Header);
    let get = signed("/k", Method::Get, &[], "host");
    let tampered = get.replace("/k?", "/j?");
    let (p, msg) = part(&tampered, Method::Get, &[], 10);
    assert_eq!(p, Part::Signature, "{msg}");
}

#[test]
fn errors_are_errors_not_verdicts() {
    assert!(verify(&Toy, "not a url", Method::Get, &[], at(0)).is_err());
    assert!(verify(&Toy, "https://h/k?a=1", Method::Get, &[], at(0)).is_err());
    let url = SignedUrl::parse("https://h/k").unwrap();
    assert_eq!(url.raw_path, "/k");
}
