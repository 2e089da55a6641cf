#![cfg(test)] // all test code: clippy.toml's allow-*-in-tests cover its helpers too
//! Issue 8, item 3: extra signed headers and query parameters passed unchecked, so under
//! `key_prefixes = ["uploads/alice/"]`, `url PUT uploads/alice/copy.csv --header
//! "x-amz-copy-source: corp-bucket/uploads/bob/payroll.csv"` signed an S3 CopyObject of any
//! readable object into Alice's prefix. Each provider now declares the names that only
//! describe the object; everything else is refused unless the operator names it. A header
//! given twice (`--content-type image/png --header "Content-Type: text/html"`) was merged by
//! GCS into `image/png,text/html`; it is refused, as S3 refused it.

mod support;

use support::{attacked_config, param, query, run};

/// The names signed into `url`: its query parameter names and its signed headers.
fn signed_names(url: &str) -> Vec<String> {
    let mut names: Vec<String> = query(url).into_iter().map(|(k, _)| k).collect();
    for p in ["X-Amz-SignedHeaders", "X-Goog-SignedHeaders"] {
        if let Some(h) = param(url, p) {
            names.extend(h.split(';').map(str::to_owned));
        }
    }
    names
}

/// `(provider, method, headers, query)` that change the operation.
const ATTACKS: &[(&str, &str, &[&str], &[&str])] = &[
    (
        "s3",
        "PUT",
        &["x-amz-copy-source: corp-bucket/uploads/bob/payroll.csv"],
        &[],
    ),
    ("s3", "PUT", &["X-Amz-Copy-Source-Range: bytes=0-9"], &[]),
    ("s3", "PUT", &["x-amz-acl: public-read"], &["acl="]),
    ("s3", "PUT", &[], &["acl="]),
    (
        "s3",
        "PUT",
        &["x-amz-grant-read: uri=http://acs.amazonaws.com/groups/global/AllUsers"],
        &[],
    ),
    (
        "s3",
        "PUT",
        &["x-amz-website-redirect-location: https://evil.example/"],
        &[],
    ),
    ("s3", "PUT", &["x-amz-object-lock-mode: COMPLIANCE"], &[]),
    (
        "s3",
        "PUT",
        &["x-amz-bypass-governance-retention: true"],
        &[],
    ),
    ("s3", "PUT", &["x-amz-metadata-directive: REPLACE"], &[]),
    ("s3", "PUT", &["x-amz-tagging: public=yes"], &[]),
    ("s3", "PUT", &[], &["retention="]),
    ("s3", "PUT", &[], &["tagging="]),
    ("s3", "PUT", &[], &["legal-hold="]),
    ("s3", "GET", &[], &["torrent="]),
    ("s3", "GET", &[], &["attributes="]),
    ("s3", "GET", &[], &["select=", "select-type=2"]),
    ("s3", "PUT", &[], &["restore="]),
    (
        "gcs",
        "PUT",
        &["x-goog-copy-source: corp-bucket/uploads/bob/payroll.csv"],
        &[],
    ),
    ("gcs", "PUT", &["x-goog-acl: public-read"], &[]),
    ("gcs", "PUT", &["x-goog-metadata-directive: REPLACE"], &[]),
    ("gcs", "PUT", &[], &["compose="]),
    ("gcs", "GET", &[], &["acl="]),
];

fn url_args<'a>(
    cfg: &'a str,
    provider: &'a str,
    method: &'a str,
    headers: &[&'a str],
    query: &[&'a str],
) -> Vec<&'a str> {
    let mut args = vec![
        "--config",
        cfg,
        "url",
        "--provider",
        provider,
        method,
        "uploads/alice/copy.csv",
    ];
    for h in headers {
        args.extend(["--header", h]);
    }
    for q in query {
        args.extend(["--query", q]);
    }
    args
}

#[test]
fn operation_changing_headers_and_sub_resources_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let config = attacked_config(dir.path(), "");
    let cfg = config.to_str().unwrap();
    for (provider, method, headers, query) in ATTACKS {
        let out = run(&url_args(cfg, provider, method, headers, query), &[], b"");
        let case = format!("{provider} {method} {headers:?} {query:?}");
        if out.code == 0 {
            panic!("{case}: signed {:?}", signed_names(out.stdout.trim()));
        }
        assert_eq!(out.code, 4, "{case}: {}", out.stderr);
        let named = headers
            .first()
            .map(|h| h.split(':').next().unwrap().to_ascii_lowercase())
            .or_else(|| query.first().map(|q| q.trim_end_matches('=').to_owned()))
            .unwrap();
        assert!(
            (out.stderr.contains("error[header_not_allowed]")
                || out.stderr.contains("error[query_not_allowed]"))
                && out.stderr.contains(named.split('=').next().unwrap()),
            "{case}: {}",
            out.stderr
        );
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn headers_that_describe_the_object_still_sign() {
    let dir = tempfile::tempdir().unwrap();
    let config = attacked_config(dir.path(), "");
    let cfg = config.to_str().unwrap();
    let cases: &[(&str, &str, &[&str], &[&str])] = &[
        (
            "s3",
            "PUT",
            &[
                "x-amz-meta-owner: alice",
                "x-amz-server-side-encryption: aws:kms",
                "Cache-Control: no-store",
            ],
            &[],
        ),
        (
            "s3",
            "PUT",
            &["x-amz-checksum-sha256: 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="],
            &["partNumber=1", "uploadId=abc"],
        ),
        (
            "s3",
            "GET",
            &["range: bytes=0-99"],
            &[
                "versionId=3HL4kqtJlcpXroDTDmJ",
                "response-content-language=en",
            ],
        ),
        (
            "gcs",
            "PUT",
            &["x-goog-meta-owner: alice", "x-goog-if-generation-match: 0"],
            &[],
        ),
        ("gcs", "GET", &[], &["generation=1360887759327000"]),
    ];
    for (provider, method, headers, query) in cases {
        let out = run(&url_args(cfg, provider, method, headers, query), &[], b"");
        assert_eq!(
            out.code, 0,
            "{provider} {headers:?} {query:?}: {}",
            out.stderr
        );
    }
}

#[test]
fn the_operator_can_allow_names_and_batch_lines_are_checked_too() {
    let dir = tempfile::tempdir().unwrap();
    let extra = "[providers.acl]\nkind = \"s3\"\nbucket = \"corp-bucket\"\nregion = \"eu-west-1\"\naccess_key_id = \"AKIAIOSFODNN7EXAMPLE\"\nsecret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"\n[providers.acl.policy]\nallow_headers = [\"x-amz-acl\"]\nallow_query = [\"tagging\"]\nallow_methods = [\"GET\", \"PUT\", \"POST\"]\n";
    let config = attacked_config(dir.path(), extra);
    let cfg = config.to_str().unwrap();
    let out = run(
        &url_args(cfg, "acl", "PUT", &["X-Amz-Acl: private"], &["tagging="]),
        &[],
        b"",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let names = signed_names(out.stdout.trim());
    assert!(names.contains(&"x-amz-acl".to_owned()) && names.contains(&"tagging".to_owned()));
    let input = r#"{"id":1,"provider":"s3","method":"PUT","key":"uploads/alice/copy.csv","headers":{"x-amz-copy-source":"corp-bucket/uploads/bob/payroll.csv"}}
{"id":2,"provider":"s3","method":"GET","key":"uploads/alice/a","query":{"acl":""}}
{"id":3,"kind":"post","provider":"s3post","key_prefix":"uploads/alice/","acl":"public-read"}
{"id":4,"kind":"post","provider":"acl","key_prefix":"uploads/alice/","acl":"private"}
"#;
    let out = run(&["--config", cfg, "batch"], &[], input.as_bytes());
    let lines = out.lines();
    assert_eq!(
        lines[0]["error"]["kind"], "header_not_allowed",
        "{}",
        lines[0]
    );
    assert_eq!(
        lines[1]["error"]["kind"], "query_not_allowed",
        "{}",
        lines[1]
    );
    assert_eq!(
        lines[2]["error"]["kind"], "header_not_allowed",
        "{}",
        lines[2]
    );
    assert!(lines[3]["fields"]["acl"] == "private", "{}", lines[3]);
    assert!(!out.stdout.contains("payroll"), "{}", out.stdout);
}

/// GCS merges a repeated header into one comma-separated value, so a type given by
/// `--content-type` and again by `--header` signed `image/png,text/html`, an upload of either.
#[test]
fn a_header_given_twice_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let config = attacked_config(dir.path(), "");
    let cfg = config.to_str().unwrap();
    let cases: &[&[&str]] = &[
        &[
            "--content-type",
            "image/png",
            "--header",
            "Content-Type: text/html",
        ],
        &[
            "--header",
            "content-type: image/png",
            "--header",
            "CONTENT-TYPE: text/html",
        ],
        &[
            "--header",
            "x-goog-meta-a: 1",
            "--header",
            "X-Goog-Meta-A: 2",
        ],
    ];
    for provider in ["gcs", "s3"] {
        for extra in cases {
            // The same metadata header in each provider's spelling.
            let extra: Vec<String> = extra
                .iter()
                .map(|a| match provider {
                    "s3" => a.replace("x-goog-", "x-amz-").replace("X-Goog-", "X-Amz-"),
                    _ => (*a).to_owned(),
                })
                .collect();
            let mut args = vec![
                "--config",
                cfg,
                "url",
                "--provider",
                provider,
                "PUT",
                "uploads/alice/cat.png",
            ];
            args.extend(extra.iter().map(String::as_str));
            let out = run(&args, &[], b"");
            let case = format!("{provider} {extra:?}");
            assert_eq!(out.code, 4, "{case}: signed {}", out.stdout);
            assert!(out.stdout.is_empty());
            assert!(out.stderr.contains("set twice"), "{case}: {}", out.stderr);
        }
    }
    // One of each still signs, the type as given.
    let out = run(
        &[
            "--config",
            cfg,
            "url",
            "--provider",
            "gcs",
            "PUT",
            "uploads/alice/cat.png",
            "--content-type",
            "image/png",
        ],
        &[],
        b"",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
}
