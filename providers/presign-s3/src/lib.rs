//! AWS SigV4 query presigning for S3 and S3-compatible stores (MinIO, Garage, SeaweedFS, R2,
//! a CloudFront or proxy host in front of a bucket).
//!
//! - [`S3Presigner`] implements [`presign_core::Presigner`] for one bucket: methods GET, HEAD,
//!   PUT, POST, DELETE; `UNSIGNED-PAYLOAD`; keys encoded once, never normalized (`a/./b` and
//!   `a//b` are signed as they are); time-to-live 1 second to 7 days.
//! - Addressing ([`Addressing`]): regional virtual-hosted by default, path style, custom
//!   endpoints, a separate public endpoint; buckets that cannot be a host name fall back to path
//!   style.
//! - Constraints become signed headers (returned in [`presign_core::PresignedRequest::headers`])
//!   or signed query parameters; see [`capabilities::s3_capabilities`] for what is enforced.
//! - The SigV4 algorithm itself (canonical request, key derivation, the query signer, POST
//!   policy documents) is the `presign-v4` crate, shared with GCS; this crate holds what is
//!   S3's: addressing, names, constraints, capabilities. The signing key is derived once per
//!   day, region and access key and zeroized when dropped.
//!
//! ```
//! use presign_core::{Constraints, Method, ObjectKey, PresignRequest, SyncPresigner, Timestamp};
//! use presign_s3::{Addressing, Credentials, S3Presigner};
//! use std::time::Duration;
//!
//! let s3 = S3Presigner::builder()
//!     .bucket("presign-test")
//!     .endpoint("http://127.0.0.1:8333")
//!     .addressing(Addressing::Path)
//!     .credentials(Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
//!     .build()?;
//! let mut c = Constraints::default();
//! c.content_type = Some("image/png".into());
//! let put = s3.presign_sync(
//!     &PresignRequest::new(Method::Put, ObjectKey::new("uploads/cat 1.png")?)
//!         .with_ttl(Duration::from_secs(300))
//!         .with_constraints(c)
//!         .signed_at(Timestamp::parse_rfc3339("2026-01-02T03:04:05Z")?),
//! )?;
//! assert!(put.expose_url().starts_with("http://127.0.0.1:8333/presign-test/uploads/cat%201.png?"));
//! assert_eq!(put.headers(), &[("content-type".to_string(), "image/png".to_string())]);
//! # Ok::<(), presign_core::Error>(())
//! ```

mod addressing;
mod builder;
mod capabilities;
mod constraints;
mod credential;
mod endpoint;
mod explain;
mod names;
mod post_policy;
mod presigner;
mod verify;

pub use addressing::{Addressing, ResolvedAddressing};
pub use builder::S3PresignerBuilder;
pub use capabilities::{MAX_KEY_BYTES, MAX_TTL, S3_SAFE_NAMES, s3_capabilities};
pub use credential::Credentials;
pub use endpoint::{parse as parse_endpoint, partition_dns_suffix};
pub use explain::Explanation;
pub use names::{validate_bucket, validate_region};
pub use post_policy::FILENAME_VARIABLE;
pub use presigner::{DEFAULT_NAME, DEFAULT_REGION, S3Presigner};

use presign_core::redact::{SecretKind, SecretParam};

/// The query parameters and headers of S3 signed URLs whose values grant or identify access, for
/// [`presign_core::redact::Redactor`]: SigV4 (`X-Amz-Signature`, `X-Amz-Security-Token`,
/// `X-Amz-Credential`) and legacy SigV2 (`Signature`, `AWSAccessKeyId`).
pub const SECRET_PARAMS: &[SecretParam] = &[
    SecretParam::new("X-Amz-Signature", SecretKind::Signature),
    SecretParam::new("X-Amz-Security-Token", SecretKind::Token),
    SecretParam::new("X-Amz-Credential", SecretKind::CredentialScope),
    SecretParam::new("Signature", SecretKind::Signature),
    SecretParam::new("AWSAccessKeyId", SecretKind::KeyId),
];
