//! # presign-core
//!
//! The provider-agnostic contract of presign: one [`Presigner`] trait that every cloud provider
//! implements, the request ([`PresignRequest`]) and result ([`PresignedRequest`]) types, the
//! [`Capabilities`] a provider declares (which [`Constraints`] its server really enforces), one
//! [`Error`] type, an injected [`Clock`], and the pieces every provider shares: percent-encoding
//! ([`encoding`]), hashing ([`crypto`]), secrets that never print ([`secret`]), URL redaction
//! ([`redact`]), and credentials apart from signing ([`credential`]: a [`Credential`] snapshot,
//! the [`CredentialSource`] trait, the shared [`CredentialCache`], [`BearerToken`]).
//!
//! Two signing traits, one contract: [`Presigner`] (async, object-safe) and [`SyncPresigner`]
//! (the same without a future, whenever the credential is at hand); POST policies likewise
//! ([`PostPresigner`], [`SyncPostPresigner`]). A wrapper such as the policy layer sees each
//! signature's credential expiry through the [`Prepare`] hook.
//!
//! This crate has no provider code and no async runtime dependency.
//!
//! ```
//! use presign_core::{Method, ObjectKey, PresignRequest, Constraints};
//! use std::time::Duration;
//!
//! let mut constraints = Constraints::default();
//! constraints.content_type = Some("image/png".into());
//! let request = PresignRequest::new(Method::Put, ObjectKey::new("uploads/cat.png")?)
//!     .with_ttl(Duration::from_secs(300))
//!     .with_constraints(constraints);
//! assert_eq!(request.key.as_str(), "uploads/cat.png");
//! # Ok::<(), presign_core::Error>(())
//! ```

pub mod capabilities;
pub mod cdn;
pub mod clock;
pub mod constraints;
pub mod cookies;
pub mod credential;
pub mod credential_cache;
pub mod crypto;
pub mod decimal;
pub mod duration;
pub mod encoding;
pub mod endpoint;
pub mod error;
pub mod explain;
pub mod key;
pub mod method;
pub mod pem;
pub mod post_policy;
pub mod presigned;
pub mod presigner;
pub mod redact;
pub mod request;
pub mod safe_names;
pub mod secret;
pub mod signed_url;
pub mod timestamp;
pub mod verify;

pub use capabilities::{Capabilities, ConstraintKind, Support};
pub use clock::{Clock, FixedClock, SharedClock, SystemClock};
pub use constraints::{
    Checksum, ChecksumAlgorithm, ClientIp, Constraints, ContentLength, ResponseOverrides,
};
pub use cookies::{
    CookieAttributes, CookiePresigner, CookieRequest, ResourcePattern, SameSite, SignedCookies,
};
pub use credential::{BearerToken, Credential, CredentialSource, StaticCredential, TokenSource};
pub use credential_cache::CredentialCache;
pub use endpoint::{BaseUrl, Scheme};
pub use error::Error;
pub use explain::Explanation;
pub use key::ObjectKey;
pub use method::{Method, MethodSet};
pub use post_policy::{PostPolicyRequest, PostPresigner, PresignedPost, SyncPostPresigner};
pub use presigned::PresignedRequest;
pub use presigner::{AsIs, Prepare, Presigner, SyncPresigner};
pub use request::{DEFAULT_TTL, PresignRequest};
pub use secret::SecretString;
pub use timestamp::Timestamp;
