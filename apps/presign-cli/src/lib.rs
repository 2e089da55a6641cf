//! # presign-cli
//!
//! The `presign` command: short-lived signed URLs for S3, GCS and Azure from the shell, with
//! the safe-by-default policy of `presign-policy`.
//!
//! ```text
//! presign url GET reports/q4.pdf                      # a download URL from the default provider
//! presign url --provider media PUT up/cat.png --content-type image/png --curl
//! presign post --provider media uploads/alice/ --prefix --max-size 5MiB --content-type image/ --html
//! presign cookies --provider cdn '/videos/*' --ip 203.0.113.0/24   # CDN signed cookies
//! presign providers                                   # capabilities and effective policies
//! presign batch < requests.jsonl > urls.jsonl         # JSON Lines in, JSON Lines out
//! presign inspect --fail-on warning "$URL"            # decode and check a signed URL
//! presign verify --method PUT --header content-type:image/png "$URL"   # the 403 debugger
//! kubectl logs app | presign redact                    # scrub signatures from logs
//! presign serve                                       # the signing gateway ([serve] table)
//! ```
//!
//! Configuration comes from `--config PATH`, else `$PRESIGN_CONFIG`, else `./presign.toml`,
//! else the embedded `dev` profile (S3 on a local SeaweedFS at `http://127.0.0.1:8333`); see
//! `presign_config`.
//!
//! ## Exit codes
//!
//! | code | meaning |
//! |------|---------|
//! | 0 | success (`batch`: the input was read completely, even if some lines carry errors) |
//! | 1 | an input/output error (a closed pipe, an unreadable standard input) |
//! | 2 | usage error: bad arguments (reported by the argument parser) |
//! | 3 | configuration error: a bad file or environment value, an unknown provider, a missing secret |
//! | 4 | request refused: the policy said no (method, key, time-to-live, constraint) or the input is invalid |
//! | 5 | provider or credentials failure |
//! | 6 | a check said no: `inspect` found something at or above `--fail-on`, `verify` found the URL not valid |
//!
//! Errors go to standard error as one line, `presign: error[KIND]: MESSAGE`, where `KIND` is
//! [`presign_core::Error::kind`]. Nothing secret is ever printed except the signed URL that
//! was asked for.
//!
//! `presign post` signs a POST policy (a browser form upload, S3 and GCS): the provider's policy
//! must allow it by name (`allow_methods = ["GET", "HEAD", "PUT", "POST"]`), because a form
//! grant cannot be revoked; the refusal says so.
//!
//! Tests and embedders call [`run`] (or [`run_with_env`]) in-process.
//!
//! ## Batch throughput
//!
//! `presign batch` signs S3 requests at a few hundred thousand lines per second on one core.
//! The check is a documented command, never a timed test:
//!
//! ```text
//! cargo build --release -p presign-cli -p presign-examples
//! target/release/gen_batch 1000000 > /tmp/batch.jsonl
//! time target/release/presign batch < /tmp/batch.jsonl > /tmp/batch.out   # 1,000,000 lines out
//! ```

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod args;
mod batch;
mod cookies;
mod inspect;
mod json;
mod post;
mod providers;
mod redact;
mod request;
mod serve;
mod shell;
mod url;
mod verify;
mod warn;

use std::ffi::OsString;
use std::io::{BufRead, Write};

use clap::Parser;
use presign_config::{Config, Environment, Registry};
use presign_core::Error;

pub use batch::{
    BatchOptions, BatchStats, INLINE_CACHE_CAPACITY, MAX_ID_BYTES, MAX_ID_DEPTH, MAX_LINE_BYTES,
    run_batch,
};

/// Exit code: success.
pub const EXIT_OK: i32 = 0;
/// Exit code: an input/output error.
pub const EXIT_IO: i32 = 1;
/// Exit code: bad arguments.
pub const EXIT_USAGE: i32 = 2;
/// Exit code: a configuration error.
pub const EXIT_CONFIG: i32 = 3;
/// Exit code: the request was refused (policy or invalid input).
pub const EXIT_REFUSED: i32 = 4;
/// Exit code: the provider or its credentials failed.
pub const EXIT_PROVIDER: i32 = 5;
/// Exit code: a check said no (`inspect`: a finding at or above `--fail-on`).
pub const EXIT_FINDINGS: i32 = 6;

/// The exit code for an error: 3 configuration, 5 provider or credentials, 4 anything else
/// (a refused or invalid request).
pub fn exit_code(error: &Error) -> i32 {
    match error {
        Error::Config { .. } => EXIT_CONFIG,
        Error::Credentials { .. } | Error::Provider { .. } | Error::WouldBlock { .. } => {
            EXIT_PROVIDER
        }
        _ => EXIT_REFUSED,
    }
}

/// Runs `presign` with `args` (the first is the program name) and the process environment;
/// returns the exit code.
pub fn run<I, T>(
    args: I,
    stdin: &mut dyn BufRead,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    run_with_env(args, Environment::process(), stdin, stdout, stderr)
}

/// Like [`run`], reading `PRESIGN_…` settings and `*_env` secrets from `env`.
pub fn run_with_env<I, T>(
    args: I,
    env: Environment,
    stdin: &mut dyn BufRead,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match args::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let text = e.render().to_string();
            return if e.use_stderr() {
                let _ = stderr.write_all(text.as_bytes());
                EXIT_USAGE
            } else {
                match stdout.write_all(text.as_bytes()) {
                    Ok(()) => EXIT_OK,
                    Err(_) => EXIT_IO,
                }
            };
        }
    };
    // Commands that need no configuration.
    let local = match &cli.command {
        args::Command::Inspect(a) => Some(inspect::run(a, stdin, stdout, stderr)),
        args::Command::Redact(a) => Some(redact::run(a, stdin, stdout, stderr)),
        _ => None,
    };
    if let Some(outcome) = local {
        return finish(outcome, stderr);
    }
    let config = match Config::load_with_env(cli.config.as_deref(), env) {
        Ok(config) => config,
        Err(e) => return report(stderr, &e),
    };
    if let args::Command::Serve(a) = &cli.command {
        return finish(serve::run(&config, a, stderr), stderr);
    }
    let registry = Registry::from_config(&config);
    let outcome = match cli.command {
        args::Command::Url(a) => url::run(&registry, &a, stdout, stderr),
        args::Command::Providers(a) => providers::run(&registry, &a, stdout),
        args::Command::Post(a) => post::run(&registry, &a, stdout, stderr),
        args::Command::Cookies(a) => cookies::run(&registry, &a, stdout),
        args::Command::Verify(a) => verify::run(&registry, &a, stdout, stderr),
        args::Command::Inspect(_) | args::Command::Redact(_) | args::Command::Serve(_) => {
            return EXIT_USAGE;
        }
        args::Command::Batch(a) => {
            let options = BatchOptions::default().with_inline_providers(a.allow_inline_providers);
            return match run_batch(&registry, options, stdin, stdout) {
                Ok(_) => EXIT_OK,
                Err(e) => {
                    let _ = writeln!(stderr, "presign: error[io]: {e}");
                    EXIT_IO
                }
            };
        }
    };
    finish(outcome, stderr)
}

/// The exit code of a command's outcome, reporting its error.
fn finish(outcome: Result<i32, Failure>, stderr: &mut dyn Write) -> i32 {
    match outcome {
        Ok(code) => code,
        Err(Failure::Presign(e)) => report(stderr, &e),
        Err(Failure::Io(e)) => {
            let _ = writeln!(stderr, "presign: error[io]: {e}");
            EXIT_IO
        }
    }
}

/// Prints `presign: error[kind]: message` and returns the error's exit code.
fn report(stderr: &mut dyn Write, e: &Error) -> i32 {
    let _ = writeln!(stderr, "presign: error[{}]: {e}", e.kind());
    exit_code(e)
}

/// Why a command failed.
#[derive(Debug)]
enum Failure {
    /// Configuration, policy or provider.
    Presign(Error),
    /// Writing the output.
    Io(std::io::Error),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Presign(e)
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::Io(e)
    }
}

/// A current-thread runtime for driving presign futures (S3's complete without real I/O).
fn runtime() -> Result<tokio::runtime::Runtime, std::io::Error> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
}
