//! `presign post`: S3 and GCS POST policies as JSON (fields in order, the signature presign-s3
//! computes itself) and as an HTML form (every value escaped), and the refusals.

use std::sync::Arc;
use std::time::Duration;

use presign_core::FixedClock;

use crate::fixtures::{MULTI_ENV, multi_cloud_config, ordered_fields, run_multi};
use crate::{ACCESS_KEY, NOW, SECRET_KEY, block, now, run_env};

#[test]
fn post_s3_json_and_html() {
    let dir = tempfile::tempdir().unwrap();
    let file = multi_cloud_config(dir.path());
    let out = run_multi(
        &file,
        &[
            "post",
            "--provider",
            "s3post",
            "uploads/alice/",
            "--prefix",
            "--max-size",
            "1MiB",
            "--content-type",
            "image/",
            "--success-action-status",
            "201",
            "--meta",
            "owner=alice",
            "--now",
            NOW,
            "--expires-in",
            "2m",
        ],
        "",
    );
    let v = out.ok_json();
    assert_eq!(v["provider"], "s3post");
    assert_eq!(v["url"], "http://127.0.0.1:8333/presign-test/");
    assert_eq!(v["expires_at"], "2024-01-02T03:06:05Z");
    assert_eq!(v["signed_at"], NOW);
    assert_eq!(
        v["client_fields"],
        serde_json::json!([{"field": "Content-Type", "starts_with": "image/"}])
    );
    let fields = ordered_fields(&out.stdout);
    let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names[0], "key");
    assert_eq!(fields[0].1, "uploads/alice/${filename}");
    for n in [
        "success_action_status",
        "x-amz-meta-owner",
        "x-amz-algorithm",
        "x-amz-credential",
        "x-amz-date",
        "policy",
        "x-amz-signature",
    ] {
        assert!(
            names.iter().any(|m| m.eq_ignore_ascii_case(n)),
            "{n} missing from {names:?}"
        );
    }
    // The policy carries the size range and the conditions, and the signature is the one
    // presign-s3 computes itself for the same request.
    let policy = &fields
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("policy"))
        .unwrap()
        .1;
    use base64::Engine as _;
    let doc = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(policy)
            .unwrap(),
    )
    .unwrap();
    assert!(
        doc.contains("[\"content-length-range\",0,1048576]"),
        "{doc}"
    );
    assert!(
        doc.contains("[\"starts-with\",\"$Content-Type\",\"image/\"]"),
        "{doc}"
    );
    let s3 = presign_s3::S3Presigner::builder()
        .bucket("presign-test")
        .region("us-east-1")
        .endpoint("http://127.0.0.1:8333")
        .addressing(presign_s3::Addressing::Path)
        .credentials(presign_s3::Credentials::new(
            ACCESS_KEY,
            presign_core::SecretString::new(SECRET_KEY),
        ))
        .name("s3post")
        .clock(Arc::new(FixedClock(now())))
        .build()
        .unwrap();
    let req = presign_core::post_policy::PostPolicyRequest::starts_with("uploads/alice/")
        .with_ttl(Duration::from_secs(120))
        .content_length_range(0, 1 << 20)
        .content_type_prefix("image/")
        .success_action_status(201)
        .metadata("owner", "alice")
        .signed_at(now());
    let direct = block(presign_core::post_policy::PostPresigner::presign_post(
        &s3, &req,
    ))
    .unwrap();
    assert_eq!(fields, direct.expose_fields().to_vec());

    // HTML: every value escaped, hidden inputs in order, then the file input and a button.
    let hostile = "x\"><script>alert('pwn')</script>&";
    let out = run_multi(
        &file,
        &[
            "post",
            "--provider",
            "s3post",
            "uploads/a.png",
            "--max-size",
            "5MiB",
            "--content-type",
            "image/png",
            "--content-disposition",
            hostile,
            "--now",
            NOW,
            "--html",
        ],
        "",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let html = out.stdout;
    assert!(
        html.starts_with(
            "<form action=\"http://127.0.0.1:8333/presign-test/\" method=\"post\" enctype=\"multipart/form-data\">\n"
        ),
        "{html}"
    );
    assert!(!html.contains("<script>"), "{html}");
    assert!(
        html.contains(
            "value=\"x&quot;&gt;&lt;script&gt;alert(&#39;pwn&#39;)&lt;/script&gt;&amp;\""
        ),
        "{html}"
    );
    let lines: Vec<&str> = html.lines().collect();
    assert_eq!(
        lines[1],
        "  <input type=\"hidden\" name=\"key\" value=\"uploads/a.png\">"
    );
    let n = lines.len();
    assert_eq!(lines[n - 3], "  <input type=\"file\" name=\"file\">");
    assert_eq!(lines[n - 2], "  <button type=\"submit\">Upload</button>");
    assert_eq!(lines[n - 1], "</form>");
    assert!(
        lines[1..n - 3]
            .iter()
            .all(|l| l.starts_with("  <input type=\"hidden\" name=\"")),
        "{html}"
    );
    assert!(
        html.contains("name=\"Content-Type\" value=\"image/png\""),
        "{html}"
    );
    assert!(!html.contains(SECRET_KEY));
}

#[test]
fn post_gcs_and_refusals() {
    let dir = tempfile::tempdir().unwrap();
    let file = multi_cloud_config(dir.path());
    let out = run_multi(
        &file,
        &[
            "post",
            "--provider",
            "gcspost",
            "photos/cat.png",
            "--min-size",
            "1",
            "--max-size",
            "20MiB",
            "--content-type",
            "image/png",
            "--now",
            NOW,
        ],
        "",
    );
    let v = out.ok_json();
    assert_eq!(v["url"], "https://storage.googleapis.com/presign-test/");
    let fields = ordered_fields(&out.stdout);
    assert_eq!(fields[0], ("key".into(), "photos/cat.png".into()));
    let get = |n: &str| fields.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone());
    assert_eq!(get("x-goog-algorithm").as_deref(), Some("GOOG4-RSA-SHA256"));
    assert_eq!(get("x-goog-date").as_deref(), Some("20240102T030405Z"));
    assert_eq!(get("content-type").as_deref(), Some("image/png"));
    assert_eq!(get("x-goog-signature").unwrap().len(), 512);
    use base64::Engine as _;
    let doc = String::from_utf8(
        base64::engine::general_purpose::STANDARD
            .decode(get("policy").unwrap())
            .unwrap(),
    )
    .unwrap();
    // The 20 MiB asked for is clamped to the provider's max_upload_size of 10 MiB.
    assert!(
        doc.contains("[\"content-length-range\",1,10485760]"),
        "{doc}"
    );
    // HTML shape for GCS too.
    let out = run_multi(
        &file,
        &[
            "post",
            "--provider",
            "gcspost",
            "photos/",
            "--prefix",
            "--now",
            NOW,
            "--html",
        ],
        "",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("<input type=\"hidden\" name=\"key\" value=\"photos/${filename}\">"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("name=\"x-goog-signature\""),
        "{}",
        out.stdout
    );

    // Without POST in allow_methods (the default policy): refused, saying how to allow it.
    for (args, env) in [
        (vec!["post", "uploads/a.png", "--max-size", "1MiB"], vec![]),
        (
            vec![
                "--config",
                file.to_str().unwrap(),
                "post",
                "--provider",
                "gk",
                "a.png",
            ],
            MULTI_ENV.to_vec(),
        ),
    ] {
        let out = run_env(&args, &env, "");
        assert_eq!(out.code, 4, "{}", out.stderr);
        assert!(
            out.stderr
                .starts_with("presign: error[method_not_allowed]: ")
                && out.stderr.contains("allow_methods")
                && out.stderr.contains("\"POST\""),
            "{}",
            out.stderr
        );
        assert!(out.stdout.is_empty());
    }
    // Bad sizes are invalid input; --json and --html conflict.
    let out = run_multi(
        &file,
        &[
            "post",
            "--provider",
            "s3post",
            "k",
            "--max-size",
            "5 parsecs",
        ],
        "",
    );
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("max_size"), "{}", out.stderr);
    let out = run_multi(
        &file,
        &["post", "--provider", "s3post", "k", "--json", "--html"],
        "",
    );
    assert_eq!(out.code, 2);
    // Exceeding the size under the policy's max with min: refused.
    let out = run_multi(
        &file,
        &["post", "--provider", "s3post", "k", "--min-size", "6MiB"],
        "",
    );
    assert_eq!(out.code, 4, "{}", out.stderr);
}
