#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]
//! The `presign` command, run in-process through `presign_cli::run_with_env` (with a fixed,
//! empty environment, so the embedded `dev` profile applies) and once as the real binary.
//!
//! The dev-profile URL is checked against a signature recomputed here from the SigV4
//! specification with `hmac` and `sha2` alone, not with presign's code.

use std::io::Cursor;
use std::path::PathBuf;

use hmac::{Hmac, Mac};
use presign_config::Environment;
use serde_json::Value;
use sha2::{Digest, Sha256};

const ACCESS_KEY: &str = "AKIAIOSFODNN7EXAMPLE";
const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const NOW: &str = "2024-01-02T03:04:05Z";

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_env(args: &[&str], env: &[(&str, &str)], stdin: &str) -> Out {
    let mut input = Cursor::new(stdin.as_bytes().to_vec());
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let env = Environment::from_pairs(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let mut argv = vec!["presign"];
    argv.extend_from_slice(args);
    let code = presign_cli::run_with_env(argv, env, &mut input, &mut stdout, &mut stderr);
    Out {
        code,
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    }
}

fn run(args: &[&str]) -> Out {
    run_env(args, &[], "")
}

// ---- SigV4 from the specification, independently of presign ----

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut m = Hmac::<Sha256>::new_from_slice(key).unwrap();
    m.update(data.as_bytes());
    m.finalize().into_bytes().to_vec()
}

/// RFC 3986 percent-encoding of everything but unreserved characters (and `/` when asked).
fn uri_encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b'/' if keep_slash => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The URL the dev profile must produce for a plain GET of `key` at `NOW`, 300 s.
fn expected_dev_get_url(key: &str) -> String {
    let (date, time) = ("20240102", "20240102T030405Z");
    let scope = format!("{date}/us-east-1/s3/aws4_request");
    let path = format!("/presign-test/{}", uri_encode(key, true));
    let mut params = [
        ("X-Amz-Algorithm", "AWS4-HMAC-SHA256".to_string()),
        ("X-Amz-Credential", format!("{ACCESS_KEY}/{scope}")),
        ("X-Amz-Date", time.to_string()),
        ("X-Amz-Expires", "300".to_string()),
        ("X-Amz-SignedHeaders", "host".to_string()),
    ];
    params.sort();
    let query = params
        .iter()
        .map(|(k, v)| format!("{}={}", uri_encode(k, false), uri_encode(v, false)))
        .collect::<Vec<_>>()
        .join("&");
    let canonical = format!("GET\n{path}\n{query}\nhost:127.0.0.1:8333\n\nhost\nUNSIGNED-PAYLOAD");
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{time}\n{scope}\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let mut key_bytes = hmac(format!("AWS4{SECRET_KEY}").as_bytes(), date);
    for part in ["us-east-1", "s3", "aws4_request"] {
        key_bytes = hmac(&key_bytes, part);
    }
    let signature = hex::encode(hmac(&key_bytes, &string_to_sign));
    format!("http://127.0.0.1:8333{path}?{query}&X-Amz-Signature={signature}")
}

// ---- url ----

#[test]
fn url_with_now_matches_an_independent_sigv4_signature() {
    for key in [
        "a.txt",
        "reports/q4 summary (final).pdf",
        "ünï/çødé+100%.bin",
    ] {
        let out = run(&["url", "GET", key, "--now", NOW]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert_eq!(out.stdout.trim_end(), expected_dev_get_url(key), "{key}");
        assert!(out.stderr.is_empty(), "{}", out.stderr);
        // Deterministic.
        assert_eq!(run(&["url", "GET", key, "--now", NOW]).stdout, out.stdout);
    }
}

#[test]
fn url_json_shape() {
    let out = run(&[
        "url",
        "PUT",
        "uploads/cat.png",
        "--content-type",
        "image/png",
        "--content-length",
        "1234",
        "--now",
        NOW,
        "--expires-in",
        "2m",
        "--json",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["method"], "PUT");
    assert_eq!(v["provider"], "dev");
    assert_eq!(v["expires_at"], "2024-01-02T03:06:05Z");
    assert_eq!(v["signed_at"], NOW);
    assert_eq!(v["headers"]["content-type"], "image/png");
    assert_eq!(v["headers"]["content-length"], "1234");
    assert_eq!(v["dropped"], Value::Array(vec![]));
    let url = v["url"].as_str().unwrap();
    assert!(
        url.starts_with("http://127.0.0.1:8333/presign-test/uploads/cat.png?"),
        "{url}"
    );
    assert!(url.contains("X-Amz-Expires=120"), "{url}");

    // --explain inside the JSON.
    let out = run(&["url", "GET", "a", "--now", NOW, "--json", "--explain"]);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["explain"]["algorithm"], "AWS4-HMAC-SHA256");
    assert!(
        v["explain"]["canonical_request"]
            .as_str()
            .unwrap()
            .starts_with("GET\n/presign-test/a\n")
    );
    assert!(
        v["explain"]["string_to_sign"]
            .as_str()
            .unwrap()
            .contains("20240102/us-east-1/s3/aws4_request")
    );
}

#[test]
fn url_curl_is_safely_quoted() {
    let key = "up/it's $(x) `y`.png";
    let out = run(&[
        "url",
        "PUT",
        key,
        "--content-type",
        "image/png",
        "--now",
        NOW,
        "--curl",
    ]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let line = out.stdout.trim_end();
    assert!(line.starts_with("curl --fail --upload-file "), "{line}");
    // Let a real shell split the words: each comes back intact.
    let script = line.replacen("curl", "printf '%s\\n'", 1);
    let shell = std::process::Command::new("sh")
        .arg("-c")
        .arg(&script)
        .output()
        .unwrap();
    let words: Vec<String> = String::from_utf8(shell.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(words[0], "--fail");
    assert_eq!(
        words[1..3],
        ["--upload-file".to_string(), "it's $(x) `y`.png".to_string()]
    );
    assert!(
        words.contains(&"content-type: image/png".to_string()),
        "{words:?}"
    );
    let url = words.last().unwrap();
    assert!(
        url.starts_with("http://127.0.0.1:8333/presign-test/up/it%27s%20%24%28x%29%20%60y%60.png?"),
        "{url}"
    );
    // GET downloads to the key's file name.
    let out = run(&["url", "GET", "dir/report.pdf", "--curl"]);
    assert!(
        out.stdout
            .starts_with("curl --fail --output 'report.pdf' 'http://"),
        "{}",
        out.stdout
    );
}

#[test]
fn refusals_and_exit_codes() {
    // DELETE is refused by the default policy.
    let out = run(&["url", "DELETE", "a"]);
    assert_eq!(out.code, 4);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr
            .starts_with("presign: error[method_not_allowed]: "),
        "{}",
        out.stderr
    );
    assert_eq!(out.stderr.lines().count(), 1);
    // S3 cannot enforce an IP restriction: strict policy refuses.
    let out = run(&["url", "GET", "a", "--ip", "10.0.0.0/8"]);
    assert_eq!(out.code, 4);
    assert!(
        out.stderr.contains("error[constraint_not_enforced]")
            && out.stderr.contains("client-ip-v4"),
        "{}",
        out.stderr
    );
    // Invalid input.
    for args in [
        &["url", "GET", "a", "--expires-in", "5x"][..],
        &["url", "PATCH", "a"][..],
        &["url", "GET", "a", "--now", "yesterday"][..],
        &["url", "GET", "a", "--header", "novalue"][..],
    ] {
        let out = run(args);
        assert_eq!(out.code, 4, "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.starts_with("presign: error[invalid_input]: "),
            "{}",
            out.stderr
        );
    }
    // Configuration.
    let out = run(&["url", "--provider", "prod", "GET", "a"]);
    assert_eq!(out.code, 3);
    assert!(
        out.stderr.contains("error[config]") && out.stderr.contains("providers.prod"),
        "{}",
        out.stderr
    );
    let out = run(&["--config", "/nonexistent/presign.toml", "url", "GET", "a"]);
    assert_eq!(out.code, 3, "{}", out.stderr);
    // Usage.
    let out = run(&["url", "GET"]);
    assert_eq!(out.code, 2);
    let out = run(&["url", "GET", "a", "--json", "--curl"]);
    assert_eq!(out.code, 2);
    // Help documents the exit codes.
    let out = run(&["--help"]);
    assert_eq!(out.code, 0);
    assert!(
        out.stdout.contains("Exit codes:") && out.stdout.contains("4  request refused"),
        "{}",
        out.stdout
    );
}

#[test]
fn config_file_and_environment() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("presign.toml");
    std::fs::write(
        &file,
        r#"
        default_provider = "media"
        [policy]
        max_ttl = "10m"
        [providers.media]
        kind = "s3"
        bucket = "media-bkt"
        region = "eu-west-1"
        access_key_id = "AKIDMEDIA"
        secret_access_key_env = "MEDIA_SECRET"
        [providers.media.policy]
        allow_methods = ["GET", "DELETE"]
        on_excess_ttl = "reject"
        "#,
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let env = [("MEDIA_SECRET", "media-secret-value")];
    let out = run_env(
        &["--config", path, "url", "DELETE", "old/x", "--now", NOW],
        &env,
        "",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("https://media-bkt.s3.eu-west-1.amazonaws.com/old/x?"),
        "{}",
        out.stdout
    );
    // Top-level max_ttl with the provider's reject mode.
    let out = run_env(
        &["--config", path, "url", "GET", "x", "--expires-in", "11m"],
        &env,
        "",
    );
    assert_eq!(out.code, 4, "{}", out.stderr);
    assert!(out.stderr.contains("error[invalid_ttl]"), "{}", out.stderr);
    // The secret's variable is missing: a configuration error naming the path.
    let out = run_env(&["--config", path, "url", "GET", "x"], &[], "");
    assert_eq!(out.code, 3);
    assert!(
        out.stderr.contains("providers.media.secret_access_key_env"),
        "{}",
        out.stderr
    );
    // PRESIGN_CONFIG and PRESIGN_ overrides.
    let env2 = [
        ("PRESIGN_CONFIG", path),
        ("MEDIA_SECRET", "media-secret-value"),
        ("PRESIGN_PROVIDERS__MEDIA__BUCKET", "env-bkt"),
    ];
    let out = run_env(&["url", "GET", "x"], &env2, "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .starts_with("https://env-bkt.s3.eu-west-1.amazonaws.com/x?"),
        "{}",
        out.stdout
    );
    // A bad value in the file: exit 3 with the path.
    std::fs::write(&file, "[providers.prod]\nkind = \"s3\"\nbucket = \"bkt\"\n[providers.prod.policy]\nmax_ttl = \"15x\"\n").unwrap();
    let out = run(&["--config", path, "providers"]);
    assert_eq!(out.code, 3);
    assert!(
        out.stderr
            .contains(r#"providers.prod.policy.max_ttl: "15x" is not a duration"#),
        "{}",
        out.stderr
    );
}

#[test]
fn providers_lists_capabilities_and_policy() {
    let out = run(&["providers"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.starts_with("dev [default]  (kind s3)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("max_ttl           15m"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("client-ip-v4"), "{}", out.stdout);
    let out = run(&["providers", "--json"]);
    let v: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v[0]["name"], "dev");
    assert_eq!(v[0]["policy"]["max_ttl_secs"], 900);
    assert_eq!(
        v[0]["policy"]["allow_methods"],
        serde_json::json!(["GET", "HEAD", "PUT"])
    );
    assert_eq!(v[0]["constraints"]["content-type"], "enforced");
    assert_eq!(v[0]["constraints"]["client-ip-v4"], "unsupported");
}

// ---- batch ----

#[test]
fn batch_answers_every_line_in_order() {
    let inline = r#"{"kind":"s3","bucket":"inline-bkt","region":"eu-west-1","access_key_id":"AKIDINLINE","secret_access_key":"inline-secret-value","policy":{"constraints":"best-effort"}}"#;
    let input = [
        format!(r#"{{"id":1,"provider":"dev","method":"GET","key":"a.txt","now":"{NOW}"}}"#),
        "this is not json".to_string(),
        r#"{"id":"del","provider":"dev","method":"DELETE","key":"a"}"#.to_string(),
        String::new(),
        format!(r#"{{"id":{{"n":4}},"provider":{inline},"method":"PUT","key":"k","content_type":"text/plain","ip":"10.0.0.1","expires_in":"2m","now":"{NOW}"}}"#),
        r#"{"id":5,"provider":"dev","method":"GET"}"#.to_string(),
        r#"{"id":6,"provider":"nope","method":"GET","key":"a"}"#.to_string(),
        format!(r#"{{"id":7,"provider":{inline},"method":"GET","key":"k2","now":"{NOW}","expires_in":60}}"#),
        r#"{"id":8,"provider":"dev","method":"GET","key":"a","expires_in":"soon"}"#.to_string(),
    ]
    .join("\n");
    let out = run_env(&["batch"], &[], &input);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 8, "{}", out.stdout);
    let ids: Vec<Value> = lines.iter().map(|l| l["id"].clone()).collect();
    assert_eq!(
        ids,
        vec![
            Value::from(1),
            Value::Null,
            Value::from("del"),
            serde_json::json!({"n": 4}),
            Value::from(5),
            Value::from(6),
            Value::from(7),
            Value::from(8)
        ]
    );
    assert_eq!(
        lines[0]["url"].as_str().unwrap(),
        expected_dev_get_url("a.txt")
    );
    assert_eq!(lines[0]["method"], "GET");
    assert_eq!(lines[0]["expires_at"], "2024-01-02T03:09:05Z");
    assert_eq!(lines[0]["headers"], serde_json::json!({}));
    assert!(lines[0].get("dropped").is_none());
    assert_eq!(lines[1]["error"]["kind"], "parse");
    assert_eq!(lines[2]["error"]["kind"], "method_not_allowed");
    assert!(
        lines[3]["url"]
            .as_str()
            .unwrap()
            .starts_with("https://inline-bkt.s3.eu-west-1.amazonaws.com/k?")
    );
    assert_eq!(lines[3]["headers"]["content-type"], "text/plain");
    assert_eq!(lines[3]["dropped"], serde_json::json!(["client-ip-v4"]));
    assert_eq!(lines[3]["expires_at"], "2024-01-02T03:06:05Z");
    assert_eq!(lines[4]["error"]["kind"], "parse");
    assert!(
        lines[4]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("key")
    );
    assert_eq!(lines[5]["error"]["kind"], "config");
    assert_eq!(lines[6]["expires_at"], "2024-01-02T03:05:05Z");
    assert_eq!(lines[7]["error"]["kind"], "invalid_input");
    // Empty input: nothing out, success.
    let out = run_env(&["batch"], &[], "");
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
}

// ---- secrets ----

#[test]
fn no_secret_in_any_output() {
    let token = "SESSION-TOKEN-VALUE-123";
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("presign.toml");
    std::fs::write(
        &file,
        format!(
            r#"
            [providers.tmp]
            kind = "s3"
            bucket = "tmp-bkt"
            region = "us-east-1"
            access_key_id = "ASIAEXAMPLE"
            secret_access_key = "{SECRET_KEY}"
            session_token = "{token}"
            "#
        ),
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let batch_in = format!(
        "{}\n{{\"id\":2,\"provider\":{{\"kind\":\"s3\",\"bucket\":\"bkt\",\"secret_access_key\":\"{SECRET_KEY}\",\"session_token\":\"{token}\",\"access_key_id\":\"A\",\"bogus\":1}},\"method\":\"GET\",\"key\":\"k\"}}\n",
        r#"{"id":1,"provider":"tmp","method":"GET","key":"k"}"#,
    );
    let runs = [
        run(&["url", "GET", "k", "--now", NOW]),
        run(&["url", "GET", "k", "--json", "--explain"]),
        run(&["url", "GET", "k", "--explain", "--curl"]),
        run(&["url", "DELETE", "k"]),
        run(&["providers"]),
        run(&["providers", "--json"]),
        run_env(&["--config", path, "url", "GET", "k", "--explain"], &[], ""),
        run_env(
            &["--config", path, "url", "GET", "k", "--ip", "1.2.3.4"],
            &[],
            "",
        ),
        run_env(&["--config", path, "providers", "--json"], &[], ""),
        run_env(&["--config", path, "batch"], &[], &batch_in),
    ];
    for (i, out) in runs.iter().enumerate() {
        let all = format!("{}\n{}", out.stdout, out.stderr);
        assert!(
            !all.contains(SECRET_KEY),
            "run {i} leaked the secret key: {all}"
        );
        assert!(
            !out.stderr.contains(token),
            "run {i} leaked the token on stderr: {}",
            out.stderr
        );
        // The token may only appear inside a signed URL the user asked for.
        for line in out.stdout.lines().filter(|l| l.contains(token)) {
            assert!(
                line.contains(&format!("X-Amz-Security-Token={token}"))
                    && !line.contains("string_to_sign"),
                "run {i}: token outside a URL: {line}"
            );
        }
    }
    // The batch's inline-provider error names the bad field, not the values.
    assert!(runs[9].stdout.contains("bogus"), "{}", runs[9].stdout);
}

// ---- the real binary ----

/// `target/<profile>/presign`, next to this test's `deps/` directory.
fn binary() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let dir = exe.parent()?.parent()?;
    let bin = dir.join(format!("presign{}", std::env::consts::EXE_SUFFIX));
    bin.is_file().then_some(bin)
}

#[test]
fn the_binary_signs_and_reports_exit_codes() {
    let Some(bin) = binary() else {
        eprintln!(
            "skipped: build the binary first (cargo build -p presign-cli); crates/presign-cli/tests/binary.rs always runs it"
        );
        return;
    };
    let out = std::process::Command::new(&bin)
        .args(["url", "GET", "a.txt", "--now", NOW])
        .env_remove("PRESIGN_CONFIG")
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim_end(),
        expected_dev_get_url("a.txt")
    );
    let out = std::process::Command::new(&bin)
        .args(["url", "DELETE", "a.txt"])
        .env_remove("PRESIGN_CONFIG")
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
}
