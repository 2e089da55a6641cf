//! Shared test support for the workspace-level test binaries (`conformance`, `emulator`, `sdk`,
//! `cli`) and for `apps/presign-cli/tests/binary.rs`.
//!
//! - [`vectors_dir`]: the vendor test vectors copied into this repository (`tests/vectors/`).
//! - [`gcs_vectors`]: the GCS V4 conformance vectors and their service-account key.
//! - [`sigv4_reference`]: SigV4 recomputed from the specification with `hmac` and `sha2` alone,
//!   for checking presign's own URLs.
//! - [`http`]: a tiny HTTP/1.1 client that sends the request target exactly as given, to
//!   loopback addresses only.
//! - [`cdn_verifier`]: an independent verifier of CloudFront and Cloud CDN URLs and cookies.
//! - [`browser`]: node, Chromium and playwright-core for the browser tests, or a skip.
//! - [`gateway`]: the signing gateway served on 127.0.0.1:0, with keys, a JWKS and tokens
//!   made per run.
//! - [`basic_time`]: `20260102T030405Z` read back as RFC 3339.
//! - [`emulator`]: finds a running emulator, or skips (locally) / fails (in CI).
//! - [`sdk`], [`rng`]: running a vendor SDK's script on generated cases, and the generator.
//! - [`seaweedfs`]: the S3 emulator's endpoint, bucket, credentials and presigner.
//! - [`scenarios`]: the provider-independent scenario table and the [`scenarios::Column`] trait
//!   each provider implements.
//!
//! Like the tests that use it, this crate reports by printing and fails by panicking: its
//! `[lints]` table (in `tests/Cargo.toml`) is the workspace's without the no-panic and no-print
//! lints, which are for library code.

pub mod basic_time;
pub mod browser;
pub mod cdn_verifier;
pub mod emulator;
pub mod gateway;
pub mod gcs_vectors;
pub mod http;
pub mod rng;
pub mod scenarios;
pub mod sdk;
pub mod seaweedfs;
pub mod sigv4_reference;

use std::path::PathBuf;

/// The folder holding the vendor test vectors (one folder per source): `tests/vectors/` in this
/// repository; `tests/vectors/README.md` gives each file's upstream source and license.
pub fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("vectors")
}

/// The inactive service-account key published with the GCS conformance vectors
/// (`vectors/gcs/test_service_account.not-a-test.json`), for tests that need an RSA key file.
pub fn gcs_service_account_file() -> PathBuf {
    vectors_dir()
        .join("gcs")
        .join("test_service_account.not-a-test.json")
}
