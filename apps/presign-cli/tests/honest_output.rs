#![cfg(test)] // all test code: clippy.toml's allow-*-in-tests cover its helpers too
//! Issue 8, item 4 (honest output): a best-effort drop was reported only in `--json`, and
//! `url GET x --expires-in 2h` printed a 15-minute URL without a word. Now plain and `--curl`
//! output warn on stderr, and `--json` says requested vs granted.

mod support;

use std::process::{Command, Stdio};

use support::{attacked_config, param, run, warning};

const LOOSE: &str = "[providers.loose]\nkind = \"s3\"\nbucket = \"corp-bucket\"\nregion = \"eu-west-1\"\naccess_key_id = \"AKIAIOSFODNN7EXAMPLE\"\nsecret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"\n[providers.loose.policy]\nconstraints = \"best-effort\"\n";

#[test]
fn best_effort_drops_are_said_on_stderr_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let config = attacked_config(dir.path(), LOOSE);
    let cfg = config.to_str().unwrap();
    for format in [None, Some("--curl"), Some("--json")] {
        let mut args = vec![
            "--config",
            cfg,
            "url",
            "--provider",
            "loose",
            "GET",
            "uploads/alice/a.txt",
            "--ip",
            "203.0.113.0/24",
            "--https-only",
        ];
        args.extend(format);
        let out = run(&args, &[], b"");
        assert_eq!(out.code, 0, "{}", out.stderr);
        let warning = warning(&out.stderr, "dropped");
        assert!(
            warning.contains("client-ip-v4") && warning.contains("https-only"),
            "{warning}"
        );
        // The URL itself binds neither.
        assert!(!out.stdout.contains("203.0.113"), "{}", out.stdout);
    }
}

#[test]
fn a_clamped_ttl_is_said_on_stderr_and_in_json() {
    let dir = tempfile::tempdir().unwrap();
    let config = attacked_config(dir.path(), "");
    let cfg = config.to_str().unwrap();
    let base = [
        "--config",
        cfg,
        "url",
        "GET",
        "uploads/alice/x",
        "--expires-in",
        "2h",
    ];
    let out = run(&base, &[], b"");
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        param(out.stdout.trim(), "X-Amz-Expires").as_deref(),
        Some("900")
    );
    let warning = warning(&out.stderr, "ttl_clamped");
    assert!(
        warning.contains("2h")
            && warning.contains("15m")
            && warning.contains("(the policy's max_ttl)"),
        "{warning}"
    );
    let mut json = base.to_vec();
    json.push("--json");
    let out = run(&json, &[], b"");
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["requested_ttl_secs"], 7200);
    assert_eq!(v["granted_ttl_secs"], 900);
    assert_eq!(v["ttl_shortened_by"], "policy_max_ttl");
    assert!(
        out.stderr.contains("warning[ttl_clamped]"),
        "{}",
        out.stderr
    );
    // Nothing to say when the request is granted in full.
    let out = run(
        &[
            "--config",
            cfg,
            "url",
            "GET",
            "uploads/alice/x",
            "--expires-in",
            "10m",
        ],
        &[],
        b"",
    );
    assert_eq!((out.code, out.stderr.as_str()), (0, ""));
}

#[test]
fn a_clamped_form_is_said_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let config = attacked_config(dir.path(), "");
    let out = run(
        &[
            "--config",
            config.to_str().unwrap(),
            "post",
            "--provider",
            "s3post",
            "uploads/alice/",
            "--prefix",
            "--expires-in",
            "1d",
        ],
        &[],
        b"",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("warning[ttl_clamped]: requested time-to-live 1d, granted 15m"),
        "{}",
        out.stderr
    );
}

/// `url --explain` with stdout and stderr on one file: the URL is a line of its own, then the
/// explanation.
#[test]
fn explain_never_runs_into_the_url() {
    let dir = tempfile::tempdir().unwrap();
    let both = dir.path().join("both.txt");
    let file = std::fs::File::create(&both).unwrap();
    let status = Command::new(env!("CARGO_BIN_EXE_presign"))
        .args(["url", "GET", "a.txt", "--explain"])
        .env_remove("PRESIGN_CONFIG")
        .current_dir(dir.path())
        .stdin(Stdio::null())
        .stdout(file.try_clone().unwrap())
        .stderr(file)
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(&both).unwrap();
    let mut lines = text.lines();
    let url = lines.next().unwrap();
    assert!(
        url.starts_with("http://127.0.0.1:8333/presign-test/a.txt?")
            && url.ends_with(&format!(
                "X-Amz-Signature={}",
                param(url, "X-Amz-Signature").unwrap()
            )),
        "{text}"
    );
    assert_eq!(
        lines.next(),
        Some("# algorithm: AWS4-HMAC-SHA256"),
        "{text}"
    );
    assert!(text.ends_with('\n'));
}
