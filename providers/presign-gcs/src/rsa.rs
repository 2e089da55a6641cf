//! RSA PKCS#1 v1.5 SHA-256 signatures (`GOOG4-RSA-SHA256`) on aws-lc-rs (default) or ring.
//!
//! The key is parsed once, when the presigner is built; the backend holds it in its own memory
//! (AWS-LC and ring free key material with cleansing) and never prints it.

use presign_core::Error;

#[cfg(feature = "aws-lc-rs")]
use aws_lc_rs as backend;
#[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
use ring as backend;

/// An RSA private key ready to sign.
pub(crate) struct RsaKey {
    #[cfg(any(feature = "aws-lc-rs", feature = "ring"))]
    pair: backend::signature::RsaKeyPair,
    #[cfg(any(feature = "aws-lc-rs", feature = "ring"))]
    rng: backend::rand::SystemRandom,
}

impl RsaKey {
    /// Parses a PKCS#8 DER private key.
    #[cfg(any(feature = "aws-lc-rs", feature = "ring"))]
    pub(crate) fn from_pkcs8(provider: &str, der: &[u8]) -> Result<Self, Error> {
        let pair =
            backend::signature::RsaKeyPair::from_pkcs8(der).map_err(|e| Error::Credentials {
                provider: provider.to_owned(),
                reason: format!("private_key is not a usable RSA key ({e})"),
            })?;
        Ok(RsaKey {
            pair,
            rng: backend::rand::SystemRandom::new(),
        })
    }

    /// Without a crypto backend there is no RSA.
    #[cfg(not(any(feature = "aws-lc-rs", feature = "ring")))]
    pub(crate) fn from_pkcs8(provider: &str, _der: &[u8]) -> Result<Self, Error> {
        Err(Error::Credentials {
            provider: provider.to_owned(),
            reason: "RSA signing needs the `aws-lc-rs` or `ring` feature of presign-gcs".into(),
        })
    }

    /// The signature of `message`, RSASSA-PKCS1-v1_5 with SHA-256.
    #[cfg(any(feature = "aws-lc-rs", feature = "ring"))]
    pub(crate) fn sign(&self, provider: &str, message: &[u8]) -> Result<Vec<u8>, Error> {
        #[cfg(feature = "aws-lc-rs")]
        let len = self.pair.public_modulus_len();
        #[cfg(all(feature = "ring", not(feature = "aws-lc-rs")))]
        let len = self.pair.public().modulus_len();
        let mut sig = vec![0u8; len];
        self.pair
            .sign(
                &backend::signature::RSA_PKCS1_SHA256,
                &self.rng,
                message,
                &mut sig,
            )
            .map_err(|_| Error::Provider {
                provider: provider.to_owned(),
                reason: "RSA signing failed".into(),
            })?;
        Ok(sig)
    }

    /// Without a crypto backend there is no RSA.
    #[cfg(not(any(feature = "aws-lc-rs", feature = "ring")))]
    pub(crate) fn sign(&self, provider: &str, _message: &[u8]) -> Result<Vec<u8>, Error> {
        Err(Error::Provider {
            provider: provider.to_owned(),
            reason: "RSA signing needs the `aws-lc-rs` or `ring` feature of presign-gcs".into(),
        })
    }
}
