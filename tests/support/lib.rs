//! Shared test support: paths to the vendor vectors, emulator endpoints, a raw HTTP client and
//! the emulator scenario table.
//!
//! - [`conformance_dir`]: where the vendor conformance vectors live.
//! - [`http`]: a tiny HTTP/1.1 client that sends the request target exactly as given, to
//!   loopback addresses only.
//! - [`basic_time`]: `20260102T030405Z` read back as RFC 3339.
//! - [`emulator`]: finds a running emulator, or skips (locally) / fails (in CI).
//! - [`gcs_vectors`]: the GCS V4 conformance vectors and their service-account key.
//! - [`sdk`], [`rng`]: running a vendor SDK's script on generated cases, and the generator.
//! - [`seaweedfs`]: the S3 emulator's endpoint, bucket, credentials and presigner.
//! - [`scenarios`]: the provider-independent scenario table and the [`scenarios::Column`] trait
//!   each provider implements.

// Test support: it reports by printing and fails by panicking, like the tests that use it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr
)]

pub mod basic_time;
pub mod emulator;
pub mod gcs_vectors;
pub mod http;
pub mod rng;
pub mod scenarios;
pub mod sdk;
pub mod seaweedfs;

use std::path::PathBuf;

/// The environment variable that overrides [`conformance_dir`].
pub const CONFORMANCE_DIR_ENV: &str = "PRESIGN_CONFORMANCE_DIR";

/// The folder holding the vendor conformance vectors (`aws-sigv4/`, `gcs/`): the value of
/// `PRESIGN_CONFORMANCE_DIR` if set, else `../shared/conformance` next to the workspace root.
pub fn conformance_dir() -> PathBuf {
    match std::env::var_os(CONFORMANCE_DIR_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join("..")
            .join("shared")
            .join("conformance"),
    }
}
