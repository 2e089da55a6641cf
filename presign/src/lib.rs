//! # presign
//!
//! Short-lived signed URLs for private objects in Amazon S3 (and S3-compatible stores), Google
//! Cloud Storage and Azure Blob Storage, through one trait, with a policy layer that makes the
//! safe choice the default.
//!
//! This is the facade: it re-exports the contract ([`presign_core`]) at its root, the policy
//! layer as [`policy`], and each provider as a module behind a cargo feature of the same name:
//!
//! | feature | module | what it signs |
//! |---|---|---|
//! | `s3` (default) | [`s3`] | SigV4 query URLs and POST policies for S3 and S3-compatible stores |
//! | `gcs` (default) | [`gcs`] | GCS V4 URLs (RSA, HMAC, IAM signBlob) and POST policies |
//! | `azure` (default) | [`azure`] | Azure Blob service SAS and user-delegation SAS |
//! | `cloudfront` | `cloudfront` | CloudFront signed URLs and cookies (canned/custom policies, RSA/ECDSA, key groups) |
//! | `cloud-cdn` | `cloud_cdn` | Google Cloud CDN signed URLs, URL prefixes and cookies |
//! | `config` | `config` | named, policy-wrapped providers from `presign.toml` and the environment |
//!
//! Turn off the clouds you do not use with `default-features = false`.
//!
//! ```
//! # #[cfg(feature = "s3")] {
//! use presign::policy::{Policy, PolicyLayer};
//! use presign::s3::{Credentials, S3Presigner};
//! use presign::{Method, ObjectKey, PresignRequest, SyncPresigner};
//!
//! let s3 = S3Presigner::builder()
//!     .bucket("my-bucket")
//!     .region("eu-west-1")
//!     .credentials(Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
//!     .build()?;
//! let safe = PolicyLayer::new(Policy::default().with_key_prefixes(["reports/"]))?.layer(s3);
//! let request = PresignRequest::new(Method::Get, ObjectKey::new("reports/q4.pdf")?);
//! let signed = safe.presign_sync(&request)?; // async: `safe.presign(&request).await`
//! assert!(signed.redacted_url().starts_with("https://my-bucket.s3.eu-west-1.amazonaws.com/reports/q4.pdf?"));
//! # }
//! # Ok::<(), presign::Error>(())
//! ```

#[doc(inline)]
pub use presign_core::*;

/// The policy layer: safe defaults around any presigner (see [`presign_policy`]).
pub use presign_policy as policy;

/// Amazon S3 and S3-compatible stores (see [`presign_s3`]).
#[cfg(feature = "s3")]
pub use presign_s3 as s3;

/// Google Cloud Storage (see [`presign_gcs`]).
#[cfg(feature = "gcs")]
pub use presign_gcs as gcs;

/// Azure Blob Storage (see [`presign_azure`]).
#[cfg(feature = "azure")]
pub use presign_azure as azure;

/// Amazon CloudFront signed URLs and cookies (see [`presign_cloudfront`]).
#[cfg(feature = "cloudfront")]
pub use presign_cloudfront as cloudfront;

/// Google Cloud CDN signed URLs, prefixes and cookies (see [`presign_cloud_cdn`]).
#[cfg(feature = "cloud-cdn")]
pub use presign_cloud_cdn as cloud_cdn;

/// Configuration: named, policy-wrapped providers (see [`presign_config`]).
#[cfg(feature = "config")]
pub use presign_config as config;
