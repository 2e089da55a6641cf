//! The gateway-downloads example (examples/gateway-downloads) in headless Debian Chromium
//! against SeaweedFS: a page whose links go through `presign serve`.
//!
//! The example's router (the page and the gateway) runs in-process on 127.0.0.1:0; the test
//! uploads a file for `alice` (a presigned PUT straight to SeaweedFS), then
//! `node tests/browser/gateway.mjs` signs in, clicks the file's link and checks that Chromium
//! followed the gateway's `303` to the storage host without a `Referer`, received the bytes,
//! and that someone else's file is a `403` that never reaches the storage host. The audit log
//! must hold an `allow` line for the file and a `deny` line for the other.
//!
//! Needs node, Chromium and playwright-core (`bash .ci/browser.sh install`) and the emulator:
//! missing any, a loud SKIPPED line locally, a failure under `CI=true`.

use std::process::Command;

use presign_core::{Method, ObjectKey, PresignRequest, SyncPresigner};
use presign_example_gateway_downloads::{DemoConfig, app};
use presign_tests::gateway::TestGateway;
use presign_tests::http::send;
use presign_tests::seaweedfs;

#[test]
fn gateway_downloads_in_headless_chromium() {
    let Some(endpoint) = seaweedfs::endpoint() else {
        return;
    };
    let Some(chromium) = presign_tests::browser::chromium("gateway downloads") else {
        return;
    };
    let run = presign_tests::gateway::now();
    let file = format!("hello-{run}.txt");
    let content = format!("downloaded through presign serve, run {run}\n");
    let s3 = seaweedfs::presigner(&endpoint, seaweedfs::credentials());
    let put = s3
        .presign_sync(&PresignRequest::new(
            Method::Put,
            ObjectKey::new(format!("users/alice/{file}")).unwrap(),
        ))
        .unwrap();
    let r = send("PUT", put.expose_url(), &[], content.as_bytes()).unwrap();
    assert_eq!(r.status, 200, "upload: {}", r.body_snippet());

    let dir = tempfile::tempdir().unwrap();
    let audit = dir.path().join("audit.jsonl");
    let expect = dir.path().join("expected.txt");
    std::fs::write(&expect, &content).unwrap();
    let config = DemoConfig {
        s3_endpoint: endpoint.clone(),
        files: vec![file.clone()],
        audit_file: Some(audit.clone()),
        ..DemoConfig::default()
    };
    let (router, gateway) = app(&config).unwrap();
    let gw = TestGateway::serve(gateway, router, audit, dir);
    let base = format!("{}/", gw.base);

    let script = presign_tests::browser::scripts_dir().join("gateway.mjs");
    let started = std::time::Instant::now();
    let out = Command::new("node")
        .arg(&script)
        .args(["--url", &base, "--user", "alice", "--file", &file])
        .arg("--expect-file")
        .arg(&expect)
        .arg("--chromium")
        .arg(&chromium)
        .current_dir(script.parent().unwrap())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!(
        "--- node gateway.mjs ({:.1} s, {}) ---\n{stdout}{}---",
        started.elapsed().as_secs_f64(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = gw.audit_lines();
    gw.stop();
    assert!(
        out.status.success(),
        "the browser run failed: {}",
        out.status
    );
    for want in [
        "gateway-downloads: all checks passed",
        "ok   the redirect was followed to the storage host",
        "ok   the browser received the file's bytes",
        "ok   no Referer sent to the storage host",
        "ok   the 303 says Referrer-Policy: no-referrer",
        "ok   someone else's file is refused (403)",
        "ok   no request left 127.0.0.1",
    ] {
        assert!(stdout.contains(want), "node's output lacks {want:?}");
    }
    assert!(!stdout.contains("FAIL"));

    let allowed = lines.iter().any(|l| {
        l["decision"] == "allow"
            && l["principal"] == "alice"
            && l["key"] == format!("users/alice/{file}")
    });
    let denied = lines.iter().any(|l| {
        l["decision"] == "deny" && l["reason"] == "key_not_allowed" && l["principal"] == "alice"
    });
    assert!(allowed && denied, "audit lines: {lines:?}");
    println!("ok   audit: allow for users/alice/{file}, deny for someone else's");
}
