//! Authentication: who is calling. A JWT bearer token (`Authorization: Bearer …`, or the
//! configured cookie for browser downloads) verified against a JWKS, or a static API key
//! (`X-Api-Key: …`) compared by hash. Any failure is the same `401` to the caller; the reason
//! goes to the audit log and the metrics only.

mod api_keys;
pub mod jwks;
mod jwt;
mod token_cache;

use std::sync::Arc;

use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, COOKIE};
use presign_core::{Error, Timestamp};
use serde_json::{Map, Value};

use api_keys::ApiKeys;
pub use api_keys::{MAX_KEY_BYTES as MAX_API_KEY_BYTES, MIN_KEY_BYTES as MIN_API_KEY_BYTES};
use jwks::JwksSource;
pub(crate) use jwt::JwtVerifier;
use token_cache::TokenCache;

use crate::config::AuthConfig;

/// The header that carries a static API key.
pub const API_KEY_HEADER: &str = "x-api-key";

/// How the caller proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PrincipalKind {
    /// A verified JWT.
    Jwt,
    /// A static API key.
    ApiKey,
}

impl PrincipalKind {
    /// `jwt` or `api_key`.
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalKind::Jwt => "jwt",
            PrincipalKind::ApiKey => "api_key",
        }
    }
}

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Principal {
    /// How it authenticated.
    pub kind: PrincipalKind,
    /// Its name: the token's principal claim (`sub`), or the API key's configured name.
    pub name: Arc<str>,
    /// `kind:name`, the rate limiter's key.
    pub(crate) id: Arc<str>,
    /// The verified claims (empty for API keys).
    pub claims: Map<String, Value>,
    /// The token's `exp` (Unix seconds), for JWTs.
    pub expires_at: Option<i64>,
}

impl Principal {
    pub(crate) fn new(
        kind: PrincipalKind,
        name: &str,
        claims: Map<String, Value>,
        expires_at: Option<i64>,
    ) -> Principal {
        Principal {
            kind,
            name: name.into(),
            id: format!("{}:{name}", kind.as_str()).into(),
            claims,
            expires_at,
        }
    }
}

/// Why authentication failed (for the audit log and metrics; the caller only sees `401`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthFailure {
    /// No credential at all.
    Missing,
    /// Two credentials (a token and an API key), or a scheme other than Bearer.
    Ambiguous,
    /// Not a JWT, bad base64 or JSON, or too long.
    Malformed,
    /// `alg` is not one the gateway verifies (`none`, `HS256`, ...) or the header embeds a key.
    WrongAlgorithm,
    /// No key of the JWKS has the token's `kid` and algorithm.
    UnknownKey,
    /// The signature does not verify.
    BadSignature,
    /// `exp` is past (beyond the leeway).
    Expired,
    /// `nbf` is ahead (beyond the leeway).
    NotYetValid,
    /// `iss` is not the configured issuer.
    WrongIssuer,
    /// `aud` does not contain the configured audience.
    WrongAudience,
    /// A required claim (`exp`, `iss`, `aud`, the principal claim) is missing or malformed.
    MissingClaim,
    /// No key set could be loaded yet.
    NoKeys,
    /// The API key is not a configured one.
    BadApiKey,
    /// A cookie token where only `Authorization` is accepted.
    CookieNotAllowed,
}

impl AuthFailure {
    /// A stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthFailure::Missing => "missing_credentials",
            AuthFailure::Ambiguous => "ambiguous_credentials",
            AuthFailure::Malformed => "malformed_token",
            AuthFailure::WrongAlgorithm => "wrong_algorithm",
            AuthFailure::UnknownKey => "unknown_key",
            AuthFailure::BadSignature => "bad_signature",
            AuthFailure::Expired => "token_expired",
            AuthFailure::NotYetValid => "token_not_yet_valid",
            AuthFailure::WrongIssuer => "wrong_issuer",
            AuthFailure::WrongAudience => "wrong_audience",
            AuthFailure::MissingClaim => "missing_claim",
            AuthFailure::NoKeys => "no_keys",
            AuthFailure::BadApiKey => "bad_api_key",
            AuthFailure::CookieNotAllowed => "cookie_not_allowed",
        }
    }
}

/// Where a request may carry its token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CookieUse {
    /// The configured cookie is accepted too (a `GET`/`HEAD` redirect).
    Allowed,
    /// Only `Authorization` and `X-Api-Key`.
    Refused,
}

/// Verifies callers: JWTs (with a cache of verified tokens) and API keys.
#[derive(Debug)]
pub struct Authenticator {
    jwt: Option<Arc<JwtVerifier>>,
    api_keys: ApiKeys,
    cookie: Option<String>,
    cache: TokenCacheDebug,
    max_token_bytes: usize,
}

/// The token cache, without its contents in `Debug`.
struct TokenCacheDebug(TokenCache);

impl std::fmt::Debug for TokenCacheDebug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenCache")
    }
}

impl Authenticator {
    /// The authenticator of `[serve.auth]`; `jwks` overrides the configured JWKS source (an
    /// application that holds its key set in memory).
    pub fn new(
        config: &AuthConfig,
        token_cache: usize,
        jwks: Option<JwksSource>,
    ) -> Result<Authenticator, Error> {
        let source = match (jwks, &config.jwks, &config.jwks_file, &config.jwks_url) {
            (Some(s), ..) => Some(s),
            (None, Some(text), ..) => Some(JwksSource::Static(text.clone())),
            (None, None, Some(f), _) => Some(JwksSource::File(f.clone())),
            (None, None, None, Some(u)) => Some(JwksSource::url(u)?),
            (None, None, None, None) => None,
        };
        Ok(Authenticator {
            jwt: source.map(|s| Arc::new(JwtVerifier::new(config, s))),
            api_keys: ApiKeys::from_config(&config.api_keys)?,
            cookie: config.cookie.clone(),
            cache: TokenCacheDebug(TokenCache::new(token_cache)),
            max_token_bytes: config.max_token_bytes,
        })
    }

    /// The JWT verifier, when tokens are accepted (for loading and refreshing its keys).
    pub(crate) fn jwt(&self) -> Option<&Arc<JwtVerifier>> {
        self.jwt.as_ref()
    }

    /// Whether the gateway can authenticate anyone now: API keys are configured, or a JWKS
    /// has been loaded.
    pub fn is_ready(&self) -> bool {
        !self.api_keys.is_empty() || self.jwt.as_ref().is_some_and(|j| j.is_loaded())
    }

    /// Who sent `headers`.
    pub(crate) fn authenticate(
        &self,
        headers: &HeaderMap,
        cookie: CookieUse,
    ) -> Result<Arc<Principal>, AuthFailure> {
        let mut auth = headers.get_all(AUTHORIZATION).iter();
        let mut keys = headers.get_all(API_KEY_HEADER).iter();
        match (auth.next(), auth.next(), keys.next(), keys.next()) {
            (Some(a), None, None, None) => {
                let a = a.to_str().map_err(|_| AuthFailure::Malformed)?;
                let token = bearer(a).ok_or(AuthFailure::Ambiguous)?;
                self.token(token)
            }
            (None, None, Some(k), None) => {
                let k = k.to_str().map_err(|_| AuthFailure::BadApiKey)?;
                let name = self.api_keys.find(k.trim()).ok_or(AuthFailure::BadApiKey)?;
                Ok(Arc::new(Principal::new(
                    PrincipalKind::ApiKey,
                    name,
                    Map::new(),
                    None,
                )))
            }
            (None, None, None, None) => match (self.cookie.as_deref(), cookie) {
                (Some(name), CookieUse::Allowed) => match cookie_value(headers, name) {
                    Some(token) => self.token(token),
                    None => Err(AuthFailure::Missing),
                },
                (Some(name), CookieUse::Refused) if cookie_value(headers, name).is_some() => {
                    Err(AuthFailure::CookieNotAllowed)
                }
                _ => Err(AuthFailure::Missing),
            },
            _ => Err(AuthFailure::Ambiguous),
        }
    }

    fn token(&self, token: &str) -> Result<Arc<Principal>, AuthFailure> {
        if token.len() > self.max_token_bytes {
            return Err(AuthFailure::Malformed);
        }
        let jwt = self.jwt.as_ref().ok_or(AuthFailure::Malformed)?;
        let now = Timestamp::now().unix();
        let generation = jwt.generation();
        if let Some(p) = self.cache.0.get(token, generation, now, jwt.leeway) {
            return Ok(p);
        }
        let principal = Arc::new(jwt.verify(token)?);
        self.cache
            .0
            .insert(token, Arc::clone(&principal), generation, now);
        Ok(principal)
    }
}

/// The token of an `Authorization: Bearer TOKEN` value.
fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// The value of cookie `name` (the first one).
fn cookie_value<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then_some(v.trim()).filter(|v| !v.is_empty())
        })
}
