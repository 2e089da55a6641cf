//! Building a [`PresignRequest`] from the fields `presign url` and `presign batch` share.

use std::time::Duration;

use presign_core::{
    ClientIp, ConstraintKind, Constraints, ContentLength, Error, Method, ObjectKey, PresignRequest,
    Timestamp,
};

/// The request fields, borrowed from the command line or a batch line.
#[derive(Debug, Default)]
pub(crate) struct Fields<'a> {
    pub(crate) method: &'a str,
    pub(crate) key: &'a str,
    pub(crate) expires_in: Option<Duration>,
    pub(crate) now: Option<&'a str>,
    pub(crate) content_type: Option<&'a str>,
    pub(crate) content_length: Option<ContentLength>,
    pub(crate) content_md5: Option<&'a str>,
    pub(crate) response_content_disposition: Option<&'a str>,
    pub(crate) response_content_type: Option<&'a str>,
    pub(crate) headers: Vec<(&'a str, &'a str)>,
    pub(crate) query: Vec<(&'a str, &'a str)>,
    pub(crate) create_only: bool,
    pub(crate) ip: Option<&'a str>,
    pub(crate) https_only: bool,
    pub(crate) not_before: Option<&'a str>,
}

impl Fields<'_> {
    /// The request, with every value checked.
    pub(crate) fn build(&self) -> Result<PresignRequest, Error> {
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

/// An RFC 3339 time; the error names the field.
pub(crate) fn parse_time(field: &str, input: &str) -> Result<Timestamp, Error> {
    Timestamp::parse_rfc3339(input).map_err(|e| match e {
        Error::InvalidInput { reason, .. } => Error::invalid_input(field, reason),
        other => other,
    })
}

/// `N` or `MIN-MAX` bytes.
pub(crate) fn parse_content_length(input: &str) -> Result<ContentLength, Error> {
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

/// `K:V` (headers) or `K=V` (query), split at the first separator; names are trimmed.
pub(crate) fn split_pair<'a>(
    field: &str,
    input: &'a str,
    separator: char,
) -> Result<(&'a str, &'a str), Error> {
    match input.split_once(separator) {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim(), v.trim_start())),
        _ => Err(Error::invalid_input(
            field,
            format!("{input:?} is not NAME{separator}VALUE"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_and_checks() {
        let f = Fields {
            method: "put",
            key: "a b",
            content_type: Some("text/plain"),
            content_length: Some(parse_content_length("5").unwrap()),
            headers: vec![split_pair("header", "x-amz-meta-a: 1", ':').unwrap()],
            ..Fields::default()
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
        assert!(split_pair("query", "novalue", '=').is_err());
        let e = Fields {
            method: "GET",
            key: "k",
            now: Some("yesterday"),
            ..Fields::default()
        }
        .build()
        .unwrap_err()
        .to_string();
        assert!(e.contains("now"), "{e}");
        let e = Fields {
            method: "PATCH",
            key: "k",
            ..Fields::default()
        }
        .build()
        .unwrap_err();
        assert_eq!(e.kind(), "invalid_input");
    }
}
