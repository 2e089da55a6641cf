//! [`GoogleTokenSource`]: google-cloud-auth access tokens as a presign token source.

use std::fmt;

use async_trait::async_trait;
use google_cloud_auth::credentials::{
    AccessTokenCredentials, Builder, external_account, impersonated, mds, service_account,
    user_account,
};
use presign_core::{BearerToken, Credential, CredentialSource, Error, Timestamp};
use serde_json::Value;

/// The OAuth scope that can call IAM Credentials `signBlob`.
pub const CLOUD_PLATFORM_SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform";

/// The URLs of a credentials JSON to which google-cloud-auth sends a secret: `token_uri`
/// (`authorized_user`'s refresh token and client secret), `service_account_impersonation_url`
/// (an access token), `token_url` (an external account's subject token).
const SECRET_RECEIVING_URLS: &[&str] = &[
    "token_uri",
    "service_account_impersonation_url",
    "token_url",
];

/// The transport rule for each of `json`'s [`SECRET_RECEIVING_URLS`]; errors name
/// `path.FIELD`.
fn check_urls(json: &Value, path: &str) -> Result<(), Error> {
    for field in SECRET_RECEIVING_URLS {
        if let Some(url) = json.get(field).and_then(Value::as_str) {
            presign_core::endpoint::require_secure_url(
                url,
                &format!("{path}.{field}"),
                "a Google credential",
            )?;
        }
    }
    Ok(())
}

/// OAuth access tokens from google-cloud-auth (see the [crate docs](crate)). Tokens carry no
/// expiry: google-cloud-auth refreshes them itself, so every fetch asks it (a cache hit while
/// fresh) and the source needs no cache of presign's in front of it.
#[derive(Clone)]
pub struct GoogleTokenSource {
    credentials: AccessTokenCredentials,
    description: String,
    name: String,
}

impl GoogleTokenSource {
    /// The metadata server of GCE, GKE (workload identity), Cloud Run and Cloud Functions:
    /// `endpoint` (`http://127.0.0.1:PORT` in tests), else `GCE_METADATA_HOST`, else
    /// `metadata.google.internal`.
    pub fn metadata_server(endpoint: Option<&str>) -> Result<Self, Error> {
        let mut b = mds::Builder::default().with_scopes([CLOUD_PLATFORM_SCOPE]);
        if let Some(e) = endpoint {
            b = b.with_endpoint(e);
        }
        let description = match endpoint {
            Some(e) => format!("google metadata server at {e}"),
            None => "google metadata server".to_owned(),
        };
        Self::built(b.build_access_token_credentials(), description)
    }

    /// Application Default Credentials: the JSON file named by `GOOGLE_APPLICATION_CREDENTIALS`
    /// (or gcloud's well-known file), else the metadata server.
    pub fn application_default() -> Result<Self, Error> {
        let b = Builder::default().with_scopes([CLOUD_PLATFORM_SCOPE]);
        Self::built(
            b.build_access_token_credentials(),
            "google application default credentials".to_owned(),
        )
    }

    /// A credentials JSON (the contents of a `GOOGLE_APPLICATION_CREDENTIALS` file) of type
    /// `authorized_user`, `impersonated_service_account`, `external_account` or
    /// `service_account`. Its own URLs (`token_uri`, `service_account_impersonation_url`,
    /// `token_url`) are used as they are.
    ///
    /// Each of those URLs receives a secret (a refresh token, a client secret, an access token,
    /// a subject token), so each must be HTTPS or plain HTTP to a loopback host (core's transport
    /// rule, [`presign_core::endpoint::require_secure_url`]); errors name the field.
    pub fn from_json(json: Value) -> Result<Self, Error> {
        check_urls(&json, "credentials")?;
        if let Some(source) = json.get("source_credentials") {
            check_urls(source, "credentials.source_credentials")?;
        }
        let kind = json
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        let scopes = [CLOUD_PLATFORM_SCOPE];
        let built = match kind.as_str() {
            "authorized_user" => user_account::Builder::new(json)
                .with_scopes(scopes)
                .build_access_token_credentials(),
            "impersonated_service_account" => impersonated::Builder::new(json)
                .with_scopes(scopes)
                .build_access_token_credentials(),
            "external_account" => external_account::Builder::new(json)
                .with_scopes(scopes)
                .build_access_token_credentials(),
            "service_account" => service_account::Builder::new(json)
                .with_access_specifier(service_account::AccessSpecifier::from_scopes(scopes))
                .build_access_token_credentials(),
            other => {
                return Err(Error::Config {
                    path: "credentials.type".into(),
                    reason: format!(
                        "{:?} is not a Google credentials type this source reads \
                         (authorized_user, impersonated_service_account, external_account, service_account)",
                        other.chars().take(40).collect::<String>()
                    ),
                });
            }
        };
        Self::built(built, format!("google {kind} credentials"))
    }

    /// The provider named in errors (the configured name, e.g. `assets`).
    #[must_use]
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = name.into();
        self
    }

    fn built(
        r: Result<AccessTokenCredentials, google_cloud_auth::build_errors::Error>,
        description: String,
    ) -> Result<Self, Error> {
        let credentials = r.map_err(|e| Error::credentials_from("gcs", &description, &e))?;
        Ok(GoogleTokenSource {
            credentials,
            description,
            name: "gcs".to_owned(),
        })
    }
}

impl fmt::Debug for GoogleTokenSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GoogleTokenSource")
            .field("source", &self.description)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl CredentialSource<BearerToken> for GoogleTokenSource {
    async fn fetch(&self, _now: Timestamp) -> Result<Credential<BearerToken>, Error> {
        let token = self
            .credentials
            .access_token()
            .await
            .map_err(|e| Error::credentials_from(&self.name, &self.description, &e))?;
        let token = BearerToken::new(token.token);
        token.validate(&self.name)?;
        Ok(Credential::new(token))
    }

    fn describe(&self) -> String {
        format!("{} (google-cloud-auth, refreshed by it)", self.description)
    }
}
