//! The generic AWS Signature Version 4 query-signing core (presigned URLs).
//!
//! S3 and the other AWS services share this algorithm and differ in a few parameters, collected
//! in [`SigningParams`]: S3 ([`SigningParams::s3`]) encodes the path once, never normalizes it,
//! and signs `UNSIGNED-PAYLOAD`; other services ([`SigningParams::generic`]) remove dot segments
//! and empty segments from the path, encode it twice, and sign the body's SHA-256.
//!
//! ```
//! use presign_core::{SecretString, Timestamp};
//! use presign_s3::signing_key::SigningKey;
//! use presign_s3::sigv4::{sign_query, Identity, QueryRequest, SigningParams};
//!
//! // The query-authentication example of the S3 documentation.
//! let time = Timestamp::parse_rfc3339("2013-05-24T00:00:00Z")?;
//! let secret = SecretString::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
//! let params = SigningParams::s3("us-east-1");
//! let key = SigningKey::derive("AKIAIOSFODNN7EXAMPLE", &secret, time, "us-east-1", "s3");
//! let signed = sign_query(
//!     &params,
//!     &Identity::new("AKIAIOSFODNN7EXAMPLE", None),
//!     &key,
//!     &QueryRequest::new("GET", "examplebucket.s3.amazonaws.com", "/test.txt", time, 86_400),
//! )?;
//! assert_eq!(
//!     signed.signature,
//!     "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
//! );
//! # Ok::<(), presign_core::Error>(())
//! ```

mod canonical;

use std::borrow::Cow;
use std::fmt;

use presign_core::crypto::{EMPTY_SHA256_HEX, hex_into, hmac_sha256, sha256};
use presign_core::encoding::{EncodeSet, encode, encode_into};
use presign_core::{Error, Timestamp};

pub use canonical::{canonical_header_value, normalize_path};

use crate::signing_key::SigningKey;

/// The algorithm name SigV4 puts in `X-Amz-Algorithm` and the string to sign.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The payload hash of a presigned S3 request: the body is not signed.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// The query parameter that carries the signature.
pub const SIGNATURE_PARAM: &str = "X-Amz-Signature";

/// The query parameter that carries the lifetime in seconds.
pub const EXPIRES_PARAM: &str = "X-Amz-Expires";

/// The query parameter that carries a session token.
pub const SECURITY_TOKEN_PARAM: &str = "X-Amz-Security-Token";

/// The last line of the canonical request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadHash<'a> {
    /// `UNSIGNED-PAYLOAD` (S3 presigned URLs).
    Unsigned,
    /// The lower-case hex SHA-256 of the body.
    Hex(&'a str),
}

impl PayloadHash<'_> {
    /// The hash of an empty body.
    pub const EMPTY: PayloadHash<'static> = PayloadHash::Hex(EMPTY_SHA256_HEX);

    /// The text that ends the canonical request.
    pub fn as_str(&self) -> &str {
        match self {
            PayloadHash::Unsigned => UNSIGNED_PAYLOAD,
            PayloadHash::Hex(h) => h,
        }
    }
}

/// How a service wants its requests signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigningParams<'a> {
    /// The service name in the credential scope (`s3`, `service`, ...).
    pub service: &'a str,
    /// The region in the credential scope (`us-east-1`, ...).
    pub region: &'a str,
    /// Remove `.`, `..` and empty segments from the path before signing (not for S3).
    pub normalize_path: bool,
    /// Percent-encode the already-encoded path once more (not for S3).
    pub double_encode_path: bool,
    /// The payload hash.
    pub payload_hash: PayloadHash<'a>,
    /// Add the session token to the URL after signing instead of signing it (some services
    /// want that; S3 signs it).
    pub omit_session_token: bool,
}

impl<'a> SigningParams<'a> {
    /// S3: service `s3`, path encoded once and not normalized, `UNSIGNED-PAYLOAD`, token signed.
    pub fn s3(region: &'a str) -> Self {
        SigningParams {
            service: "s3",
            region,
            normalize_path: false,
            double_encode_path: false,
            payload_hash: PayloadHash::Unsigned,
            omit_session_token: false,
        }
    }

    /// Any other AWS service: path normalized and encoded twice, empty body hash, token signed.
    pub fn generic(service: &'a str, region: &'a str) -> Self {
        SigningParams {
            service,
            region,
            normalize_path: true,
            double_encode_path: true,
            payload_hash: PayloadHash::EMPTY,
            omit_session_token: false,
        }
    }
}

/// Who signs: the access key id and, for temporary credentials, the session token.
#[derive(Clone, Copy)]
pub struct Identity<'a> {
    /// The access key id (public).
    pub access_key_id: &'a str,
    /// The session token of temporary credentials.
    pub session_token: Option<&'a str>,
}

impl<'a> Identity<'a> {
    /// An identity.
    pub fn new(access_key_id: &'a str, session_token: Option<&'a str>) -> Self {
        Identity {
            access_key_id,
            session_token,
        }
    }
}

impl fmt::Debug for Identity<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Identity")
            .field("access_key_id", &self.access_key_id)
            .field("session_token", &self.session_token.map(|_| "[REDACTED]"))
            .finish()
    }
}

/// The request to presign. Path, query names and values are raw (not percent-encoded): the
/// signer encodes them.
#[derive(Debug, Clone, Copy)]
pub struct QueryRequest<'a> {
    /// The HTTP method, upper-case.
    pub method: &'a str,
    /// The `Host` header the client will send (`host` or `host:port`, no default port).
    pub host: &'a str,
    /// The raw path, starting with `/`.
    pub path: &'a str,
    /// Extra query parameters, raw, signed.
    pub query: &'a [(&'a str, &'a str)],
    /// Headers other than `Host` the client will send, signed (any case; repeated names are
    /// merged).
    pub headers: &'a [(&'a str, &'a str)],
    /// The signing time.
    pub time: Timestamp,
    /// `X-Amz-Expires`, in seconds.
    pub expires_in: u64,
}

impl<'a> QueryRequest<'a> {
    /// A request with no extra query parameters or headers.
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
        }
    }
}

/// A presigned request: the URL's path and query, and the intermediate results.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedQuery {
    /// The URL path: the raw path encoded once (never normalized).
    pub path: String,
    /// The URL query: the canonical query, then `X-Amz-Signature` (after an omitted session
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
    /// `yyyymmdd/region/service/aws4_request`.
    pub credential_scope: String,
}

impl fmt::Debug for SignedQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignedQuery")
            .field("path", &self.path)
            .field(
                "query",
                &presign_core::redact::redact_url(&format!("?{}", self.query)),
            )
            .field("signed_headers", &self.signed_headers)
            .field("credential_scope", &self.credential_scope)
            .finish_non_exhaustive()
    }
}

/// Presigns `req` with a signing key derived for its day, region and service.
///
/// Fails only when the key was derived for another day, region or service.
pub fn sign_query(
    params: &SigningParams<'_>,
    identity: &Identity<'_>,
    key: &SigningKey,
    req: &QueryRequest<'_>,
) -> Result<SignedQuery, Error> {
    if !key.matches(
        identity.access_key_id,
        req.time,
        params.region,
        params.service,
    ) {
        return Err(Error::invalid_input(
            "signing key",
            format!(
                "derived for {}/{}/{}, but the request signs for {}/{}/{} with {}",
                key.date(),
                key.region(),
                key.service(),
                req.time.to_basic().get(..8).unwrap_or_default(),
                params.region,
                params.service,
                identity.access_key_id,
            ),
        ));
    }

    let mut amz_date = String::with_capacity(16);
    req.time.write_basic(&mut amz_date);
    let mut scope = String::with_capacity(8 + params.region.len() + params.service.len() + 16);
    scope.push_str(key.date());
    scope.push('/');
    scope.push_str(params.region);
    scope.push('/');
    scope.push_str(params.service);
    scope.push_str("/aws4_request");

    // Headers.
    let headers = canonical::canonical_headers(req.host, req.headers);
    let mut signed_headers = String::with_capacity(headers.iter().map(|h| h.0.len() + 1).sum());
    for (i, (name, _)) in headers.iter().enumerate() {
        if i > 0 {
            signed_headers.push(';');
        }
        signed_headers.push_str(name);
    }

    // Query: the caller's parameters plus the authentication parameters, sorted.
    let mut credential = String::with_capacity(identity.access_key_id.len() + scope.len() + 8);
    encode_into(
        &mut credential,
        identity.access_key_id,
        EncodeSet::Component,
    );
    credential.push_str("%2F");
    encode_into(&mut credential, &scope, EncodeSet::Component);
    let expires = req.expires_in.to_string();
    let token = identity
        .session_token
        .map(|t| encode(t, EncodeSet::Component));
    let mut entries: Vec<(Cow<'_, str>, Cow<'_, str>)> = Vec::with_capacity(req.query.len() + 6);
    for (name, value) in req.query {
        entries.push((
            encode(name, EncodeSet::Component),
            encode(value, EncodeSet::Component),
        ));
    }
    entries.push((Cow::Borrowed("X-Amz-Algorithm"), Cow::Borrowed(ALGORITHM)));
    entries.push((
        Cow::Borrowed("X-Amz-Credential"),
        Cow::Borrowed(&credential),
    ));
    entries.push((Cow::Borrowed("X-Amz-Date"), Cow::Borrowed(&amz_date)));
    entries.push((Cow::Borrowed(EXPIRES_PARAM), Cow::Borrowed(&expires)));
    if let (Some(t), false) = (&token, params.omit_session_token) {
        entries.push((Cow::Borrowed(SECURITY_TOKEN_PARAM), Cow::Borrowed(&**t)));
    }
    entries.push((
        Cow::Borrowed("X-Amz-SignedHeaders"),
        encode(&signed_headers, EncodeSet::Component),
    ));
    entries.sort_unstable();

    let mut path = String::with_capacity(req.path.len() + req.path.len() / 2 + 1);
    if !req.path.starts_with('/') {
        path.push('/');
    }
    encode_into(&mut path, req.path, EncodeSet::Path);

    let query_len: usize = entries.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
    let mut query =
        String::with_capacity(query_len + 96 + token.as_ref().map_or(0, |t| t.len() + 24));
    canonical::write_query(&mut query, &entries);

    // Canonical request.
    let headers_len: usize = headers.iter().map(|(n, v)| n.len() + v.len() + 2).sum();
    let mut canonical_request = String::with_capacity(
        req.method.len() + path.len() * 2 + query.len() + headers_len + signed_headers.len() + 72,
    );
    canonical_request.push_str(req.method);
    canonical_request.push('\n');
    let raw_path = if req.path.is_empty() { "/" } else { req.path };
    canonical::write_canonical_uri(
        &mut canonical_request,
        raw_path,
        &path,
        params.normalize_path,
        params.double_encode_path,
    );
    canonical_request.push('\n');
    canonical_request.push_str(&query);
    canonical_request.push('\n');
    for (name, value) in &headers {
        canonical_request.push_str(name);
        canonical_request.push(':');
        canonical_request.push_str(value);
        canonical_request.push('\n');
    }
    canonical_request.push('\n');
    canonical_request.push_str(&signed_headers);
    canonical_request.push('\n');
    canonical_request.push_str(params.payload_hash.as_str());

    // String to sign and signature.
    let mut string_to_sign =
        String::with_capacity(ALGORITHM.len() + amz_date.len() + scope.len() + 67);
    string_to_sign.push_str(ALGORITHM);
    string_to_sign.push('\n');
    string_to_sign.push_str(&amz_date);
    string_to_sign.push('\n');
    string_to_sign.push_str(&scope);
    string_to_sign.push('\n');
    hex_into(&sha256(canonical_request.as_bytes()), &mut string_to_sign);
    let mut signature = String::with_capacity(64);
    hex_into(
        &hmac_sha256(key.expose_secret(), string_to_sign.as_bytes()),
        &mut signature,
    );

    if let (Some(t), true) = (&token, params.omit_session_token) {
        query.push('&');
        query.push_str(SECURITY_TOKEN_PARAM);
        query.push('=');
        query.push_str(t);
    }
    query.push('&');
    query.push_str(SIGNATURE_PARAM);
    query.push('=');
    query.push_str(&signature);

    Ok(SignedQuery {
        path,
        query,
        signature,
        canonical_request,
        string_to_sign,
        signed_headers,
        credential_scope: scope,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use presign_core::SecretString;

    fn t() -> Timestamp {
        Timestamp::parse_rfc3339("2015-08-30T12:36:00Z").unwrap()
    }

    #[test]
    fn key_scope_must_match() {
        let secret = SecretString::new("s");
        let key = SigningKey::derive("AK", &secret, t(), "us-east-1", "s3");
        let p = SigningParams::s3("eu-west-1");
        let e = sign_query(
            &p,
            &Identity::new("AK", None),
            &key,
            &QueryRequest::new("GET", "h", "/", t(), 1),
        )
        .unwrap_err();
        assert!(e.to_string().contains("eu-west-1"), "{e}");
    }

    #[test]
    fn omitted_token_goes_after_signing() {
        let secret = SecretString::new("s");
        let key = SigningKey::derive("AK", &secret, t(), "r", "service");
        let mut p = SigningParams::generic("service", "r");
        let r = QueryRequest::new("GET", "h", "/", t(), 60);
        let plain = sign_query(&p, &Identity::new("AK", None), &key, &r).unwrap();
        p.omit_session_token = true;
        let omitted = sign_query(&p, &Identity::new("AK", Some("a/b")), &key, &r).unwrap();
        assert_eq!(plain.signature, omitted.signature);
        assert!(
            omitted
                .query
                .contains("&X-Amz-Security-Token=a%2Fb&X-Amz-Signature=")
        );
        p.omit_session_token = false;
        let signed = sign_query(&p, &Identity::new("AK", Some("a/b")), &key, &r).unwrap();
        assert_ne!(plain.signature, signed.signature);
        assert!(
            signed
                .canonical_request
                .contains("X-Amz-Security-Token=a%2Fb&")
        );
    }
}
