//! CloudFront signed URL and cookie vectors (`tests/vectors/cloudfront`, see its README for
//! sources and licenses): aws-cli's shared SEP cases (the "reject" file is normative), the
//! cookie cases, and cases from aws-sdk-ruby, botocore and aws-sdk-go-v2. Every byte-exact case
//! is compared byte for byte, every ECDSA case verified with the public key (and every RSA
//! case too, by the independent verifier), every error case refused. Cases that conflict with
//! the reject file, or that need what presign deliberately does not offer, are listed in
//! `NOT_APPLICABLE` with the reason, and the counts are asserted so none is skipped silently.

use std::collections::BTreeMap;
use std::sync::Arc;

use presign_cloudfront::{
    CloudFrontSigner, Grant, HashAlgorithm, KeyPairId, PolicyKind, SigningKey, SourceIp, encoding,
    policy::check_resource, signer::check_url,
};
use presign_core::{Error, Timestamp};
use presign_tests::cdn_verifier::{CloudFrontExpectation, PublicKey, verify_cloudfront_params};
use serde_json::Value;

const SIGN: &str = include_str!("../vectors/cloudfront/sign-test-cases.json");
const ESCAPE: &str = include_str!("../vectors/cloudfront/sign-test-cases.escape-variant.json");
const COOKIES: &str = include_str!("../vectors/cloudfront/sign-cookies-test-cases.json");
const EXTRA: &str = include_str!("../vectors/cloudfront/extra-cases.json");

fn key_file(name: &str) -> &'static str {
    match name {
        "test-rsa-key.pem" => include_str!("../vectors/cloudfront/test-rsa-key.pem"),
        "test-rsa-key-pkcs1.pem" => include_str!("../vectors/cloudfront/test-rsa-key-pkcs1.pem"),
        "test-ecdsa-key.pem" => include_str!("../vectors/cloudfront/test-ecdsa-key.pem"),
        "test-ecdsa-key-sec1.pem" => include_str!("../vectors/cloudfront/test-ecdsa-key-sec1.pem"),
        "test-dsa-key.pem" => include_str!("../vectors/cloudfront/test-dsa-key.pem"),
        "ruby-unit-test-dummy-key.pem" => {
            include_str!("../vectors/cloudfront/ruby-unit-test-dummy-key.pem")
        }
        other => panic!("unknown key file {other}"),
    }
}

fn public_key(private_file: &str) -> PublicKey {
    if private_file.contains("ecdsa") {
        PublicKey::from_pem(include_str!(
            "../vectors/cloudfront/test-ecdsa-key-public.pem"
        ))
    } else {
        PublicKey::from_pem(include_str!(
            "../vectors/cloudfront/test-rsa-key-public.pem"
        ))
    }
}

fn ts(v: &Value) -> Timestamp {
    let n = v
        .as_i64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        .unwrap();
    Timestamp::from_unix(n).unwrap()
}

/// Cases run elsewhere or not at all, with the reason.
const NOT_APPLICABLE: &[(&str, &str)] = &[
    (
        "json-injection-resource-url-escape",
        "escape variant: conflicts with the normative reject file, which presign follows (the input is refused, checked below)",
    ),
    (
        "json-injection-ip-range-escape",
        "escape variant: conflicts with the normative reject file, which presign follows (the input is refused, checked below)",
    ),
    (
        "ruby-sep-ecdsa-canned-policy-url-sha1-accept",
        "conflicts with aws-cli's normative ecdsa-canned-policy-url-sha1-reject: presign refuses ECDSA with SHA-1 (checked below)",
    ),
    (
        "ruby-url-canned-rtmp",
        "RTMP distributions were discontinued by CloudFront on 2020-12-31; presign signs only http(s) URLs (refused, checked below)",
    ),
    (
        "go-v2-sign-url-4",
        "RTMP (discontinued 2020-12-31); presign signs only http(s) URLs",
    ),
    (
        "go-v2-sign-url-5",
        "RTMP (discontinued 2020-12-31); presign signs only http(s) URLs",
    ),
    (
        "go-v2-create-resource-4",
        "RTMP resource derivation (discontinued 2020-12-31)",
    ),
    (
        "go-v2-create-resource-5",
        "RTMP resource derivation (discontinued 2020-12-31)",
    ),
    (
        "go-v2-create-resource-6",
        "go-v2's scheme argument (ftp refused): presign takes no scheme argument; an ftp:// URL is refused by check_url, checked below",
    ),
];

fn na(id: &str) -> bool {
    NOT_APPLICABLE.iter().any(|(n, _)| *n == id)
}

/// The outcome of one SEP case: Ok((policy, params)) or the refusal.
fn run_sep(case: &Value, cookies: bool) -> Result<(String, Vec<(String, String)>), Error> {
    let input = &case["input"];
    let key = Arc::new(SigningKey::from_pem(key_file(
        input["privateKeyFile"].as_str().unwrap(),
    ))?);
    let hash = match input["hashAlgorithm"].as_str() {
        None => HashAlgorithm::Sha1,
        Some(h) => HashAlgorithm::parse(h)?,
    };
    let signer = CloudFrontSigner::new(
        KeyPairId::new(input["keyPairId"].as_str().unwrap())?,
        key,
        hash,
    )?;
    let expires = input
        .get("expirationDate")
        .map(ts)
        .ok_or_else(|| Error::invalid_input("expires", "an expiration date is required"))?;
    let resource = input["resource"].as_str().unwrap();
    let mut grant = Grant::new(resource, expires)?;
    if let Some(a) = input.get("activeDate") {
        grant = grant.not_before(ts(a))?;
    }
    if let Some(ip) = input.get("ipRange") {
        grant = grant.source_ip(SourceIp::parse(ip.as_str().unwrap())?);
    }
    let apply_to = case["expected"]["applyTo"].as_str();
    let kind = if input.get("activeDate").is_some()
        || input.get("ipRange").is_some()
        || apply_to.is_some()
        || grant.has_wildcard()
    {
        PolicyKind::Custom
    } else {
        PolicyKind::Canned
    };
    let policy = grant.policy_json(kind)?;
    let params: Vec<(String, String)> = if cookies {
        signer
            .signed_cookies(&grant, kind)?
            .into_iter()
            .map(|(n, v)| (n.strip_prefix("CloudFront-").unwrap().to_owned(), v))
            .collect()
    } else {
        let url = signer.signed_url(apply_to.unwrap_or(resource), &grant, kind)?;
        let q = url.split_once('?').unwrap().1;
        q.split('&')
            .map(|p| {
                let (n, v) = p.split_once('=').unwrap();
                (n.to_owned(), v.to_owned())
            })
            .collect()
    };
    Ok((policy, params))
}

/// Checks one SEP case; returns "exact", "verify" or "error".
fn check_sep(case: &Value, cookies: bool) -> &'static str {
    let id = case["id"].as_str().unwrap();
    let expected = &case["expected"];
    let outcome = run_sep(case, cookies);
    if expected["error"].as_bool() == Some(true) {
        let e = outcome
            .err()
            .unwrap_or_else(|| panic!("{id}: must be refused"));
        println!("{id}: refused: {e}");
        return "error";
    }
    let (policy, params) = outcome.unwrap_or_else(|e| panic!("{id}: {e}"));
    assert_eq!(
        policy,
        expected["policyJson"].as_str().unwrap(),
        "{id}: policy"
    );
    let input = &case["input"];
    let resource = input["resource"].as_str().unwrap();
    let url = expected["applyTo"].as_str().unwrap_or(resource);
    let verify = expected["verifyCryptographically"].as_bool() == Some(true);
    // The parameter set, byte for byte.
    let mut want: BTreeMap<String, String> = BTreeMap::new();
    if cookies {
        for (n, v) in expected["cookies"].as_object().unwrap() {
            want.insert(
                n.strip_prefix("CloudFront-").unwrap().to_owned(),
                v.as_str().unwrap().to_owned(),
            );
        }
    } else {
        for (n, v) in expected["queryParams"].as_object().unwrap() {
            want.insert(n.clone(), v.as_str().unwrap().to_owned());
        }
        if policy.contains("DateGreaterThan")
            || policy.contains("IpAddress")
            || expected.get("applyTo").is_some()
        {
            want.insert("Policy".into(), encoding::encode(policy.as_bytes()));
        }
        if let Some(s) = expected["signature"].as_str() {
            want.insert("Signature".into(), s.to_owned());
        }
    }
    let mut got: BTreeMap<String, String> = params.iter().cloned().collect();
    // URL cases carry the caller's own parameters first.
    let own: Vec<(String, String)> = url
        .split_once('?')
        .map(|(_, q)| {
            q.split('&')
                .map(|p| {
                    let (n, v) = p.split_once('=').unwrap();
                    (n.to_owned(), v.to_owned())
                })
                .collect()
        })
        .unwrap_or_default();
    let cf_params: Vec<(String, String)> = params
        .iter()
        .filter(|(n, _)| !own.iter().any(|(o, _)| o == n))
        .cloned()
        .collect();
    if verify {
        assert!(!want.contains_key("Signature"), "{id}");
        got.remove("Signature");
    }
    assert_eq!(got, want, "{id}: parameters");
    let hash = input["hashAlgorithm"].as_str();
    assert_eq!(
        cf_params.iter().any(|(n, _)| n == "Hash-Algorithm"),
        hash == Some("SHA256"),
        "{id}"
    );
    let unsigned = url.to_owned();
    let expect = CloudFrontExpectation {
        resource: resource.to_owned(),
        expires: input["expirationDate"].as_i64().unwrap(),
        not_before: input["activeDate"].as_i64(),
        source_ip: input["ipRange"].as_str().map(str::to_owned),
    };
    verify_cloudfront_params(
        &unsigned,
        &cf_params,
        &expect,
        &public_key(input["privateKeyFile"].as_str().unwrap()),
        input["keyPairId"].as_str().unwrap(),
    );
    if verify { "verify" } else { "exact" }
}

fn tally(results: &[&'static str]) -> (usize, usize, usize) {
    let c = |k| results.iter().filter(|r| **r == k).count();
    (c("exact"), c("verify"), c("error"))
}

#[test]
fn aws_cli_sign_cases_reject_variant() {
    let cases: Vec<Value> = serde_json::from_str(SIGN).unwrap();
    let results: Vec<_> = cases.iter().map(|c| check_sep(c, false)).collect();
    assert_eq!(
        tally(&results),
        (11, 2, 6),
        "19 cases: 11 byte-exact, 2 ECDSA verified, 6 refused"
    );
}

#[test]
fn aws_cli_cookie_cases() {
    let cases: Vec<Value> = serde_json::from_str(COOKIES).unwrap();
    let results: Vec<_> = cases.iter().map(|c| check_sep(c, true)).collect();
    assert_eq!(
        tally(&results),
        (4, 1, 6),
        "11 cases: 4 byte-exact, 1 ECDSA verified, 6 refused"
    );
}

#[test]
fn escape_variant_shares_the_reject_cases_and_its_escape_cases_are_refused() {
    let reject: Vec<Value> = serde_json::from_str(SIGN).unwrap();
    let escape: Vec<Value> = serde_json::from_str(ESCAPE).unwrap();
    let mut shared = 0;
    let mut refused = 0;
    for case in &escape {
        let id = case["id"].as_str().unwrap();
        if let Some(same) = reject.iter().find(|c| c["id"] == case["id"]) {
            assert_eq!(
                same, case,
                "{id}: the escape file's common cases equal the reject file's"
            );
            shared += 1;
        } else {
            assert!(na(id), "{id} must be listed");
            assert!(
                run_sep(case, false).is_err(),
                "{id}: presign refuses instead of escaping"
            );
            refused += 1;
        }
    }
    assert_eq!((shared, refused), (16, 2));
}

fn extra_signer(case: &Value) -> CloudFrontSigner {
    let key = Arc::new(SigningKey::from_pem(key_file(case["key_file"].as_str().unwrap())).unwrap());
    let hash = HashAlgorithm::parse(case["hash_algorithm"].as_str().unwrap_or("SHA1")).unwrap();
    CloudFrontSigner::new(
        KeyPairId::new(case["key_pair_id"].as_str().unwrap()).unwrap(),
        key,
        hash,
    )
    .unwrap()
}

#[test]
fn sdk_unit_test_cases() {
    let doc: Value = serde_json::from_str(EXTRA).unwrap();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for case in doc["cases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        if na(id) {
            *counts.entry("not_applicable").or_default() += 1;
            continue;
        }
        let check = case["check"].as_str().unwrap();
        let kind = case["kind"].as_str().unwrap();
        let expires = case.get("expires").map(ts);
        match (check, kind) {
            ("exact", "url") => {
                let signer = extra_signer(case);
                let url = case["url"].as_str().unwrap();
                let got = match case["policy"].as_str() {
                    Some(policy) => signer.signed_url_with_policy(url, policy).unwrap(),
                    None => {
                        let grant =
                            Grant::new(case["resource"].as_str().unwrap(), expires.unwrap())
                                .unwrap();
                        signer.signed_url(url, &grant, PolicyKind::Canned).unwrap()
                    }
                };
                assert_eq!(got, case["expected_url"].as_str().unwrap(), "{id}");
            }
            ("exact", "cookie") => {
                let signer = extra_signer(case);
                let got: BTreeMap<String, String> = match case["policy"].as_str() {
                    Some(policy) => signer
                        .sign_custom_policy(policy)
                        .unwrap()
                        .cookies()
                        .into_iter()
                        .collect(),
                    None => {
                        let grant =
                            Grant::new(case["resource"].as_str().unwrap(), expires.unwrap())
                                .unwrap();
                        signer
                            .signed_cookies(&grant, PolicyKind::Canned)
                            .unwrap()
                            .into_iter()
                            .collect()
                    }
                };
                let want: BTreeMap<String, String> = case["expected_cookies"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
                    .collect();
                assert_eq!(got, want, "{id}");
            }
            ("param_order", _) => {
                // Ruby's SEP order assertions, against presign's output for each form.
                let key = Arc::new(SigningKey::from_pem(key_file("test-rsa-key.pem")).unwrap());
                for (form, want) in case["expected_param_names_in_order"].as_object().unwrap() {
                    let hash = if form.contains("sha256") {
                        HashAlgorithm::Sha256
                    } else {
                        HashAlgorithm::Sha1
                    };
                    let kind = if form.starts_with("custom") {
                        PolicyKind::Custom
                    } else {
                        PolicyKind::Canned
                    };
                    let signer = CloudFrontSigner::new(
                        KeyPairId::new("K1TESTKEY").unwrap(),
                        key.clone(),
                        hash,
                    )
                    .unwrap();
                    let grant = Grant::new(
                        "https://d111111abcdef8.cloudfront.net/a",
                        Timestamp::from_unix(1767290400).unwrap(),
                    )
                    .unwrap();
                    let names: Vec<&str> = signer
                        .sign_grant(&grant, kind)
                        .unwrap()
                        .pairs()
                        .map(|(n, _)| n)
                        .collect();
                    let want: Vec<&str> = want
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|v| v.as_str().unwrap())
                        .collect();
                    assert_eq!(names, want, "{id} {form}");
                }
            }
            ("exact_policy", "policy") => {
                let mut grant =
                    Grant::new(case["resource"].as_str().unwrap(), expires.unwrap()).unwrap();
                let custom = case.get("active").is_some() || case.get("ip_range").is_some();
                let want = case["expected_policy"].as_str().unwrap();
                if custom {
                    // botocore orders IpAddress before DateGreaterThan; presign (like the SEP
                    // vectors) writes DateGreaterThan first. Key order does not matter to
                    // CloudFront for a custom policy, which travels with the URL: compare as JSON.
                    grant = grant.not_before(ts(&case["active"])).unwrap();
                    grant = grant
                        .source_ip(SourceIp::parse(case["ip_range"].as_str().unwrap()).unwrap());
                    let got: Value =
                        serde_json::from_str(&grant.policy_json(PolicyKind::Custom).unwrap())
                            .unwrap();
                    assert_eq!(got, serde_json::from_str::<Value>(want).unwrap(), "{id}");
                } else {
                    let got = grant.policy_json(PolicyKind::Canned).unwrap();
                    assert_eq!(got, want, "{id}");
                    if let Some(b64) = case["expected_policy_std_base64"].as_str() {
                        assert_eq!(
                            encoding::encode(got.as_bytes()),
                            encoding::escape_standard_base64(b64),
                            "{id}"
                        );
                    }
                }
            }
            ("exact_encoding", _) => {
                assert_eq!(
                    encoding::escape_standard_base64(case["input"].as_str().unwrap()),
                    case["expected"].as_str().unwrap(),
                    "{id}"
                );
            }
            ("stub_signer", _) | ("url_assembly", _) => {
                // Fixed signature/policy strings: the URL assembly alone.
                let sig = match case["stub_signature_bytes_utf8"].as_str() {
                    Some(s) => encoding::encode(s.as_bytes()),
                    None => case["encoded_signature"].as_str().unwrap().to_owned(),
                };
                let first = match (
                    case["policy"].as_str(),
                    case["encoded_policy"].as_str(),
                    case["policy_form"].as_str(),
                ) {
                    (Some(p), _, _) => ("Policy", encoding::encode(p.as_bytes())),
                    (None, Some(p), Some("custom")) => ("Policy", p.to_owned()),
                    _ => ("Expires", expires.unwrap().unix().to_string()),
                };
                let params = presign_cloudfront::SignedParams {
                    first,
                    signature: sig,
                    key_pair_id: case["key_pair_id"].as_str().unwrap().to_owned(),
                    hash_algorithm: None,
                };
                assert_eq!(
                    params.append_to(case["url"].as_str().unwrap()),
                    case["expected_url"].as_str().unwrap(),
                    "{id}"
                );
            }
            ("policy_only", "url") => {
                // go-v2's signing key is not public: the policy (inside the expected URL) and
                // the layout before the signature.
                let want = case["expected_url"].as_str().unwrap();
                let url = case["url"].as_str().unwrap();
                let grant =
                    Grant::new(case["resource"].as_str().unwrap(), expires.unwrap()).unwrap();
                let kind = PolicyKind::parse(case["policy_form"].as_str().unwrap()).unwrap();
                let first = match kind {
                    PolicyKind::Canned => format!("Expires={}", expires.unwrap().unix()),
                    PolicyKind::Custom => format!(
                        "Policy={}",
                        encoding::encode(grant.policy_json(kind).unwrap().as_bytes())
                    ),
                };
                let sep = if url.contains('?') { '&' } else { '?' };
                assert!(
                    want.starts_with(&format!("{url}{sep}{first}&Signature=")),
                    "{id}: {want}"
                );
                assert!(want.ends_with("&Key-Pair-Id=KeyID"), "{id}");
            }
            ("validation", "validate_url") => {
                let url = case["url"].as_str().unwrap();
                let refused = check_url(url).is_err();
                assert_eq!(refused, case["expect_error"].as_bool().unwrap(), "{id}");
            }
            ("validation", "create_resource") => {
                // For http(s) the resource is the URL itself, wildcard scheme included.
                let url = case["url"].as_str().unwrap();
                check_resource(url).unwrap();
                assert_eq!(
                    Grant::new(url, Timestamp::from_unix(1).unwrap())
                        .unwrap()
                        .resource(),
                    case["expected_resource"].as_str().unwrap(),
                    "{id}"
                );
            }
            other => panic!("{id}: unhandled check {other:?}"),
        }
        *counts.entry(check).or_default() += 1;
    }
    println!("{counts:?}");
    let want: BTreeMap<&str, usize> = [
        ("exact", 5),
        ("param_order", 1),
        ("exact_policy", 4),
        ("exact_encoding", 1),
        ("stub_signer", 2),
        ("url_assembly", 4),
        ("policy_only", 3),
        ("validation", 8),
        ("not_applicable", 7),
    ]
    .into_iter()
    .collect();
    assert_eq!(counts, want);
}

#[test]
fn not_applicable_inputs_are_refused() {
    let doc: Value = serde_json::from_str(EXTRA).unwrap();
    let case = |id: &str| {
        doc["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["id"] == id)
            .unwrap()
            .clone()
    };
    // ECDSA with SHA-1 (the Ruby "accept" case) is refused.
    let c = case("ruby-sep-ecdsa-canned-policy-url-sha1-accept");
    let key = Arc::new(SigningKey::from_pem(key_file(c["key_file"].as_str().unwrap())).unwrap());
    assert!(
        CloudFrontSigner::new(
            KeyPairId::new("K2ECDSATEST").unwrap(),
            key,
            HashAlgorithm::Sha1
        )
        .is_err()
    );
    // RTMP and ftp URLs are refused.
    for id in [
        "ruby-url-canned-rtmp",
        "go-v2-sign-url-4",
        "go-v2-create-resource-6",
    ] {
        assert!(
            check_url(case(id)["url"].as_str().unwrap()).is_err(),
            "{id}"
        );
    }
}
