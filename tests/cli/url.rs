//! `presign url` with the embedded `dev` profile: the URL against an independent SigV4
//! signature, `--json` and `--explain`, `--curl` quoting, refusals and exit codes, and the IP
//! constraint refused strictly or dropped best-effort.

use presign_tests::sigv4_reference::dev_get_url;
use serde_json::Value;

use crate::fixtures::{multi_cloud_config, run_multi};
use crate::{NOW, run};

#[test]
fn url_with_now_matches_an_independent_sigv4_signature() {
    for key in [
        "a.txt",
        "reports/q4 summary (final).pdf",
        "ünï/çødé+100%.bin",
    ] {
        let out = run(&["url", "GET", key, "--now", NOW]);
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert_eq!(out.stdout.trim_end(), dev_get_url(key), "{key}");
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
    let v = out.ok_json();
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
    let line = out.ok().trim_end();
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
fn ip_is_refused_strictly_on_s3_and_dropped_best_effort() {
    let out = run(&["url", "GET", "a", "--ip", "10.0.0.0/8", "--now", NOW]);
    assert_eq!(out.code, 4);
    assert!(
        out.stderr
            .starts_with("presign: error[constraint_not_enforced]: ")
            && out.stderr.contains("client-ip")
            && out.stderr.contains("dev"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let file = multi_cloud_config(dir.path());
    let out = run_multi(
        &file,
        &[
            "url",
            "--provider",
            "s3loose",
            "GET",
            "a",
            "--ip",
            "10.0.0.0/8",
            "--https-only",
            "--now",
            NOW,
            "--json",
        ],
        "",
    );
    let v = out.ok_json();
    let dropped: Vec<&str> = v["dropped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert!(dropped.contains(&"client-ip-v4"), "{dropped:?}");
    assert!(
        v["url"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:8333/presign-test/a?"),
        "{v}"
    );
}
