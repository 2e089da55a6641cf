//! Building requests from untrusted text fields: [`UrlFields`] (a signed URL) and
//! [`PostFields`] (a POST policy), shared by `presign url`, `presign post`, `presign batch` and
//! the signing gateway (`presign serve`). Every value is checked here; what the values may
//! ask for is the policy's business.

use std::time::Duration;

use presign_core::post_policy::PostPolicyRequest;
use presign_core::{
    ClientIp, ConstraintKind, Constraints, ContentLength, Error, Method, ObjectKey, PresignRequest,
    Timestamp,
};

/// The fields of a URL request, borrowed from a command line, a batch line or an HTTP request.
#[derive(Debug, Default)]
pub struct UrlFields<'a> {
    /// The method (`GET`, `put`, ...).
    pub method: &'a str,
    /// The raw object key.
    pub key: &'a str,
    /// The requested time-to-live.
    pub expires_in: Option<Duration>,
    /// The requested signing time (RFC 3339); only trusted callers should pass one.
    pub now: Option<&'a str>,
    /// `Content-Type` the client must send.
    pub content_type: Option<&'a str>,
    /// `Content-Length` (exact or range) the client must send.
    pub content_length: Option<ContentLength>,
    /// `Content-MD5` (base64) the client must send.
    pub content_md5: Option<&'a str>,
    /// `response-content-disposition` override.
    pub response_content_disposition: Option<&'a str>,
    /// `response-content-type` override.
    pub response_content_type: Option<&'a str>,
    /// Extra signed headers (checked against the policy's allow-list).
    pub headers: Vec<(&'a str, &'a str)>,
    /// Extra signed query parameters (checked against the policy's allow-list).
    pub query: Vec<(&'a str, &'a str)>,
    /// Refuse to overwrite an existing object.
    pub create_only: bool,
    /// Client IP address or CIDR range.
    pub ip: Option<&'a str>,
    /// HTTPS only.
    pub https_only: bool,
    /// Start of validity (RFC 3339).
    pub not_before: Option<&'a str>,
}

impl UrlFields<'_> {
    /// The request, with every value checked.
    pub fn build(&self) -> Result<PresignRequest, Error> {
        let method: Method = self.method.parse()?;
        let mut request = PresignRequest::new(method, ObjectKey::new(self.key)?);
        if let Some(ttl) = self.expires_in {
            request = request.with_ttl(ttl);
        }
        if let Some(now) = self.now {
            request = request.signed_at(parse_time("now", now)?);
        }
        let mut c = Constraints::default();
        c.content_type = self.content_type.map(str::to_owned);
        c.content_length = self.content_length;
        c.content_md5 = self.content_md5.map(str::to_owned);
        c.response.content_disposition = self.response_content_disposition.map(str::to_owned);
        c.response.content_type = self.response_content_type.map(str::to_owned);
        c.headers = self
            .headers
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        c.query = self
            .query
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        c.create_only = self.create_only;
        c.client_ip = self.ip.map(ClientIp::parse).transpose()?;
        c.https_only = self.https_only;
        c.not_before = self
            .not_before
            .map(|t| parse_time("not_before", t))
            .transpose()?;
        if !c.is_empty() {
            request = request.with_constraints(c);
        }
        Ok(request)
    }
}

/// The fields of a POST policy request (a browser form upload), borrowed from a command line,
/// a batch line or an HTTP request.
#[derive(Debug, Default)]
pub struct PostFields<'a> {
    /// The exact key, or the key prefix when `prefix` is set.
    pub key: &'a str,
    /// `key` is a `starts-with` prefix.
    pub prefix: bool,
    /// Largest file, in bytes.
    pub max_size: Option<u64>,
    /// Smallest file, in bytes.
    pub min_size: Option<u64>,
    /// The file's `Content-Type` (or its prefix).
    pub content_type: Option<&'a str>,
    /// `content_type` is a prefix (`image/`).
    pub content_type_prefix: bool,
    /// The requested time-to-live.
    pub expires_in: Option<Duration>,
    /// The status the storage service answers with.
    pub success_action_status: Option<u16>,
    /// Where the storage service redirects after the upload.
    pub success_action_redirect: Option<&'a str>,
    /// `x-amz-meta-*` / `x-goog-meta-*` metadata.
    pub metadata: Vec<(&'a str, &'a str)>,
    /// `Cache-Control` of the object.
    pub cache_control: Option<&'a str>,
    /// `Content-Disposition` of the object.
    pub content_disposition: Option<&'a str>,
    /// A canned ACL (the policy decides whether it is allowed).
    pub acl: Option<&'a str>,
    /// The requested signing time (RFC 3339); only trusted callers should pass one.
    pub now: Option<&'a str>,
}

impl PostFields<'_> {
    /// The request. `max_upload_size` (the provider policy's) is the upper bound when only a
    /// least size is given.
    pub fn build(&self, max_upload_size: u64) -> Result<PostPolicyRequest, Error> {
        let mut r = if self.prefix {
            PostPolicyRequest::starts_with(self.key)
        } else {
            PostPolicyRequest::exact(ObjectKey::new(self.key)?)
        };
        if let Some(ttl) = self.expires_in {
            r = r.with_ttl(ttl);
        }
        if let Some(now) = self.now {
            r = r.signed_at(parse_time("now", now)?);
        }
        match (self.min_size, self.max_size) {
            (None, None) => {}
            (min, max) => {
                let (min, max) = (min.unwrap_or(0), max.unwrap_or(max_upload_size));
                if min > max {
                    return Err(Error::invalid_constraint(
                        ConstraintKind::ContentLengthRange,
                        format!("the least size {min} is above the largest size {max}"),
                    ));
                }
                r = r.content_length_range(min, max);
            }
        }
        if let Some(t) = self.content_type {
            r = if self.content_type_prefix || t.ends_with('/') {
                r.content_type_prefix(t)
            } else {
                r.content_type(t)
            };
        } else if self.content_type_prefix {
            return Err(Error::invalid_input(
                "content_type_prefix",
                "needs a content type (the prefix, such as image/)",
            ));
        }
        if let Some(s) = self.success_action_status {
            r = r.success_action_status(s);
        }
        if let Some(u) = self.success_action_redirect {
            r = r.success_action_redirect(u);
        }
        for (k, v) in &self.metadata {
            r = r.metadata(*k, *v);
        }
        if let Some(v) = self.cache_control {
            r = r.cache_control(v);
        }
        if let Some(v) = self.content_disposition {
            r = r.content_disposition(v);
        }
        if let Some(v) = self.acl {
            r = r.acl(v);
        }
        Ok(r)
    }
}

/// An RFC 3339 time; the error names the field.
pub fn parse_time(field: &str, input: &str) -> Result<Timestamp, Error> {
    Timestamp::parse_rfc3339(input).map_err(|e| match e {
        Error::InvalidInput { reason, .. } => Error::invalid_input(field, reason),
        other => other,
    })
}

/// `N` or `MIN-MAX` bytes.
pub fn parse_content_length(input: &str) -> Result<ContentLength, Error> {
    let bad = || {
        Error::invalid_constraint(
            ConstraintKind::ContentLengthExact,
            format!("{input:?} is not a byte count (N) or range (MIN-MAX)"),
        )
    };
    let number = |s: &str| s.trim().parse::<u64>().map_err(|_| bad());
    match input.split_once('-') {
        Some((min, max)) => {
            let (min, max) = (number(min)?, number(max)?);
            if min > max {
                return Err(bad());
            }
            Ok(ContentLength::Range { min, max })
        }
        None => Ok(ContentLength::Exact(number(input)?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_and_checks() {
        let f = UrlFields {
            method: "put",
            key: "a b",
            content_type: Some("text/plain"),
            content_length: Some(parse_content_length("5").unwrap()),
            headers: vec![("x-amz-meta-a", "1")],
            ..UrlFields::default()
        };
        let r = f.build().unwrap();
        assert_eq!(r.method, Method::Put);
        assert_eq!(
            r.constraints.headers,
            vec![("x-amz-meta-a".into(), "1".into())]
        );
        assert_eq!(
            parse_content_length("1-10").unwrap(),
            ContentLength::Range { min: 1, max: 10 }
        );
        assert!(parse_content_length("10-1").is_err());
        let e = UrlFields {
            method: "GET",
            key: "k",
            now: Some("yesterday"),
            ..UrlFields::default()
        }
        .build()
        .unwrap_err()
        .to_string();
        assert!(e.contains("now"), "{e}");
        let e = UrlFields {
            method: "PATCH",
            key: "k",
            ..UrlFields::default()
        }
        .build()
        .unwrap_err();
        assert_eq!(e.kind(), "invalid_input");
    }

    #[test]
    fn builds_requests() {
        let r = PostFields {
            key: "up/",
            prefix: true,
            min_size: Some(10),
            content_type: Some("image/"),
            ..PostFields::default()
        }
        .build(1000)
        .unwrap();
        assert_eq!(r.content_length_range, Some((10, 1000)));
        assert_eq!(
            r.content_type,
            Some(presign_core::post_policy::ValueCondition::StartsWith(
                "image/".into()
            ))
        );
        let e = PostFields {
            key: "k",
            min_size: Some(10),
            max_size: Some(5),
            ..PostFields::default()
        }
        .build(1000)
        .unwrap_err();
        assert_eq!(e.kind(), "invalid_constraint");
    }
}
