//! Test support for the credential crates (a dev-dependency only):
//!
//! - [`server::TestServer`]: an HTTP/1.1 server on `127.0.0.1:0` (an ephemeral port) that
//!   answers with a handler function and records every request, for speaking the metadata,
//!   container-credentials and token protocols in tests.
//! - [`clock::StepClock`]: a clock the test moves forward, to prove refresh ahead of expiry.
//! - [`require`]: a missing server fails the test under `CI=true` and is a loud skip elsewhere.
//! - [`child`]: runs one test again in a child process with a clean environment, for the
//!   chains that read their configuration from environment variables (edition 2024 makes
//!   `std::env::set_var` unsafe, and the workspace forbids `unsafe`).

pub mod child;
pub mod clock;
pub mod require;
pub mod server;
