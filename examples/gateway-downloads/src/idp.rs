//! A stand-in identity provider: one ES256 key made at start, its JWKS, and tokens for any
//! user name. A real deployment points `[serve.auth]` at its IdP's JWKS instead.

use std::time::{SystemTime, UNIX_EPOCH};

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED_SIGNING, EcdsaKeyPair, KeyPair};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use presign_core::Error;
use serde_json::json;

/// The issuer of the demo's tokens.
pub const ISSUER: &str = "https://idp.gateway-downloads.invalid/";
/// The audience of the demo's tokens.
pub const AUDIENCE: &str = "presign-gateway";
/// The key id in the JWKS and the token headers.
const KID: &str = "demo-es256";

/// The demo's signing key.
pub struct DemoIdp {
    key: EcdsaKeyPair,
    rng: SystemRandom,
}

impl std::fmt::Debug for DemoIdp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DemoIdp")
    }
}

impl DemoIdp {
    /// A fresh P-256 key.
    pub fn generate() -> Result<DemoIdp, Error> {
        let rng = SystemRandom::new();
        let fail = || Error::Config {
            path: "idp".into(),
            reason: "cannot make a P-256 key".into(),
        };
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng)
            .map_err(|_| fail())?;
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref())
            .map_err(|_| fail())?;
        Ok(DemoIdp { key, rng })
    }

    /// The JWKS with the public key.
    pub fn jwks(&self) -> String {
        let point = self.key.public_key().as_ref();
        let (x, y) = (point.get(1..33), point.get(33..65));
        json!({"keys": [{
            "kty": "EC", "crv": "P-256", "use": "sig", "alg": "ES256", "kid": KID,
            "x": x.map(|b| B64.encode(b)), "y": y.map(|b| B64.encode(b)),
        }]})
        .to_string()
    }

    /// A token for `user`, valid for `ttl_secs`.
    pub fn token(&self, user: &str, ttl_secs: u64) -> Result<String, Error> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let header = json!({"alg": "ES256", "typ": "JWT", "kid": KID});
        let claims = json!({
            "iss": ISSUER, "aud": AUDIENCE, "sub": user,
            "iat": now, "nbf": now, "exp": now + ttl_secs,
        });
        let input = format!(
            "{}.{}",
            B64.encode(header.to_string()),
            B64.encode(claims.to_string())
        );
        let sig = self
            .key
            .sign(&self.rng, input.as_bytes())
            .map_err(|_| Error::Config {
                path: "idp".into(),
                reason: "signing failed".into(),
            })?;
        Ok(format!("{input}.{}", B64.encode(sig.as_ref())))
    }
}
