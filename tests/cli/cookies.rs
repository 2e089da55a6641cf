//! `presign url` and `presign cookies` with CloudFront and Cloud CDN providers: every URL and
//! cookie the command prints is checked by the independent verifier (policy decoded and
//! compared, signature verified with the public key / HMAC), and the policy's refusals.

use std::path::{Path, PathBuf};

use presign_tests::cdn_verifier::{
    CloudFrontExpectation, PublicKey, verify_cloud_cdn_prefix, verify_cloud_cdn_url,
    verify_cloudfront_params, verify_cloudfront_url,
};

const PRIVATE: &str =
    include_str!("../../providers/presign-cloudfront/tests/keys/rsa-2048-pkcs8.pem");
const PUBLIC: &str =
    include_str!("../../providers/presign-cloudfront/tests/keys/rsa-2048-public.pem");
const CDN_KEY: [u8; 16] = [
    0x9d, 0x9b, 0x51, 0xa2, 0x17, 0x4d, 0x17, 0xd9, 0xb7, 0x70, 0xa3, 0x36, 0xe0, 0x87, 0x0a, 0xe3,
];
const NOW: &str = "2026-12-01T00:00:00Z";
const NOW_UNIX: i64 = 1_796_083_200;

fn config(dir: &Path) -> PathBuf {
    let key = dir.join("cf.pem");
    std::fs::write(&key, PRIVATE).unwrap();
    let file = dir.join("presign.toml");
    std::fs::write(
        &file,
        format!(
            r#"
[policy]
key_prefixes = ["videos/"]

[providers.cdn]
kind = "cloudfront"
domain = "d111111abcdef8.cloudfront.net"
key_pair_id = "K2JCJMDEHXQW5F"
private_key_file = "{}"
hash_algorithm = "SHA256"

[providers.canned]
kind = "cloudfront"
domain = "d111111abcdef8.cloudfront.net"
key_pair_id = "K2JCJMDEHXQW5F"
private_key_file = "{}"
policy_kind = "canned"

[providers.gcdn]
kind = "cloud-cdn"
domain = "media.example.com"
key_name = "my-key"
key_env = "CDN_KEY"
"#,
            key.display(),
            key.display()
        ),
    )
    .unwrap();
    file
}

fn run(file: &Path, args: &[&str]) -> crate::Out {
    crate::run_env(
        &[&["--config", file.to_str().unwrap()], args].concat(),
        &[("CDN_KEY", "nZtRohdNF9m3cKM24IcK4w==")],
        "",
    )
}

#[test]
fn cloudfront_url_with_ip_is_verified() {
    let dir = tempfile::tempdir().unwrap();
    let file = config(dir.path());
    let url = run(
        &file,
        &[
            "url",
            "--provider",
            "cdn",
            "GET",
            "/videos/a b.mp4",
            "--ip",
            "203.0.113.0/24",
            "--now",
            NOW,
        ],
    );
    let url = url.ok().trim().to_owned();
    let expect = CloudFrontExpectation {
        resource: "https://d111111abcdef8.cloudfront.net/videos/a%20b.mp4".into(),
        expires: NOW_UNIX + 300,
        not_before: None,
        source_ip: Some("203.0.113.0/24".into()),
    };
    verify_cloudfront_url(
        &url,
        &expect,
        &PublicKey::from_pem(PUBLIC),
        "K2JCJMDEHXQW5F",
    );
    // Canned: only expiry; the strict policy refuses the IP instead of switching.
    let out = run(
        &file,
        &[
            "url",
            "--provider",
            "canned",
            "GET",
            "videos/a.mp4",
            "--ip",
            "203.0.113.7",
            "--now",
            NOW,
        ],
    );
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("client-ip-v4"), "{}", out.stderr);
    let canned = run(
        &file,
        &[
            "url",
            "--provider",
            "canned",
            "GET",
            "videos/a.mp4",
            "--now",
            NOW,
        ],
    );
    let canned = canned.ok().trim().to_owned();
    let expect = CloudFrontExpectation {
        resource: "https://d111111abcdef8.cloudfront.net/videos/a.mp4".into(),
        expires: NOW_UNIX + 300,
        not_before: None,
        source_ip: None,
    };
    verify_cloudfront_url(
        &canned,
        &expect,
        &PublicKey::from_pem(PUBLIC),
        "K2JCJMDEHXQW5F",
    );
}

#[test]
fn cloudfront_cookies_are_verified_and_bounded_by_prefixes() {
    let dir = tempfile::tempdir().unwrap();
    let file = config(dir.path());
    let out = run(
        &file,
        &[
            "cookies",
            "--provider",
            "cdn",
            "/videos/*",
            "--json",
            "--now",
            NOW,
            "--not-before",
            "2026-12-01T00:01:00Z",
            "--expires-in",
            "10m",
        ],
    );
    let v = out.ok_json();
    let cookies: Vec<(String, String)> = v["cookies"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(n, v)| {
            (
                n.strip_prefix("CloudFront-").unwrap().to_owned(),
                v.as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // Cookie order as set: Policy, Signature, Key-Pair-Id, Hash-Algorithm.
    let ordered: Vec<(String, String)> = ["Policy", "Signature", "Key-Pair-Id", "Hash-Algorithm"]
        .iter()
        .map(|n| cookies.iter().find(|(k, _)| k == n).unwrap().clone())
        .collect();
    let expect = CloudFrontExpectation {
        resource: "https://d111111abcdef8.cloudfront.net/videos/*".into(),
        expires: NOW_UNIX + 600,
        not_before: Some(NOW_UNIX + 60),
        source_ip: None,
    };
    verify_cloudfront_params(
        "https://d111111abcdef8.cloudfront.net/videos/2026/seg-001.ts",
        &ordered,
        &expect,
        &PublicKey::from_pem(PUBLIC),
        "K2JCJMDEHXQW5F",
    );
    assert_eq!(v["path"], "/videos/");
    for line in v["set_cookie"].as_array().unwrap() {
        let line = line.as_str().unwrap();
        assert!(line.ends_with("; Domain=d111111abcdef8.cloudfront.net; Path=/videos/; Max-Age=600; Secure; HttpOnly; SameSite=Lax"), "{line}");
    }
    let lines = run(
        &file,
        &[
            "cookies",
            "--provider",
            "cdn",
            "videos/*",
            "--same-site",
            "none",
            "--now",
            NOW,
        ],
    );
    assert_eq!(
        lines
            .ok()
            .lines()
            .filter(|l| l.starts_with("Set-Cookie: CloudFront-") && l.ends_with("SameSite=None"))
            .count(),
        4
    );
    for bad in ["/*", "/vid*", "/other/*", "/videos/../x/*"] {
        let out = run(&file, &["cookies", "--provider", "cdn", bad, "--now", NOW]);
        assert_eq!(out.code, 4, "{bad}: {}", out.stderr);
        assert!(
            out.stderr.contains("key_not_allowed"),
            "{bad}: {}",
            out.stderr
        );
    }
}

#[test]
fn cloud_cdn_url_and_cookie_are_verified() {
    let dir = tempfile::tempdir().unwrap();
    let file = config(dir.path());
    let url = run(
        &file,
        &[
            "url",
            "--provider",
            "gcdn",
            "GET",
            "/videos/a.mp4",
            "--now",
            NOW,
        ],
    );
    let url = url.ok().trim().to_owned();
    assert!(
        url.starts_with("https://media.example.com/videos/a.mp4?Expires="),
        "{url}"
    );
    assert_eq!(
        verify_cloud_cdn_url(&url, "my-key", &CDN_KEY),
        NOW_UNIX + 300
    );
    let v = run(
        &file,
        &[
            "cookies",
            "--provider",
            "gcdn",
            "/videos/*",
            "--json",
            "--now",
            NOW,
        ],
    )
    .ok_json();
    let value = v["cookies"]["Cloud-CDN-Cookie"].as_str().unwrap();
    let (prefix, expires) = verify_cloud_cdn_prefix(value, ':', "my-key", &CDN_KEY);
    assert_eq!(
        (prefix.as_str(), expires),
        ("https://media.example.com/videos/", NOW_UNIX + 300)
    );
    // Cloud CDN enforces nothing but expiry: an IP range is refused by the strict policy.
    let out = run(
        &file,
        &[
            "cookies",
            "--provider",
            "gcdn",
            "/videos/*",
            "--ip",
            "10.0.0.0/8",
        ],
    );
    assert_eq!(out.code, 4, "{}", out.stderr);
    // S3 signs no cookies.
    let s3 = crate::run(&["cookies", "/x/*"]);
    assert_eq!(s3.code, 4, "{}", s3.stderr);
    assert!(s3.stderr.contains("does not sign cookies"), "{}", s3.stderr);
}

#[test]
fn providers_lists_cookie_support() {
    let dir = tempfile::tempdir().unwrap();
    let file = config(dir.path());
    let v = run(&file, &["providers", "--json"]).ok_json();
    let text = v.to_string();
    assert!(text.contains("\"signed_cookies\":true"), "{text}");
}

#[test]
fn batch_lines_for_cdn_urls_and_cookies() {
    let dir = tempfile::tempdir().unwrap();
    let file = config(dir.path());
    let input = format!(
        "{}\n{}\n{}\n{}\n",
        r#"{"id":1,"provider":"cdn","kind":"cookies","pattern":"/videos/*","ip":"10.0.0.0/8","expires_in":"10m","now":"2026-12-01T00:00:00Z"}"#,
        r#"{"id":2,"provider":"gcdn","method":"GET","key":"/videos/a.mp4","now":"2026-12-01T00:00:00Z"}"#,
        r#"{"id":3,"provider":"cdn","kind":"cookies","pattern":"/*","now":"2026-12-01T00:00:00Z"}"#,
        r#"{"id":4,"provider":"gcdn","kind":"cookies","pattern":"/videos/*","method":"GET"}"#,
    );
    let out = crate::run_env(
        &["--config", file.to_str().unwrap(), "batch"],
        &[("CDN_KEY", "nZtRohdNF9m3cKM24IcK4w==")],
        &input,
    );
    let lines: Vec<serde_json::Value> = out
        .ok()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4);
    let c = &lines[0];
    assert_eq!(c["path"], "/videos/");
    let params: Vec<(String, String)> = ["Policy", "Signature", "Key-Pair-Id", "Hash-Algorithm"]
        .iter()
        .map(|n| {
            (
                (*n).to_owned(),
                c["cookies"][format!("CloudFront-{n}")]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            )
        })
        .collect();
    let expect = CloudFrontExpectation {
        resource: "https://d111111abcdef8.cloudfront.net/videos/*".into(),
        expires: NOW_UNIX + 600,
        not_before: None,
        source_ip: Some("10.0.0.0/8".into()),
    };
    verify_cloudfront_params(
        "https://d111111abcdef8.cloudfront.net/videos/x.ts",
        &params,
        &expect,
        &PublicKey::from_pem(PUBLIC),
        "K2JCJMDEHXQW5F",
    );
    let url = lines[1]["url"].as_str().unwrap();
    assert!(
        url.starts_with("https://media.example.com/videos/a.mp4?"),
        "{url}"
    );
    assert_eq!(
        verify_cloud_cdn_url(url, "my-key", &CDN_KEY),
        NOW_UNIX + 300
    );
    assert_eq!(lines[2]["error"]["kind"], "key_not_allowed", "{}", lines[2]);
    assert!(
        lines[3]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("method"),
        "{}",
        lines[3]
    );
}
