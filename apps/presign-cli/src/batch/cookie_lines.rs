//! `"kind": "cookies"` lines of `presign batch`: a CDN cookie grant (`"pattern"`, and
//! optionally `"expires_in"`, `"ip"`, `"not_before"`, `"now"`), answered with
//! `{"id", "cookies": {name: value, ...}, "domain", "path", "expires_at"}`.

use presign_core::cookies::{CookieRequest, ResourcePattern, SignedCookies};
use presign_core::{ClientIp, Constraints, Error};

use super::{InlineCache, Line, error_line, expires_in, id, provider};
use crate::json;
use presign_config::fields::parse_time;

/// Answers a cookies line into `out`; false when the answer is an error line.
pub(super) async fn answer(
    registry: &presign_config::Registry,
    inline: &mut InlineCache,
    line: &Line<'_>,
    out: &mut Vec<u8>,
    scratch: &mut String,
) -> bool {
    match sign(registry, inline, line).await {
        Ok(signed) => {
            out.extend_from_slice(b"{\"id\":");
            id(out, line.id);
            out.extend_from_slice(b",\"cookies\":{");
            for (i, (name, value)) in signed.expose_cookies().iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                json::string(out, name);
                out.push(b':');
                json::string(out, value);
            }
            out.extend_from_slice(b"},\"domain\":");
            json::string(out, signed.domain());
            out.extend_from_slice(b",\"path\":");
            json::string(out, signed.path());
            out.extend_from_slice(b",\"expires_at\":");
            json::time(out, scratch, signed.expires_at());
            out.extend_from_slice(b"}\n");
            true
        }
        Err(e) => {
            error_line(out, line.id, e.kind(), &e.to_string());
            false
        }
    }
}

async fn sign(
    registry: &presign_config::Registry,
    inline: &mut InlineCache,
    line: &Line<'_>,
) -> Result<SignedCookies, Error> {
    if let Some(field) = line.cookies_foreign_field() {
        return Err(Error::invalid_input(
            field,
            format!("unknown field `{field}` for a \"kind\": \"cookies\" line"),
        ));
    }
    let pattern = line
        .pattern
        .as_deref()
        .ok_or_else(|| Error::invalid_input("pattern", "a cookies line needs a pattern"))?;
    let mut request = CookieRequest::new(ResourcePattern::new(pattern)?);
    if let Some(ttl) = expires_in(line)? {
        request = request.with_ttl(ttl);
    }
    if let Some(now) = line.now.as_deref() {
        request = request.signed_at(parse_time("now", now)?);
    }
    let mut c = Constraints::default();
    c.client_ip = line.ip.as_deref().map(ClientIp::parse).transpose()?;
    c.not_before = line
        .not_before
        .as_deref()
        .map(|t| parse_time("not_before", t))
        .transpose()?;
    request = request.with_constraints(c);
    let entry = provider(registry, inline, line.provider)?;
    entry.cookie_presigner()?.presign_cookies(&request).await
}
