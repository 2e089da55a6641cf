//! Maps [`Constraints`] to S3 signed headers and signed query parameters.

use presign_core::{
    ConstraintKind, Constraints, ContentLength, Error, Method, ResponseOverrides, Support,
};

/// Headers and query parameters a request's constraints add to the signature.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Mapped {
    /// Signed headers the client must send: lower-case names, sorted, unique.
    pub(crate) headers: Vec<(String, String)>,
    /// Signed query parameters, raw (encoded by the signer).
    pub(crate) query: Vec<(String, String)>,
}

/// `(name, value)` pairs borrowed from [`Mapped`], as the signer takes them.
pub(crate) type Pairs<'a> = Vec<(&'a str, &'a str)>;

impl Mapped {
    /// The query parameters and headers as borrowed pairs, as the signer takes them.
    pub(crate) fn pairs(&self) -> (Pairs<'_>, Pairs<'_>) {
        (borrowed(&self.query), borrowed(&self.headers))
    }
}

/// `(name, value)` pairs, borrowed.
fn borrowed(pairs: &[(String, String)]) -> Pairs<'_> {
    pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

/// Headers a caller may not set: the signer or the HTTP client owns them.
const RESERVED_HEADERS: &[&str] = &[
    "host",
    "authorization",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
    "x-amz-algorithm",
    "x-amz-credential",
    "x-amz-signature",
    "x-amz-signedheaders",
    "x-amz-expires",
    "connection",
    "keep-alive",
    "transfer-encoding",
    "te",
    "trailer",
    "upgrade",
    "expect",
];

fn unsupported(kind: ConstraintKind, provider: &str) -> Error {
    Error::ConstraintNotEnforced {
        constraint: kind,
        provider: provider.to_owned(),
        support: Support::Unsupported,
    }
}

/// An RFC 9110 token (header names, metadata names).
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'!' | b'#'
                        | b'$'
                        | b'%'
                        | b'&'
                        | b'\''
                        | b'*'
                        | b'+'
                        | b'-'
                        | b'.'
                        | b'^'
                        | b'_'
                        | b'`'
                        | b'|'
                        | b'~'
                )
        })
}

/// A header value: trimmed; refused when it holds control characters (or, with `ascii`,
/// anything outside printable ASCII).
fn header_value(
    kind: ConstraintKind,
    name: &str,
    value: &str,
    ascii: bool,
) -> Result<String, Error> {
    let v = value.trim_matches(|c| c == ' ' || c == '\t');
    if let Some(c) = v.chars().find(|c| c.is_control() && *c != '\t') {
        return Err(Error::invalid_constraint(
            kind,
            format!(
                "the value of {name} contains the control character U+{:04X}",
                u32::from(c)
            ),
        ));
    }
    if ascii && !v.is_ascii() {
        return Err(Error::invalid_constraint(
            kind,
            format!("the value of {name} must be ASCII; encode it first (for example RFC 2047)"),
        ));
    }
    Ok(v.to_owned())
}

fn is_base64(s: &str) -> bool {
    !s.is_empty()
        && s.len().is_multiple_of(4)
        && s.trim_end_matches('=')
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
        && s.len() - s.trim_end_matches('=').len() <= 2
}

fn upload_only(kind: ConstraintKind, method: Method) -> Result<(), Error> {
    if method.is_upload() {
        Ok(())
    } else {
        Err(Error::invalid_constraint(
            kind,
            format!("applies to uploads (PUT, POST), not to {method}"),
        ))
    }
}

fn response_query(
    r: &ResponseOverrides,
) -> impl Iterator<Item = (ConstraintKind, &'static str, &str)> {
    r.iter().map(|(kind, value)| {
        let name = match kind {
            ConstraintKind::ResponseCacheControl => "response-cache-control",
            ConstraintKind::ResponseContentDisposition => "response-content-disposition",
            ConstraintKind::ResponseContentEncoding => "response-content-encoding",
            ConstraintKind::ResponseContentLanguage => "response-content-language",
            ConstraintKind::ResponseContentType => "response-content-type",
            _ => "response-expires",
        };
        (kind, name, value)
    })
}

/// Maps the constraints of a `method` request; refuses what S3 cannot enforce and malformed
/// values, naming the constraint (and `provider` for unsupported ones).
pub(crate) fn map(method: Method, c: &Constraints, provider: &str) -> Result<Mapped, Error> {
    use ConstraintKind as K;
    if matches!(c.content_length, Some(ContentLength::Range { .. })) {
        return Err(unsupported(K::ContentLengthRange, provider));
    }
    if let Some(ip) = &c.client_ip {
        return Err(unsupported(ip.kind(), provider));
    }
    if c.https_only {
        return Err(unsupported(K::HttpsOnly, provider));
    }
    if c.not_before.is_some() {
        return Err(unsupported(K::NotBefore, provider));
    }

    let mut m = Mapped::default();
    if let Some(ct) = &c.content_type {
        upload_only(K::ContentType, method)?;
        let v = header_value(K::ContentType, "content-type", ct, false)?;
        if v.is_empty() {
            return Err(Error::invalid_constraint(
                K::ContentType,
                "the content type is empty",
            ));
        }
        m.headers.push(("content-type".into(), v));
    }
    if let Some(ContentLength::Exact(n)) = c.content_length {
        upload_only(K::ContentLengthExact, method)?;
        m.headers.push(("content-length".into(), n.to_string()));
    }
    if let Some(md5) = &c.content_md5 {
        upload_only(K::ContentMd5, method)?;
        if md5.len() != 24 || !is_base64(md5) {
            return Err(Error::invalid_constraint(
                K::ContentMd5,
                format!("{md5:?} is not the base64 of a 16-byte MD5 digest"),
            ));
        }
        m.headers.push(("content-md5".into(), md5.clone()));
    }
    if let Some(sum) = &c.checksum {
        upload_only(K::Checksum, method)?;
        if !is_base64(&sum.value) {
            return Err(Error::invalid_constraint(
                K::Checksum,
                format!("{:?} is not base64", sum.value),
            ));
        }
        m.headers.push((
            format!("x-amz-checksum-{}", sum.algorithm.as_str()),
            sum.value.clone(),
        ));
    }
    for (name, value) in &c.metadata {
        upload_only(K::Metadata, method)?;
        if !is_token(name) {
            return Err(Error::invalid_constraint(
                K::Metadata,
                format!("{name:?} is not a valid metadata name (letters, digits, '-', '_', ...)"),
            ));
        }
        let header = format!("x-amz-meta-{}", name.to_ascii_lowercase());
        let v = header_value(K::Metadata, &header, value, true)?;
        m.headers.push((header, v));
    }
    if c.create_only {
        upload_only(K::CreateOnly, method)?;
        m.headers.push(("if-none-match".into(), "*".into()));
    }
    for (name, value) in &c.headers {
        let lower = name.to_ascii_lowercase();
        if !is_token(name) {
            return Err(Error::invalid_constraint(
                K::ExtraHeaders,
                format!(
                    "{:?} is not a valid header name",
                    presign_core::error::display_key(name)
                ),
            ));
        }
        if RESERVED_HEADERS.contains(&lower.as_str()) {
            return Err(Error::invalid_constraint(
                K::ExtraHeaders,
                format!(
                    "header {lower} is set by the signer or the HTTP client, not by a constraint"
                ),
            ));
        }
        let v = header_value(K::ExtraHeaders, &lower, value, false)?;
        m.headers.push((lower, v));
    }
    m.headers.sort_unstable();
    if let Some(w) = m
        .headers
        .windows(2)
        .find(|w| matches!(w, [a, b] if a.0 == b.0))
    {
        let name = w.first().map(|h| h.0.as_str()).unwrap_or_default();
        return Err(Error::invalid_constraint(
            K::ExtraHeaders,
            format!("header {name} is set twice (directly and by another constraint?)"),
        ));
    }

    for (kind, name, value) in response_query(&c.response) {
        if !matches!(method, Method::Get | Method::Head) {
            return Err(Error::invalid_constraint(
                kind,
                format!("response overrides apply to GET and HEAD, not to {method}"),
            ));
        }
        m.query.push((name.into(), value.into()));
    }
    if let Some(v) = &c.version {
        if v.is_empty() {
            return Err(Error::invalid_constraint(
                K::ObjectVersion,
                "the version id is empty",
            ));
        }
        m.query.push(("versionId".into(), v.clone()));
    }
    for (name, value) in &c.query {
        if name.is_empty() {
            return Err(Error::invalid_constraint(
                K::ExtraQuery,
                "a query parameter name is empty",
            ));
        }
        if name
            .get(..6)
            .is_some_and(|p| p.eq_ignore_ascii_case("x-amz-"))
        {
            return Err(Error::invalid_constraint(
                K::ExtraQuery,
                format!("query parameter {name:?} is reserved for the signature (X-Amz-*)"),
            ));
        }
        if m.query.iter().any(|(n, _)| n == name) {
            return Err(Error::invalid_constraint(
                K::ExtraQuery,
                format!("query parameter {name:?} is set twice"),
            ));
        }
        m.query.push((name.clone(), value.clone()));
    }
    Ok(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use presign_core::{Checksum, ChecksumAlgorithm, ClientIp};

    fn put() -> Constraints {
        Constraints::default()
    }

    #[test]
    fn maps_every_enforced_constraint() {
        let mut c = put();
        c.content_type = Some(" text/plain ".into());
        c.content_length = Some(ContentLength::Exact(42));
        c.content_md5 = Some("1B2M2Y8AsgTpgAmY7PhCfg==".into());
        c.checksum = Some(Checksum {
            algorithm: ChecksumAlgorithm::Crc32c,
            value: "yZRlqg==".into(),
        });
        c.metadata = vec![("Owner".into(), "alice".into())];
        c.create_only = true;
        c.headers = vec![("X-Amz-Server-Side-Encryption".into(), "AES256".into())];
        c.query = vec![
            ("uploadId".into(), "abc".into()),
            ("partNumber".into(), "3".into()),
        ];
        let m = map(Method::Put, &c, "s3").unwrap();
        let names: Vec<&str> = m.headers.iter().map(|h| h.0.as_str()).collect();
        assert_eq!(
            names,
            [
                "content-length",
                "content-md5",
                "content-type",
                "if-none-match",
                "x-amz-checksum-crc32c",
                "x-amz-meta-owner",
                "x-amz-server-side-encryption"
            ]
        );
        assert!(
            m.headers
                .contains(&("content-type".into(), "text/plain".into()))
        );
        assert!(m.headers.contains(&("if-none-match".into(), "*".into())));
        assert_eq!(m.query.len(), 2);

        let mut g = Constraints::default();
        g.response.content_disposition = Some("attachment; filename=\"a b.pdf\"".into());
        g.version = Some("v1".into());
        let m = map(Method::Get, &g, "s3").unwrap();
        assert_eq!(
            m.query,
            vec![
                (
                    "response-content-disposition".into(),
                    "attachment; filename=\"a b.pdf\"".into()
                ),
                ("versionId".into(), "v1".into())
            ]
        );
    }

    #[test]
    fn refuses_unsupported_naming_provider_and_constraint() {
        let cases: Vec<(Constraints, &str)> = vec![
            {
                let mut c = put();
                c.content_length = Some(ContentLength::Range { min: 1, max: 2 });
                (c, "content-length-range")
            },
            {
                let mut c = put();
                c.client_ip = Some(ClientIp::parse("10.0.0.1").unwrap());
                (c, "client-ip-v4")
            },
            {
                let mut c = put();
                c.client_ip = Some(ClientIp::parse("::1").unwrap());
                (c, "client-ip-v6")
            },
            {
                let mut c = put();
                c.https_only = true;
                (c, "https-only")
            },
            {
                let mut c = put();
                c.not_before = Some(presign_core::Timestamp::from_unix(0).unwrap());
                (c, "not-before")
            },
        ];
        for (c, kind) in cases {
            let e = map(Method::Put, &c, "my-s3").unwrap_err();
            assert_eq!(e.kind(), "constraint_not_enforced");
            let s = e.to_string();
            assert!(s.contains(kind) && s.contains("my-s3"), "{s}");
        }
    }

    #[test]
    fn refuses_bad_values() {
        let check = |method: Method, f: &dyn Fn(&mut Constraints), want: &str| {
            let mut c = Constraints::default();
            f(&mut c);
            let e = map(method, &c, "s3").unwrap_err().to_string();
            assert!(e.contains(want), "{want}: {e}");
        };
        check(
            Method::Put,
            &|c| c.headers = vec![("Host".into(), "x".into())],
            "host",
        );
        check(
            Method::Put,
            &|c| c.headers = vec![("Authorization".into(), "x".into())],
            "authorization",
        );
        check(
            Method::Put,
            &|c| c.headers = vec![("X-Amz-Date".into(), "x".into())],
            "x-amz-date",
        );
        check(
            Method::Put,
            &|c| c.headers = vec![("bad name".into(), "x".into())],
            "not a valid header name",
        );
        check(
            Method::Put,
            &|c| c.headers = vec![("a".into(), "x\r\ny".into())],
            "control",
        );
        check(
            Method::Put,
            &|c| {
                c.content_type = Some("a/b".into());
                c.headers = vec![("Content-Type".into(), "c/d".into())];
            },
            "set twice",
        );
        check(
            Method::Get,
            &|c| c.query = vec![("x-amz-signature".into(), "1".into())],
            "reserved",
        );
        check(
            Method::Get,
            &|c| c.query = vec![("X-Amz-Foo".into(), "1".into())],
            "reserved",
        );
        check(
            Method::Get,
            &|c| c.content_type = Some("a/b".into()),
            "uploads",
        );
        check(Method::Get, &|c| c.create_only = true, "uploads");
        check(
            Method::Put,
            &|c| c.response.content_type = Some("a/b".into()),
            "GET and HEAD",
        );
        check(Method::Put, &|c| c.content_md5 = Some("nope".into()), "MD5");
        check(
            Method::Put,
            &|c| c.metadata = vec![("a b".into(), "x".into())],
            "metadata name",
        );
        check(
            Method::Put,
            &|c| c.metadata = vec![("n".into(), "ünï".into())],
            "ASCII",
        );
        check(
            Method::Get,
            &|c| {
                c.version = Some("v".into());
                c.query = vec![("versionId".into(), "w".into())];
            },
            "twice",
        );
    }
}
