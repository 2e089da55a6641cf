//! [`ServeConfig`]: the `[serve]` table of `presign.toml`, as written and checked.
//!
//! ```toml
//! [serve]
//! listen = "127.0.0.1:8080"
//!
//! [serve.auth]
//! issuer = "https://id.example.com/"
//! audience = "presign"
//! algorithms = ["ES256"]                 # RS256, ES256, EdDSA; never none or HS*
//! jwks_url = "https://id.example.com/.well-known/jwks.json"   # or jwks_file
//! leeway = "30s"
//! [[serve.auth.api_keys]]
//! name = "ci"
//! sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
//!
//! [[serve.rules]]
//! name = "own-files"
//! all_users = true                       # or claims = { group = "staff" }, api_keys = ["ci"]
//! provider = "media"
//! [serve.rules.policy]                   # a policy table that may only tighten the provider's
//! allow_methods = ["GET", "HEAD", "PUT"]
//! key_prefixes = ["users/{sub}/"]
//! max_ttl = "2m"
//! ```
//!
//! Every field is operator configuration, trusted; [`ServeConfig::from_value`] refuses unknown
//! fields and values that cannot be enforced, naming the field.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use presign_config::{PolicyConfig, deserialize_duration};
use presign_core::Error;
use serde::Deserialize;
use serde_json::Value;

/// The longest JWT leeway the gateway accepts: clocks that disagree by more are a fault to
/// fix, not to paper over.
pub const MAX_LEEWAY: Duration = Duration::from_secs(300);

/// The whole `[serve]` table.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ServeConfig {
    /// The address to listen on (`127.0.0.1:8080` by default).
    #[serde(default = "default_listen")]
    pub listen: SocketAddr,
    /// Who may call (`[serve.auth]`).
    pub auth: AuthConfig,
    /// What each caller may sign (`[[serve.rules]]`); nothing is allowed without a rule.
    #[serde(default)]
    pub rules: Vec<RuleConfig>,
    /// Sizes, rates and timeouts (`[serve.limits]`).
    #[serde(default)]
    pub limits: LimitsConfig,
    /// Where the audit log goes (`[serve.audit]`).
    #[serde(default)]
    pub audit: AuditConfig,
    /// TLS (`[serve.tls]`); plain HTTP without it.
    #[serde(default)]
    pub tls: Option<TlsConfig>,
}

fn default_listen() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 8080))
}

/// The JWT algorithms the gateway verifies. HMAC algorithms and `none` have no variant: a
/// token naming them is refused before any key is looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[non_exhaustive]
pub enum JwtAlgorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (an RSA key of at least 2048 bits).
    RS256,
    /// ECDSA on P-256 with SHA-256.
    ES256,
    /// Ed25519.
    EdDSA,
}

impl JwtAlgorithm {
    /// The algorithm's JOSE name.
    pub fn as_str(self) -> &'static str {
        match self {
            JwtAlgorithm::RS256 => "RS256",
            JwtAlgorithm::ES256 => "ES256",
            JwtAlgorithm::EdDSA => "EdDSA",
        }
    }
}

/// `[serve.auth]`: JWT bearer tokens verified against a JWKS, and static API keys.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AuthConfig {
    /// The required `iss` claim.
    #[serde(default)]
    pub issuer: Option<String>,
    /// The required `aud` claim (one of the token's audiences).
    #[serde(default)]
    pub audience: Option<String>,
    /// The algorithms accepted (`["RS256", "ES256", "EdDSA"]` by default).
    #[serde(default = "default_algorithms")]
    pub algorithms: Vec<JwtAlgorithm>,
    /// A JWKS document inline (public keys only; fixed).
    #[serde(default)]
    pub jwks: Option<String>,
    /// A JWKS document on disk (re-read every `jwks_refresh`).
    #[serde(default)]
    pub jwks_file: Option<PathBuf>,
    /// A JWKS document over HTTPS (plain HTTP only to a loopback address).
    #[serde(default)]
    pub jwks_url: Option<String>,
    /// How often the JWKS is fetched again (5 minutes by default).
    #[serde(
        default = "default_jwks_refresh",
        deserialize_with = "deserialize_duration"
    )]
    pub jwks_refresh: Duration,
    /// Clock leeway for `exp` and `nbf` (30 s by default, at most 5 minutes).
    #[serde(default = "default_leeway", deserialize_with = "deserialize_duration")]
    pub leeway: Duration,
    /// The longest token accepted, in bytes (8 KiB by default).
    #[serde(default = "default_max_token_bytes")]
    pub max_token_bytes: usize,
    /// The claim that names the principal (`sub` by default).
    #[serde(default = "default_principal_claim")]
    pub principal_claim: String,
    /// A cookie that may carry the JWT for browser downloads (`GET`/`HEAD` redirects only).
    #[serde(default)]
    pub cookie: Option<String>,
    /// Static API keys, stored as SHA-256 hashes.
    #[serde(default)]
    pub api_keys: Vec<ApiKeyConfig>,
}

fn default_algorithms() -> Vec<JwtAlgorithm> {
    vec![
        JwtAlgorithm::RS256,
        JwtAlgorithm::ES256,
        JwtAlgorithm::EdDSA,
    ]
}
fn default_jwks_refresh() -> Duration {
    Duration::from_secs(300)
}
fn default_leeway() -> Duration {
    Duration::from_secs(30)
}
fn default_max_token_bytes() -> usize {
    8192
}
fn default_principal_claim() -> String {
    "sub".to_owned()
}

/// One `[[serve.auth.api_keys]]` entry: a name and the SHA-256 of the key (hex). Keys are
/// random tokens of at least 32 characters; only their hash is configured.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ApiKeyConfig {
    /// The principal's name (rules name it in `api_keys`).
    pub name: String,
    /// `sha256` of the key, 64 hex digits (`printf %s "$KEY" | sha256sum`).
    pub sha256: String,
}

/// One `[[serve.rules]]` entry: who, which provider, and a policy that tightens the provider's.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct RuleConfig {
    /// A name for logs and errors (`rules[N]` when absent).
    #[serde(default)]
    pub name: Option<String>,
    /// The configured provider the rule grants.
    pub provider: String,
    /// Every JWT principal (a verified token is enough).
    #[serde(default)]
    pub all_users: bool,
    /// JWT principals whose claims have these values (a string claim equal, or an array
    /// claim containing the value); all must match.
    #[serde(default)]
    pub claims: BTreeMap<String, String>,
    /// API-key principals by name.
    #[serde(default)]
    pub api_keys: Vec<String>,
    /// The rule's policy table, over the provider's effective one (unset fields are the
    /// provider's); `key_prefixes` may hold `{claim}` templates. It may only tighten.
    #[serde(default)]
    pub policy: PolicyConfig,
}

/// `[serve.limits]`: every bound on what a caller can make the gateway do.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[non_exhaustive]
pub struct LimitsConfig {
    /// Sustained requests per second per principal (token bucket refill).
    pub rate_per_second: f64,
    /// Burst size per principal (token bucket capacity).
    pub burst: u32,
    /// Principals tracked by the rate limiter at once (bounded memory).
    pub max_principals: usize,
    /// Verified tokens remembered (bounded memory).
    pub token_cache: usize,
    /// Largest request body, in bytes (413 above).
    pub max_body_bytes: usize,
    /// Largest sum of header names and values, in bytes (431 above).
    pub max_header_bytes: usize,
    /// Longest request target (path and query), in bytes (414 above).
    pub max_uri_bytes: usize,
    /// Longest object key, in bytes (414 in a path, an item error in a body).
    pub max_key_bytes: usize,
    /// Most requests in one `POST /v1/sign` (413 above).
    pub max_batch: usize,
    /// Most connections served at once.
    pub max_connections: usize,
    /// Time to answer a request (503 after).
    #[serde(deserialize_with = "deserialize_duration")]
    pub request_timeout: Duration,
    /// Time for a client to send its request head.
    #[serde(deserialize_with = "deserialize_duration")]
    pub header_read_timeout: Duration,
    /// Time for in-flight requests to finish at shutdown.
    #[serde(deserialize_with = "deserialize_duration")]
    pub shutdown_grace: Duration,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        LimitsConfig {
            rate_per_second: 50.0,
            burst: 100,
            max_principals: 100_000,
            token_cache: 10_000,
            max_body_bytes: 256 * 1024,
            max_header_bytes: 16 * 1024,
            max_uri_bytes: 4096,
            max_key_bytes: 1024,
            max_batch: 100,
            max_connections: 4096,
            request_timeout: Duration::from_secs(10),
            header_read_timeout: Duration::from_secs(10),
            shutdown_grace: Duration::from_secs(30),
        }
    }
}

/// `[serve.audit]`: one JSON line per decision, to standard output or a file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AuditConfig {
    /// Append to this file (created with mode 0600); standard output when absent.
    #[serde(default)]
    pub file: Option<PathBuf>,
}

/// `[serve.tls]`: a certificate chain and key in PEM files, reloaded when they change.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TlsConfig {
    /// The certificate chain, leaf first.
    pub cert_file: PathBuf,
    /// The private key (PKCS#8, PKCS#1 or SEC1).
    pub key_file: PathBuf,
    /// How often the files are checked for changes (10 s by default).
    #[serde(
        default = "default_tls_reload",
        deserialize_with = "deserialize_duration"
    )]
    pub reload_every: Duration,
}

fn default_tls_reload() -> Duration {
    Duration::from_secs(10)
}

/// A configuration error at `serve.PATH`.
pub(crate) fn config_error(path: &str, reason: impl Into<String>) -> Error {
    Error::Config {
        path: if path.is_empty() {
            "serve".into()
        } else {
            format!("serve.{path}")
        },
        reason: reason.into(),
    }
}

impl ServeConfig {
    /// Reads and checks the `[serve]` table (`None`: the table is missing).
    pub fn from_value(value: Option<&Value>) -> Result<ServeConfig, Error> {
        let Some(value) = value else {
            return Err(config_error(
                "",
                "missing: presign serve needs a [serve] table with [serve.auth] and [[serve.rules]]",
            ));
        };
        let config: ServeConfig = serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            let path = if path == "." { String::new() } else { path };
            config_error(&path, e.into_inner().to_string())
        })?;
        config.check()?;
        Ok(config)
    }

    fn check(&self) -> Result<(), Error> {
        let a = &self.auth;
        let sources = [
            a.jwks.is_some(),
            a.jwks_file.is_some(),
            a.jwks_url.is_some(),
        ]
        .into_iter()
        .filter(|given| *given)
        .count();
        match sources {
            2.. => {
                return Err(config_error(
                    "auth",
                    "give one of jwks, jwks_file and jwks_url, not several",
                ));
            }
            0 if a.api_keys.is_empty() => {
                return Err(config_error(
                    "auth",
                    "no way to authenticate: give jwks_url, jwks_file or jwks (JWT bearer tokens), or api_keys",
                ));
            }
            0 => {}
            _ => {
                if a.issuer.as_deref().is_none_or(str::is_empty) {
                    return Err(config_error(
                        "auth.issuer",
                        "required with a JWKS: the iss every token must carry",
                    ));
                }
                if a.audience.as_deref().is_none_or(str::is_empty) {
                    return Err(config_error(
                        "auth.audience",
                        "required with a JWKS: the aud every token must carry",
                    ));
                }
                if a.algorithms.is_empty() {
                    return Err(config_error(
                        "auth.algorithms",
                        "empty: name at least one of RS256, ES256, EdDSA",
                    ));
                }
            }
        }
        if a.leeway > MAX_LEEWAY {
            return Err(config_error(
                "auth.leeway",
                "longer than 5 minutes; fix the clocks instead",
            ));
        }
        if a.jwks_refresh < Duration::from_secs(1) {
            return Err(config_error("auth.jwks_refresh", "shorter than 1 second"));
        }
        if !(64..=65_536).contains(&a.max_token_bytes) {
            return Err(config_error(
                "auth.max_token_bytes",
                "must lie between 64 and 65536",
            ));
        }
        if let Some(c) = &a.cookie
            && (c.is_empty()
                || !c
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b)))
        {
            return Err(config_error(
                "auth.cookie",
                "a cookie name of letters, digits, '-' and '_'",
            ));
        }
        let l = &self.limits;
        if !(l.rate_per_second.is_finite() && l.rate_per_second > 0.0) {
            return Err(config_error(
                "limits.rate_per_second",
                "must be a positive number",
            ));
        }
        for (field, value) in [
            ("burst", l.burst as usize),
            ("max_principals", l.max_principals),
            ("token_cache", l.token_cache),
            ("max_batch", l.max_batch),
            ("max_connections", l.max_connections),
            ("max_key_bytes", l.max_key_bytes),
        ] {
            if value == 0 {
                return Err(config_error(&format!("limits.{field}"), "must be above 0"));
            }
        }
        if l.max_batch > l.burst as usize {
            return Err(config_error(
                "limits.max_batch",
                "larger than limits.burst: such a batch could never pass the rate limit",
            ));
        }
        if l.max_header_bytes < 1024 || l.max_uri_bytes < 256 || l.max_body_bytes < 1024 {
            return Err(config_error(
                "limits",
                "max_header_bytes and max_body_bytes must be at least 1024, max_uri_bytes at least 256",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(toml_json: Value) -> Result<ServeConfig, Error> {
        ServeConfig::from_value(Some(&toml_json))
    }

    #[test]
    fn defaults_and_refusals() {
        let ok = parse(serde_json::json!({
            "auth": {"issuer": "i", "audience": "a", "jwks_file": "/x"},
            "rules": [{"provider": "p", "all_users": true}]
        }))
        .unwrap();
        assert_eq!(ok.listen, default_listen());
        assert_eq!(ok.auth.algorithms.len(), 3);
        for (bad, field) in [
            (serde_json::json!({"auth": {}}), "serve.auth"),
            (
                serde_json::json!({"auth": {"jwks_file": "/x", "audience": "a"}}),
                "serve.auth.issuer",
            ),
            (
                serde_json::json!({"auth": {"jwks_file": "/x", "issuer": "i", "audience": "a", "algorithms": ["HS256"]}}),
                "serve.auth.algorithms",
            ),
            (
                serde_json::json!({"auth": {"jwks_file": "/x", "issuer": "i", "audience": "a", "algorithms": ["none"]}}),
                "serve.auth.algorithms",
            ),
            (
                serde_json::json!({"auth": {"jwks_file": "/x", "issuer": "i", "audience": "a", "leeway": "1h"}}),
                "serve.auth.leeway",
            ),
            (
                serde_json::json!({"auth": {"api_keys": []}, "nope": 1}),
                "serve",
            ),
        ] {
            let e = parse(bad).unwrap_err();
            assert_eq!(e.kind(), "config");
            assert!(e.to_string().contains(field), "{field}: {e}");
        }
        assert!(ServeConfig::from_value(None).is_err());
    }
}
