//! JWT bearer tokens: header checked first (algorithm, `kid`, no embedded keys), then the
//! signature with jsonwebtoken against the one key and algorithm the JWKS binds, then `iss`,
//! `aud`, `exp`, `nbf` with a small leeway.

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use base64::Engine as _;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, Validation};
use presign_core::Error;
use serde_json::{Map, Value};
use tokio::sync::Notify;

use super::jwks::{JwksSource, KeySet};
use super::{AuthFailure, Principal, PrincipalKind};
use crate::config::{AuthConfig, JwtAlgorithm};

/// The shortest time between two fetches of the JWKS caused by an unknown `kid`.
const MIN_REFETCH: Duration = Duration::from_secs(30);

/// Verifies JWTs against the current key set.
pub(crate) struct JwtVerifier {
    keys: RwLock<Option<Arc<KeySet>>>,
    generation: AtomicU64,
    loaded: AtomicBool,
    last_fetch: AtomicI64,
    refetch: Notify,
    source: JwksSource,
    refresh: Duration,
    allowed: Vec<JwtAlgorithm>,
    validations: Vec<(JwtAlgorithm, Validation)>,
    principal_claim: String,
    pub(crate) leeway: i64,
}

impl std::fmt::Debug for JwtVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtVerifier")
            .field("source", &self.source)
            .field("allowed", &self.allowed)
            .finish_non_exhaustive()
    }
}

fn jose(alg: JwtAlgorithm) -> Algorithm {
    match alg {
        JwtAlgorithm::RS256 => Algorithm::RS256,
        JwtAlgorithm::ES256 => Algorithm::ES256,
        JwtAlgorithm::EdDSA => Algorithm::EdDSA,
    }
}

impl JwtVerifier {
    pub(crate) fn new(config: &AuthConfig, source: JwksSource) -> JwtVerifier {
        // jsonwebtoken picks its crypto from cargo features; installing aws-lc-rs explicitly
        // keeps it working if another crate in the build enables the other backend too. An
        // error means a provider is already installed, which is as good.
        let _ = jsonwebtoken::crypto::aws_lc::DEFAULT_PROVIDER.install_default();
        let issuer = config.issuer.clone().unwrap_or_default();
        let audience = config.audience.clone().unwrap_or_default();
        let leeway = config.leeway.as_secs();
        let validations = config
            .algorithms
            .iter()
            .map(|&alg| {
                let mut v = Validation::new(jose(alg));
                v.set_issuer(&[&issuer]);
                v.set_audience(&[&audience]);
                v.set_required_spec_claims(&["exp", "iss", "aud"]);
                v.validate_exp = true;
                v.validate_nbf = true;
                v.validate_aud = true;
                v.leeway = leeway;
                (alg, v)
            })
            .collect();
        JwtVerifier {
            keys: RwLock::new(None),
            generation: AtomicU64::new(0),
            loaded: AtomicBool::new(false),
            last_fetch: AtomicI64::new(i64::MIN),
            refetch: Notify::new(),
            source,
            refresh: config.jwks_refresh,
            allowed: config.algorithms.clone(),
            validations,
            principal_claim: config.principal_claim.clone(),
            leeway: i64::try_from(leeway).unwrap_or(0),
        }
    }

    /// The key-set generation (it changes with every new key set).
    pub(crate) fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Whether a key set has ever been loaded.
    pub(crate) fn is_loaded(&self) -> bool {
        self.loaded.load(Ordering::Acquire)
    }

    fn current(&self) -> Option<Arc<KeySet>> {
        self.keys
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Fetches and installs the key set; a failure keeps the previous one.
    pub(crate) async fn load(&self, client: &reqwest::Client) -> Result<usize, Error> {
        self.last_fetch
            .store(presign_core::Timestamp::now().unix(), Ordering::Release);
        let text = self.source.fetch(client).await?;
        let set = KeySet::from_json(&text, &self.allowed)?;
        let n = set.len();
        *self.keys.write().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(set));
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.loaded.store(true, Ordering::Release);
        Ok(n)
    }

    /// Keeps the key set fresh: every `jwks_refresh` (every 5 s until the first success),
    /// and soon after a token names an unknown `kid` (at most every 30 s).
    pub(crate) async fn refresh_loop(self: Arc<Self>, client: reqwest::Client) {
        loop {
            let wait = if self.is_loaded() {
                self.refresh
            } else {
                Duration::from_secs(5).min(self.refresh)
            };
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = self.refetch.notified() => {}
            }
            if let Err(e) = self.load(&client).await {
                tracing::warn!(error = %e, "presign serve: JWKS refresh failed; keeping the previous keys");
            }
        }
    }

    fn unknown_kid(&self) {
        let last = self.last_fetch.load(Ordering::Acquire);
        let now = presign_core::Timestamp::now().unix();
        if now.saturating_sub(last) >= MIN_REFETCH.as_secs() as i64 {
            self.refetch.notify_one();
        }
    }

    /// Verifies `token`; the failure says why, for the audit log only.
    pub(crate) fn verify(&self, token: &str) -> Result<Principal, AuthFailure> {
        let header = Header::parse(token)?;
        let alg = header.alg;
        let keys = self.current().ok_or(AuthFailure::NoKeys)?;
        let validation = self
            .validations
            .iter()
            .find(|(a, _)| *a == alg)
            .map(|(_, v)| v)
            .ok_or(AuthFailure::WrongAlgorithm)?;
        let mut last = AuthFailure::UnknownKey;
        for key in keys.candidates(header.kid.as_deref(), alg) {
            match jsonwebtoken::decode::<Map<String, Value>>(token, &key.key, validation) {
                Ok(data) => return self.principal(data.claims),
                Err(e) => {
                    last = failure(e.kind());
                    if last != AuthFailure::BadSignature {
                        break;
                    }
                }
            }
        }
        if last == AuthFailure::UnknownKey {
            self.unknown_kid();
        }
        Err(last)
    }

    fn principal(&self, claims: Map<String, Value>) -> Result<Principal, AuthFailure> {
        let name = match claims.get(&self.principal_claim) {
            Some(Value::String(s)) if !s.is_empty() && s.len() <= 256 => s.clone(),
            _ => return Err(AuthFailure::MissingClaim),
        };
        let exp = claims.get("exp").and_then(Value::as_f64).map(|e| e as i64);
        Ok(Principal::new(PrincipalKind::Jwt, &name, claims, exp))
    }
}

/// Why jsonwebtoken refused a token.
fn failure(kind: &ErrorKind) -> AuthFailure {
    match kind {
        ErrorKind::ExpiredSignature => AuthFailure::Expired,
        ErrorKind::ImmatureSignature => AuthFailure::NotYetValid,
        ErrorKind::InvalidIssuer => AuthFailure::WrongIssuer,
        ErrorKind::InvalidAudience => AuthFailure::WrongAudience,
        ErrorKind::InvalidSignature => AuthFailure::BadSignature,
        ErrorKind::InvalidAlgorithm | ErrorKind::MissingAlgorithm => AuthFailure::WrongAlgorithm,
        ErrorKind::MissingRequiredClaim(_) | ErrorKind::InvalidClaimFormat(_) => {
            AuthFailure::MissingClaim
        }
        _ => AuthFailure::Malformed,
    }
}

/// The parts of a JOSE header the gateway decides on, read before any key is used.
struct Header {
    alg: JwtAlgorithm,
    kid: Option<String>,
}

impl Header {
    fn parse(token: &str) -> Result<Header, AuthFailure> {
        let mut parts = token.split('.');
        let (Some(head), Some(_), Some(_), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(AuthFailure::Malformed);
        };
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(head)
            .map_err(|_| AuthFailure::Malformed)?;
        let Ok(Value::Object(h)) = serde_json::from_slice::<Value>(&bytes) else {
            return Err(AuthFailure::Malformed);
        };
        // A key or key location inside the token is an attacker choosing the key.
        if ["jwk", "jku", "x5u", "x5c", "crit"]
            .iter()
            .any(|k| h.contains_key(*k))
        {
            return Err(AuthFailure::WrongAlgorithm);
        }
        let alg = match h.get("alg").and_then(Value::as_str) {
            Some("RS256") => JwtAlgorithm::RS256,
            Some("ES256") => JwtAlgorithm::ES256,
            Some("EdDSA") => JwtAlgorithm::EdDSA,
            // none, HS*, PS*, anything else: no key of ours verifies it.
            _ => return Err(AuthFailure::WrongAlgorithm),
        };
        let kid = match h.get("kid") {
            None => None,
            Some(Value::String(k)) if k.len() <= 256 => Some(k.clone()),
            Some(_) => return Err(AuthFailure::Malformed),
        };
        Ok(Header { alg, kid })
    }
}
