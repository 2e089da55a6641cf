//! # presign-cloudfront
//!
//! Amazon CloudFront signed URLs and signed cookies.
//!
//! - **Policies** ([`policy`]): canned (`Expires`, only an expiry; CloudFront rebuilds the
//!   policy from the URL) and custom (`Policy`: wildcard resources `*`/`?`, `DateGreaterThan`
//!   for not-before, `IpAddress` for an IPv4 client block). Resources that would need escaping
//!   inside the policy JSON are refused, never escaped.
//! - **Keys** ([`key`]): RSA (PKCS#1 or PKCS#8 PEM) and ECDSA P-256 (PKCS#8 or SEC1 PEM);
//!   SHA-1 (CloudFront's default) or SHA-256 (`Hash-Algorithm=SHA256`); ECDSA only with
//!   SHA-256. Key ids `K…` (key groups) and legacy `APKA…`.
//! - **Encoding** ([`encoding`]): CloudFront's base64 (`+`→`-`, `=`→`_`, `/`→`~`).
//! - [`CloudFrontSigner`]: the low-level signer (grant in, URL or cookies out).
//! - [`CloudFrontPresigner`]: presign's `Presigner` and `CookiePresigner` for a distribution,
//!   with a [`KeyGroup`] (several keys, one active, retirement dates) and honest capabilities.
//!
//! ```
//! use std::sync::Arc;
//! use presign_cloudfront::{CloudFrontSigner, Grant, HashAlgorithm, KeyPairId, PolicyKind, SigningKey};
//! use presign_core::Timestamp;
//! # let pem = include_str!("../tests/keys/rsa-2048-pkcs8.pem");
//! let key = Arc::new(SigningKey::from_pem(pem)?);
//! let signer = CloudFrontSigner::new(KeyPairId::new("K2JCJMDEHXQW5F")?, key, HashAlgorithm::Sha256)?;
//! let grant = Grant::new("https://d111111abcdef8.cloudfront.net/videos/*", Timestamp::from_unix(1767290400)?)?;
//! let url = signer.signed_url("https://d111111abcdef8.cloudfront.net/videos/a.mp4", &grant, PolicyKind::Custom)?;
//! assert!(url.starts_with("https://d111111abcdef8.cloudfront.net/videos/a.mp4?Policy="));
//! assert!(url.ends_with("&Key-Pair-Id=K2JCJMDEHXQW5F&Hash-Algorithm=SHA256"));
//! # Ok::<(), presign_core::Error>(())
//! ```

pub mod encoding;
pub mod key;
pub mod key_group;
pub mod policy;
pub mod presigner;
pub mod signer;
mod verify;

pub use key::{HashAlgorithm, KeyKind, KeyPairId, SigningKey};
pub use key_group::{GroupKey, KeyGroup};
pub use policy::{Grant, PolicyKind, SourceIp};
pub use presigner::{CloudFrontPresigner, CloudFrontPresignerBuilder};
pub use signer::{CloudFrontSigner, SignedParams};

use presign_core::redact::{SecretKind, SecretParam};

/// The query parameter and cookies of CloudFront signed URLs and cookies whose values grant
/// access, for [`presign_core::redact::Redactor`]: `Signature` and the `CloudFront-Signature` and
/// `CloudFront-Policy` cookies. `Expires`, `Policy` in a URL and `Key-Pair-Id` stay visible.
pub const SECRET_PARAMS: &[SecretParam] = &[
    SecretParam::new("Signature", SecretKind::Signature),
    SecretParam::new("CloudFront-Signature", SecretKind::Signature),
    SecretParam::new("CloudFront-Policy", SecretKind::Policy),
];
