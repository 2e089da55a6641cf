//! Keyless signing: a [`BlobSigner`] signs the string to sign remotely (the IAM Credentials
//! `signBlob` API), with an OAuth token from a [`TokenSource`].
//!
//! The traits are always available, so an application can plug in its own signer (a KMS, a
//! test double) without extra dependencies; the HTTP client for the real IAM API,
//! [`crate::IamSignBlob`], needs the `sign-blob` feature.

use std::fmt::Debug;

use async_trait::async_trait;
use presign_core::{Error, SecretString};

/// Signs bytes with a service account's Google-managed key (RSA PKCS#1 v1.5, SHA-256).
#[async_trait]
pub trait BlobSigner: Send + Sync + Debug {
    /// The service account's e-mail; it becomes the `X-Goog-Credential` of the URL.
    fn email(&self) -> &str;

    /// The raw RSA-SHA256 signature of `blob`. Errors are [`Error::Provider`] (the call failed)
    /// or [`Error::Credentials`] (no token); they never contain a token.
    async fn sign_blob(&self, blob: &[u8]) -> Result<Vec<u8>, Error>;
}

/// Provides OAuth 2.0 access tokens (metadata server, workload identity, gcloud, ...).
#[async_trait]
pub trait TokenSource: Send + Sync + Debug {
    /// A currently valid access token. Implementations cache and refresh as they see fit.
    async fn token(&self) -> Result<SecretString, Error>;
}

/// A fixed token, for tests and for callers that manage tokens themselves.
#[derive(Debug, Clone)]
pub struct StaticToken(SecretString);

impl StaticToken {
    /// Wraps a token.
    pub fn new(token: SecretString) -> Self {
        StaticToken(token)
    }
}

#[async_trait]
impl TokenSource for StaticToken {
    async fn token(&self) -> Result<SecretString, Error> {
        Ok(self.0.clone())
    }
}
