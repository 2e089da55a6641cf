//! Checks made when a configuration is loaded, before any provider is built (providers are
//! built on first use): settings under which no URL could ever be signed, or only URLs that
//! clients would send somewhere else. Each error names the field and the rule; none shows a
//! secret.

use std::time::Duration;

use presign_core::Error;
use presign_core::duration::format_duration;
use presign_core::endpoint::{BaseUrl, Scheme};
use presign_gcs::UrlStyle;
use presign_policy::Policy;

use crate::de::{config_error, join};
use crate::provider::ProviderSettings;
use crate::secret::SecretSource;

/// The longest time-to-live the provider kind of `settings` can sign.
pub(crate) fn provider_max_ttl(settings: &ProviderSettings) -> Duration {
    match settings {
        ProviderSettings::S3(_) => presign_s3::MAX_TTL,
        ProviderSettings::Gcs(_) => Duration::from_secs(presign_gcs::MAX_EXPIRES_SECS),
        ProviderSettings::Azure(_) => presign_azure::MAX_TTL,
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
                    endpoint(path, field, v, None)?;
                }
            }
            if s.session_token_expires_at.is_some() {
                session_expiry(s, path)?;
            }
            Ok(())
        }
        ProviderSettings::Gcs(s) => {
            if let Some(v) = &s.endpoint {
                let url = endpoint(path, "endpoint", v, Some(Scheme::Https))?;
                if s.url_style == Some(UrlStyle::VirtualHosted) && url.host_is_ip() {
                    return Err(virtual_on_ip(path, "endpoint", &url));
                }
            }
            if let Some(SecretSource::Inline(id)) = &s.hmac_access_id {
                printable_id(path, "hmac_access_id", id.expose_secret())?;
            }
            Ok(())
        }
        ProviderSettings::Azure(s) => match &s.endpoint {
            Some(v) if v.contains("://") => endpoint(path, "endpoint", v, None).map(|_| ()),
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
pub(crate) fn virtual_on_ip(path: &str, field: &str, endpoint: &BaseUrl) -> Error {
    config_error(
        &join(path, "url_style"),
        format!(
            "\"virtual\" puts the bucket in front of the host, but {field} {:?} is an IP address ({endpoint}); use url_style = \"path\"",
            endpoint.host(),
        ),
    )
}

/// An endpoint parsed by core's one base-URL parser ([`BaseUrl`]), as the provider will parse
/// it when it is built: a host whose last label is a number must be a plain IPv4 address
/// (browsers and curl read `1.2.3` as `1.2.0.3`), a path has no `.` or `..` segment (also as
/// `%2E`: clients remove them), a port is 1 to 65535. `default_scheme` is GCS's (an origin,
/// `https` when no scheme is given); `None` takes a base URL with a required scheme. The error
/// is at `path.field`.
pub(crate) fn endpoint(
    path: &str,
    field: &str,
    value: &str,
    default_scheme: Option<Scheme>,
) -> Result<BaseUrl, Error> {
    let parsed = match default_scheme {
        Some(d) => BaseUrl::parse_origin(value, field, Some(d)),
        None => BaseUrl::parse(value, field),
    };
    parsed.map_err(|e| match e {
        Error::InvalidInput { reason, .. } => config_error(&join(path, field), reason),
        other => other,
    })
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
