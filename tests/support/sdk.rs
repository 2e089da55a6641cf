//! Running a vendor SDK's Python script for the differential tests.
//!
//! The SDKs live in one venv, `.emulators/sdk-venv`, installed by `.ci/sdk/*.sh` (which
//! `.ci/test` runs); `PRESIGN_PYTHON` overrides the interpreter. A missing SDK fails the test
//! under `CI=true` and prints a loud `SKIPPED` line otherwise.

use std::path::PathBuf;
use std::process::Command;

use crate::emulator::in_ci;

/// The workspace root (the folder holding the root `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The SDK interpreter if `imports` (a Python import list) loads with it. Otherwise: under
/// `CI=true` a panic naming `installer` (the `.ci/sdk/*.sh` script); locally a `SKIPPED` line
/// for `test` and `None`.
pub fn sdk_python(test: &str, imports: &str, installer: &str) -> Option<PathBuf> {
    let py = match std::env::var_os("PRESIGN_PYTHON") {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => workspace_root().join(".emulators/sdk-venv/bin/python"),
    };
    let ok = Command::new(&py)
        .args(["-c", &format!("import {imports}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(py);
    }
    let msg = format!(
        "`import {imports}` fails with {} (run `bash {installer} install`, or set PRESIGN_PYTHON)",
        py.display()
    );
    if in_ci() {
        panic!("CI=true: {test} needs the SDK: {msg}");
    }
    eprintln!("\n!!!!!!!! SKIPPED {test}: {msg} !!!!!!!!\n");
    None
}

/// Writes `input` (JSON) to a temporary file, runs `python SCRIPT FILE` (`script` relative to
/// the workspace root), asserts it succeeded and returns its standard output.
pub fn run_sdk_script(py: &PathBuf, script: &str, input: &serde_json::Value) -> String {
    let dir = std::env::temp_dir().join(format!(
        "presign-sdk-{}-{}",
        script.replace('/', "_"),
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("cases.json");
    std::fs::write(&file, serde_json::to_vec(input).unwrap()).unwrap();
    let out = Command::new(py)
        .arg(workspace_root().join(script))
        .arg(&file)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "{script} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}
