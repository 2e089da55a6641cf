//! The signing gateway's OpenAPI document (`GET /openapi.json`, generated from the code)
//! checked against the running gateway by schemathesis (pinned, from PyPI, installed by
//! `.ci/sdk/schemathesis.sh` into `.emulators/schemathesis-venv`; `PRESIGN_SCHEMATHESIS`
//! names another binary): generated requests, valid and invalid, to every operation; no
//! answer may be a 5xx, and every answer's status, content type, headers and body must match
//! the document. Invalid input must be refused (negative data rejection), and authentication
//! must not be ignorable.
//!
//! Left out: schemathesis's `positive_data_acceptance` (every schema-valid request accepted).
//! JSON Schema counts `1051.0` as an integer and cannot state cross-field rules (a least size
//! above the largest, a method the provider cannot sign); the gateway refuses those with a
//! documented `400`, which that check would count as a failure.

use std::path::PathBuf;
use std::process::Command;

use presign_tests::emulator::in_ci;
use presign_tests::gateway::{AUDIENCE, ISSUER, TestGateway, TestKeys, claims, s3_provider};
use presign_tests::sdk::workspace_root;

/// The schemathesis binary, or a skip (a failure under `CI=true`).
fn schemathesis() -> Option<PathBuf> {
    let bin = match std::env::var_os("PRESIGN_SCHEMATHESIS") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => workspace_root().join(".emulators/schemathesis-venv/bin/schemathesis"),
    };
    let ok = Command::new(&bin)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(bin);
    }
    let msg = format!(
        "{} --version fails (run `bash .ci/sdk/schemathesis.sh install`, or set PRESIGN_SCHEMATHESIS)",
        bin.display()
    );
    if in_ci() {
        panic!("CI=true: the gateway's OpenAPI check needs schemathesis: {msg}");
    }
    eprintln!("\n!!!!!!!! SKIPPED gateway OpenAPI check: {msg} !!!!!!!!\n");
    None
}

fn config() -> String {
    format!(
        r#"{provider}
[serve.auth]
issuer = "{ISSUER}"
audience = "{AUDIENCE}"
algorithms = ["ES256"]
jwks_file = "replaced-by-the-test.json"

[[serve.rules]]
all_users = true
provider = "media"
[serve.rules.policy]
any_key = true
allow_methods = ["GET", "HEAD", "PUT", "DELETE", "POST"]

[serve.limits]
rate_per_second = 1000000.0
burst = 1000000
"#,
        provider = s3_provider(
            "media",
            "http://127.0.0.1:8333",
            "any_key = true\nallow_methods = [\"GET\", \"HEAD\", \"PUT\", \"DELETE\", \"POST\"]",
        ),
    )
}

#[test]
fn openapi_document_holds_against_the_running_gateway() {
    let Some(st) = schemathesis() else {
        return;
    };
    let keys = TestKeys::generate();
    let gw = TestGateway::start(&config(), &keys);
    let token = keys.es256(&claims("alice", 3600));
    let report = tempfile::tempdir().unwrap();
    let out = Command::new(&st)
        .arg("run")
        .arg(format!("{}/openapi.json", gw.base))
        .args([
            "--checks",
            "all",
            "--exclude-checks",
            "positive_data_acceptance",
        ])
        .args(["--header", &format!("Authorization: Bearer {token}")])
        .args([
            "--max-examples",
            "100",
            "--workers",
            "1",
            "--seed",
            "20261202",
        ])
        .arg("--generation-deterministic")
        .arg("--no-color")
        .current_dir(report.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let shown = stdout.replace(&token, "<token>");
    println!(
        "--- schemathesis ({}) ---\n{shown}{}---",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "schemathesis found failures (above)");
    let generated = shown
        .lines()
        .find(|l| l.contains(" generated, "))
        .unwrap_or_default();
    assert!(
        generated.contains(" passed") && !generated.contains("fail"),
        "no summary line of passing test cases: {generated:?}"
    );
    let lines = gw.audit_lines();
    assert!(lines.len() >= 50, "{} decisions audited", lines.len());
    gw.stop();
}
