//! # Downloads through the signing gateway
//!
//! A page served next to `presign serve`'s routes, on one origin:
//!
//! 1. `POST /login` signs a user in: a stand-in identity provider ([`idp::DemoIdp`]) mints an
//!    ES256 JWT, set as the `HttpOnly`, `SameSite=Strict` cookie the gateway reads for
//!    downloads (`[serve.auth] cookie`, `Path=/v1/`);
//! 2. `GET /` lists the user's files as plain links to `GET /v1/files/users/USER/NAME`;
//! 3. the gateway checks the token and the rule (`users/{sub}/` only), signs a GET valid for a
//!    minute and answers `303 See Other` with `Referrer-Policy: no-referrer` and
//!    `Cache-Control: no-store`: the browser follows it to the storage service, which never
//!    learns the page's address, and no script ever holds the signed URL.
//!
//! [`app`] builds the router (the page and the gateway's routes) and the gateway; the
//! `gateway-downloads` binary serves them. The gateway's configuration is ordinary
//! `presign.toml` text ([`gateway_toml`]).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use presign_example_gateway_downloads::{DemoConfig, app};
//! let (router, gateway) = app(&DemoConfig::default())?;
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! presign_serve::serve_router(gateway, router, listener, None, presign_serve::shutdown_signal()).await?;
//! # Ok(()) }
//! ```

pub mod idp;
mod page;

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, COOKIE, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use presign_config::Config;
use presign_core::Error;
use presign_serve::{Gateway, GatewayOptions};
use serde::Deserialize;

use idp::{AUDIENCE, DemoIdp, ISSUER};

/// The provider name the links use.
pub const PROVIDER: &str = "files";
/// The cookie that carries the JWT to the gateway.
pub const TOKEN_COOKIE: &str = "presign_token";
/// How long a sign-in lasts, in seconds.
const SESSION_SECS: u64 = 900;

/// Where the files are and what the page lists.
#[derive(Debug, Clone)]
pub struct DemoConfig {
    /// The S3 endpoint (path-style), e.g. the local SeaweedFS.
    pub s3_endpoint: String,
    /// The bucket.
    pub bucket: String,
    /// The region.
    pub region: String,
    /// The access key id.
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: String,
    /// File names listed under `users/USER/`.
    pub files: Vec<String>,
    /// The audit log (standard output when `None`).
    pub audit_file: Option<PathBuf>,
}

impl Default for DemoConfig {
    /// The local SeaweedFS of the tests, with AWS's published example key pair.
    fn default() -> Self {
        DemoConfig {
            s3_endpoint: "http://127.0.0.1:8333".into(),
            bucket: "presign-test".into(),
            region: "us-east-1".into(),
            access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
            files: vec!["hello.txt".into()],
            audit_file: None,
        }
    }
}

/// The gateway's `presign.toml` for `config`, trusting `jwks`: one S3 provider whose policy
/// allows GET and HEAD under `users/` for at most a minute, and one rule giving every signed-in
/// user their own `users/{sub}/`.
pub fn gateway_toml(config: &DemoConfig, jwks: &str) -> String {
    let q = |s: &str| serde_json::Value::from(s).to_string();
    format!(
        r#"
[providers.{PROVIDER}]
kind = "s3"
bucket = {bucket}
region = {region}
endpoint = {endpoint}
addressing = "path"
access_key_id = {akid}
secret_access_key = {secret}
[providers.{PROVIDER}.policy]
key_prefixes = ["users/"]
allow_methods = ["GET", "HEAD"]
default_ttl = "60s"
max_ttl = "60s"

[serve.auth]
issuer = {issuer}
audience = {audience}
algorithms = ["ES256"]
jwks = {jwks}
cookie = "{TOKEN_COOKIE}"

[[serve.rules]]
name = "own-files"
all_users = true
provider = "{PROVIDER}"
[serve.rules.policy]
key_prefixes = ["users/{{sub}}/"]
"#,
        bucket = q(&config.bucket),
        region = q(&config.region),
        endpoint = q(&config.s3_endpoint),
        akid = q(&config.access_key_id),
        secret = q(&config.secret_access_key),
        issuer = q(ISSUER),
        audience = q(AUDIENCE),
        jwks = q(jwks),
    )
}

struct Demo {
    idp: DemoIdp,
    files: Vec<String>,
}

/// The router (the page, `/login`, and the gateway's routes) and the gateway, for `config`.
pub fn app(config: &DemoConfig) -> Result<(Router, Arc<Gateway>), Error> {
    let idp = DemoIdp::generate()?;
    let presign = Config::from_toml_str(&gateway_toml(config, &idp.jwks()))?;
    let gateway = Arc::new(Gateway::new(
        &presign,
        GatewayOptions::default().with_audit_file(config.audit_file.clone()),
    )?);
    let demo = Arc::new(Demo {
        idp,
        files: config.files.clone(),
    });
    let router = Router::new()
        .route("/", get(index))
        .route("/login", post(login))
        .with_state(demo)
        .merge(presign_serve::api::router(Arc::clone(&gateway)));
    Ok((router, gateway))
}

/// The signed-in user's name, from the display cookie (authorization happens at the gateway,
/// from the JWT).
fn user_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|c| c.trim().strip_prefix("demo_user="))
        .filter(|u| valid_user(u))
        .map(str::to_owned)
}

fn valid_user(u: &str) -> bool {
    (1..=32).contains(&u.len())
        && u.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

async fn index(State(demo): State<Arc<Demo>>, headers: HeaderMap) -> Response {
    let user = user_of(&headers);
    let mut r = Html(page::render(PROVIDER, user.as_deref(), &demo.files)).into_response();
    r.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

#[derive(Deserialize)]
struct Login {
    user: String,
}

async fn login(State(demo): State<Arc<Demo>>, Form(form): Form<Login>) -> Response {
    if !valid_user(&form.user) {
        return (
            StatusCode::BAD_REQUEST,
            "a user name is 1 to 32 of a-z and 0-9",
        )
            .into_response();
    }
    let token = match demo.idp.token(&form.user, SESSION_SECS) {
        Ok(t) => t,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let cookies = [
        format!(
            "{TOKEN_COOKIE}={token}; Path=/v1/; HttpOnly; SameSite=Strict; Max-Age={SESSION_SECS}"
        ),
        format!(
            "demo_user={}; Path=/; SameSite=Strict; Max-Age={SESSION_SECS}",
            form.user
        ),
    ];
    let mut r = (StatusCode::SEE_OTHER, [(LOCATION, "/")]).into_response();
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(&c) {
            r.headers_mut().append(SET_COOKIE, v);
        }
    }
    r
}
