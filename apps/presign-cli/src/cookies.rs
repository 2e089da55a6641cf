//! `presign cookies`: sign a CDN cookie grant (CloudFront, Cloud CDN) and print `Set-Cookie`
//! lines or JSON.

use std::io::Write;

use presign_config::Registry;
use presign_core::cookies::{
    CookieAttributes, CookieRequest, ResourcePattern, SameSite, SignedCookies,
};
use presign_core::duration::parse_duration;
use presign_core::{ClientIp, Constraints, Timestamp};
use serde_json::{Map, Value, json};

use crate::args::CookiesArgs;
use crate::{EXIT_OK, Failure, runtime};
use presign_config::fields::parse_time;

pub(crate) fn run(
    registry: &Registry,
    a: &CookiesArgs,
    stdout: &mut dyn Write,
) -> Result<i32, Failure> {
    let mut request = CookieRequest::new(ResourcePattern::new(&a.pattern)?);
    if let Some(d) = a.expires_in.as_deref() {
        request = request.with_ttl(parse_duration(d)?);
    }
    request = request.signed_at(match a.now.as_deref() {
        Some(t) => parse_time("now", t)?,
        None => Timestamp::now(),
    });
    let mut c = Constraints::default();
    c.client_ip = a.ip.as_deref().map(ClientIp::parse).transpose()?;
    c.not_before = a
        .not_before
        .as_deref()
        .map(|t| parse_time("not_before", t))
        .transpose()?;
    request = request.with_constraints(c);
    let attrs = CookieAttributes {
        same_site: a
            .same_site
            .as_deref()
            .map(SameSite::parse)
            .transpose()?
            .unwrap_or_default(),
        http_only: !a.no_http_only,
        domain: a.cookie_domain.clone(),
    };
    let entry = registry.resolve(a.provider.as_deref())?;
    let signer = entry.cookie_presigner()?;
    let signed = runtime()?.block_on(signer.presign_cookies(&request))?;
    if a.json {
        let text = serde_json::to_string_pretty(&cookies_json(&signed, &attrs))
            .map_err(std::io::Error::other)?;
        writeln!(stdout, "{text}")?;
    } else {
        for line in signed.set_cookie_headers(&attrs) {
            writeln!(stdout, "Set-Cookie: {line}")?;
        }
    }
    Ok(EXIT_OK)
}

/// The grant as JSON: cookies by name, the `Set-Cookie` values, domain, path and times.
pub(crate) fn cookies_json(signed: &SignedCookies, attrs: &CookieAttributes) -> Value {
    let cookies: Map<String, Value> = signed
        .expose_cookies()
        .iter()
        .map(|(n, v)| (n.clone(), Value::String(v.clone())))
        .collect();
    let dropped: Vec<&str> = signed.dropped().iter().map(|k| k.as_str()).collect();
    json!({
        "provider": signed.provider(),
        "cookies": cookies,
        "set_cookie": signed.set_cookie_headers(attrs),
        "domain": attrs.domain.as_deref().unwrap_or(signed.domain()),
        "path": signed.path(),
        "signed_at": signed.signed_at().to_rfc3339(),
        "expires_at": signed.expires_at().to_rfc3339(),
        "dropped": dropped,
    })
}
