//! [`GoogleSource`]: a token source named by configuration (`credentials =
//! "metadata-server"`), built on its first fetch: google-cloud-auth starts fetching tokens as
//! soon as a credential is built, which needs a Tokio runtime and should not happen while a
//! configuration is only read.

use std::fmt;

use async_trait::async_trait;
use presign_core::{BearerToken, Credential, CredentialSource, Error, Timestamp};
use tokio::sync::OnceCell;

use crate::token_source::GoogleTokenSource;

/// Which Google token source, by the names the configuration uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GoogleSource {
    /// `metadata-server`: GCE, GKE workload identity, Cloud Run.
    MetadataServer,
    /// `application-default`: `GOOGLE_APPLICATION_CREDENTIALS`, gcloud's file, else the
    /// metadata server.
    ApplicationDefault,
}

impl GoogleSource {
    /// `name` as a source; the error says what is accepted.
    pub fn parse(name: &str) -> Result<Self, String> {
        match name.trim() {
            "metadata-server" => Ok(GoogleSource::MetadataServer),
            "application-default" => Ok(GoogleSource::ApplicationDefault),
            other => Err(format!(
                "{:?} is not a Google token source; use \"metadata-server\" or \"application-default\"",
                other.chars().take(40).collect::<String>()
            )),
        }
    }

    /// A token source for this choice, built on its first fetch; errors name `provider`.
    pub fn into_source(self, provider: &str) -> NamedGoogleSource {
        NamedGoogleSource {
            source: self,
            provider: provider.to_owned(),
            built: OnceCell::new(),
        }
    }
}

impl fmt::Display for GoogleSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            GoogleSource::MetadataServer => "google metadata server",
            GoogleSource::ApplicationDefault => "google application default credentials",
        })
    }
}

/// A [`GoogleSource`] built on its first fetch (see [`GoogleSource::into_source`]).
pub struct NamedGoogleSource {
    source: GoogleSource,
    provider: String,
    built: OnceCell<GoogleTokenSource>,
}

impl fmt::Debug for NamedGoogleSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NamedGoogleSource")
            .field("source", &self.source)
            .field("provider", &self.provider)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl CredentialSource<BearerToken> for NamedGoogleSource {
    async fn fetch(&self, now: Timestamp) -> Result<Credential<BearerToken>, Error> {
        let src = self
            .built
            .get_or_try_init(|| async {
                let s = match self.source {
                    GoogleSource::MetadataServer => GoogleTokenSource::metadata_server(None),
                    GoogleSource::ApplicationDefault => GoogleTokenSource::application_default(),
                };
                s.map(|s| s.with_name(self.provider.as_str()))
            })
            .await?;
        src.fetch(now).await
    }

    fn describe(&self) -> String {
        format!("{} (google-cloud-auth, refreshed by it)", self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_and_nothing_is_built_before_a_fetch() {
        assert_eq!(
            GoogleSource::parse("metadata-server"),
            Ok(GoogleSource::MetadataServer)
        );
        assert!(
            GoogleSource::parse("gce")
                .unwrap_err()
                .contains("application-default")
        );
        // No runtime here: building now would panic inside google-cloud-auth.
        let s = GoogleSource::MetadataServer.into_source("assets");
        assert!(s.describe().starts_with("google metadata server"));
    }
}
