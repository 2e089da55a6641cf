//! [`object_store`](https://docs.rs/object_store) interop, both ways:
//!
//! - [`PolicySigner`] (feature `signer`): an `object_store::signer::Signer` on top of a
//!   presign presigner *behind its policy layer*. Code written against object_store's signer
//!   trait (`signed_url(method, path, expires_in)`) gets presign's policy: the keys it may sign,
//!   the methods, the maximum lifetime (a longer `expires_in` is clamped, or refused under
//!   `ExcessTtl::Reject`), no URL outliving its credentials, signed headers only from the
//!   allow-list. A refusal is `object_store::Error::PermissionDenied` naming the path and the
//!   rule.
//! - [`ObjectStoreAwsSource`] (feature `aws`): object_store's AWS credential provider (the one
//!   an `AmazonS3` already holds: static keys, web identity, ECS/EKS, IMDS) as a presign
//!   [`CredentialSource`](presign_core::CredentialSource) for
//!   [`S3PresignerBuilder::credential_source`](presign_s3::S3PresignerBuilder::credential_source).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use std::sync::Arc;
//! use std::time::Duration;
//! use object_store::path::Path;
//! use object_store::signer::{Method, Signer};
//! use presign_object_store::{ObjectStoreAwsSource, PolicySigner};
//! use presign_policy::{Policy, PolicyLayer};
//! use presign_s3::S3Presigner;
//!
//! # let store: object_store::aws::AmazonS3 = todo!();
//! // The credentials the application's AmazonS3 already uses...
//! let s3 = S3Presigner::builder()
//!     .bucket("media")
//!     .region("eu-west-1")
//!     .credential_source(Arc::new(ObjectStoreAwsSource::from_store(&store)))
//!     .build()?;
//! // ...sign through presign's policy, behind object_store's trait.
//! let signer = PolicySigner::new(
//!     PolicyLayer::new(Policy::default().with_key_prefixes(["uploads/"]))?.layer(s3),
//! );
//! let url = signer
//!     .signed_url(Method::PUT, &Path::from("uploads/a.png"), Duration::from_secs(300))
//!     .await?;
//! # let _ = url; Ok(()) }
//! ```

#[cfg(feature = "aws")]
mod aws_source;
#[cfg(feature = "signer")]
mod signer;

#[cfg(feature = "aws")]
pub use aws_source::{DEFAULT_VALID_FOR, ObjectStoreAwsSource};
#[cfg(feature = "signer")]
pub use signer::PolicySigner;

/// The `object_store` crate this one is built on.
pub use object_store;
