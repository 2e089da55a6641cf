#![cfg(test)] // all test code: clippy.toml's allow-*-in-tests cover its helpers too
//! Issue 8, item 4 (honest output): a best-effort drop was reported only in `--json`, and
//! `url GET x --expires-in 2h` printed a 15-minute URL without a word. Now plain and `--curl`
//! output warn on stderr, and `--json` says requested vs granted. Likewise an S3 or GCS key with
//! a `.` or `..` segment was signed as written and reported as success, though HTTP clients
//! remove such segments before sending, so the URL could only be refused.

mod support;

use std::process::{Command, Stdio};

use support::{attacked_config, clock_now, param, rfc3339_from_now, run, validity, warning};

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

/// Providers that sign any key (no prefix rule, whose segment checks would refuse first).
const ANY_KEY: &str = "[providers.s3any]\nkind = \"s3\"\nbucket = \"corp-bucket\"\nregion = \"eu-west-1\"\naccess_key_id = \"AKIAIOSFODNN7EXAMPLE\"\nsecret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"\n[providers.s3any.policy]\nany_key = true\n[providers.gcsany]\nkind = \"gcs\"\nbucket = \"corp-bucket\"\nhmac_access_id = \"GOOG1EEXAMPLEHMACACCESSID\"\nhmac_secret = \"gcs-hmac-secret-value-123\"\n[providers.gcsany.policy]\nany_key = true\n";

/// curl and browsers rewrite `a/../b` to `b` (RFC 3986 section 5.2.4) before sending, so an
/// S3 or GCS URL signed for the literal path can only get a 403: refused, saying why.
#[test]
fn dot_segments_in_s3_and_gcs_keys_are_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let config = attacked_config(dir.path(), ANY_KEY);
    let cfg = config.to_str().unwrap();
    for provider in ["s3any", "gcsany"] {
        for key in [
            "a/../b",
            "a/./b",
            "./a",
            "a/..",
            "reports/2024/../../secret.txt",
        ] {
            for method in ["GET", "PUT"] {
                let out = run(
                    &["--config", cfg, "url", "--provider", provider, method, key],
                    &[],
                    b"",
                );
                let case = format!("{provider} {method} {key}");
                assert_eq!(out.code, 4, "{case}: signed {}", out.stdout);
                assert!(out.stdout.is_empty(), "{case}: {}", out.stdout);
                assert!(
                    out.stderr.starts_with("presign: error[invalid_key]: ")
                        && out.stderr.contains("'.' or '..' segment")
                        && out.stderr.contains("HTTP clients remove such segments"),
                    "{case}: {}",
                    out.stderr
                );
            }
        }
        // Dots inside a segment are ordinary names and still sign.
        let out = run(
            &[
                "--config",
                cfg,
                "url",
                "--provider",
                provider,
                "GET",
                "a/.b/..c/d..",
            ],
            &[],
            b"",
        );
        assert_eq!(out.code, 0, "{provider}: {}", out.stderr);
        assert!(out.stdout.contains("/a/.b/..c/d..?"), "{}", out.stdout);
    }
}

/// Temporary credentials whose expiry the configuration states (`session_token_expires_at`):
/// 15 minutes asked 2 minutes before they expire gives a URL that ends with them, and says so;
/// `on_excess_ttl = "reject"` refuses; credentials already expired sign nothing.
#[test]
fn a_session_tokens_stated_expiry_bounds_the_url() {
    let dir = tempfile::tempdir().unwrap();
    let expires = rfc3339_from_now(120);
    let temp = |name: &str, at: &str, policy: &str| {
        format!(
            "[providers.{name}]\nkind = \"s3\"\nbucket = \"corp-bucket\"\nregion = \"eu-west-1\"\naccess_key_id = \"ASIAIOSFODNN7EXAMPLE\"\nsecret_access_key = \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"\nsession_token = \"FwoGZXIvYXdzEXAMPLESESSIONTOKEN\"\nsession_token_expires_at = \"{at}\"\n[providers.{name}.policy]\n{policy}\n"
        )
    };
    let extra = [
        temp("temp", &expires, ""),
        temp("strict", &expires, "on_excess_ttl = \"reject\""),
        temp("expired", &rfc3339_from_now(-60), ""),
    ]
    .concat();
    let config = attacked_config(dir.path(), &extra);
    let cfg = config.to_str().unwrap();
    let args = |provider| {
        vec![
            "--config",
            cfg,
            "url",
            "--provider",
            provider,
            "GET",
            "uploads/alice/report.pdf",
            "--expires-in",
            "15m",
        ]
    };
    let before = clock_now();
    let out = run(&args("temp"), &[], b"");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let url = out.stdout.trim();
    // By the URL as S3 reads it: it ends when the credentials do, not 15 minutes later.
    let (_, url_expires) = validity(url);
    let stated = support::unix(&expires);
    assert!(
        url_expires <= stated && url_expires >= before + 60,
        "expires {url_expires}, credentials {stated}: {url}"
    );
    let warning = warning(&out.stderr, "ttl_clamped");
    assert!(
        warning.starts_with("presign: warning[ttl_clamped]: requested time-to-live 15m, granted ")
            && warning.ends_with(&format!("(the signing credentials expire at {expires})")),
        "{warning}"
    );
    let mut json = args("temp");
    json.push("--json");
    let out = run(&json, &[], b"");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["ttl_shortened_by"], "credential_expiry", "{v}");
    assert_eq!(v["requested_ttl_secs"], 900);
    let granted = v["granted_ttl_secs"].as_i64().unwrap();
    assert!((1..=120).contains(&granted), "{v}");
    assert!(
        out.stderr.contains("warning[ttl_clamped]"),
        "{}",
        out.stderr
    );
    // Refused instead under on_excess_ttl = "reject"; nothing signed once they expired.
    for provider in ["strict", "expired"] {
        let out = run(&args(provider), &[], b"");
        assert_ne!(out.code, 0, "{provider}: signed {}", out.stdout);
        assert!(out.stdout.is_empty(), "{provider}: {}", out.stdout);
        assert!(out.stderr.contains("expire"), "{provider}: {}", out.stderr);
    }
}
