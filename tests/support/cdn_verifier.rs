//! An independent verifier for CloudFront and Cloud CDN signed URLs and cookies, written from
//! the vendors' documentation and sharing no code with the signers: it decodes the policy,
//! parses it as JSON, compares it with what was asked for, and checks the signature with the
//! public key (AWS-LC's verifier) or recomputes the HMAC (AWS-LC's HMAC-SHA1).

use aws_lc_rs::{hmac, signature};
use base64::Engine;
use serde_json::Value;

/// What a CloudFront policy must grant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloudFrontExpectation {
    /// The `Resource` (URL or wildcard pattern).
    pub resource: String,
    /// `DateLessThan`.
    pub expires: i64,
    /// `DateGreaterThan`, if any.
    pub not_before: Option<i64>,
    /// `IpAddress` / `AWS:SourceIp`, if any.
    pub source_ip: Option<String>,
}

/// A public key: SPKI DER and whether it is RSA (else ECDSA P-256).
pub struct PublicKey {
    /// SubjectPublicKeyInfo DER.
    pub spki: Vec<u8>,
    /// RSA (true) or ECDSA P-256 (false).
    pub rsa: bool,
}

impl PublicKey {
    /// From a `-----BEGIN PUBLIC KEY-----` PEM.
    pub fn from_pem(pem: &str) -> PublicKey {
        let body: String = pem
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<Vec<_>>()
            .concat();
        let spki = base64::engine::general_purpose::STANDARD
            .decode(body.trim())
            .unwrap();
        // rsaEncryption OID 1.2.840.113549.1.1.1
        let rsa = spki
            .windows(9)
            .any(|w| w == [0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01]);
        PublicKey { spki, rsa }
    }
}

/// CloudFront base64 (`-` `_` `~` for `+` `=` `/`) decoded.
pub fn cloudfront_b64_decode(s: &str) -> Vec<u8> {
    let std: String = s
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '=',
            '~' => '/',
            c => c,
        })
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(std)
        .unwrap_or_else(|e| panic!("not CloudFront base64 ({e}): {s}"))
}

/// Splits a URL into the part before CloudFront's parameters and those parameters.
fn split_signed(url: &str) -> (String, Vec<(String, String)>) {
    let (base, query) = url.split_once('?').expect("signed URL has a query");
    let mut own = Vec::new();
    let mut cf = Vec::new();
    for pair in query.split('&') {
        let (n, v) = pair.split_once('=').unwrap_or((pair, ""));
        if [
            "Expires",
            "Policy",
            "Signature",
            "Key-Pair-Id",
            "Hash-Algorithm",
        ]
        .contains(&n)
        {
            cf.push((n.to_owned(), v.to_owned()));
        } else {
            assert!(
                cf.is_empty(),
                "caller parameter {n} after CloudFront's: {url}"
            );
            own.push(pair);
        }
    }
    let unsigned = if own.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", own.join("&"))
    };
    (unsigned, cf)
}

/// Verifies CloudFront signing parameters (from a URL's query or from cookies, names without
/// `CloudFront-`) for a request to `url` against `expect` and `key`; returns the policy JSON.
pub fn verify_cloudfront_params(
    url: &str,
    params: &[(String, String)],
    expect: &CloudFrontExpectation,
    key: &PublicKey,
    key_pair_id: &str,
) -> String {
    let get = |n: &str| params.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_str());
    assert_eq!(get("Key-Pair-Id"), Some(key_pair_id));
    let hash = get("Hash-Algorithm");
    assert!(matches!(hash, None | Some("SHA256")), "hash {hash:?}");
    let names: Vec<&str> = params.iter().map(|(n, _)| n.as_str()).collect();
    let policy = match (get("Expires"), get("Policy")) {
        (Some(exp), None) => {
            assert_eq!(
                names,
                [
                    &["Expires", "Signature", "Key-Pair-Id"][..],
                    hash.map_or(&[][..], |_| &["Hash-Algorithm"][..])
                ]
                .concat()
            );
            // Canned: CloudFront rebuilds the policy from the request URL and Expires.
            assert_eq!(
                expect.resource, url,
                "a canned policy grants exactly the URL"
            );
            assert!(expect.not_before.is_none() && expect.source_ip.is_none());
            format!(
                "{{\"Statement\":[{{\"Resource\":\"{url}\",\"Condition\":{{\"DateLessThan\":{{\"AWS:EpochTime\":{exp}}}}}}}]}}"
            )
        }
        (None, Some(p)) => {
            assert_eq!(
                names,
                [
                    &["Policy", "Signature", "Key-Pair-Id"][..],
                    hash.map_or(&[][..], |_| &["Hash-Algorithm"][..])
                ]
                .concat()
            );
            String::from_utf8(cloudfront_b64_decode(p)).unwrap()
        }
        other => panic!("need exactly one of Expires / Policy, got {other:?}"),
    };
    let v: Value = serde_json::from_str(&policy).unwrap();
    let statements = v["Statement"].as_array().unwrap();
    assert_eq!(statements.len(), 1);
    let s = &statements[0];
    assert_eq!(
        s.as_object().unwrap().len(),
        2,
        "only Resource and Condition: {policy}"
    );
    assert_eq!(s["Resource"].as_str(), Some(expect.resource.as_str()));
    let c = s["Condition"].as_object().unwrap();
    assert_eq!(
        c["DateLessThan"]["AWS:EpochTime"].as_i64(),
        Some(expect.expires)
    );
    assert_eq!(
        c.get("DateGreaterThan")
            .map(|d| d["AWS:EpochTime"].as_i64().unwrap()),
        expect.not_before
    );
    assert_eq!(
        c.get("IpAddress")
            .map(|d| d["AWS:SourceIp"].as_str().unwrap().to_owned()),
        expect.source_ip
    );
    assert_eq!(
        c.len(),
        1 + usize::from(expect.not_before.is_some()) + usize::from(expect.source_ip.is_some())
    );
    if let Some(pattern) = get("Policy").map(|_| expect.resource.as_str()) {
        assert!(glob(pattern, url), "{url} is not covered by {pattern}");
    }
    let sig = cloudfront_b64_decode(get("Signature").unwrap());
    let alg: &dyn signature::VerificationAlgorithm = match (key.rsa, hash) {
        (true, None) => &signature::RSA_PKCS1_1024_8192_SHA1_FOR_LEGACY_USE_ONLY,
        (true, Some(_)) => &signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
        (false, Some(_)) => &signature::ECDSA_P256_SHA256_ASN1,
        (false, None) => panic!("ECDSA with SHA-1 is refused by CloudFront"),
    };
    signature::UnparsedPublicKey::new(alg, &key.spki)
        .verify(policy.as_bytes(), &sig)
        .unwrap_or_else(|_| panic!("signature does not verify for {policy}"));
    policy
}

/// Verifies a CloudFront signed URL; returns the policy JSON.
pub fn verify_cloudfront_url(
    url: &str,
    expect: &CloudFrontExpectation,
    key: &PublicKey,
    key_pair_id: &str,
) -> String {
    let (unsigned, params) = split_signed(url);
    verify_cloudfront_params(&unsigned, &params, expect, key, key_pair_id)
}

/// CloudFront's wildcard match (`*` any run, `?` one character), written as a recursion.
pub fn glob(p: &str, t: &str) -> bool {
    match (p.chars().next(), t.chars().next()) {
        (None, None) => true,
        (Some('*'), _) => {
            glob(&p[1..], t)
                || (!t.is_empty() && glob(p, &t[t.chars().next().unwrap().len_utf8()..]))
        }
        (Some('?'), Some(c)) => glob(&p[1..], &t[c.len_utf8()..]),
        (Some(a), Some(b)) if a == b => glob(&p[a.len_utf8()..], &t[b.len_utf8()..]),
        _ => false,
    }
}

/// Verifies a Cloud CDN signed URL (`Expires`, `KeyName`, `Signature` last) with `key`;
/// returns the expiry.
pub fn verify_cloud_cdn_url(url: &str, key_name: &str, key: &[u8]) -> i64 {
    let (signed, sig) = url.rsplit_once("&Signature=").expect("Signature last");
    let expires = cloud_cdn_field(signed, "Expires", '&').parse().unwrap();
    assert_eq!(cloud_cdn_field(signed, "KeyName", '&'), key_name);
    check_hmac(key, signed.as_bytes(), sig);
    expires
}

/// Verifies a Cloud CDN signed URL prefix or cookie value (`URLPrefix`, `Expires`, `KeyName`,
/// `Signature`, joined by `sep`); returns the decoded prefix and the expiry.
pub fn verify_cloud_cdn_prefix(
    fields: &str,
    sep: char,
    key_name: &str,
    key: &[u8],
) -> (String, i64) {
    let at = fields.find("URLPrefix=").expect("URLPrefix");
    let fields = &fields[at..];
    let (signed, sig) = fields
        .rsplit_once(&format!("{sep}Signature="))
        .expect("Signature last");
    let parts: Vec<&str> = signed.split(sep).collect();
    assert_eq!(parts.len(), 3, "{signed}");
    let prefix = base64::engine::general_purpose::URL_SAFE
        .decode(parts[0].strip_prefix("URLPrefix=").unwrap())
        .unwrap();
    let expires = parts[1].strip_prefix("Expires=").unwrap().parse().unwrap();
    assert_eq!(parts[2].strip_prefix("KeyName="), Some(key_name));
    check_hmac(key, signed.as_bytes(), sig);
    (String::from_utf8(prefix).unwrap(), expires)
}

fn cloud_cdn_field<'a>(s: &'a str, name: &str, sep: char) -> &'a str {
    let query = s.split_once('?').map_or(s, |(_, q)| q);
    query
        .split(sep)
        .find_map(|p| p.strip_prefix(name).and_then(|r| r.strip_prefix('=')))
        .unwrap_or_else(|| panic!("{name} missing in {s}"))
}

fn check_hmac(key: &[u8], message: &[u8], sig_b64url: &str) {
    let k = hmac::Key::new(hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, key);
    let sig = base64::engine::general_purpose::URL_SAFE
        .decode(sig_b64url)
        .unwrap_or_else(|_| panic!("signature is not padded base64url: {sig_b64url}"));
    hmac::verify(&k, message, &sig).expect("Cloud CDN HMAC-SHA1 does not verify");
}
