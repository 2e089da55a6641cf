//! [`AzureSource`]: a token source named by configuration (`credentials = "managed-identity"`),
//! built on its first fetch, like the AWS and Google ones: azure_identity reads its
//! environment (`IDENTITY_ENDPOINT`, `AZURE_FEDERATED_TOKEN_FILE`, ...) when a credential is
//! built, and a configuration that is only read (`presign providers`, `serve --check`) should
//! not fail because the platform's identity is not there.

use std::fmt;
use std::sync::Mutex;

use async_trait::async_trait;
use azure_core::http::ClientOptions;
use presign_core::{BearerToken, Credential, CredentialSource, Error, SecretString, Timestamp};

use crate::token_source::AzureTokenSource;

/// Which `azure_identity` credential, by the names the configuration uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AzureSource {
    /// `managed-identity`: IMDS on VMs and AKS, `IDENTITY_ENDPOINT` on App Service, Functions
    /// and Container Apps.
    ManagedIdentity,
    /// `workload-identity`: AKS workload identity (`AZURE_FEDERATED_TOKEN_FILE`).
    WorkloadIdentity,
    /// `client-secret`: a service principal's client secret.
    ClientSecret,
    /// `azure-cli`: `az account get-access-token` (development).
    AzureCli,
}

/// What a source needs besides its name: the identity's ids and, for `client-secret`, the
/// secret. Fields a source does not use must be `None` ([`AzureSource::into_source`] says
/// which).
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct AzureSourceSettings {
    /// The directory (tenant) id: required by `client-secret`; `workload-identity` falls back
    /// to `AZURE_TENANT_ID`.
    pub tenant_id: Option<String>,
    /// The application (client) id: required by `client-secret`; `workload-identity` falls
    /// back to `AZURE_CLIENT_ID`; for `managed-identity` it picks a user-assigned identity.
    pub client_id: Option<String>,
    /// The client secret of `client-secret`.
    pub client_secret: Option<SecretString>,
}

impl AzureSource {
    /// The names [`parse`](Self::parse) accepts.
    pub const NAMES: &'static [&'static str] = &[
        "managed-identity",
        "workload-identity",
        "client-secret",
        "azure-cli",
    ];

    /// `name` as a source; the error says what is accepted.
    pub fn parse(name: &str) -> Result<Self, String> {
        match name.trim() {
            "managed-identity" => Ok(AzureSource::ManagedIdentity),
            "workload-identity" => Ok(AzureSource::WorkloadIdentity),
            "client-secret" => Ok(AzureSource::ClientSecret),
            "azure-cli" => Ok(AzureSource::AzureCli),
            other => Err(format!(
                "{:?} is not an Azure token source; use one of {}",
                other.chars().take(40).collect::<String>(),
                Self::NAMES.join(", ")
            )),
        }
    }

    /// A token source for this choice, built on its first fetch with `options` (the public
    /// cloud and azure_core's HTTP client by default); errors name `provider`.
    ///
    /// Refuses settings the source does not use, and `client-secret` without all three of
    /// `tenant_id`, `client_id` and `client_secret`; the error names the field, never the
    /// secret.
    pub fn into_source(
        self,
        provider: &str,
        settings: AzureSourceSettings,
        options: ClientOptions,
    ) -> Result<NamedAzureSource, String> {
        let unused = |field: &str| format!("{field} is not used by credentials = \"{self}\"");
        match self {
            AzureSource::ClientSecret => {
                for (field, missing) in [
                    ("tenant_id", settings.tenant_id.is_none()),
                    ("client_id", settings.client_id.is_none()),
                    ("client_secret", settings.client_secret.is_none()),
                ] {
                    if missing {
                        return Err(format!("credentials = \"client-secret\" needs {field}"));
                    }
                }
            }
            AzureSource::WorkloadIdentity if settings.client_secret.is_some() => {
                return Err(unused("client_secret"));
            }
            AzureSource::ManagedIdentity if settings.tenant_id.is_some() => {
                return Err(unused("tenant_id"));
            }
            AzureSource::ManagedIdentity if settings.client_secret.is_some() => {
                return Err(unused("client_secret"));
            }
            AzureSource::AzureCli => {
                for (field, set) in [
                    ("tenant_id", settings.tenant_id.is_some()),
                    ("client_id", settings.client_id.is_some()),
                    ("client_secret", settings.client_secret.is_some()),
                ] {
                    if set {
                        return Err(unused(field));
                    }
                }
            }
            _ => {}
        }
        Ok(NamedAzureSource {
            source: self,
            settings,
            options,
            provider: provider.to_owned(),
            built: Mutex::new(None),
        })
    }

    fn build(
        self,
        s: &AzureSourceSettings,
        options: ClientOptions,
    ) -> Result<AzureTokenSource, Error> {
        let missing = |field: &str| Error::Credentials {
            provider: "azure".into(),
            reason: format!("credentials = \"{self}\" needs {field}"),
        };
        match self {
            AzureSource::ManagedIdentity => {
                AzureTokenSource::managed_identity(s.client_id.as_deref(), options)
            }
            AzureSource::WorkloadIdentity => AzureTokenSource::workload_identity(
                s.tenant_id.as_deref(),
                s.client_id.as_deref(),
                None,
                options,
            ),
            AzureSource::ClientSecret => AzureTokenSource::client_secret(
                s.tenant_id.as_deref().ok_or_else(|| missing("tenant_id"))?,
                s.client_id.as_deref().ok_or_else(|| missing("client_id"))?,
                s.client_secret
                    .as_ref()
                    .ok_or_else(|| missing("client_secret"))?,
                options,
            ),
            AzureSource::AzureCli => AzureTokenSource::azure_cli(),
        }
    }
}

impl fmt::Display for AzureSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AzureSource::ManagedIdentity => "managed-identity",
            AzureSource::WorkloadIdentity => "workload-identity",
            AzureSource::ClientSecret => "client-secret",
            AzureSource::AzureCli => "azure-cli",
        })
    }
}

/// An [`AzureSource`] built on its first fetch (see [`AzureSource::into_source`]).
pub struct NamedAzureSource {
    source: AzureSource,
    settings: AzureSourceSettings,
    options: ClientOptions,
    provider: String,
    built: Mutex<Option<AzureTokenSource>>,
}

impl NamedAzureSource {
    /// The built source: the one built before, else a new one (kept only when it builds).
    fn built(&self) -> Result<AzureTokenSource, Error> {
        let mut slot = self.built.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(s) = slot.as_ref() {
            return Ok(s.clone());
        }
        let s = self
            .source
            .build(&self.settings, self.options.clone())
            .map_err(|e| self.renamed(e))?
            .with_name(self.provider.as_str());
        *slot = Some(s.clone());
        Ok(s)
    }

    /// An error about `azure` as one about this provider.
    fn renamed(&self, e: Error) -> Error {
        match e {
            Error::Credentials { reason, .. } => Error::Credentials {
                provider: self.provider.clone(),
                reason,
            },
            other => other,
        }
    }
}

impl fmt::Debug for NamedAzureSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NamedAzureSource")
            .field("source", &self.source)
            .field("provider", &self.provider)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl CredentialSource<BearerToken> for NamedAzureSource {
    async fn fetch(&self, now: Timestamp) -> Result<Credential<BearerToken>, Error> {
        self.built()?.fetch(now).await
    }

    fn describe(&self) -> String {
        let who = match (self.source, &self.settings.client_id) {
            (AzureSource::AzureCli, _) => String::new(),
            (_, Some(id)) => format!(", client {id}"),
            (AzureSource::ManagedIdentity, None) => ", system-assigned".to_owned(),
            (_, None) => ", client from AZURE_CLIENT_ID".to_owned(),
        };
        format!(
            "azure {}{who} (azure_identity, Entra ID token for user-delegation keys)",
            self.source
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn settings(tenant: bool, client: bool, secret: bool) -> AzureSourceSettings {
        AzureSourceSettings {
            tenant_id: tenant.then(|| "tenant".to_owned()),
            client_id: client.then(|| "app".to_owned()),
            client_secret: secret.then(|| SecretString::from("s3cr3t-value")),
        }
    }

    #[test]
    fn names_parse_and_settings_are_checked_before_anything_is_built() {
        for name in AzureSource::NAMES {
            assert_eq!(AzureSource::parse(name).unwrap().to_string(), *name);
        }
        let e = AzureSource::parse("environment").unwrap_err();
        assert!(
            e.contains("managed-identity") && e.contains("azure-cli"),
            "{e}"
        );

        let opts = ClientOptions::default;
        let e = AzureSource::ClientSecret
            .into_source("files", settings(true, true, false), opts())
            .unwrap_err();
        assert!(e.contains("client_secret"), "{e}");
        let e = AzureSource::ManagedIdentity
            .into_source("files", settings(false, true, true), opts())
            .unwrap_err();
        assert!(e.contains("client_secret") && !e.contains("s3cr3t"), "{e}");
        let e = AzureSource::AzureCli
            .into_source("files", settings(true, false, false), opts())
            .unwrap_err();
        assert!(e.contains("tenant_id"), "{e}");

        let s = AzureSource::ClientSecret
            .into_source("files", settings(true, true, true), opts())
            .unwrap();
        assert_eq!(
            s.describe(),
            "azure client-secret, client app (azure_identity, Entra ID token for user-delegation keys)"
        );
        assert!(!format!("{s:?}").contains("s3cr3t"));
        let s = AzureSource::ManagedIdentity
            .into_source("files", settings(false, false, false), opts())
            .unwrap();
        assert!(s.describe().contains("system-assigned"), "{}", s.describe());
    }
}
