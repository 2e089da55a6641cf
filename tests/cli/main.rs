//! The `presign` command, run in-process through `presign_cli::run_with_env` with a fixed
//! environment (empty unless a test gives one, so the embedded `dev` profile applies). One module
//! per subcommand; `apps/presign-cli/tests/binary.rs` runs the real binary.
//!
//! The dev-profile URL is checked against a signature recomputed from the SigV4 specification
//! with `hmac` and `sha2` alone ([`presign_tests::sigv4_reference`]), not with presign's code.

mod batch;
mod config;
mod cookies;
mod fixtures;
mod inspect;
mod post;
mod providers;
mod redact;
mod secrets;
mod url;
mod url_azure_gcs;
mod verify;

use std::io::Cursor;

use presign_config::Environment;
use presign_core::Timestamp;
use presign_tests::sigv4_reference::{
    DEV_ACCESS_KEY as ACCESS_KEY, DEV_NOW as NOW, DEV_SECRET_KEY as SECRET_KEY,
};
use serde_json::Value;

/// What one run of the command gave: its exit code and its output.
struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `presign <args>` in-process with exactly the environment `env` and `stdin` as input.
fn run_env(args: &[&str], env: &[(&str, &str)], stdin: &str) -> Out {
    let mut input = Cursor::new(stdin.as_bytes().to_vec());
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let env = Environment::from_pairs(env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let mut argv = vec!["presign"];
    argv.extend_from_slice(args);
    let code = presign_cli::run_with_env(argv, env, &mut input, &mut stdout, &mut stderr);
    Out {
        code,
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    }
}

impl Out {
    /// Asserts the command succeeded (showing its stderr if not) and returns its stdout.
    fn ok(&self) -> &str {
        assert_eq!(self.code, 0, "{}", self.stderr);
        &self.stdout
    }

    /// Asserts the command succeeded and parses its stdout as JSON.
    fn ok_json(&self) -> Value {
        serde_json::from_str(self.ok()).unwrap()
    }
}

/// Runs `presign <args>` with an empty environment and no input.
fn run(args: &[&str]) -> Out {
    run_env(args, &[], "")
}

/// [`NOW`] as a timestamp.
fn now() -> Timestamp {
    Timestamp::parse_rfc3339(NOW).unwrap()
}

/// Runs a future to completion on this thread.
fn block<T>(f: impl std::future::Future<Output = T>) -> T {
    futures_executor::block_on(f)
}
