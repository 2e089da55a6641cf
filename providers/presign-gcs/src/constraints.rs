//! From [`PresignRequest`] to [`V4Request`]: each constraint becomes a signed header or query
//! parameter, or an error when GCS cannot enforce it (never a silent drop; dropping is the
//! policy layer's decision).

use presign_core::{
    Capabilities, ChecksumAlgorithm, ConstraintKind as K, ContentLength, Error, Method,
    PresignRequest, Support,
};

use crate::request::V4Request;

fn invalid(kind: K, reason: impl Into<String>) -> Error {
    Error::invalid_constraint(kind, reason)
}

/// Maps a generic request onto a V4 request.
pub(crate) fn to_v4(request: &PresignRequest, caps: &Capabilities) -> Result<V4Request, Error> {
    let (headers, query) = map_constraints(request, caps)?;
    let mut v4 = V4Request::new(
        request.method,
        Some(request.key.clone()),
        request.ttl_or_default(),
    );
    v4.signing_time = request.signing_time;
    v4.headers = headers;
    v4.query = query;
    Ok(v4)
}

/// Signed headers and signed query parameters, both as `(raw name, raw value)`.
pub(crate) type Mapped = (Vec<(String, String)>, Vec<(String, String)>);

/// The constraints of a generic request as signed headers and query parameters (no
/// allocation when there are none).
pub(crate) fn map_constraints(
    request: &PresignRequest,
    caps: &Capabilities,
) -> Result<Mapped, Error> {
    let c = &request.constraints;
    for kind in c.requested() {
        let support = caps.support(kind);
        if support != Support::Enforced {
            return Err(Error::ConstraintNotEnforced {
                constraint: kind,
                provider: caps.provider().to_owned(),
                support,
            });
        }
    }
    let method = request.method;
    let upload = matches!(method, Method::Put | Method::Post);
    let mut headers: Vec<(String, String)> = Vec::new();
    let mut query: Vec<(String, String)> = Vec::new();
    let h = &mut headers;

    if method == Method::Post
        && !c
            .headers
            .iter()
            .any(|(n, _)| n.trim().eq_ignore_ascii_case("x-goog-resumable"))
    {
        // A signed POST starts a resumable upload.
        h.push(("x-goog-resumable".into(), "start".into()));
    }
    if let Some(ct) = &c.content_type {
        h.push(("content-type".into(), ct.clone()));
    }
    match c.content_length {
        Some(ContentLength::Exact(n)) => {
            if method != Method::Put {
                return Err(invalid(
                    K::ContentLengthExact,
                    format!("an exact length binds a PUT upload, not {method}"),
                ));
            }
            h.push(("content-length".into(), n.to_string()));
        }
        Some(ContentLength::Range { min, max }) => {
            if !upload {
                return Err(invalid(
                    K::ContentLengthRange,
                    format!("a size range binds an upload (PUT or POST), not {method}"),
                ));
            }
            if min > max {
                return Err(invalid(
                    K::ContentLengthRange,
                    format!("the range {min}..={max} ends before it starts"),
                ));
            }
            h.push(("x-goog-content-length-range".into(), format!("{min},{max}")));
        }
        None => {}
    }
    if let Some(md5) = &c.content_md5 {
        h.push(("content-md5".into(), md5.clone()));
    }
    if let Some(sum) = &c.checksum {
        if sum.algorithm != ChecksumAlgorithm::Crc32c {
            return Err(invalid(
                K::Checksum,
                format!(
                    "GCS checks crc32c checksums (x-goog-hash) and MD5 (content-md5), not {}",
                    sum.algorithm.as_str()
                ),
            ));
        }
        h.push(("x-goog-hash".into(), format!("crc32c={}", sum.value)));
    }
    if c.create_only {
        if !upload {
            return Err(invalid(
                K::CreateOnly,
                format!("create-only binds an upload (PUT or POST), not {method}"),
            ));
        }
        h.push(("x-goog-if-generation-match".into(), "0".into()));
    }
    for (name, value) in &c.metadata {
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic() && b != b':') {
            return Err(invalid(
                K::Metadata,
                format!("{name:?} is not a valid metadata name"),
            ));
        }
        h.push((
            format!("x-goog-meta-{}", name.to_ascii_lowercase()),
            value.clone(),
        ));
    }
    h.extend(c.headers.iter().cloned());
    // GCS (like any HTTP server) merges repeated headers into one comma-separated value, so a
    // header given twice — `content-type` by --content-type and by --header — would sign
    // `image/png,text/html`. Refused, as S3 does.
    let mut names: Vec<String> = h
        .iter()
        .map(|(n, _)| n.trim().to_ascii_lowercase())
        .collect();
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| matches!(w, [a, b] if a == b)) {
        let name = w.first().map(String::as_str).unwrap_or_default();
        return Err(invalid(
            K::ExtraHeaders,
            format!(
                "header {} is set twice (directly and by another constraint?); GCS would sign the values merged",
                presign_core::error::display_key(name)
            ),
        ));
    }

    let q = &mut query;
    if let Some(v) = &c.response.content_disposition {
        q.push(("response-content-disposition".into(), v.clone()));
    }
    if let Some(v) = &c.response.content_type {
        q.push(("response-content-type".into(), v.clone()));
    }
    if let Some(generation) = &c.version {
        if generation.is_empty() || !generation.bytes().all(|b| b.is_ascii_digit()) {
            return Err(invalid(
                K::ObjectVersion,
                format!("{generation:?} is not a GCS generation number"),
            ));
        }
        q.push(("generation".into(), generation.clone()));
    }
    q.extend(c.query.iter().cloned());
    Ok((headers, query))
}
