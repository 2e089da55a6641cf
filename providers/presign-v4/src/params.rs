//! What the query signer takes: the service's rules ([`SigningParams`]) and the request
//! ([`QueryRequest`]); and what it can give back besides the URL ([`Capture`], [`Spans`],
//! [`SignedQuery`]).

use std::fmt;
use std::ops::Range;

use presign_core::Timestamp;
use presign_core::crypto::EMPTY_SHA256_HEX;

use crate::dialect::Dialect;

/// The payload hash of a presigned URL: the body is not signed.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// The last line of the canonical request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadHash<'a> {
    /// `UNSIGNED-PAYLOAD` (S3 presigned URLs).
    Unsigned,
    /// The lower-case hex SHA-256 of the body.
    Hex(&'a str),
    /// The value of this signed header (lower-case name) when the request signs it, else
    /// `UNSIGNED-PAYLOAD` (GCS: `x-goog-content-sha256`).
    FromHeader(&'a str),
}

impl PayloadHash<'_> {
    /// The hash of an empty body.
    pub const EMPTY: PayloadHash<'static> = PayloadHash::Hex(EMPTY_SHA256_HEX);
}

/// How a service wants its requests signed: the dialect and the few rules that differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigningParams<'a> {
    /// The names (AWS or GCS, RSA or HMAC).
    pub dialect: &'a Dialect,
    /// Remove `.`, `..` and empty segments from the path before signing (AWS services other
    /// than S3).
    pub normalize_path: bool,
    /// Percent-encode the already-encoded path once more (AWS services other than S3).
    pub double_encode_path: bool,
    /// The payload hash.
    pub payload_hash: PayloadHash<'a>,
    /// Add the session token to the URL after signing instead of signing it (some AWS services
    /// want that; S3 signs it).
    pub omit_session_token: bool,
}

impl SigningParams<'static> {
    /// S3: path encoded once and not normalized, `UNSIGNED-PAYLOAD`, session token signed.
    pub const fn s3() -> Self {
        SigningParams {
            dialect: &Dialect::AWS4_HMAC_SHA256,
            normalize_path: false,
            double_encode_path: false,
            payload_hash: PayloadHash::Unsigned,
            omit_session_token: false,
        }
    }

    /// Any other AWS service: path normalized and encoded twice, empty body hash, token signed.
    pub const fn aws_service() -> Self {
        SigningParams {
            dialect: &Dialect::AWS4_HMAC_SHA256,
            normalize_path: true,
            double_encode_path: true,
            payload_hash: PayloadHash::EMPTY,
            omit_session_token: false,
        }
    }

    /// GCS: path encoded once and not normalized, `x-goog-content-sha256` or
    /// `UNSIGNED-PAYLOAD`.
    pub const fn gcs(dialect: &'static Dialect) -> Self {
        SigningParams {
            dialect,
            normalize_path: false,
            double_encode_path: false,
            payload_hash: PayloadHash::FromHeader("x-goog-content-sha256"),
            omit_session_token: false,
        }
    }
}

/// The request to presign. Path, query names and values are raw (not percent-encoded): the
/// signer encodes them.
#[derive(Clone, Copy)]
pub struct QueryRequest<'a> {
    /// The HTTP method, upper-case.
    pub method: &'a str,
    /// The `Host` value to sign (`host` or `host:port` for AWS; GCS signs the host alone).
    pub host: &'a str,
    /// The raw path, starting with `/` (read by [`sign_query`](crate::sign_query); [`presign_into`](crate::presign_into) takes the
    /// path in pieces instead).
    pub path: &'a str,
    /// Extra query parameters, raw, signed.
    pub query: &'a [(&'a str, &'a str)],
    /// Headers other than `Host` the client will send, signed (any case; repeated names are
    /// merged).
    pub headers: &'a [(&'a str, &'a str)],
    /// The signing time.
    pub time: Timestamp,
    /// The lifetime in seconds (`X-Amz-Expires`, `X-Goog-Expires`).
    pub expires_in: u64,
    /// The session token of temporary AWS credentials, raw.
    pub session_token: Option<&'a str>,
}

impl<'a> QueryRequest<'a> {
    /// A request with no extra query parameters, headers or session token.
    pub fn new(
        method: &'a str,
        host: &'a str,
        path: &'a str,
        time: Timestamp,
        expires_in: u64,
    ) -> Self {
        QueryRequest {
            method,
            host,
            path,
            query: &[],
            headers: &[],
            time,
            expires_in,
            session_token: None,
        }
    }
}

impl fmt::Debug for QueryRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QueryRequest")
            .field("method", &self.method)
            .field("host", &self.host)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("time", &self.time)
            .field("expires_in", &self.expires_in)
            .field("session_token", &self.session_token.map(|_| "[REDACTED]"))
            .finish_non_exhaustive()
    }
}

/// The intermediate texts of a signature, built only when asked for (explaining, vectors).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Capture {
    /// The canonical request (contains the session token, if signed).
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The signed header names, `;`-separated.
    pub signed_headers: String,
}

/// Where a signed URL's parts are, as byte ranges of the URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spans {
    /// The encoded path.
    pub path: Range<usize>,
    /// The query, signature included.
    pub query: Range<usize>,
    /// The hex signature.
    pub signature: Range<usize>,
}

/// A presigned request with its intermediate results (explaining, test vectors).
#[derive(Clone, PartialEq, Eq)]
pub struct SignedQuery {
    /// The URL path: the raw path encoded once (never normalized).
    pub path: String,
    /// The URL query: the canonical query, then the signature (after an omitted session
    /// token, if any). A bearer token: do not log it.
    pub query: String,
    /// The signature, lower-case hex.
    pub signature: String,
    /// The canonical request (contains the session token, if signed).
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The signed header names, `;`-separated.
    pub signed_headers: String,
    /// `yyyymmdd/region/service/terminator`.
    pub credential_scope: String,
}

impl fmt::Debug for SignedQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedQuery")
            .field("path", &self.path)
            .field("signed_headers", &self.signed_headers)
            .field("credential_scope", &self.credential_scope)
            .finish_non_exhaustive()
    }
}
