//! `presign verify` with the `dev` profile's credentials on URLs from `presign url`: valid for
//! the request that made it, and each single-field change named (method, header value, missing
//! header, re-encoded path, time window, key, altered URL), with exit code 6.

use serde_json::Value;

use crate::{NOW, run};

fn signed_put() -> String {
    let out = run(&[
        "url",
        "PUT",
        "up/a b.png",
        "--content-type",
        "image/png",
        "--now",
        NOW,
    ]);
    out.ok().trim_end().to_owned()
}

const INSIDE: &str = "2024-01-02T03:05:00Z";

fn verdict(url: &str, extra: &[&str]) -> (i32, String) {
    let mut args = vec!["verify", url, "--now", INSIDE];
    args.extend_from_slice(extra);
    let out = run(&args);
    (out.code, out.stdout)
}

#[test]
fn valid_for_the_request_that_made_it() {
    let url = signed_put();
    let (code, text) = verdict(
        &url,
        &["--method", "PUT", "--header", "Content-Type: image/png"],
    );
    assert_eq!(code, 0, "{text}");
    assert_eq!(
        text,
        "valid until 2024-01-02T03:09:05Z, for PUT with these headers: content-type\n"
    );
    let out = run(&[
        "verify",
        &url,
        "--now",
        INSIDE,
        "--method",
        "PUT",
        "--header",
        "content-type:image/png",
        "--json",
    ]);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        (v["valid"].as_bool(), v["provider"].as_str()),
        (Some(true), Some("dev"))
    );
    assert!(
        !out.stdout.contains(url.rsplit_once('=').unwrap().1),
        "no signature printed"
    );
}

#[test]
fn each_change_is_named() {
    let url = signed_put();
    let ct = ["--header", "content-type:image/png"];
    fn put<'a>(extra: &[&'a str]) -> Vec<&'a str> {
        [&["--method", "PUT"], extra].concat()
    }
    for (case, url, args, part) in [
        (
            "method",
            url.clone(),
            ct.to_vec(),
            "invalid (method): the URL was signed for PUT, not GET",
        ),
        (
            "header",
            url.clone(),
            put(&["--header", "content-type:image/gif"]),
            "invalid (header): header content-type",
        ),
        ("missing", url.clone(), put(&[]), "invalid (missing-header)"),
        (
            "path",
            url.replace("a%20b", "a+b"),
            put(&ct),
            "invalid (canonical-path)",
        ),
        (
            "key",
            url.replace("AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7OTHERKY"),
            put(&ct),
            "invalid (key)",
        ),
        (
            "url",
            url.replace("X-Amz-Expires=300", "X-Amz-Expires=900"),
            put(&ct),
            "invalid (header)",
        ),
    ] {
        let (code, text) = verdict(&url, &args);
        assert_eq!(code, 6, "{case}: {text}");
        assert!(text.starts_with(part), "{case}: {text}");
    }
    let out = run(&[
        "verify",
        &url,
        "--now",
        "2024-01-02T03:09:05Z",
        "--method",
        "PUT",
        "--header",
        "content-type:image/png",
    ]);
    assert_eq!(out.code, 6);
    assert!(out.stdout.starts_with("invalid (time-window): the signature is right, but the URL expired at 2024-01-02T03:09:05Z"), "{}", out.stdout);
    // A GET signs no header: a changed URL is "the URL itself".
    let get = run(&["url", "GET", "k", "--now", NOW])
        .ok()
        .trim_end()
        .to_owned();
    let (code, text) = verdict(&get.replace("/k?", "/j?"), &[]);
    assert_eq!(code, 6);
    assert!(text.starts_with("invalid (signature)"), "{text}");
}

#[test]
fn not_a_signed_url_is_exit_4() {
    let out = run(&["verify", "https://example.com/?a=1"]);
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("not a signed URL"), "{}", out.stderr);
}
