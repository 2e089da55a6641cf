#![cfg(test)] // all test code: clippy.toml's allow-*-in-tests cover its helpers too
//! `presign serve` as the real binary: `--check`, serving on 127.0.0.1:0, one audit line per
//! decision on standard output (which the command itself holds locked), and a clean exit on
//! SIGTERM after the in-flight requests.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use presign_tests::gateway::s3_provider;
use presign_tests::http::send;
use sha2::{Digest, Sha256};

const KEY: &str = "psk_cli_serve_test_0123456789abcdef0123";

fn config(dir: &std::path::Path) -> std::path::PathBuf {
    let hash = hex::encode(Sha256::digest(KEY.as_bytes()));
    let path = dir.join("presign.toml");
    std::fs::write(
        &path,
        format!(
            r#"{provider}
[serve.auth]
[[serve.auth.api_keys]]
name = "ci"
sha256 = "{hash}"

[[serve.rules]]
api_keys = ["ci"]
provider = "media"
"#,
            provider = s3_provider(
                "media",
                "http://127.0.0.1:8333",
                r#"key_prefixes = ["shared/"]"#
            ),
        ),
    )
    .unwrap();
    path
}

fn presign(config: &std::path::Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_presign"));
    c.env_remove("PRESIGN_CONFIG").arg("--config").arg(config);
    c
}

/// Waits for `child` to exit, at most `limit`.
fn wait(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let start = Instant::now();
    while start.elapsed() < limit {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[test]
fn serve_check_and_serve_until_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let path = config(dir.path());
    let out = presign(&path).args(["serve", "--check"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("configuration ok: 1 rule(s)"), "{err}");
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, "[serve.auth]\n").unwrap();
    let out = presign(&broken)
        .args(["serve", "--check"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "a [serve] table without a way to authenticate"
    );

    let mut child = presign(&path)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let addr = line
        .trim()
        .strip_prefix("presign serve: listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    let key = vec![("X-Api-Key".to_owned(), KEY.to_owned())];
    let ok = send(
        "GET",
        &format!("http://{addr}/v1/media/shared/a.txt"),
        &key,
        &[],
    )
    .unwrap();
    assert_eq!(ok.status, 303);
    let refused = send(
        "GET",
        &format!("http://{addr}/v1/media/other/a.txt"),
        &key,
        &[],
    )
    .unwrap();
    assert_eq!(refused.status, 403);

    let term = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let status = wait(&mut child, Duration::from_secs(15));
    if status.is_none() {
        let _ = child.kill();
    }
    assert_eq!(
        status.and_then(|s| s.code()),
        Some(0),
        "presign serve did not stop on SIGTERM"
    );
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let decisions: Vec<(&str, u64)> = lines
        .iter()
        .map(|l| {
            (
                l["decision"].as_str().unwrap(),
                l["status"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(decisions, [("allow", 303), ("deny", 403)], "{stdout}");
    assert!(!stdout.contains(KEY));
}
