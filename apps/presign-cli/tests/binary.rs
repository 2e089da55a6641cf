#![cfg(test)] // all test code: clippy.toml's allow-*-in-tests cover its helpers too
//! Runs the real `presign` binary, which cargo builds for this test (`CARGO_BIN_EXE_presign`);
//! the workspace's `tests/cli/` covers every subcommand in-process.

use std::io::Write;
use std::process::{Command, Stdio};

use presign_tests::sigv4_reference::{DEV_NOW, dev_get_url};

fn presign() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_presign"));
    // Never pick up a developer's configuration: the embedded dev profile applies.
    c.env_remove("PRESIGN_CONFIG")
        .current_dir(std::env::temp_dir());
    c
}

#[test]
fn url_and_exit_codes() {
    let out = presign()
        .args(["url", "GET", "a.txt", "--now", "2024-01-02T03:04:05Z"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let url = String::from_utf8(out.stdout).unwrap();
    assert!(
        url.starts_with(
            "http://127.0.0.1:8333/presign-test/a.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&"
        ),
        "{url}"
    );
    let out = presign().args(["url", "DELETE", "a.txt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.starts_with("presign: error[method_not_allowed]: "),
        "{err}"
    );
    assert_eq!(
        presign().args(["url"]).output().unwrap().status.code(),
        Some(2)
    );
    assert_eq!(
        presign()
            .args(["--config", "/nonexistent.toml", "providers"])
            .output()
            .unwrap()
            .status
            .code(),
        Some(3)
    );
}

#[test]
fn batch_through_pipes() {
    let mut child = presign()
        .arg("batch")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    {
        let mut stdin = child.stdin.take().unwrap();
        for i in 0..1000 {
            writeln!(
                stdin,
                r#"{{"id":{i},"provider":"dev","method":"GET","key":"k/{i}"}}"#
            )
            .unwrap();
        }
        writeln!(stdin, "{{").unwrap();
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1001);
    assert!(
        lines[999].starts_with(
            r#"{"id":999,"method":"GET","url":"http://127.0.0.1:8333/presign-test/k/999?"#
        ),
        "{}",
        lines[999]
    );
    assert!(
        lines[1000].starts_with(r#"{"id":null,"error":{"kind":"parse""#),
        "{}",
        lines[1000]
    );
}

#[test]
fn the_binary_signs_and_reports_exit_codes() {
    // The URL is the one recomputed from the SigV4 specification, not presign's.
    let out = presign()
        .args(["url", "GET", "a.txt", "--now", DEV_NOW])
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
        dev_get_url("a.txt")
    );
    let out = presign().args(["url", "DELETE", "a.txt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    let out = presign().args(["post", "a.png"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
}
