//! Differential test of CloudFront signed URLs against botocore's `CloudFrontSigner` (pinned in
//! `.ci/sdk/botocore-cloudfront.sh`, with `cryptography` as its RSA-SHA1 signer callback): 240
//! generated cases (fixed seed), 120 with the RSA-1024 SEP test key and 120 with a 2048-bit key
//! given to presign as PKCS#1, canned and custom policies, wildcard resources, not-before, IPv4
//! ranges, caller query strings and percent-encoded paths.
//!
//! For each case presign signs the URL, and botocore signs the same URL: with
//! `date_less_than` for a canned policy, with presign's policy text for a custom one (botocore
//! writes the custom conditions in another key order, which CloudFront ignores, so its own
//! `build_policy` output is compared as parsed JSON). Same policy ⇒ the same URL, byte for
//! byte. Every presign URL is also checked by the independent verifier.
//!
//! botocore 1.44.8 signs only RSA-SHA1 (no `Hash-Algorithm`, no ECDSA): SHA-256 and ECDSA are
//! covered by the vendor vectors and the verifier.

use std::sync::Arc;

use presign_cloudfront::{
    CloudFrontSigner, Grant, HashAlgorithm, KeyPairId, PolicyKind, SigningKey, SourceIp, encoding,
};
use presign_core::Timestamp;
use presign_tests::cdn_verifier::{CloudFrontExpectation, PublicKey, verify_cloudfront_url};
use presign_tests::rng::Rng;
use presign_tests::sdk::{run_sdk_script, sdk_python};
use serde_json::{Value, json};

const CASES_PER_KEY: usize = 120;
const KEY_ID: &str = "K2JCJMDEHXQW5F";

const HOSTS: &[&str] = &[
    "https://d111111abcdef8.cloudfront.net",
    "http://cdn.example.com",
    "https://media.example.org:8443",
];
/// Path segments as a client sends them (percent-encoded where needed).
const SEGMENTS: &[&str] = &[
    "videos",
    "a",
    "file.mp4",
    "%20",
    "%E2%82%AC",
    "~user",
    "a-b_c.d",
    "%2F",
    "!$&'()+,;=:@",
    "*",
    "seg%3Fment",
    "x%22y",
    "%5C",
    "index.m3u8",
    "v1",
];
const QUERIES: &[&str] = &[
    "",
    "",
    "?size=large",
    "?a=1&b=2",
    "?x=%22y%22&z=",
    "?response-content-type=video%2Fmp4",
];

struct Case {
    url: String,
    grant: Grant,
    kind: PolicyKind,
}

fn generate(rng: &mut Rng) -> Case {
    let host = rng.pick(HOSTS);
    let mut path = String::new();
    for _ in 0..1 + rng.below(4) {
        path.push('/');
        path.push_str(rng.pick(SEGMENTS));
    }
    let url = format!("{host}{path}{}", rng.pick(QUERIES));
    let expires = Timestamp::from_unix(1_700_000_000 + rng.below(300_000_000) as i64).unwrap();
    if rng.chance(40) {
        let grant = Grant::new(url.clone(), expires).unwrap();
        return Case {
            url,
            grant,
            kind: PolicyKind::Canned,
        };
    }
    // Custom: the URL itself or a wildcard over its folder, and maybe a start and an IP range.
    let resource = if rng.chance(50) {
        let folder = &path[..path.rfind('/').unwrap() + 1];
        format!("{host}{folder}*")
    } else {
        url.clone()
    };
    let mut grant = Grant::new(resource, expires).unwrap();
    if rng.chance(50) {
        let nb = expires.unix() - 1 - rng.below(86_400 * 30) as i64;
        grant = grant.not_before(Timestamp::from_unix(nb).unwrap()).unwrap();
    }
    if rng.chance(50) {
        let ip = format!(
            "{}.{}.{}.{}/{}",
            rng.below(256),
            rng.below(256),
            rng.below(256),
            rng.below(256),
            rng.below(33)
        );
        grant = grant.source_ip(SourceIp::parse(&ip).unwrap());
    }
    Case {
        url,
        grant,
        kind: PolicyKind::Custom,
    }
}

fn run(label: &str, private_pem: &str, public_pem: &str, seed: u64) -> usize {
    let Some(py) = sdk_python(
        &format!("sdk::cloudfront ({label})"),
        "botocore.signers, cryptography",
        ".ci/sdk/botocore-cloudfront.sh",
    ) else {
        return 0;
    };
    let key = Arc::new(SigningKey::from_pem(private_pem).unwrap());
    let signer =
        CloudFrontSigner::new(KeyPairId::new(KEY_ID).unwrap(), key, HashAlgorithm::Sha1).unwrap();
    let public = PublicKey::from_pem(public_pem);
    let mut rng = Rng(seed);
    let cases: Vec<Case> = (0..CASES_PER_KEY).map(|_| generate(&mut rng)).collect();
    let ours: Vec<String> = cases
        .iter()
        .map(|c| signer.signed_url(&c.url, &c.grant, c.kind).unwrap())
        .collect();
    let input: Vec<Value> = cases
        .iter()
        .map(|c| {
            let custom = c.kind == PolicyKind::Custom;
            json!({
                "url": c.url,
                "expires": c.grant.expires().unix(),
                "policy": custom.then(|| c.grant.policy_json(PolicyKind::Custom).unwrap()),
                "resource": c.grant.resource(),
                "not_before": c.grant.not_before_time().map(Timestamp::unix),
                "ip": c.grant.source_ip_block().map(|i| i.to_string()),
            })
        })
        .collect();
    let doc = json!({"key_pem": private_pem, "key_id": KEY_ID, "cases": input});
    let out = run_sdk_script(&py, "tests/sdk/botocore/cloudfront.py", &doc);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), cases.len());
    for (i, ((case, ours), theirs)) in cases.iter().zip(&ours).zip(&lines).enumerate() {
        assert_eq!(
            ours,
            theirs["url"].as_str().unwrap(),
            "{label} case {i}: {}",
            case.url
        );
        if case.kind == PolicyKind::Custom {
            let built: Value =
                serde_json::from_str(theirs["built_policy"].as_str().unwrap()).unwrap();
            let mine: Value =
                serde_json::from_str(&case.grant.policy_json(PolicyKind::Custom).unwrap()).unwrap();
            assert_eq!(
                mine, built,
                "{label} case {i}: botocore's build_policy differs"
            );
            assert!(ours.contains(&format!(
                    "Policy={}",
                    encoding::encode(
                        case.grant
                            .policy_json(PolicyKind::Custom)
                            .unwrap()
                            .as_bytes()
                    )
                )));
        }
        let expect = CloudFrontExpectation {
            resource: case.grant.resource().to_owned(),
            expires: case.grant.expires().unix(),
            not_before: case.grant.not_before_time().map(Timestamp::unix),
            source_ip: case.grant.source_ip_block().map(|i| i.to_string()),
        };
        verify_cloudfront_url(ours, &expect, &public, KEY_ID);
    }
    let custom = cases
        .iter()
        .filter(|c| c.kind == PolicyKind::Custom)
        .count();
    println!(
        "sdk::cloudfront ({label}): {}/{} URLs identical to botocore's ({custom} custom)",
        cases.len(),
        cases.len()
    );
    cases.len()
}

#[test]
fn cloudfront_urls_equal_botocore() {
    let n = run(
        "RSA-1024 PKCS#8, RSA-SHA1",
        include_str!("../vectors/cloudfront/test-rsa-key.pem"),
        include_str!("../vectors/cloudfront/test-rsa-key-public.pem"),
        0xC10D_F407,
    ) + run(
        "RSA-2048 PKCS#1, RSA-SHA1",
        include_str!("../../providers/presign-cloudfront/tests/keys/rsa-2048-pkcs1.pem"),
        include_str!("../../providers/presign-cloudfront/tests/keys/rsa-2048-public.pem"),
        0x5EED_2048,
    );
    assert!(n == 0 || n == 2 * CASES_PER_KEY);
}
