//! Checks made when a configuration is loaded, before any provider is built (providers are
//! built on first use): settings under which no URL could ever be signed, or only URLs that
//! clients would send somewhere else. Each error names the field and the rule; none shows a
//! secret.

use std::net::Ipv4Addr;
use std::time::Duration;

use presign_core::Error;
use presign_core::duration::format_duration;
use presign_gcs::UrlStyle;
use presign_policy::Policy;

use crate::de::{config_error, join};
use crate::provider::ProviderSettings;
use crate::secret::SecretSource;

/// The longest time-to-live the provider kind of `settings` can sign.
pub(crate) fn provider_max_ttl(settings: &ProviderSettings) -> Duration {
    match settings {
        ProviderSettings::S3(_) => presign_s3::capabilities::MAX_TTL,
        ProviderSettings::Gcs(_) => Duration::from_secs(presign_gcs::MAX_EXPIRES_SECS),
        ProviderSettings::Azure(_) => presign_azure::capabilities::MAX_TTL,
        #[cfg(feature = "cloudfront")]
        ProviderSettings::CloudFront(_) => presign_cloudfront::presigner::MAX_TTL,
        #[cfg(feature = "cloud-cdn")]
        ProviderSettings::CloudCdn(_) => presign_cloud_cdn::presigner::MAX_TTL,
    }
}

/// A time bucket is added to every URL's lifetime; one as long as the provider's maximum
/// leaves nothing to sign (the policy's own `max_ttl` is checked by the policy). `at` is the
/// table that sets the bucket (`providers.NAME.policy`, or the top-level `policy`).
pub(crate) fn time_bucket(
    policy: &Policy,
    settings: &ProviderSettings,
    at: &str,
    provider_path: &str,
) -> Result<(), Error> {
    let max = provider_max_ttl(settings);
    match policy.time_bucket() {
        Some(bucket) if bucket >= max => Err(config_error(
            &join(at, "time_bucket"),
            format!(
                "{} must be shorter than the longest time-to-live {} signs ({}, kind {}): the bucket is added to every URL's lifetime, so no URL could be signed",
                format_duration(bucket),
                provider_path,
                format_duration(max),
                settings.kind()
            ),
        )),
        _ => Ok(()),
    }
}

/// The checks of one provider's own settings, at `path` (`providers.NAME`).
pub(crate) fn settings(settings: &ProviderSettings, path: &str) -> Result<(), Error> {
    match settings {
        ProviderSettings::S3(s) => {
            for (field, value) in [
                ("endpoint", &s.endpoint),
                ("public_endpoint", &s.public_endpoint),
                ("served_through", &s.served_through),
            ] {
                if let Some(v) = value {
                    ip_like_host(path, field, v)?;
                }
            }
            if s.session_token_expires_at.is_some() {
                session_expiry(s, path)?;
            }
            Ok(())
        }
        ProviderSettings::Gcs(s) => {
            if let Some(v) = &s.endpoint {
                ip_like_host(path, "endpoint", v)?;
                if s.url_style == Some(UrlStyle::VirtualHosted) && host_is_ip(host(v)) {
                    return Err(virtual_on_ip(path, "endpoint", v));
                }
            }
            if let Some(SecretSource::Inline(id)) = &s.hmac_access_id {
                printable_id(path, "hmac_access_id", id.expose_secret())?;
            }
            Ok(())
        }
        ProviderSettings::Azure(s) => match &s.endpoint {
            Some(v) if v.contains("://") => {
                ip_like_host(path, "endpoint", v)?;
                no_dot_segments(path, "endpoint", v)
            }
            _ => Ok(()),
        },
        #[cfg(feature = "cloudfront")]
        ProviderSettings::CloudFront(_) => Ok(()),
        #[cfg(feature = "cloud-cdn")]
        ProviderSettings::CloudCdn(_) => Ok(()),
    }
}

/// `url_style = "virtual"` puts the bucket in front of the host: `bucket.127.0.0.1` is no
/// host at all.
pub(crate) fn virtual_on_ip(path: &str, field: &str, endpoint: &str) -> Error {
    config_error(
        &join(path, "url_style"),
        format!(
            "\"virtual\" puts the bucket in front of the host, but {field} {:?} is an IP address ({}); use url_style = \"path\"",
            host(endpoint),
            endpoint.trim()
        ),
    )
}

/// The host of `[scheme://][user@]host[:port][/path]`: an IPv6 address with its brackets.
pub(crate) fn host(endpoint: &str) -> &str {
    let s = endpoint.trim();
    let rest = s.split_once("://").map_or(s, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    if authority.starts_with('[') {
        return match authority.find(']') {
            Some(i) => authority.get(..=i).unwrap_or(authority),
            None => authority,
        };
    }
    authority.split(':').next().unwrap_or_default()
}

/// Whether `host` is an IP address: `[IPv6]` or a dotted-quad IPv4 address.
pub(crate) fn host_is_ip(host: &str) -> bool {
    host.starts_with('[') || host.parse::<Ipv4Addr>().is_ok()
}

/// A host whose last label is a number is read as an IPv4 address by browsers and curl
/// (WHATWG URL: `1.2.3` is `1.2.0.3`, `0x7f.1` is `127.0.0.1`, `999.1.1.1` is refused), so
/// the request would not go to the host that was signed, or nowhere. Only the four decimal
/// numbers 0-255 of a plain IPv4 address are accepted.
fn ip_like_host(path: &str, field: &str, endpoint: &str) -> Result<(), Error> {
    let h = host(endpoint);
    let last = h
        .trim_end_matches('.')
        .rsplit('.')
        .next()
        .unwrap_or_default();
    let numeric = !last.is_empty()
        && (last.bytes().all(|b| b.is_ascii_digit())
            || last.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("0x"))
                && last.bytes().skip(2).all(|b| b.is_ascii_hexdigit()));
    if numeric && h.parse::<Ipv4Addr>().is_err() {
        return Err(config_error(
            &join(path, field),
            format!(
                "the host {h:?} looks like an IPv4 address but is not one: write four decimal numbers 0-255 without leading zeros (127.0.0.1); HTTP clients read other numeric hosts as a different address, or refuse them"
            ),
        ));
    }
    Ok(())
}

/// A `.` or `..` segment in an endpoint's path (also as `%2e`): clients remove them, so the
/// URLs would go to another path than the one signed.
fn no_dot_segments(path: &str, field: &str, endpoint: &str) -> Result<(), Error> {
    let s = endpoint.trim();
    let rest = s.split_once("://").map_or(s, |(_, r)| r);
    let url_path = rest
        .find('/')
        .and_then(|i| rest.get(i..))
        .unwrap_or_default();
    let dot = url_path.split('/').any(|seg| {
        let seg = seg.to_ascii_lowercase().replace("%2e", ".");
        seg == "." || seg == ".."
    });
    if dot {
        return Err(config_error(
            &join(path, field),
            format!(
                "the path of {s:?} has a '.' or '..' segment; HTTP clients remove such segments, so URLs would point elsewhere than signed"
            ),
        ));
    }
    Ok(())
}

/// An access id goes into the signed URL's credential: printable ASCII without `/`. The value
/// is never shown (a swapped id and secret would print the secret).
fn printable_id(path: &str, field: &str, id: &str) -> Result<(), Error> {
    if let Some(c) = id.chars().find(|c| !c.is_ascii_graphic() || *c == '/') {
        let what = if c.is_control() {
            "a control character"
        } else if c == '/' {
            "'/'"
        } else if c == ' ' {
            "a space"
        } else {
            "a character outside printable ASCII"
        };
        return Err(config_error(
            &join(path, field),
            format!(
                "contains {what}; an access id is printable ASCII without '/' (the value is not shown: is it the secret?)"
            ),
        ));
    }
    Ok(())
}

/// `session_token_expires_at` says when a session token expires: it goes with the token (or
/// the environment's `AWS_SESSION_TOKEN`, when no key is given), never with a named source,
/// which reports its own expiry, nor with long-term keys alone.
fn session_expiry(s: &crate::provider::s3::S3Settings, path: &str) -> Result<(), Error> {
    let field = join(path, "session_token_expires_at");
    if s.credentials.is_some() {
        return Err(config_error(
            &field,
            "credentials = \"SOURCE\" reports its own expiry; session_token_expires_at goes with session_token",
        ));
    }
    if s.access_key_id.is_some() && s.session_token.is_none() {
        return Err(config_error(
            &field,
            "is given without session_token; give the session token of the temporary credentials it describes, or drop the line",
        ));
    }
    Ok(())
}
