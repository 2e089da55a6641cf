//! `presign inspect`: URLs from `presign url` (the `dev` profile) decoded as text and JSON,
//! stdin input, `--fail-on`, inputs that are not signed URLs, and no configuration needed.

use presign_tests::sigv4_reference::dev_get_url;
use serde_json::Value;

use crate::{ACCESS_KEY, NOW, run, run_env};

#[test]
fn decodes_a_dev_profile_url() {
    let url = dev_get_url("reports/q4 summary.pdf");
    let out = run(&["inspect", "--now", "2024-01-02T03:05:05Z", &url]);
    let text = out.ok();
    for line in [
        "provider:       s3 SigV4 (AWS4-HMAC-SHA256)",
        "host:           http://127.0.0.1:8333",
        "bucket:         presign-test",
        "object:         reports/q4 summary.pdf",
        "signed at:      2024-01-02T03:04:05Z",
        "expires at:     2024-01-02T03:09:05Z (4m left)",
        "lifetime:       5m",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
    assert!(
        text.contains(&format!("aws-long-term-key {ACCESS_KEY}")),
        "{text}"
    );
    assert!(text.contains("X-Amz-Signature=REDACTED"), "{text}");
    let signature = url.rsplit_once('=').unwrap().1;
    assert!(!text.contains(signature), "the signature is never printed");
    // Loopback over http is not flagged; the long-term dev key is.
    assert!(!text.contains("insecure-http"), "{text}");
    assert!(text.contains("warning[long-term-key-id]"), "{text}");
}

#[test]
fn json_lines_from_stdin() {
    let input = format!(
        "{}\n\n{}\nhttps://example.com/?a=b\n",
        dev_get_url("a.txt"),
        dev_get_url("b.txt")
    );
    let out = run_env(&["inspect", "--json", "--now", NOW], &[], &input);
    assert_eq!(out.code, 4, "one input is not a signed URL: {}", out.stderr);
    let lines: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["provider"], "s3");
    assert_eq!(lines[0]["object"], "a.txt");
    assert_eq!(lines[1]["object"], "b.txt");
    assert_eq!(lines[0]["remaining_secs"], 300);
    assert_eq!(lines[0]["credential"]["key_id"], ACCESS_KEY);
    assert!(
        lines[0]["url"]
            .as_str()
            .unwrap()
            .ends_with("X-Amz-Signature=REDACTED")
    );
    assert_eq!(lines[2]["error"]["kind"], "not_signed");
    assert_eq!(lines[2]["url"], "https://example.com/?a=b");
}

#[test]
fn fail_on_sets_the_exit_code() {
    let url = dev_get_url("a.txt");
    // long-term-key-id is a warning; nothing reaches error.
    assert_eq!(run(&["inspect", "--now", NOW, &url]).code, 0);
    assert_eq!(
        run(&["inspect", "--now", NOW, "--fail-on", "error", &url]).code,
        0
    );
    assert_eq!(
        run(&["inspect", "--now", NOW, "--fail-on", "warning", &url]).code,
        6
    );
    let out = run(&["inspect", "--fail-on", "maybe", &url]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("--fail-on"), "{}", out.stderr);
}

#[test]
fn bad_inputs_say_what_is_wrong() {
    let truncated = dev_get_url("a.txt");
    let truncated = &truncated[..truncated.find("&X-Amz-Expires").unwrap()];
    let out = run(&["inspect", truncated, "not a url"]);
    assert_eq!(out.code, 4);
    assert!(
        out.stdout
            .contains("error[malformed]: S3 SigV4 URL with a bad X-Amz-Expires: missing"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("error[not_a_url]"), "{}", out.stdout);
    // An over-long line is reported, not decoded, and the next line still is.
    let long = format!("https://h/{}\n{}\n", "a".repeat(70_000), dev_get_url("z"));
    let out = run_env(&["inspect", "--json", "--now", NOW], &[], &long);
    let lines: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert_eq!(lines[0]["error"]["kind"], "not_a_url");
    assert_eq!(lines[1]["object"], "z");
}

#[test]
fn needs_no_configuration() {
    let env = [("PRESIGN_CONFIG", "/nonexistent/presign.toml")];
    let out = run_env(&["inspect", "--now", NOW, &dev_get_url("a")], &env, "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = run_env(&["redact"], &env, "?sig=abc\n");
    assert_eq!(out.ok(), "?sig=REDACTED\n");
}
