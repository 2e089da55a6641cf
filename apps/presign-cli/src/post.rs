//! `presign post`: sign a POST policy (browser form upload) and print the form's action URL and
//! fields as JSON, or a ready HTML `<form>`.

use std::io::Write;

use presign_config::fields::PostFields;
use presign_config::{Registry, parse_byte_size};
use presign_core::duration::parse_duration;
use presign_core::post_policy::{Condition, PresignedPost};
use presign_core::{Error, Timestamp};

use crate::args::PostArgs;
use crate::json;
use crate::request::split_pair;
use crate::{EXIT_OK, Failure, runtime, warn};

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
    let granted = warn::Granted::new(
        fields.expires_in.unwrap_or(entry.policy.default_ttl()),
        signed.signed_at(),
        signed.expires_at(),
        entry.policy.max_ttl(),
        entry.presigner.capabilities().max_ttl(),
        Timestamp::now(),
    );
    warn::ttl(stderr, &granted)?;
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
    fn parses_sizes() {
        assert!(parse_size("max_size", "5 parsecs").is_err());
        assert_eq!(parse_size("max_size", "1KiB").unwrap(), 1024);
    }
}
