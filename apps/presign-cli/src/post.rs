//! `presign post`: sign a POST policy (browser form upload) and print the form's action URL and
//! fields as JSON, or a ready HTML `<form>`.

use std::io::Write;
use std::time::Duration;

use presign_config::{Registry, parse_byte_size};
use presign_core::duration::parse_duration;
use presign_core::post_policy::{Condition, PostPolicyRequest, PresignedPost};
use presign_core::{ConstraintKind, Error, ObjectKey};

use crate::args::PostArgs;
use crate::json;
use crate::request::{parse_time, split_pair};
use crate::{EXIT_OK, Failure, runtime, warn};

/// The fields of a POST policy request, borrowed from the command line or a batch line.
#[derive(Debug, Default)]
pub(crate) struct PostFields<'a> {
    pub(crate) key: &'a str,
    pub(crate) prefix: bool,
    pub(crate) max_size: Option<u64>,
    pub(crate) min_size: Option<u64>,
    pub(crate) content_type: Option<&'a str>,
    pub(crate) content_type_prefix: bool,
    pub(crate) expires_in: Option<Duration>,
    pub(crate) success_action_status: Option<u16>,
    pub(crate) success_action_redirect: Option<&'a str>,
    pub(crate) metadata: Vec<(&'a str, &'a str)>,
    pub(crate) cache_control: Option<&'a str>,
    pub(crate) content_disposition: Option<&'a str>,
    pub(crate) acl: Option<&'a str>,
    pub(crate) now: Option<&'a str>,
}

impl PostFields<'_> {
    /// The request. `max_upload_size` (the provider policy's) is the upper bound when only a
    /// least size is given.
    pub(crate) fn build(&self, max_upload_size: u64) -> Result<PostPolicyRequest, Error> {
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

/// A size option (`5MiB`, `100MB`, `1024`); the error names `field`.
pub(crate) fn parse_size(field: &str, input: &str) -> Result<u64, Error> {
    parse_byte_size(input).map_err(|reason| Error::invalid_input(field, reason))
}

pub(crate) fn run(
    registry: &Registry,
    a: &PostArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<i32, Failure> {
    let fields = PostFields {
        key: &a.key,
        prefix: a.prefix,
        max_size: a
            .max_size
            .as_deref()
            .map(|s| parse_size("max_size", s))
            .transpose()?,
        min_size: a
            .min_size
            .as_deref()
            .map(|s| parse_size("min_size", s))
            .transpose()?,
        content_type: a.content_type.as_deref(),
        content_type_prefix: a.content_type_prefix,
        expires_in: a.expires_in.as_deref().map(parse_duration).transpose()?,
        success_action_status: a.success_action_status,
        success_action_redirect: a.success_action_redirect.as_deref(),
        metadata: a
            .meta
            .iter()
            .map(|m| split_pair("meta", m, '='))
            .collect::<Result<_, _>>()?,
        cache_control: a.cache_control.as_deref(),
        content_disposition: a.content_disposition.as_deref(),
        acl: a.acl.as_deref(),
        now: a.now.as_deref(),
    };
    let entry = registry.resolve(a.provider.as_deref())?;
    let request = fields.build(entry.policy.max_upload_size())?;
    let signed = runtime()?.block_on(entry.presign_post(&request))?;
    warn::ttl(
        stderr,
        fields.expires_in.unwrap_or(entry.policy.default_ttl()),
        signed.expires_at().duration_since(signed.signed_at()),
    )?;
    let mut out = Vec::with_capacity(2048);
    if a.html {
        html_form(&mut out, &signed);
    } else {
        pretty_json(&mut out, &signed);
    }
    stdout.write_all(&out)?;
    Ok(EXIT_OK)
}

/// The fields as a JSON object, in signing order (`{"key":"..",...}`).
pub(crate) fn fields_object(out: &mut Vec<u8>, signed: &PresignedPost, indent: &str) {
    out.push(b'{');
    for (i, (name, value)) in signed.expose_fields().iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        if !indent.is_empty() {
            out.push(b'\n');
            out.extend_from_slice(indent.as_bytes());
            out.extend_from_slice(b"  ");
        }
        json::string(out, name);
        out.extend_from_slice(if indent.is_empty() { b":" } else { b": " });
        json::string(out, value);
    }
    if !indent.is_empty() && !signed.expose_fields().is_empty() {
        out.push(b'\n');
        out.extend_from_slice(indent.as_bytes());
    }
    out.push(b'}');
}

/// The fields the form itself must send (a `starts-with` condition, like a Content-Type
/// prefix): `[{"field":"Content-Type","starts_with":"image/"}]`.
pub(crate) fn client_fields_array(out: &mut Vec<u8>, signed: &PresignedPost) {
    out.push(b'[');
    let mut first = true;
    for c in signed.client_fields() {
        if let Condition::StartsWith { field, prefix } = c {
            if !first {
                out.push(b',');
            }
            first = false;
            out.extend_from_slice(b"{\"field\":");
            json::string(out, field);
            out.extend_from_slice(b",\"starts_with\":");
            json::string(out, prefix);
            out.push(b'}');
        }
    }
    out.push(b']');
}

fn pretty_json(out: &mut Vec<u8>, signed: &PresignedPost) {
    let mut scratch = String::new();
    out.extend_from_slice(b"{\n  \"provider\": ");
    json::string(out, signed.provider());
    out.extend_from_slice(b",\n  \"url\": ");
    json::string(out, signed.url());
    out.extend_from_slice(b",\n  \"fields\": ");
    fields_object(out, signed, "  ");
    out.extend_from_slice(b",\n  \"client_fields\": ");
    client_fields_array(out, signed);
    out.extend_from_slice(b",\n  \"signed_at\": ");
    json::time(out, &mut scratch, signed.signed_at());
    out.extend_from_slice(b",\n  \"expires_at\": ");
    json::time(out, &mut scratch, signed.expires_at());
    out.extend_from_slice(b"\n}\n");
}

/// `s` with `&`, `<`, `>`, `"` and `'` escaped, for HTML text and attribute values.
pub(crate) fn html_escape(out: &mut Vec<u8>, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.extend_from_slice(b"&amp;"),
            '<' => out.extend_from_slice(b"&lt;"),
            '>' => out.extend_from_slice(b"&gt;"),
            '"' => out.extend_from_slice(b"&quot;"),
            '\'' => out.extend_from_slice(b"&#39;"),
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
}

/// A ready `<form>`: the signed fields as hidden inputs in order, a text input for each field
/// the uploader must fill in (a Content-Type prefix), the file input last, a submit button.
fn html_form(out: &mut Vec<u8>, signed: &PresignedPost) {
    out.extend_from_slice(b"<form action=\"");
    html_escape(out, signed.url());
    out.extend_from_slice(b"\" method=\"post\" enctype=\"multipart/form-data\">\n");
    for (name, value) in signed.expose_fields() {
        out.extend_from_slice(b"  <input type=\"hidden\" name=\"");
        html_escape(out, name);
        out.extend_from_slice(b"\" value=\"");
        html_escape(out, value);
        out.extend_from_slice(b"\">\n");
    }
    for c in signed.client_fields() {
        if let Condition::StartsWith { field, prefix } = c {
            out.extend_from_slice(b"  <input type=\"text\" name=\"");
            html_escape(out, field);
            out.extend_from_slice(b"\" value=\"");
            html_escape(out, prefix);
            out.extend_from_slice(b"\" data-starts-with=\"");
            html_escape(out, prefix);
            out.extend_from_slice(b"\" required>\n");
        }
    }
    out.extend_from_slice(
        b"  <input type=\"file\" name=\"file\">\n  <button type=\"submit\">Upload</button>\n</form>\n",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_html() {
        let mut out = Vec::new();
        html_escape(&mut out, "a\"><script>alert('x')</script>&amp;é");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;amp;é"
        );
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
        assert!(parse_size("max_size", "5 parsecs").is_err());
    }
}
