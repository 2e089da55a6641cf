//! # presign-v4
//!
//! The SigV4 / GOOG4 family, written once. AWS Signature Version 4 and Google Cloud Storage V4
//! are one algorithm with different names ([`Dialect`]): the same canonical request
//! ([`headers`], [`canonical`]), the same key derivation and credential scope ([`scope`]), the
//! same query signer ([`presign_into`]), and the same POST policy documents ([`post`]).
//!
//! The query signer returns the string to sign; each member signs it its own way: S3 and GCS
//! HMAC keys with HMAC-SHA256 under a derived [`SigningKey`] ([`presign_hmac_into`]), GCS
//! service-account keys with RSA, IAM `signBlob` remotely.
//!
//! Used by `presign-s3` and `presign-gcs`; applications use those.

pub mod canonical;
mod dialect;
pub mod headers;
mod params;
pub mod post;
pub mod scope;
mod signer;

pub use canonical::{CanonicalQuery, HashSink, normalize_path, write_canonical_uri};
pub use dialect::{Dialect, Names};
pub use headers::{CanonicalHeaders, canonical_header_name, canonical_header_value};
pub use params::{
    Capture, PayloadHash, QueryRequest, SignedQuery, SigningParams, Spans, UNSIGNED_PAYLOAD,
};
pub use scope::{DayCache, Scope, SigningKey, derive_signing_key, write_scope};
pub use signer::{Unsigned, presign_hmac_into, presign_into, sign_query};
