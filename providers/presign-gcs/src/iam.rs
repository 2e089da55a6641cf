//! [`IamSignBlob`]: the IAM Credentials `signBlob` API as a [`BlobSigner`] (feature `sign-blob`).
//!
//! `POST {endpoint}/v1/projects/-/serviceAccounts/{email}:signBlob` with
//! `Authorization: Bearer {token}` and `{"payload": base64(blob)}`; the answer carries
//! `signedBlob` (base64). The endpoint is configurable so tests can point it at 127.0.0.1.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use base64::Engine as _;
use presign_core::endpoint::BaseUrl;
use presign_core::{Error, Timestamp, TokenSource};
use serde::Deserialize;

use crate::blob_signer::BlobSigner;

/// The public IAM Credentials endpoint.
pub const IAM_CREDENTIALS_ENDPOINT: &str = "https://iamcredentials.googleapis.com";

/// Signs through IAM Credentials `signBlob`.
#[derive(Debug, Clone)]
pub struct IamSignBlob {
    email: String,
    provider: String,
    endpoint: String,
    tokens: Arc<dyn TokenSource>,
    client: reqwest::Client,
}

#[derive(Deserialize)]
struct SignBlobResponse {
    #[serde(rename = "signedBlob")]
    signed_blob: Option<String>,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: Option<ErrorDetail>,
}

#[derive(Deserialize)]
struct ErrorDetail {
    message: Option<String>,
    status: Option<String>,
}

impl IamSignBlob {
    /// A signer for the service account `email`, with tokens from `tokens`, against the public
    /// endpoint with a 10 s timeout. Errors name `provider`.
    pub fn new(
        provider: impl Into<String>,
        email: impl Into<String>,
        tokens: Arc<dyn TokenSource>,
    ) -> Result<Self, Error> {
        let provider = provider.into();
        let email = email.into();
        if email.is_empty()
            || !email
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'@' | b'.' | b'-' | b'_' | b'+'))
        {
            return Err(Error::invalid_input(
                "service account e-mail",
                format!("{email:?} is not a service-account e-mail address"),
            ));
        }
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| Error::Provider {
                provider: provider.clone(),
                reason: format!("cannot build the HTTP client for IAM signBlob: {e}"),
            })?;
        Ok(IamSignBlob {
            email,
            provider,
            endpoint: IAM_CREDENTIALS_ENDPOINT.to_owned(),
            tokens,
            client,
        })
    }

    /// Uses another endpoint (`http://127.0.0.1:PORT` in tests, a private endpoint in VPC-SC),
    /// parsed by core's base-URL parser (errors name `iam_endpoint`).
    ///
    /// The bearer token goes with every call, so the endpoint must be HTTPS, or plain HTTP to a
    /// loopback host ([`BaseUrl::require_secure_transport`]):
    ///
    /// ```
    /// # use std::sync::Arc;
    /// # use presign_core::{BearerToken, Credential, StaticCredential};
    /// # let tokens = Arc::new(StaticCredential::new(Credential::new(BearerToken::new("ya29.x"))));
    /// let iam = presign_gcs::IamSignBlob::new("gcs", "a@p.iam.gserviceaccount.com", tokens)?;
    /// assert!(iam.clone().with_endpoint("http://127.0.0.1:8080").is_ok());
    /// let e = iam.with_endpoint("http://iam.example.com").unwrap_err();
    /// assert!(e.to_string().contains("plain HTTP"));
    /// # Ok::<(), presign_core::Error>(())
    /// ```
    pub fn with_endpoint(mut self, endpoint: &str) -> Result<Self, Error> {
        let url = BaseUrl::parse(endpoint, "iam_endpoint")?;
        url.require_secure_transport("iam_endpoint", "the OAuth access token of IAM signBlob")?;
        self.endpoint = url.to_string();
        Ok(self)
    }

    fn fail(&self, reason: String) -> Error {
        Error::Provider {
            provider: self.provider.clone(),
            reason,
        }
    }
}

/// At most `max` characters of `s`, with the token (if it appears) replaced.
fn sanitize(s: &str, token: &str, max: usize) -> String {
    let s = if token.is_empty() {
        s.to_owned()
    } else {
        s.replace(token, "[REDACTED]")
    };
    let mut out: String = s.chars().filter(|c| !c.is_control()).take(max).collect();
    if s.chars().count() > max {
        out.push_str("...");
    }
    out
}

#[async_trait]
impl BlobSigner for IamSignBlob {
    fn email(&self) -> &str {
        &self.email
    }

    async fn sign_blob(&self, blob: &[u8]) -> Result<Vec<u8>, Error> {
        let b64 = base64::engine::general_purpose::STANDARD;
        let now = Timestamp::now();
        let token = self.tokens.fetch(now).await?;
        if token.is_expired_at(now) {
            return Err(Error::Credentials {
                provider: self.provider.clone(),
                reason: format!(
                    "the OAuth access token for IAM signBlob expired at {}",
                    token.expires_at().unwrap_or(Timestamp::MIN)
                ),
            });
        }
        let token = token.value();
        token.validate(&self.provider)?;
        let url = format!(
            "{}/v1/projects/-/serviceAccounts/{}:signBlob",
            self.endpoint, self.email
        );
        let body = serde_json::json!({ "payload": b64.encode(blob) }).to_string();
        let response = self
            .client
            .post(&url)
            .bearer_auth(token.expose_secret())
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| {
                self.fail(format!(
                    "IAM signBlob request for {} failed: {}",
                    self.email,
                    sanitize(&e.to_string(), token.expose_secret(), 300)
                ))
            })?;
        let status = response.status();
        let text = response.text().await.map_err(|e| {
            self.fail(format!(
                "IAM signBlob for {}: cannot read the answer: {e}",
                self.email
            ))
        })?;
        if !status.is_success() {
            let detail = serde_json::from_str::<ErrorBody>(&text)
                .ok()
                .and_then(|b| b.error)
                .map(|d| {
                    let msg = d.message.unwrap_or_default();
                    match d.status {
                        Some(s) => format!("{s}: {msg}"),
                        None => msg,
                    }
                })
                .unwrap_or_else(|| text.clone());
            let hint = match status.as_u16() {
                401 => " (the access token was refused)",
                403 => {
                    " (the caller needs roles/iam.serviceAccountTokenCreator on the service account)"
                }
                _ => "",
            };
            return Err(self.fail(format!(
                "IAM signBlob for {} answered HTTP {}{hint}: {}",
                self.email,
                status.as_u16(),
                sanitize(&detail, token.expose_secret(), 300)
            )));
        }
        let parsed: SignBlobResponse = serde_json::from_str(&text).map_err(|_| {
            self.fail(format!(
                "IAM signBlob for {} answered with JSON that has no signedBlob",
                self.email
            ))
        })?;
        let signed = parsed.signed_blob.ok_or_else(|| {
            self.fail(format!(
                "IAM signBlob for {} answered without signedBlob",
                self.email
            ))
        })?;
        b64.decode(signed.as_bytes()).map_err(|_| {
            self.fail(format!(
                "IAM signBlob for {}: signedBlob is not base64",
                self.email
            ))
        })
    }
}
