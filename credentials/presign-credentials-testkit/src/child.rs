//! One test run again in a child process, with an environment of the test's choosing.
//!
//! The vendors' chains read their configuration (and their endpoint overrides) from
//! environment variables, as they do in production; tests cannot set them in-process without
//! `unsafe`. So a test calls [`run`] with its own name and the variables; the child process
//! runs only that test, sees [`is_child`] true, does the work and [`report`]s what the parent
//! asserts on.
//!
//! ```text
//! #[test]
//! fn container_full_uri() {
//!     if child::is_child("container_full_uri") {
//!         // ... fetch through the chain ...
//!         child::report("key_id", &id);
//!         return;
//!     }
//!     let server = /* start the protocol server */;
//!     let out = child::run("container_full_uri", &[("AWS_CONTAINER_CREDENTIALS_FULL_URI", url)])?;
//!     assert_eq!(out.value("key_id"), Some("ASIA..."));
//! }
//! ```

use std::collections::BTreeMap;
use std::process::Command;

/// The variable that names the test a child process is running.
pub const CHILD_VAR: &str = "PRESIGN_TEST_CHILD";

const MARK: &str = "@@presign-child ";

/// Whether this process is the child run of test `name` (its name as `cargo test` filters it,
/// e.g. `container_full_uri` or `module::test`).
pub fn is_child(name: &str) -> bool {
    std::env::var(CHILD_VAR).is_ok_and(|v| v == name)
}

/// Prints `key=value` for the parent (one line; newlines in `value` are escaped).
#[allow(clippy::print_stdout)] // the channel to the parent process
pub fn report(key: &str, value: &str) {
    println!("{MARK}{key}={}", value.replace('\n', "\\n"));
}

/// What the child printed and how it ended.
#[derive(Debug)]
pub struct ChildOutput {
    /// Whether the child's test passed.
    pub success: bool,
    /// Everything it printed (stdout then stderr), for failure messages.
    pub text: String,
    values: BTreeMap<String, String>,
}

impl ChildOutput {
    /// The value the child [`report`]ed under `key`.
    pub fn value(&self, key: &str) -> Option<&str> {
        self.values.get(key).map(String::as_str)
    }
}

/// Runs test `name` of this test binary in a child process whose environment holds only
/// `PATH`, [`CHILD_VAR`] and `envs` (no `HOME` unless given: no user's credentials leak in).
pub fn run(name: &str, envs: &[(&str, &str)]) -> std::io::Result<ChildOutput> {
    let exe = std::env::current_exe()?;
    let mut cmd = Command::new(exe);
    cmd.args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env_clear()
        .env(CHILD_VAR, name);
    if let Some(path) = std::env::var_os("PATH") {
        cmd.env("PATH", path);
    }
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output()?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let values = stdout
        .lines()
        // libtest prints `test NAME ... ` without a newline before the test runs.
        .filter_map(|l| l.find(MARK).and_then(|i| l.get(i + MARK.len()..)))
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    Ok(ChildOutput {
        success: out.status.success() && stdout.contains("1 passed"),
        text: format!("{stdout}{}", String::from_utf8_lossy(&out.stderr)),
        values,
    })
}
