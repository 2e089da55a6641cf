//! S3 POST policies (browser form uploads) against SeaweedFS, which enforces every condition
//! (see the "S3 POST policies" section of the emulator report): http://127.0.0.1:8333
//! (`PRESIGN_S3_ENDPOINT`), bucket `presign-test`, path addressing, region us-east-1.
//!
//! Each scenario signs a policy with presign-s3 (directly, or through the policy layer), sends
//! a `multipart/form-data` body built here (the returned fields in order, then the file) with
//! the raw loopback client, and checks the status: an upload within the limits succeeds and
//! the object reads back; a file over or under the size range, a Content-Type outside the
//! allowed prefix, a key outside the `starts-with` prefix, an expired policy, an edited policy,
//! an edited signature, an extra unsigned field and a changed metadata value are refused.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use presign_core::SyncPostPresigner;
use presign_core::SyncPresigner;
use presign_core::post_policy::{PostPolicyRequest, PostPresigner, PresignedPost};
use presign_core::{Method, ObjectKey, PresignRequest, Timestamp};
use presign_policy::{Policy, PolicyLayer};
use presign_s3::S3Presigner;
use presign_tests::http::{Response, send};
use presign_tests::seaweedfs;

const BOUNDARY: &str = "----presign-post-boundary-7MA4YWxkTrZu0gW";

fn presigner(endpoint: &str) -> S3Presigner {
    seaweedfs::presigner(endpoint, seaweedfs::credentials())
}

/// A `multipart/form-data` body: `fields` in order, then the file part named `file`.
fn multipart(fields: &[(String, String)], file_name: &str, file: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(file.len() + 2048);
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn post_form(post: &PresignedPost, fields: &[(String, String)], file: &[u8]) -> Response {
    let body = multipart(fields, "upload.bin", file);
    let headers = vec![(
        "Content-Type".to_owned(),
        format!("multipart/form-data; boundary={BOUNDARY}"),
    )];
    send("POST", post.url(), &headers, &body).unwrap()
}

/// The returned fields plus the ones the form adds itself.
fn with_extra(post: &PresignedPost, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut f = post.expose_fields().to_vec();
    let at = f.iter().position(|(n, _)| n == "x-amz-algorithm").unwrap();
    for (i, (n, v)) in extra.iter().enumerate() {
        f.insert(at + i, ((*n).to_owned(), (*v).to_owned()));
    }
    f
}

fn set(fields: &mut [(String, String)], name: &str, value: &str) {
    let slot = fields.iter_mut().find(|(n, _)| n == name).unwrap();
    slot.1 = value.to_owned();
}

fn run_id() -> String {
    let d = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    format!("{}-{}", d.as_secs(), d.subsec_nanos())
}

/// Prints and records one scenario; the test fails at the end if any failed.
struct Report {
    failures: Vec<String>,
    passed: usize,
}

impl Report {
    fn check(&mut self, name: &str, r: &Response, want: &[u16]) {
        if want.contains(&r.status) {
            println!("ok   {name}: {}", r.status);
            self.passed += 1;
        } else {
            let line = format!(
                "FAIL {name}: status {} (want {want:?}): {}",
                r.status,
                r.body_snippet()
            );
            println!("{line}");
            self.failures.push(line);
        }
    }
}

#[test]
fn post_policies_against_seaweedfs() {
    let Some(endpoint) = seaweedfs::endpoint() else {
        return;
    };
    let s3 = presigner(&endpoint);
    let id = run_id();
    let prefix = format!("post/{id}/");
    let mut report = Report {
        failures: Vec::new(),
        passed: 0,
    };
    let ttl = Duration::from_secs(300);
    let base = || {
        PostPolicyRequest::starts_with(prefix.clone())
            .with_ttl(ttl)
            .content_length_range(1, 64)
            .content_type_prefix("image/")
            .metadata("owner", "alice")
    };

    // 1. Within the limits: 204, and the object reads back with its type and metadata.
    let post = s3.presign_post_sync(&base()).unwrap();
    let key = format!("{prefix}ok.png");
    let mut fields = with_extra(&post, &[("Content-Type", "image/png")]);
    set(&mut fields, "key", &key);
    let r = post_form(&post, &fields, b"hello post policy");
    report.check("upload within limits", &r, &[200, 204]);
    let get = s3
        .presign_sync(&PresignRequest::new(
            Method::Get,
            ObjectKey::new(key.clone()).unwrap(),
        ))
        .unwrap();
    let r = send("GET", get.expose_url(), &[], &[]).unwrap();
    report.check("uploaded object reads back", &r, &[200]);
    assert_eq!(r.body, b"hello post policy", "body of {key}");
    assert_eq!(r.header("content-type"), Some("image/png"));
    assert_eq!(r.header("x-amz-meta-owner"), Some("alice"));

    // 2. ${filename} substitution under the prefix, success_action_status 201.
    let post = s3
        .presign_post_sync(&base().success_action_status(201))
        .unwrap();
    let fields = with_extra(&post, &[("Content-Type", "image/gif")]);
    let r = post_form(&post, &fields, b"gif");
    report.check("${filename} under the prefix, status 201", &r, &[201]);

    // 3. Exact key, exact Content-Type, Cache-Control and Content-Disposition.
    let exact_key = format!("{prefix}exact/a b+c.txt");
    let post = s3
        .presign_post_sync(
            &PostPolicyRequest::exact(ObjectKey::new(exact_key.clone()).unwrap())
                .with_ttl(ttl)
                .content_length_range(0, 100)
                .content_type("text/plain")
                .cache_control("max-age=60")
                .content_disposition("attachment; filename=\"a.txt\""),
        )
        .unwrap();
    let r = post_form(&post, post.expose_fields(), b"exact");
    report.check("exact key and fields", &r, &[200, 204]);

    // 4. Over the size range: 400 EntityTooLarge; under it: 400 EntityTooSmall.
    let post = s3.presign_post_sync(&base()).unwrap();
    let fields = with_extra(&post, &[("Content-Type", "image/png")]);
    let r = post_form(&post, &fields, &[b'x'; 65]);
    report.check("file over content-length-range", &r, &[400]);
    let r = post_form(&post, &fields, b"");
    report.check("file under content-length-range", &r, &[400]);

    // 5. Content-Type outside the allowed prefix; missing Content-Type.
    let fields = with_extra(&post, &[("Content-Type", "text/html")]);
    let r = post_form(&post, &fields, b"<html>");
    report.check("Content-Type outside the prefix", &r, &[403]);
    let r = post_form(&post, post.expose_fields(), b"x");
    report.check("Content-Type missing", &r, &[403]);

    // 6. Key outside the starts-with prefix (a sibling and a prefix look-alike).
    for outside in [
        format!("post/{id}-evil/x.png"),
        "other/x.png".to_owned(),
        format!("post/{id}"),
    ] {
        let mut fields = with_extra(&post, &[("Content-Type", "image/png")]);
        set(&mut fields, "key", &outside);
        let r = post_form(&post, &fields, b"x");
        report.check(&format!("key {outside} outside the prefix"), &r, &[403]);
    }

    // 7. Expired policy: signed an hour ago for one minute.
    let past = Timestamp::now()
        .checked_sub(Duration::from_secs(3600))
        .unwrap();
    let post_old = s3
        .presign_post_sync(&base().with_ttl(Duration::from_secs(60)).signed_at(past))
        .unwrap();
    let fields = with_extra(&post_old, &[("Content-Type", "image/png")]);
    let r = post_form(&post_old, &fields, b"x");
    report.check("expired policy", &r, &[403]);

    // 8. Tampered policy: a wider size range, re-encoded, with the old signature.
    let mut wider =
        presign_v4::post::PolicyDocument::new(post.expires_at(), post.conditions().to_vec());
    assert_eq!(wider.to_json(), post.policy_json());
    for c in &mut wider.conditions {
        if let presign_core::post_policy::Condition::ContentLengthRange { max, .. } = c {
            *max = 1 << 20;
        }
    }
    let mut fields = with_extra(&post, &[("Content-Type", "image/png")]);
    set(&mut fields, "policy", &wider.to_base64());
    let r = post_form(&post, &fields, &[b'x'; 100]);
    report.check("edited policy with the old signature", &r, &[403]);

    // 9. Tampered signature (one hex digit changed).
    let mut fields = with_extra(&post, &[("Content-Type", "image/png")]);
    let sig = post.expose_field("x-amz-signature").unwrap();
    let flipped = format!(
        "{}{}",
        if sig.starts_with('0') { '1' } else { '0' },
        &sig[1..]
    );
    set(&mut fields, "x-amz-signature", &flipped);
    let r = post_form(&post, &fields, b"x");
    report.check("edited signature", &r, &[403]);

    // 10. Changed metadata value; extra field not in the policy.
    let mut fields = with_extra(&post, &[("Content-Type", "image/png")]);
    set(&mut fields, "x-amz-meta-owner", "mallory");
    let r = post_form(&post, &fields, b"x");
    report.check("changed metadata value", &r, &[403]);
    let fields = with_extra(
        &post,
        &[("Content-Type", "image/png"), ("x-amz-meta-extra", "1")],
    );
    let r = post_form(&post, &fields, b"x");
    report.check("extra field not in the policy", &r, &[403]);

    // 11. Through the policy layer: POST allowed, a prefix rule, a 32-byte upload maximum.
    //     A request without a size range gets [0, 32]: a 33-byte file is refused, 32 pass.
    let layered = PolicyLayer::new(
        Policy::default()
            .with_key_prefixes([format!("post/{id}")])
            .with_max_upload_size(32)
            .dangerous()
            .allow_post()
            .finish(),
    )
    .unwrap()
    .layer(presigner(&endpoint));
    let post = futures_executor::block_on(
        layered.presign_post(&PostPolicyRequest::starts_with(format!("{prefix}layer/"))),
    )
    .unwrap();
    let r = post_form(&post, post.expose_fields(), &[b'y'; 33]);
    report.check("policy layer: over max_upload_size", &r, &[400]);
    let r = post_form(&post, post.expose_fields(), &[b'y'; 32]);
    report.check("policy layer: at max_upload_size", &r, &[200, 204]);
    let refused = futures_executor::block_on(
        layered.presign_post(&PostPolicyRequest::starts_with(format!("post/{id}-evil/"))),
    )
    .unwrap_err();
    assert_eq!(refused.kind(), "key_not_allowed", "{refused}");

    println!(
        "\nS3 POST policy scenarios against {endpoint}: {} passed, {} failed",
        report.passed,
        report.failures.len()
    );
    assert!(report.failures.is_empty(), "{:#?}", report.failures);
}
