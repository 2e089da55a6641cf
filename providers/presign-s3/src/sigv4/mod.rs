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

use std::ops::Range;

use presign_core::canonical::{CanonicalQuery, HashSink};
use presign_core::crypto::{EMPTY_SHA256_HEX, hex32, hmac_sha256_parts};
use presign_core::decimal::u64_digits;
use presign_core::encoding::{EncodeSet, encode, encode_into};
use presign_core::{Error, Timestamp};

pub use canonical::{canonical_header_value, normalize_path};

use canonical::Header;

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
                &presign_core::redact::redact_url(
                    &format!("?{}", self.query),
                    crate::SECRET_PARAMS,
                ),
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
    let mut url = String::with_capacity(req.path.len() * 3 + 320);
    let mut capture = Capture::default();
    let spans = sign_into(
        params,
        identity,
        key,
        req,
        &[req.path],
        &mut url,
        Some(&mut capture),
    )?;
    let part = |r: Range<usize>| url.get(r).unwrap_or_default().to_owned();
    Ok(SignedQuery {
        path: part(spans.path),
        query: part(spans.query),
        signature: part(spans.signature),
        canonical_request: capture.canonical_request,
        string_to_sign: capture.string_to_sign,
        signed_headers: capture.signed_headers,
        credential_scope: key.scope().to_owned(),
    })
}

/// The intermediate texts of a signature, for [`sign_query`] (explain); the URL itself does
/// not need them, so [`sign_into`] only builds them when asked.
#[derive(Default)]
pub(crate) struct Capture {
    pub(crate) canonical_request: String,
    pub(crate) string_to_sign: String,
    pub(crate) signed_headers: String,
}

/// Where [`sign_into`] wrote the path, the query and the signature in the URL.
pub(crate) struct Spans {
    pub(crate) path: Range<usize>,
    pub(crate) query: Range<usize>,
    pub(crate) signature: Range<usize>,
}

/// The one SigV4 query-signing implementation: appends the encoded path, `?`, the canonical
/// query and `X-Amz-Signature` to `url` (which holds the origin), and returns where each part
/// went. `raw_path` is the raw path in pieces (concatenated, they are [`QueryRequest::path`];
/// the caller's own `req.path` is not read). Every per-day string (scope, credential) comes
/// from the signing key; the canonical request and string to sign are hashed in pieces and
/// only built as strings when `capture` asks for them.
pub(crate) fn sign_into(
    params: &SigningParams<'_>,
    identity: &Identity<'_>,
    key: &SigningKey,
    req: &QueryRequest<'_>,
    raw_path: &[&str],
    url: &mut String,
    capture: Option<&mut Capture>,
) -> Result<Spans, Error> {
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
    let (mut creq_capture, mut sts_capture, signed_capture) = match capture {
        Some(c) => (
            Some(&mut c.canonical_request),
            Some(&mut c.string_to_sign),
            Some(&mut c.signed_headers),
        ),
        None => (None, None, None),
    };

    let date_bytes = req.time.basic_bytes();
    let amz_date = std::str::from_utf8(&date_bytes).unwrap_or_default();
    let mut expires_buf = [0u8; 20];
    let expires = u64_digits(req.expires_in, &mut expires_buf);

    // Headers: `host` alone (the common case) needs no list.
    let host_only: [Header<'_>; 1];
    let header_list: Vec<Header<'_>>;
    let headers: &[Header<'_>] = if req.headers.is_empty() {
        host_only = [(Cow::Borrowed("host"), canonical_header_value(req.host))];
        &host_only
    } else {
        header_list = canonical::canonical_headers(req.host, req.headers);
        &header_list
    };
    let signed_headers: Cow<'_, str> = match headers {
        [(name, _)] => Cow::Borrowed(&**name),
        _ => {
            let mut s = String::with_capacity(headers.iter().map(|h| h.0.len() + 1).sum());
            for (i, (name, _)) in headers.iter().enumerate() {
                if i > 0 {
                    s.push(';');
                }
                s.push_str(name);
            }
            Cow::Owned(s)
        }
    };
    if let Some(c) = signed_capture {
        c.push_str(&signed_headers);
    }
    let token = identity
        .session_token
        .map(|t| encode(t, EncodeSet::Component));
    let signed_token = token.as_deref().filter(|_| !params.omit_session_token);

    // Path: encoded once, `/` first.
    let path_start = url.len();
    let first = raw_path.iter().find(|p| !p.is_empty());
    if !first.is_some_and(|p| p.starts_with('/')) {
        url.push('/');
    }
    for piece in raw_path {
        encode_into(url, piece, EncodeSet::Path);
    }
    let path_end = url.len();
    url.push('?');
    let query_start = url.len();

    // Query: the caller's parameters plus the authentication parameters, sorted. Without
    // caller parameters the authentication ones are already in order.
    let signed_headers_enc = encode(&signed_headers, EncodeSet::Component);
    if req.query.is_empty() {
        let mut param = |name: &str, value: &str, first: bool| {
            if !first {
                url.push('&');
            }
            url.push_str(name);
            url.push('=');
            url.push_str(value);
        };
        param("X-Amz-Algorithm", ALGORITHM, true);
        param("X-Amz-Credential", key.encoded_credential(), false);
        param("X-Amz-Date", amz_date, false);
        param(EXPIRES_PARAM, expires, false);
        if let Some(t) = signed_token {
            param(SECURITY_TOKEN_PARAM, t, false);
        }
        param("X-Amz-SignedHeaders", &signed_headers_enc, false);
    } else {
        let mut query = CanonicalQuery::with_capacity(req.query.len() + 6);
        for (name, value) in req.query {
            query.push(name, value);
        }
        let mut auth = |name: &'static str, value| {
            query.push_encoded(Cow::Borrowed(name), Cow::Borrowed(value));
        };
        auth("X-Amz-Algorithm", ALGORITHM);
        auth("X-Amz-Credential", key.encoded_credential());
        auth("X-Amz-Date", amz_date);
        auth(EXPIRES_PARAM, expires);
        if let Some(t) = signed_token {
            auth(SECURITY_TOKEN_PARAM, t);
        }
        auth("X-Amz-SignedHeaders", &signed_headers_enc);
        query.write_into(url);
    }
    let query_end = url.len();

    // Canonical request, hashed as it is produced.
    let encoded_path = url.get(path_start..path_end).unwrap_or_default();
    let uri: Cow<'_, str> = if params.normalize_path || params.double_encode_path {
        let raw: String = raw_path.concat();
        let raw = if raw.is_empty() { "/" } else { raw.as_str() };
        let mut uri = String::with_capacity(encoded_path.len() * 2);
        canonical::write_canonical_uri(
            &mut uri,
            raw,
            encoded_path,
            params.normalize_path,
            params.double_encode_path,
        );
        Cow::Owned(uri)
    } else {
        Cow::Borrowed(encoded_path)
    };
    let mut creq = HashSink::new(creq_capture.take());
    creq.put_request(
        req.method,
        &uri,
        url.get(query_start..query_end).unwrap_or_default(),
        headers,
        &signed_headers,
        params.payload_hash.as_str(),
    );
    let digest = creq.finalize_hex();
    let digest = std::str::from_utf8(&digest).unwrap_or_default();

    // String to sign and signature.
    let sts: [&str; 7] = [ALGORITHM, "\n", amz_date, "\n", key.scope(), "\n", digest];
    if let Some(c) = sts_capture.take() {
        c.extend(sts);
    }
    let sts_bytes = sts.map(str::as_bytes);
    let signature = hex32(&hmac_sha256_parts(key.expose_secret(), &sts_bytes));

    if let (Some(t), true) = (&token, params.omit_session_token) {
        url.push('&');
        url.push_str(SECURITY_TOKEN_PARAM);
        url.push('=');
        url.push_str(t);
    }
    url.push('&');
    url.push_str(SIGNATURE_PARAM);
    url.push('=');
    let signature_start = url.len();
    url.push_str(std::str::from_utf8(&signature).unwrap_or_default());
    Ok(Spans {
        path: path_start..path_end,
        query: query_start..url.len(),
        signature: signature_start..url.len(),
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
