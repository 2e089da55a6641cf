//! [`HttpDelegationKeySource`]: `Get User Delegation Key` over HTTP(S) (feature
//! `user-delegation-http`).
//!
//! `POST {endpoint}/?restype=service&comp=userdelegationkey` with
//! `Authorization: Bearer {token}` (a Microsoft Entra ID token from a [`TokenSource`], core's
//! credential abstraction for bearer tokens),
//! `x-ms-version: `[`SIGNED_VERSION`] and the body
//!
//! ```xml
//! <?xml version="1.0" encoding="utf-8"?><KeyInfo><Start>START</Start><Expiry>EXPIRY</Expiry></KeyInfo>
//! ```
//!
//! The answer is a `UserDelegationKey` XML element (`SignedOid`, `SignedTid`, `SignedStart`,
//! `SignedExpiry`, `SignedService`, `SignedVersion`, `Value`, and `SignedDelegatedUserTid` when
//! the service returns one); an error answer is an `Error` element with `Code` and `Message`.
//! Both are read by a small parser that accepts only what the service sends and never panics.
//!
//! The endpoint is the provider's blob endpoint ([`Endpoint`]), so an Azurite or a test server
//! on 127.0.0.1 works. The bearer token is only sent over HTTPS, or over plain HTTP to a
//! loopback address (`127.0.0.1`, `[::1]`, `localhost`).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use presign_core::{Error, SecretString, Timestamp, TokenSource};

use crate::delegation::{DelegationKeySource, UserDelegationKey};
use crate::endpoint::Endpoint;
use crate::sas::SIGNED_VERSION;

/// The largest answer read from the service, in bytes (a key answer is well under 1 KiB).
const MAX_ANSWER_BYTES: usize = 64 * 1024;

/// The longest piece of a service error message quoted in an [`Error`], in characters.
const MAX_MESSAGE_CHARS: usize = 300;

/// Fetches user-delegation keys from the blob service with a bearer token from a
/// [`TokenSource`]: the network [`DelegationKeySource`].
///
/// ```no_run
/// use std::sync::Arc;
/// use presign_azure::{AzurePresigner, Endpoint, HttpDelegationKeySource};
/// use presign_core::{BearerToken, Credential, CredentialSource, Error, Timestamp};
///
/// /// A token your identity library refreshes.
/// #[derive(Debug)]
/// struct MyTokens;
///
/// #[async_trait::async_trait]
/// impl CredentialSource<BearerToken> for MyTokens {
///     async fn fetch(&self, _now: Timestamp) -> Result<Credential<BearerToken>, Error> {
///         Ok(Credential::expiring(BearerToken::new("eyJ0..."), Timestamp::MAX))
///     }
///     fn describe(&self) -> String {
///         "my identity library".into()
///     }
/// }
///
/// let endpoint = Endpoint::public("myaccount")?;
/// let source = HttpDelegationKeySource::new("azure", &endpoint, Arc::new(MyTokens))?;
/// let p = AzurePresigner::builder()
///     .account("myaccount")
///     .container("uploads")
///     .user_delegation(Arc::new(source))
///     .build()?;
/// # Ok::<(), presign_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct HttpDelegationKeySource {
    provider: String,
    url: String,
    tokens: Arc<dyn TokenSource>,
    client: reqwest::Client,
}

impl HttpDelegationKeySource {
    /// A source that asks the blob service at `endpoint` (the provider's endpoint, see
    /// [`crate::AzurePresignerBuilder::endpoint`]) with tokens from `tokens`, with a 10 s
    /// timeout. Errors name `provider`.
    ///
    /// Refuses a plain-HTTP endpoint that is not a loopback host (core's transport rule,
    /// [`presign_core::endpoint::BaseUrl::require_secure_transport`]): the bearer token would
    /// travel in clear text.
    pub fn new(
        provider: impl Into<String>,
        endpoint: &Endpoint,
        tokens: Arc<dyn TokenSource>,
    ) -> Result<Self, Error> {
        let provider = provider.into();
        endpoint.url().require_secure_transport(
            "azure endpoint",
            "the bearer token of Get User Delegation Key",
        )?;
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| Error::Provider {
                provider: provider.clone(),
                reason: format!("cannot build the HTTP client for Get User Delegation Key: {e}"),
            })?;
        Ok(HttpDelegationKeySource {
            provider,
            url: format!(
                "{}/?restype=service&comp=userdelegationkey",
                endpoint.base()
            ),
            tokens,
            client,
        })
    }

    /// The URL that is POSTed to.
    pub fn url(&self) -> &str {
        &self.url
    }

    fn fail(&self, reason: String) -> Error {
        Error::Provider {
            provider: self.provider.clone(),
            reason: format!("Get User Delegation Key: {reason}"),
        }
    }

    /// Reads at most [`MAX_ANSWER_BYTES`] of the answer's body.
    async fn read_body(
        &self,
        mut response: reqwest::Response,
        token: &str,
    ) -> Result<String, Error> {
        let mut body = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len().saturating_add(chunk.len()) > MAX_ANSWER_BYTES {
                        return Err(self.fail(format!(
                            "the answer is larger than {MAX_ANSWER_BYTES} bytes"
                        )));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => {
                    return Err(self.fail(format!(
                        "cannot read the answer: {}",
                        sanitize(&e.to_string(), token)
                    )));
                }
            }
        }
        String::from_utf8(body).map_err(|_| self.fail("the answer is not UTF-8".into()))
    }
}

/// `s` without control characters (newlines become spaces), at most [`MAX_MESSAGE_CHARS`]
/// characters, with the token (if it appears) replaced.
fn sanitize(s: &str, token: &str) -> String {
    let s = if token.is_empty() {
        s.to_owned()
    } else {
        s.replace(token, "[REDACTED]")
    };
    let mut out: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(MAX_MESSAGE_CHARS)
        .collect();
    if s.chars().count() > MAX_MESSAGE_CHARS {
        out.push_str("...");
    }
    out
}

/// The request body for a key valid from `start` to `expiry`.
fn key_info(start: Timestamp, expiry: Timestamp) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><KeyInfo><Start>{}</Start><Expiry>{}</Expiry></KeyInfo>",
        start.to_rfc3339(),
        expiry.to_rfc3339()
    )
}

#[async_trait]
impl DelegationKeySource for HttpDelegationKeySource {
    fn describe(&self) -> String {
        let at = self.url.split('?').next().unwrap_or(&self.url);
        format!(
            "Get User Delegation Key at {at} with tokens from {}",
            self.tokens.describe()
        )
    }

    async fn fetch(&self, start: Timestamp, expiry: Timestamp) -> Result<UserDelegationKey, Error> {
        let token = self.tokens.fetch(start).await?;
        if let Some(expired) = token.expires_at().filter(|e| *e <= start) {
            return Err(Error::Credentials {
                provider: self.provider.clone(),
                reason: format!("the Microsoft Entra ID access token expired at {expired}"),
            });
        }
        token.value().validate(&self.provider)?;
        let secret = token.value().expose_secret();
        let response = self
            .client
            .post(&self.url)
            .bearer_auth(secret)
            .header("x-ms-version", SIGNED_VERSION)
            .header("content-type", "application/xml")
            .body(key_info(start, expiry))
            .send()
            .await
            .map_err(|e| {
                self.fail(format!(
                    "the request to {} failed: {}",
                    self.url,
                    sanitize(&e.to_string(), secret)
                ))
            })?;
        let status = response.status();
        let header_code = response
            .headers()
            .get("x-ms-error-code")
            .and_then(|v| v.to_str().ok())
            .map(|v| sanitize(v, secret));
        let text = self.read_body(response, secret).await?;
        let text = text.trim_start_matches('\u{feff}');
        if !status.is_success() {
            let code = leaf(text, "Code")
                .ok()
                .flatten()
                .map(|c| sanitize(&c, secret))
                .or(header_code)
                .unwrap_or_else(|| "no error code".to_owned());
            let message = leaf(text, "Message")
                .ok()
                .flatten()
                .map(|m| sanitize(&m, secret))
                .unwrap_or_default();
            let hint = match status.as_u16() {
                401 => " (the access token was refused)",
                403 => {
                    " (the identity needs a role that grants Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action, such as Storage Blob Delegator, on the account)"
                }
                _ => "",
            };
            let sep = if message.is_empty() { "" } else { ": " };
            return Err(self.fail(format!(
                "the service answered HTTP {}{hint}: {code}{sep}{message}",
                status.as_u16()
            )));
        }
        parse_key(text).map_err(|reason| self.fail(reason))
    }
}

/// Parses a `UserDelegationKey` answer. The error never quotes the key.
fn parse_key(xml: &str) -> Result<UserDelegationKey, String> {
    let root = element(xml, "UserDelegationKey")?
        .ok_or_else(|| "the answer has no UserDelegationKey element".to_owned())?;
    let required = |name: &str| -> Result<String, String> {
        leaf(root, name)?.ok_or_else(|| format!("the answer's UserDelegationKey has no {name}"))
    };
    let value = SecretString::from(required("Value")?);
    let key = UserDelegationKey::new(
        required("SignedOid")?,
        required("SignedTid")?,
        required("SignedStart")?,
        required("SignedExpiry")?,
        required("SignedService")?,
        required("SignedVersion")?,
        value,
    )
    .map_err(|e| format!("the answer's key is not usable: {e}"))?;
    match leaf(root, "SignedDelegatedUserTid")? {
        Some(tid) if !tid.is_empty() => key
            .with_delegated_user_tid(tid)
            .map_err(|e| format!("the answer's key is not usable: {e}")),
        _ => Ok(key),
    }
}

/// The content of the single element `<name>…</name>` in `xml` (no attributes), or `None`
/// when there is none. Two such elements are an error.
fn element<'a>(xml: &'a str, name: &str) -> Result<Option<&'a str>, String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let Some(at) = xml.find(&open) else {
        return Ok(None);
    };
    let after = xml.get(at.saturating_add(open.len())..).unwrap_or_default();
    let Some(end) = after.find(&close) else {
        return Err(format!("the answer's {name} element is not closed"));
    };
    let inner = after.get(..end).unwrap_or_default();
    let rest = after
        .get(end.saturating_add(close.len())..)
        .unwrap_or_default();
    if inner.contains(&open) || rest.contains(&open) {
        return Err(format!("the answer has more than one {name} element"));
    }
    Ok(Some(inner))
}

/// The text of the single leaf element `<name>TEXT</name>` in `xml`, entities decoded.
fn leaf(xml: &str, name: &str) -> Result<Option<String>, String> {
    let Some(inner) = element(xml, name)? else {
        return Ok(None);
    };
    if inner.contains('<') {
        return Err(format!("the answer's {name} element is not plain text"));
    }
    unescape(inner.trim())
        .map(Some)
        .ok_or_else(|| format!("the answer's {name} element has an invalid character reference"))
}

/// Decodes the five predefined XML entities and numeric character references.
fn unescape(s: &str) -> Option<String> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp)?);
        let after = rest.get(amp.saturating_add(1)..)?;
        let semi = after.find(';')?;
        let entity = after.get(..semi)?;
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = entity
                    .strip_prefix("#x")
                    .or_else(|| entity.strip_prefix("#X"))
                {
                    u32::from_str_radix(hex, 16).ok()?
                } else {
                    entity.strip_prefix('#')?.parse::<u32>().ok()?
                };
                char::from_u32(code)?
            }
        };
        out.push(c);
        rest = after.get(semi.saturating_add(1)..)?;
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    const KEY: &str = "<?xml version=\"1.0\" encoding=\"utf-8\"?><UserDelegationKey><SignedOid>oid</SignedOid><SignedTid>tid</SignedTid><SignedStart>2026-01-01T00:00:00Z</SignedStart><SignedExpiry>2026-01-02T00:00:00Z</SignedExpiry><SignedService>b</SignedService><SignedVersion>2026-10-06</SignedVersion><Value>a2V5</Value></UserDelegationKey>";

    #[test]
    fn parses_a_key() {
        let k = parse_key(KEY).unwrap();
        assert_eq!(k.expires_at().to_rfc3339(), "2026-01-02T00:00:00Z");
        let with_tid = KEY.replace(
            "</Value>",
            "</Value><SignedDelegatedUserTid>dtid</SignedDelegatedUserTid>",
        );
        assert!(format!("{:?}", parse_key(&with_tid).unwrap()).contains("dtid"));
    }

    #[test]
    fn hostile_xml_is_an_error_not_a_panic() {
        for bad in [
            "",
            "<",
            "<UserDelegationKey>",
            "<UserDelegationKey></UserDelegationKey>",
            "<UserDelegationKey><Value>&#xFFFFFFFF;</Value></UserDelegationKey>",
            "<UserDelegationKey><Value>&</Value></UserDelegationKey>",
            "<UserDelegationKey><SignedOid><x/></SignedOid></UserDelegationKey>",
            "<UserDelegationKey><SignedOid>a</SignedOid><SignedOid>b</SignedOid></UserDelegationKey>",
            "\u{1F600}<UserDelegationKey>\u{1F600}<SignedOid>\u{1F600}",
        ] {
            assert!(parse_key(bad).is_err(), "{bad}");
        }
        let two = format!("{KEY}{KEY}");
        assert!(parse_key(&two).is_err());
    }

    #[test]
    fn unescapes() {
        assert_eq!(unescape("a&amp;b&lt;&#65;&#x42;").unwrap(), "a&b<AB");
        assert!(unescape("&bogus;").is_none());
    }

    #[test]
    fn sanitize_redacts_and_truncates() {
        assert_eq!(sanitize("a TOK\nb", "TOK"), "a [REDACTED] b");
        assert!(sanitize(&"x".repeat(1000), "").ends_with("..."));
    }
}
