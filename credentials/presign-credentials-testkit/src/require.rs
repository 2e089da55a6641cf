//! Servers and tools a test needs: fail under `CI=true` when one is missing, skip loudly
//! elsewhere.

use std::path::PathBuf;

/// Whether this is a CI run (`CI=true`), where nothing may be skipped.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Reports that `test` cannot run because `what` is missing: under `CI=true` the test fails
/// (a panic naming `what` and how to install it); elsewhere a loud `SKIPPED` line.
#[allow(clippy::panic, clippy::print_stderr)] // failing the test is this function's job
pub fn missing(test: &str, what: &str) {
    if in_ci() {
        panic!("CI=true: {test} needs {what}");
    }
    eprintln!("\n!!!!!!!! SKIPPED {test}: needs {what} !!!!!!!!\n");
}

/// The workspace root, from a crate two levels below it (`credentials/NAME`).
pub fn workspace_root(manifest_dir: &str) -> PathBuf {
    PathBuf::from(manifest_dir).join("../..")
}

/// A fresh, empty directory for `test` under the system temp dir (removed first if present).
pub fn temp_dir(test: &str) -> std::io::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!(
        "presign-cred-{}-{}",
        test.replace("::", "-"),
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
