#![cfg(test)] // all test code: clippy.toml's allow-*-in-tests cover its helpers too
//! Issue 8, item 4 (secrets in configuration): `*_file` secrets were read unbounded and from
//! any file type (`/dev/zero` grew to gigabytes, a FIFO hung the process forever), and the
//! access-key-id validator printed the value, so a swapped id/secret pair printed the secret.
//! The real binary is run with a time limit and an address-space limit.

mod support;

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::{GCS_HMAC_SECRET, SECRET_KEY};

/// Runs `presign --config CONFIG url GET a` under `ulimit -v` 512 MiB, killed after 20 s.
fn presign_url(config: &std::path::Path, provider: &str) -> (Output, Duration) {
    let started = Instant::now();
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 524288 && exec \"$0\" --config \"$1\" url --provider \"$2\" GET uploads/a")
        .arg(env!("CARGO_BIN_EXE_presign"))
        .arg(config)
        .arg(provider)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = started + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    (child.wait_with_output().unwrap(), started.elapsed())
}

fn config(dir: &std::path::Path, providers: &str) -> std::path::PathBuf {
    let file = dir.join("presign.toml");
    std::fs::write(&file, format!("[policy]\nany_key = true\n{providers}")).unwrap();
    file
}

fn s3(name: &str, secret_line: &str) -> String {
    format!(
        "[providers.{name}]\nkind = \"s3\"\nbucket = \"corp-bucket\"\nregion = \"eu-west-1\"\naccess_key_id = \"AKIAIOSFODNN7EXAMPLE\"\n{secret_line}\n"
    )
}

#[test]
fn devices_fifos_and_huge_files_are_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let huge = dir.path().join("huge");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(3 << 30)
        .unwrap();
    let providers = [
        ("zero", "/dev/zero".to_owned()),
        ("fifo", fifo.display().to_string()),
        ("huge", huge.display().to_string()),
    ];
    let text: String = providers
        .iter()
        .map(|(name, path)| s3(name, &format!("secret_access_key_file = \"{path}\"")))
        .collect();
    let cfg = config(dir.path(), &text);
    for (name, _) in providers {
        let (out, took) = presign_url(&cfg, name);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(took < Duration::from_secs(15), "{name}: hung for {took:?}");
        assert_eq!(out.status.code(), Some(3), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!("providers.{name}.secret_access_key_file")),
            "{name}: {stderr}"
        );
        assert!(
            stderr.contains("not a regular file") || stderr.contains("larger than"),
            "{name}: {stderr}"
        );
    }
}

/// A swapped pair (the secret key where the id goes, the GCS HMAC secret as its id): the
/// error names the field and never shows the value or a piece of it.
#[test]
fn a_swapped_key_id_is_never_printed() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "[providers.swapped]\nkind = \"s3\"\nbucket = \"corp-bucket\"\nregion = \"eu-west-1\"\naccess_key_id = \"{SECRET_KEY}\"\nsecret_access_key = \"AKIAIOSFODNN7EXAMPLE\"\n\
         [providers.gswapped]\nkind = \"gcs\"\nbucket = \"corp-bucket\"\nhmac_access_id = \"{GCS_HMAC_SECRET}\\n\"\nhmac_secret = \"GOOG1EXAMPLE\"\n"
    );
    let cfg = config(dir.path(), &text);
    for name in ["swapped", "gswapped"] {
        let (out, _) = presign_url(&cfg, name);
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_ne!(out.status.code(), Some(0), "{name}: {all}");
        for piece in [
            SECRET_KEY,
            "wJalrXUtnFEMI",
            "K7MDENG",
            GCS_HMAC_SECRET,
            "gcs-hmac-secret",
        ] {
            assert!(!all.contains(piece), "{name}: {piece:?} shown: {all}");
        }
        assert!(
            all.contains("access") && all.contains("id"),
            "{name}: {all}"
        );
    }
}
