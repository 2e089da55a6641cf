//! The one V4 query signer (presigned URLs), for every member of the family.
//!
//! [`presign_into`] writes a URL's path and canonical query after its origin, hashes the
//! canonical request as it is produced, and returns the [`Unsigned`] URL with its string to
//! sign. The caller signs that string its own way and appends the signature with
//! [`Unsigned::finish`]: HMAC under a derived [`SigningKey`] (S3, GCS HMAC keys; see
//! [`presign_hmac_into`]), RSA (GCS service-account keys) or a remote `signBlob`.
//!
//! ```
//! use presign_core::{SecretString, Timestamp};
//! use presign_v4::{Dialect, QueryRequest, SigningKey, SigningParams, sign_query};
//!
//! // The query-authentication example of the S3 documentation.
//! let time = Timestamp::parse_rfc3339("2013-05-24T00:00:00Z")?;
//! let secret = SecretString::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
//! let aws = &Dialect::AWS4_HMAC_SHA256;
//! let key = SigningKey::derive(aws, "AKIAIOSFODNN7EXAMPLE", &secret, time, "us-east-1", "s3");
//! let signed = sign_query(
//!     &SigningParams::s3(),
//!     &key,
//!     &QueryRequest::new("GET", "examplebucket.s3.amazonaws.com", "/test.txt", time, 86_400),
//! )?;
//! assert_eq!(
//!     signed.signature,
//!     "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
//! );
//! # Ok::<(), presign_core::Error>(())
//! ```

use std::borrow::Cow;
use std::ops::Range;

use presign_core::Error;
use presign_core::crypto::hex_into;
use presign_core::decimal::u64_digits;
use presign_core::encoding::{EncodeSet, encode, encode_into};

use crate::canonical::{CanonicalQuery, HashSink, write_canonical_uri};
use crate::headers::{Header, canonical_header_value, canonical_headers};
use crate::params::{
    Capture, PayloadHash, QueryRequest, SignedQuery, SigningParams, Spans, UNSIGNED_PAYLOAD,
};
use crate::scope::{Scope, SigningKey};

/// A URL written up to its signature, with the string to sign.
#[derive(Debug)]
pub struct Unsigned<'s> {
    algorithm: &'static str,
    date: [u8; 16],
    scope: &'s str,
    digest: [u8; 64],
    signature_param: &'static str,
    /// The session token, encoded, when it goes after the signature's computation.
    token_after: Option<(&'static str, String)>,
    path: Range<usize>,
    query_start: usize,
}

impl Unsigned<'_> {
    /// The string to sign in pieces: `ALGORITHM \n yyyymmddThhmmssZ \n SCOPE \n hex(hash)`.
    pub fn string_to_sign_parts(&self) -> [&[u8]; 7] {
        [
            self.algorithm.as_bytes(),
            b"\n",
            &self.date,
            b"\n",
            self.scope.as_bytes(),
            b"\n",
            &self.digest,
        ]
    }

    /// The string to sign, as one string (for RSA and remote signers).
    pub fn string_to_sign(&self) -> String {
        let parts = self.string_to_sign_parts();
        let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
        for p in parts {
            s.push_str(std::str::from_utf8(p).unwrap_or_default());
        }
        s
    }

    /// Appends the signature parameter with `signature` in lower-case hex to `url` (after an
    /// omitted session token) and returns where the parts are.
    pub fn finish(self, url: &mut String, signature: &[u8]) -> Spans {
        url.reserve(self.signature_param.len() + 2 + signature.len() * 2);
        if let Some((name, token)) = &self.token_after {
            url.push('&');
            url.push_str(name);
            url.push('=');
            url.push_str(token);
        }
        url.push('&');
        url.push_str(self.signature_param);
        url.push('=');
        let signature_start = url.len();
        hex_into(signature, url);
        Spans {
            path: self.path,
            query: self.query_start..url.len(),
            signature: signature_start..url.len(),
        }
    }
}

/// Writes the encoded path, `?` and the canonical query (the caller's parameters and the
/// authentication ones, sorted) after the origin already in `url`, and hashes the canonical
/// request. `raw_path` is the raw path in pieces (concatenated, the raw path; a `/` is put
/// first when they do not start with one); [`QueryRequest::path`] is not read. Every per-day
/// string comes from `scope`; the canonical request and string to sign are built as strings
/// only when `capture` asks for them.
///
/// Fails when `scope` is for another day than the request's time.
pub fn presign_into<'s>(
    params: &SigningParams<'_>,
    scope: &'s Scope,
    req: &QueryRequest<'_>,
    raw_path: &[&str],
    url: &mut String,
    capture: Option<&mut Capture>,
) -> Result<Unsigned<'s>, Error> {
    if !scope.covers(req.time) {
        return Err(Error::invalid_input(
            "signing scope",
            format!(
                "made for {}, but the request signs at {}",
                scope.as_str(),
                req.time
            ),
        ));
    }
    let names = &params.dialect.query;
    let (mut creq_capture, mut sts_capture, signed_capture) = match capture {
        Some(c) => (
            Some(&mut c.canonical_request),
            Some(&mut c.string_to_sign),
            Some(&mut c.signed_headers),
        ),
        None => (None, None, None),
    };
    let date = req.time.basic_bytes();
    let amz_date = std::str::from_utf8(&date).unwrap_or_default();
    let mut expires_buf = [0u8; 20];
    let expires = u64_digits(req.expires_in, &mut expires_buf);

    // Headers: `host` alone (the common case) needs no list.
    let host_only: [Header<'_>; 1];
    let header_list: Vec<Header<'_>>;
    let headers: &[Header<'_>] = if req.headers.is_empty() {
        host_only = [(Cow::Borrowed("host"), canonical_header_value(req.host))];
        &host_only
    } else {
        header_list = canonical_headers(req.host, req.headers);
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
    let payload = match params.payload_hash {
        PayloadHash::Unsigned => UNSIGNED_PAYLOAD,
        PayloadHash::Hex(h) => h,
        PayloadHash::FromHeader(name) => headers
            .iter()
            .find(|(n, _)| n == name)
            .map_or(UNSIGNED_PAYLOAD, |(_, v)| &**v),
    };
    let token = req.session_token.map(|t| encode(t, EncodeSet::Component));
    let signed_token = token.as_deref().filter(|_| !params.omit_session_token);

    // Path: encoded once, `/` first.
    let path_start = url.len();
    if !raw_path
        .iter()
        .find(|p| !p.is_empty())
        .is_some_and(|p| p.starts_with('/'))
    {
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
    let auth = [
        (names.algorithm, params.dialect.algorithm),
        (names.credential, scope.encoded_credential()),
        (names.date, amz_date),
        (names.expires, expires),
        (names.security_token, signed_token.unwrap_or_default()),
        (names.signed_headers, &*signed_headers_enc),
    ];
    let auth = auth
        .iter()
        .filter(|(name, _)| *name != names.security_token || signed_token.is_some());
    if req.query.is_empty() {
        for (i, (name, value)) in auth.enumerate() {
            if i > 0 {
                url.push('&');
            }
            url.push_str(name);
            url.push('=');
            url.push_str(value);
        }
    } else {
        let mut query = CanonicalQuery::with_capacity(req.query.len() + 6);
        for (name, value) in req.query {
            query.push(name, value);
        }
        for (name, value) in auth {
            query.push_encoded(Cow::Borrowed(name), Cow::Borrowed(value));
        }
        query.write_into(url);
    }
    let query_end = url.len();

    // Canonical request, hashed as it is produced.
    let encoded_path = url.get(path_start..path_end).unwrap_or_default();
    let uri: Cow<'_, str> = if params.normalize_path || params.double_encode_path {
        let raw: String = raw_path.concat();
        let raw = if raw.is_empty() { "/" } else { raw.as_str() };
        let mut uri = String::with_capacity(encoded_path.len() * 2);
        write_canonical_uri(
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
        payload,
    );
    let unsigned = Unsigned {
        algorithm: params.dialect.algorithm,
        date,
        scope: scope.as_str(),
        digest: creq.finalize_hex(),
        signature_param: names.signature,
        token_after: match (token, params.omit_session_token) {
            (Some(t), true) => Some((names.security_token, t.into_owned())),
            _ => None,
        },
        path: path_start..path_end,
        query_start,
    };
    if let Some(c) = sts_capture.take() {
        c.push_str(&unsigned.string_to_sign());
    }
    Ok(unsigned)
}

/// [`presign_into`] and the HMAC signature under `key` (S3, GCS HMAC keys): the whole URL.
pub fn presign_hmac_into(
    params: &SigningParams<'_>,
    key: &SigningKey,
    req: &QueryRequest<'_>,
    raw_path: &[&str],
    url: &mut String,
    capture: Option<&mut Capture>,
) -> Result<Spans, Error> {
    let unsigned = presign_into(params, key.scope(), req, raw_path, url, capture)?;
    let signature = key.sign_parts(&unsigned.string_to_sign_parts());
    Ok(unsigned.finish(url, &signature))
}

/// Presigns `req` with an HMAC `key` and returns the path, query, signature and every
/// intermediate text.
pub fn sign_query(
    params: &SigningParams<'_>,
    key: &SigningKey,
    req: &QueryRequest<'_>,
) -> Result<SignedQuery, Error> {
    let mut url = String::with_capacity(req.path.len() * 3 + 320);
    let mut capture = Capture::default();
    let spans = presign_hmac_into(params, key, req, &[req.path], &mut url, Some(&mut capture))?;
    let part = |r: Range<usize>| url.get(r).unwrap_or_default().to_owned();
    Ok(SignedQuery {
        path: part(spans.path),
        query: part(spans.query),
        signature: part(spans.signature),
        canonical_request: capture.canonical_request,
        string_to_sign: capture.string_to_sign,
        signed_headers: capture.signed_headers,
        credential_scope: key.scope().as_str().to_owned(),
    })
}

#[cfg(test)]
#[path = "signer_tests.rs"]
mod tests;
