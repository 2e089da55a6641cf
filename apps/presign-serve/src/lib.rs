//! # presign-serve
//!
//! `presign serve`: the signing gateway. A small HTTP service that authenticates the caller,
//! applies per-principal rules on top of each provider's policy, and answers with a redirect
//! to a URL signed just now, for seconds — so the URL is minted at click time, never sits in
//! client-side code, and access can be revoked at the gateway (the signed URL itself cannot
//! be).
//!
//! - **Authentication** (`[serve.auth]`, [`auth`]): JWT bearer tokens verified against a
//!   JWKS (a file, or an HTTPS URL refreshed periodically; RS256, ES256, EdDSA only — each
//!   key verifies the one algorithm its type implies, so `none` and HMAC-with-a-public-key
//!   cannot be verified by construction), `iss`, `aud`, `exp` and `nbf` with a small leeway;
//!   static API keys stored as SHA-256 hashes and compared in constant time. Any failure is
//!   the same `401`.
//! - **Authorization** (`[[serve.rules]]`): who (every user, users with given claim values,
//!   API keys by name) may use which provider under which policy table; key prefixes may be
//!   templates filled from verified claims (`users/{sub}/`), and a claim value that could
//!   widen a prefix (`/`, `..`, control characters, ...) makes the rule not apply. A rule's
//!   policy is checked at load to be within the provider's, and both apply to every
//!   signature. DELETE and POST are granted only by a rule that names them.
//! - **Every HTTP field is an untrusted request field**: no inline providers, no signing
//!   time, extra headers and query parameters only from the policy's allow-lists, every size
//!   bounded.
//! - **Endpoints** ([`api::router`]): `GET /v1/{provider}/{key}` (`303` to the signed URL,
//!   `Cache-Control: no-store`, `Referrer-Policy: no-referrer`, no body; `?format=json` for
//!   the signed request), `POST /v1/sign`, `POST /v1/post-policy`, `GET /healthz`,
//!   `GET /readyz` (not ready while a provider's credentials are missing or expired),
//!   `GET /metrics` (Prometheus), `GET /openapi.json` (OpenAPI 3.1, generated from the code).
//! - **Audit log** ([`audit`]): one JSON line per decision, URL signatures redacted.
//! - **Limits** ([`config::LimitsConfig`]): per-principal token buckets (`429` with
//!   `Retry-After`), body (`413`), header (`431`), request-target and key (`414`) sizes,
//!   timeouts, bounded connections and caches, graceful shutdown, optional TLS with
//!   certificate reload ([`tls`]).
//!
//! ```no_run
//! # async fn run() -> Result<(), presign_core::Error> {
//! use std::sync::Arc;
//! let config = presign_config::Config::load(None)?;
//! let gateway = Arc::new(presign_serve::Gateway::new(&config, Default::default())?);
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await
//!     .map_err(|e| presign_core::Error::Config { path: "serve.listen".into(), reason: e.to_string() })?;
//! presign_serve::serve(gateway, listener, None, presign_serve::shutdown_signal()).await
//! # }
//! ```

pub mod api;
pub mod audit;
pub mod auth;
pub mod config;
mod gateway;
pub mod metrics;
pub mod rate_limit;
mod rules;
mod server;
pub mod template;
pub mod tls;

use std::sync::Arc;

use presign_config::Config;
use presign_core::Error;

pub use config::ServeConfig;
pub use gateway::{Gateway, GatewayOptions, ProviderHealth};
pub use server::{serve, serve_router, shutdown_signal};

/// Runs `presign serve` for `config` until Ctrl-C or SIGTERM: a multi-threaded runtime, the
/// configured listener and TLS, graceful shutdown. `ready` is called with the bound address.
pub fn run(config: &Config, ready: impl FnOnce(std::net::SocketAddr)) -> Result<(), Error> {
    let serve_config = ServeConfig::from_value(config.serve.as_ref())?;
    run_with(config, &serve_config, ready)
}

/// [`run`] with an already-read (and possibly adjusted) `[serve]` table.
pub fn run_with(
    config: &Config,
    serve_config: &ServeConfig,
    ready: impl FnOnce(std::net::SocketAddr),
) -> Result<(), Error> {
    let gateway = Arc::new(Gateway::with_serve_config(
        config,
        serve_config,
        GatewayOptions::default(),
    )?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Config {
            path: "serve".into(),
            reason: format!("cannot start the runtime: {e}"),
        })?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(serve_config.listen)
            .await
            .map_err(|e| Error::Config {
                path: "serve.listen".into(),
                reason: format!("cannot listen on {}: {e}", serve_config.listen),
            })?;
        if let Ok(addr) = listener.local_addr() {
            ready(addr);
        }
        serve(
            gateway,
            listener,
            serve_config.tls.as_ref(),
            shutdown_signal(),
        )
        .await
    })
}
