//! # presign-gcs
//!
//! Google Cloud Storage V4 signed URLs behind [`presign_core::Presigner`], with three signers:
//!
//! - `GOOG4-RSA-SHA256` with a service-account JSON key (inline, from a file, or from
//!   `GOOGLE_APPLICATION_CREDENTIALS` when asked), parsed once; RSA on aws-lc-rs (default
//!   feature `aws-lc-rs`) or ring (feature `ring`);
//! - `GOOG4-HMAC-SHA256` with a GCS HMAC key (access id + secret), the derived key cached per day;
//! - keyless: any [`BlobSigner`], such as `IamSignBlob` (feature `sign-blob`) which calls the
//!   IAM Credentials `signBlob` API with a bearer token from a
//!   [`TokenSource`](presign_core::TokenSource) (core's credential abstraction).
//!
//! URLs are path style (default), virtual-hosted, bucket-bound hostname, custom endpoint,
//! emulator host or another universe domain ([`UrlStyle`], [`GcsPresignerBuilder`]). Object names
//! are encoded per GCS rules (`/` kept, everything outside the unreserved set encoded, no
//! dot-segment normalisation). What each constraint becomes is listed in
//! [`gcs_capabilities`]. The canonical request and string to sign come from
//! [`GcsPresigner::explain`]; the V4 algorithm itself (canonical request, scope, key derivation,
//! the query signer, POST policy documents) is the `presign-v4` crate, shared with S3.
//!
//! POST policies V4 (browser form uploads) come from [`presign_core::PostPresigner`] (and
//! [`presign_core::SyncPostPresigner`] for local keys), which [`GcsPresigner`] implements.
//!
//! Every `signingV4Tests` and `postPolicyV4Tests` case of the vendor conformance file is checked
//! in the workspace tests.

mod blob_signer;
mod builder;
mod capabilities;
mod constraints;
mod credential;
mod endpoint;
#[cfg(feature = "sign-blob")]
mod iam;
pub mod post_policy;
mod presigner;
mod request;
mod rsa;
mod service_account;
mod verify;

pub use blob_signer::BlobSigner;
pub use builder::{DEFAULT_UNIVERSE_DOMAIN, GcsPresignerBuilder};
pub use capabilities::{GCS_SAFE_NAMES, MAX_OBJECT_NAME_BYTES, gcs_capabilities};
pub use credential::SignerKind;
pub use endpoint::UrlStyle;
#[cfg(feature = "sign-blob")]
pub use iam::{IAM_CREDENTIALS_ENDPOINT, IamSignBlob};
pub use presigner::GcsPresigner;
pub use request::{ALGORITHM_HMAC, ALGORITHM_RSA, MAX_EXPIRES_SECS, V4Request};
pub use service_account::APPLICATION_CREDENTIALS_ENV;

use presign_core::redact::{SecretKind, SecretParam};

/// The query parameters of GCS signed URLs whose values grant or identify access, for
/// [`presign_core::redact::Redactor`]: V4 (`X-Goog-Signature`, `X-Goog-Credential`) and legacy
/// V2 (`Signature`, `GoogleAccessId`).
pub const SECRET_PARAMS: &[SecretParam] = &[
    SecretParam::new("X-Goog-Signature", SecretKind::Signature),
    SecretParam::new("X-Goog-Credential", SecretKind::CredentialScope),
    SecretParam::new("Signature", SecretKind::Signature),
    SecretParam::new("GoogleAccessId", SecretKind::KeyId),
];
