//! Google credentials for keyless GCS signing, from the official
//! [`google-cloud-auth`](https://docs.rs/google-cloud-auth) crate.
//!
//! A GCS URL signed without a key file is signed by IAM `signBlob`
//! ([`presign_gcs::IamSignBlob`]): the service account's Google-managed key signs, and an OAuth
//! token authorizes the call. This crate supplies both halves:
//!
//! - [`GoogleTokenSource`], a [`presign_core::TokenSource`] over google-cloud-auth's access-token
//!   credentials: the GCE/GKE/Cloud Run metadata server, Application Default Credentials
//!   (`GOOGLE_APPLICATION_CREDENTIALS`), or a credentials JSON of type `authorized_user`,
//!   `impersonated_service_account`, `external_account` (workload identity federation) or
//!   `service_account`.
//! - [`signer_email`]: the e-mail of the account that signs: the metadata server's default
//!   service account, or the target of an impersonation URL.
//! - [`metadata_sign_blob`]: both together for the metadata server, as a
//!   [`presign_gcs::IamSignBlob`] ready for
//!   [`GcsPresignerBuilder::blob_signer`](presign_gcs::GcsPresignerBuilder::blob_signer).
//!
//! - [`GoogleSource`]: the sources by the names the configuration uses, built on their first
//!   fetch (google-cloud-auth starts fetching as soon as a credential is built, inside a Tokio
//!   runtime; build [`GoogleTokenSource`] inside one).
//!
//! A service-account key file needs none of this: presign-gcs signs with the key locally.
//!
//! **Expiry.** google-cloud-auth caches its tokens and refreshes them before they expire, but
//! does not publish their expiry; the token source therefore hands each token out without one
//! and asks google-cloud-auth again for every `signBlob` call (a cache hit while fresh). No URL
//! is bounded by the token's life, and none needs to be: the signature is made with the
//! service account's own key, and the URL lives until its `X-Goog-Expires`.
//!
//! ```no_run
//! # async fn run() -> Result<(), presign_core::Error> {
//! use presign_credentials_gcp::metadata_sign_blob;
//! use presign_gcs::{GcsPresigner, SignerKind};
//! use std::sync::Arc;
//!
//! let signer = metadata_sign_blob("assets", None).await?;
//! let gcs = GcsPresigner::builder()
//!     .bucket("my-assets")
//!     .signer(SignerKind::SignBlob)
//!     .blob_signer(Arc::new(signer))
//!     .build()?;
//! # let _ = gcs; Ok(()) }
//! ```

mod email;
mod named;
mod token_source;

pub use email::{metadata_sign_blob, signer_email};
pub use named::{GoogleSource, NamedGoogleSource};
pub use token_source::{CLOUD_PLATFORM_SCOPE, GoogleTokenSource};

/// The `google-cloud-auth` crate this one is built on.
pub use google_cloud_auth;
