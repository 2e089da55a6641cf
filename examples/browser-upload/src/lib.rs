//! # Browser uploads straight to S3, downloads through a redirect
//!
//! A small [axum] server for one demo user:
//!
//! 1. `POST /login` signs the user in (a fixed demo token; a session cookie);
//! 2. `GET /policy` answers a POST policy for `uploads/USER/` with a size limit, signed by
//!    presign-s3 through the presign policy layer;
//! 3. `GET /` is a plain HTML page whose inline JavaScript posts the chosen file straight to
//!    the bucket with those fields, and shows the result (the S3 error code on refusal);
//! 4. `GET /download/{name}` answers `303 See Other` to a presigned GET for
//!    `uploads/USER/name`, with `Referrer-Policy: no-referrer` and `Cache-Control: no-store`.
//!
//! See the crate's README for the flow and the security choices. [`app`] builds the router,
//! [`serve`] runs it on a listener; the `browser-upload` binary does both.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use presign_example_browser_upload::{Config, app, serve};
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! let router = app(Config { max_upload_bytes: 1024, ..Config::default() })?;
//! serve(listener, router).await?;
//! # Ok(()) }
//! ```

pub mod auth;
pub mod config;
mod page;
mod routes;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use presign_core::{Error, Method};
use presign_policy::{Policy, PolicyLayer};
use presign_s3::{Addressing, Credentials, S3Presigner};

pub use config::{Config, Options, parse_options};

/// The policy the server signs under: keys under `uploads/` only, POST allowed by name,
/// DELETE forbidden (the default), uploads of at most `config.max_upload_bytes`, and
/// `config.ttl` both as the default and the longest time-to-live.
///
/// The per-user prefix (`uploads/USER/`) is the server's own rule on top: the policy layer
/// knows only the application-wide prefix.
pub fn policy(config: &Config) -> Policy {
    Policy::default()
        .with_default_ttl(config.ttl)
        .with_max_ttl(config.ttl)
        .with_key_prefixes(["uploads/"])
        .with_max_upload_size(config.max_upload_bytes)
        .forbid(Method::Put)
        .dangerous()
        .allow_post()
        .finish()
}

/// The S3 presigner for `config`'s bucket (path-style addressing: the local emulators and
/// most S3-compatible stores want it).
pub fn s3_presigner(config: &Config) -> Result<S3Presigner, Error> {
    S3Presigner::builder()
        .name("browser-upload")
        .bucket(config.bucket.clone())
        .region(config.region.clone())
        .endpoint(&config.s3_endpoint)
        .addressing(Addressing::Path)
        .credentials(Credentials::new(
            config.access_key_id.clone(),
            config.secret_access_key.clone(),
        ))
        .build()
}

/// The router: `/`, `/login`, `/me`, `/policy`, `/download/{name}`.
///
/// Fails when the configuration cannot sign (bad endpoint, bucket, policy).
pub fn app(config: Config) -> Result<Router, Error> {
    let presigner = PolicyLayer::new(policy(&config))?.layer(s3_presigner(&config)?);
    let origin = page::origin_of(&config.s3_endpoint).ok_or_else(|| {
        Error::invalid_input("s3_endpoint", "must be an absolute http(s) URL".to_owned())
    })?;
    let page = page::Page::render(origin, config.max_upload_bytes);
    let state = Arc::new(routes::AppState {
        presigner,
        config,
        page,
    });
    Ok(Router::new()
        .route("/", get(routes::index))
        .route("/login", post(routes::login))
        .route("/me", get(routes::me))
        .route("/policy", get(routes::policy))
        .route("/download/{name}", get(routes::download))
        .with_state(state))
}

/// Serves `router` on `listener` until the task is dropped or the listener fails.
pub async fn serve(listener: tokio::net::TcpListener, router: Router) -> std::io::Result<()> {
    axum::serve(listener, router).await
}
