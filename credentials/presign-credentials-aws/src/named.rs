//! [`AwsSource`]: a credential source named by configuration (`credentials = "chain"`), built
//! on its first fetch (the chains are built asynchronously, configuration is read
//! synchronously).

use std::fmt;
use std::str::FromStr;

use async_trait::async_trait;
use presign_core::{Credential, CredentialSource, Error, Timestamp};
use presign_s3::Credentials;
use tokio::sync::OnceCell;

use crate::source::AwsCredentialSource;

/// Which `aws-config` source to use, by the names the configuration uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AwsSource {
    /// `chain`: the SDKs' default chain.
    Chain,
    /// `environment`: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`.
    Environment,
    /// `profile` with a profile name: one profile of the shared files.
    Profile(String),
    /// `web-identity`: `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` through STS.
    WebIdentity,
    /// `container`: ECS/EKS container credentials.
    Container,
    /// `imds`: the EC2 instance metadata service (IMDSv2).
    Imds,
}

impl AwsSource {
    /// The names [`FromStr`] accepts (`profile` takes its name separately).
    pub const NAMES: &'static [&'static str] = &[
        "chain",
        "environment",
        "profile",
        "web-identity",
        "container",
        "imds",
    ];

    /// `name` with the profile name for `profile`; errors say what is accepted.
    pub fn parse(name: &str, profile: Option<&str>) -> Result<Self, String> {
        let source = match name.trim() {
            "chain" => AwsSource::Chain,
            "environment" | "env" => AwsSource::Environment,
            "profile" => match profile {
                Some(p) if !p.trim().is_empty() => AwsSource::Profile(p.trim().to_owned()),
                _ => return Err("credentials = \"profile\" needs profile = \"NAME\"".into()),
            },
            "web-identity" => AwsSource::WebIdentity,
            "container" => AwsSource::Container,
            "imds" => AwsSource::Imds,
            other => {
                return Err(format!(
                    "{:?} is not an AWS credential source; use one of {}",
                    other.chars().take(40).collect::<String>(),
                    Self::NAMES.join(", ")
                ));
            }
        };
        if profile.is_some() && !matches!(source, AwsSource::Profile(_)) {
            return Err("profile is only used with credentials = \"profile\"".into());
        }
        Ok(source)
    }

    /// A source for this choice that builds its `aws-config` provider on the first fetch;
    /// errors name `provider`.
    pub fn into_source(self, provider: &str) -> NamedAwsSource {
        NamedAwsSource {
            source: self,
            provider: provider.to_owned(),
            built: OnceCell::new(),
        }
    }

    async fn build(&self) -> Result<AwsCredentialSource, Error> {
        Ok(match self {
            AwsSource::Chain => AwsCredentialSource::default_chain().await,
            AwsSource::Environment => AwsCredentialSource::environment(),
            AwsSource::Profile(p) => AwsCredentialSource::profile(p).await,
            AwsSource::WebIdentity => AwsCredentialSource::web_identity().await,
            AwsSource::Container => AwsCredentialSource::container(),
            AwsSource::Imds => AwsCredentialSource::imds(),
        })
    }
}

impl FromStr for AwsSource {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        AwsSource::parse(s, None)
    }
}

impl fmt::Display for AwsSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AwsSource::Chain => f.write_str("aws-config default chain"),
            AwsSource::Environment => f.write_str("aws environment variables"),
            AwsSource::Profile(p) => write!(f, "aws profile {p}"),
            AwsSource::WebIdentity => {
                f.write_str("aws web identity (STS AssumeRoleWithWebIdentity)")
            }
            AwsSource::Container => f.write_str("aws container credentials"),
            AwsSource::Imds => f.write_str("aws instance metadata (IMDSv2)"),
        }
    }
}

/// An [`AwsSource`] built on its first fetch (see [`AwsSource::into_source`]).
pub struct NamedAwsSource {
    source: AwsSource,
    provider: String,
    built: OnceCell<AwsCredentialSource>,
}

impl fmt::Debug for NamedAwsSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NamedAwsSource")
            .field("source", &self.source)
            .field("provider", &self.provider)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl CredentialSource<Credentials> for NamedAwsSource {
    async fn fetch(&self, now: Timestamp) -> Result<Credential<Credentials>, Error> {
        let src = self
            .built
            .get_or_try_init(|| async {
                self.source
                    .build()
                    .await
                    .map(|s| s.with_name(self.provider.as_str()))
            })
            .await?;
        src.fetch(now).await
    }

    fn describe(&self) -> String {
        self.source.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_and_errors_say_what_is_accepted() {
        assert_eq!(AwsSource::parse("chain", None), Ok(AwsSource::Chain));
        assert_eq!(
            AwsSource::parse("profile", Some("signer")),
            Ok(AwsSource::Profile("signer".into()))
        );
        assert!(
            AwsSource::parse("profile", None)
                .unwrap_err()
                .contains("profile = ")
        );
        assert!(
            AwsSource::parse("imds", Some("x"))
                .unwrap_err()
                .contains("only used")
        );
        let e = AwsSource::parse("sso", None).unwrap_err();
        assert!(e.contains("web-identity") && e.contains("imds"), "{e}");
        let src = AwsSource::Profile("signer".into()).into_source("prod");
        assert_eq!(src.describe(), "aws profile signer");
    }
}
