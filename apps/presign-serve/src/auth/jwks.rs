//! JSON Web Key Sets: the keys tokens are verified with, each bound to ONE algorithm derived
//! from its key type, and where they come from (a file, an HTTPS URL, a value in memory).
//!
//! A key's algorithm comes from the key itself: an RSA key verifies RS256 only, a P-256 key
//! ES256 only, an Ed25519 key EdDSA only; a JWK `alg` that says otherwise makes the key
//! unusable, and symmetric (`oct`) keys are never loaded. A token's `alg` must then equal the
//! algorithm of the key its `kid` names, so neither `none` nor an HMAC signature computed with
//! a public key can ever be checked against anything.

use std::path::PathBuf;
use std::time::Duration;

use jsonwebtoken::DecodingKey;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyAlgorithm, PublicKeyUse};
use presign_core::Error;

use crate::config::JwtAlgorithm;

/// The largest JWKS document read, in bytes.
pub const MAX_JWKS_BYTES: usize = 256 * 1024;
/// The most keys kept from one document.
pub const MAX_KEYS: usize = 64;

/// One verification key and the one algorithm it verifies.
pub(crate) struct VerifyingKey {
    pub(crate) kid: Option<String>,
    pub(crate) alg: JwtAlgorithm,
    pub(crate) key: DecodingKey,
}

/// The usable keys of one JWKS document.
pub struct KeySet {
    pub(crate) keys: Vec<VerifyingKey>,
}

impl std::fmt::Debug for KeySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(
                self.keys
                    .iter()
                    .map(|k| (k.kid.as_deref().unwrap_or("-"), k.alg.as_str())),
            )
            .finish()
    }
}

impl KeySet {
    /// The usable keys of a JWKS document (`{"keys": [...]}`), for the `allowed` algorithms.
    /// Keys of other types, curves or uses are skipped; a document with no usable key, or
    /// larger than [`MAX_JWKS_BYTES`], is an error.
    pub fn from_json(text: &str, allowed: &[JwtAlgorithm]) -> Result<KeySet, Error> {
        let bad = |reason: String| Error::Config {
            path: "serve.auth.jwks".into(),
            reason,
        };
        if text.len() > MAX_JWKS_BYTES {
            return Err(bad(format!("the document is over {MAX_JWKS_BYTES} bytes")));
        }
        let doc: serde_json::Value =
            serde_json::from_str(text).map_err(|e| bad(format!("not JSON: {e}")))?;
        let Some(list) = doc.get("keys").and_then(|k| k.as_array()) else {
            return Err(bad("no \"keys\" array".into()));
        };
        let keys: Vec<VerifyingKey> = list
            .iter()
            .filter_map(|v| {
                let jwk: Jwk = serde_json::from_value(v.clone()).ok()?;
                usable(&jwk, allowed)
            })
            .take(MAX_KEYS)
            .collect();
        if keys.is_empty() {
            return Err(bad(format!(
                "no usable key among {} (usable: RSA of at least 2048 bits for RS256, EC P-256 for ES256, OKP Ed25519 for EdDSA, with use \"sig\" if any, and an algorithm in serve.auth.algorithms)",
                list.len()
            )));
        }
        Ok(KeySet { keys })
    }

    /// How many keys are usable.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether there is no usable key (never true for a set built by
    /// [`from_json`](Self::from_json)).
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The keys a token with this `kid` and algorithm may be checked against: those with the
    /// same `kid` (or, for a token without one, every key) whose algorithm is the token's.
    pub(crate) fn candidates<'a>(
        &'a self,
        kid: Option<&'a str>,
        alg: JwtAlgorithm,
    ) -> impl Iterator<Item = &'a VerifyingKey> + 'a {
        self.keys
            .iter()
            .filter(move |k| k.alg == alg && (kid.is_none() || k.kid.as_deref() == kid))
            .take(4)
    }
}

/// The one algorithm `jwk` verifies, if it is usable for signatures under `allowed`.
fn usable(jwk: &Jwk, allowed: &[JwtAlgorithm]) -> Option<VerifyingKey> {
    if let Some(u) = &jwk.common.public_key_use
        && *u != PublicKeyUse::Signature
    {
        return None;
    }
    let alg = match &jwk.algorithm {
        AlgorithmParameters::RSA(p) => {
            // n is base64url without padding: 4 characters per 3 bytes.
            let bits = p.n.trim_end_matches('=').len() * 6;
            (bits >= 2040).then_some(JwtAlgorithm::RS256)?
        }
        AlgorithmParameters::EllipticCurve(p) if p.curve == EllipticCurve::P256 => {
            JwtAlgorithm::ES256
        }
        AlgorithmParameters::OctetKeyPair(p) if p.curve == EllipticCurve::Ed25519 => {
            JwtAlgorithm::EdDSA
        }
        // Symmetric keys, other curves, other key types: never.
        _ => return None,
    };
    let declared = match jwk.common.key_algorithm {
        None => alg,
        Some(KeyAlgorithm::RS256) => JwtAlgorithm::RS256,
        Some(KeyAlgorithm::ES256) => JwtAlgorithm::ES256,
        Some(KeyAlgorithm::EdDSA) => JwtAlgorithm::EdDSA,
        Some(_) => return None,
    };
    if declared != alg || !allowed.contains(&alg) {
        return None;
    }
    let key = DecodingKey::from_jwk(jwk).ok()?;
    Some(VerifyingKey {
        kid: jwk.common.key_id.clone(),
        alg,
        key,
    })
}

/// Where the JWKS comes from.
#[derive(Debug, Clone)]
pub enum JwksSource {
    /// A file, read again when it changes.
    File(PathBuf),
    /// An HTTPS URL (plain HTTP only to a loopback address), fetched again periodically.
    Url(reqwest::Url),
    /// A document given by the application (fixed).
    Static(String),
}

impl JwksSource {
    /// A URL source; the URL must be `https`, or `http` to a loopback address.
    pub fn url(url: &str) -> Result<JwksSource, Error> {
        let bad = |reason: &str| Error::Config {
            path: "serve.auth.jwks_url".into(),
            reason: reason.into(),
        };
        let parsed = reqwest::Url::parse(url).map_err(|_| bad("not a URL"))?;
        let loopback = parsed
            .host_str()
            .is_some_and(presign_core::endpoint::is_loopback_host);
        match parsed.scheme() {
            "https" => {}
            "http" if loopback => {}
            _ => {
                return Err(bad("must be https (plain http only to a loopback address)"));
            }
        }
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(bad("must not carry credentials"));
        }
        Ok(JwksSource::Url(parsed))
    }

    /// Reads the document, at most [`MAX_JWKS_BYTES`].
    pub(crate) async fn fetch(&self, client: &reqwest::Client) -> Result<String, Error> {
        let fail = |reason: String| Error::Credentials {
            provider: "serve.auth.jwks".into(),
            reason,
        };
        match self {
            JwksSource::Static(text) => Ok(text.clone()),
            JwksSource::File(path) => {
                let meta = tokio::fs::metadata(path)
                    .await
                    .map_err(|e| fail(format!("{}: {e}", path.display())))?;
                if !meta.is_file() || meta.len() > MAX_JWKS_BYTES as u64 {
                    return Err(fail(format!(
                        "{}: not a regular file of at most {MAX_JWKS_BYTES} bytes",
                        path.display()
                    )));
                }
                let bytes = tokio::fs::read(path)
                    .await
                    .map_err(|e| fail(format!("{}: {e}", path.display())))?;
                text_of(bytes).map_err(fail)
            }
            JwksSource::Url(url) => {
                let mut response = client
                    .get(url.clone())
                    .timeout(Duration::from_secs(10))
                    .send()
                    .await
                    .map_err(|e| fail(format!("fetching the JWKS: {}", e.without_url())))?;
                if !response.status().is_success() {
                    return Err(fail(format!(
                        "fetching the JWKS: HTTP {}",
                        response.status()
                    )));
                }
                let mut body = Vec::new();
                while let Some(chunk) = response
                    .chunk()
                    .await
                    .map_err(|e| fail(format!("reading the JWKS: {}", e.without_url())))?
                {
                    if body.len() + chunk.len() > MAX_JWKS_BYTES {
                        return Err(fail(format!("the JWKS is over {MAX_JWKS_BYTES} bytes")));
                    }
                    body.extend_from_slice(&chunk);
                }
                text_of(body).map_err(fail)
            }
        }
    }
}

fn text_of(bytes: Vec<u8>) -> Result<String, String> {
    String::from_utf8(bytes).map_err(|_| "the JWKS is not UTF-8".to_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::JwksSource;

    #[test]
    fn jwks_urls_are_https_or_loopback() {
        for ok in [
            "https://issuer.example/.well-known/jwks.json",
            "http://127.0.0.1:8080/jwks",
            "http://[::1]:8080/jwks",
            "http://localhost/jwks",
        ] {
            assert!(JwksSource::url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://issuer.example/jwks",
            "http://10.0.0.1/jwks",
            "ftp://127.0.0.1/jwks",
            "https://u:p@issuer.example/jwks",
        ] {
            let e = JwksSource::url(bad).map(|_| ()).unwrap_err();
            assert!(e.to_string().contains("serve.auth.jwks_url"), "{bad}: {e}");
        }
    }
}
