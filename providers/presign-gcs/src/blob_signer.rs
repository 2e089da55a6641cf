//! Keyless signing: a [`BlobSigner`] signs the string to sign remotely (the IAM Credentials
//! `signBlob` API), with an OAuth token from a [`TokenSource`](presign_core::TokenSource).
//!
//! The trait is always available, so an application can plug in its own signer (a KMS, a
//! test double) without extra dependencies; the HTTP client for the real IAM API,
//! [`crate::IamSignBlob`], needs the `sign-blob` feature.

use std::fmt::Debug;

use async_trait::async_trait;
use presign_core::Error;

/// Signs bytes with a service account's Google-managed key (RSA PKCS#1 v1.5, SHA-256).
#[async_trait]
pub trait BlobSigner: Send + Sync + Debug {
    /// The service account's e-mail; it becomes the `X-Goog-Credential` of the URL.
    fn email(&self) -> &str;

    /// The raw RSA-SHA256 signature of `blob`. Errors are [`Error::Provider`] (the call failed)
    /// or [`Error::Credentials`] (no token); they never contain a token.
    async fn sign_blob(&self, blob: &[u8]) -> Result<Vec<u8>, Error>;
}
