//! What the browser tests need: node, Debian's Chromium (or `PRESIGN_CHROMIUM`) and the pinned
//! playwright-core in `tests/browser/node_modules` (`bash .ci/browser.sh install`).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::emulator::in_ci;

/// The variable naming another Chromium binary.
pub const CHROMIUM_ENV: &str = "PRESIGN_CHROMIUM";
/// Debian's Chromium.
pub const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";

/// The folder of the browser scripts (`tests/browser`).
pub fn scripts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("browser")
}

/// The Chromium to drive, when node, Chromium and playwright-core are all there. `None` (after
/// a SKIPPED line naming `test`) when something is missing outside CI; a panic in CI.
pub fn chromium(test: &str) -> Option<PathBuf> {
    let chromium = std::env::var(CHROMIUM_ENV)
        .ok()
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| DEFAULT_CHROMIUM.to_owned());
    let mut missing = Vec::new();
    match Command::new("node").arg("--version").output() {
        Ok(o) if o.status.success() => {}
        Ok(o) => missing.push(format!("node --version failed ({})", o.status)),
        Err(e) => missing.push(format!("node: {e}")),
    }
    if !Path::new(&chromium).is_file() {
        missing.push(format!("no Chromium at {chromium} ({CHROMIUM_ENV})"));
    }
    let playwright = scripts_dir().join("node_modules/playwright-core/package.json");
    if !playwright.is_file() {
        missing.push(format!("no {}", playwright.display()));
    }
    if missing.is_empty() {
        return Some(PathBuf::from(chromium));
    }
    let why = missing.join("; ");
    if in_ci() {
        panic!(
            "the {test} test cannot run in CI: {why}; .ci/test must run `bash .ci/browser.sh install`"
        );
    }
    println!("\n*** SKIPPED: {test} needs `bash .ci/browser.sh install` ({why}) ***\n");
    None
}
