//! `kind = "azure"`: Azure Blob Storage service SAS.
//!
//! Fields:
//!
//! | field | meaning |
//! |---|---|
//! | `account` | the storage account name (required) |
//! | `container` | the container (required) |
//! | `account_key` | the account key, base64 as the portal shows it (also `account_key_env` / `account_key_file`) |
//! | `credential` | `"account-key"` (default) or `"user-delegation"` (needs the `azure-user-delegation` feature) |
//! | `endpoint` | the blob endpoint: a URL (Azurite: `http://127.0.0.1:10000/devstoreaccount1`) or a sovereign-cloud suffix |
//! | `stored_access_policy` | the container's stored access policy id (`si`): makes URLs revocable |
//! | `start_backdate` | sign a start time this far in the past (`"5m"`) for servers with slow clocks |
//! | `access_token` | `credential = "user-delegation"` only: the Microsoft Entra ID token (scope `https://storage.azure.com/.default`) that may call Get User Delegation Key (also `access_token_env` / `access_token_file`, read again for every key fetch so a refreshed token is picked up) |
//! | `credentials` | `credential = "user-delegation"` only, instead of `access_token`: the platform's identity through azure_identity (the `azure-credentials` feature): `"managed-identity"`, `"workload-identity"`, `"client-secret"`, `"azure-cli"` |
//! | `tenant_id`, `client_id` | with `credentials`: the identity (`client-secret` needs both; `workload-identity` falls back to `AZURE_TENANT_ID` / `AZURE_CLIENT_ID`; `managed-identity` takes `client_id` for a user-assigned identity) |
//! | `client_secret` | `credentials = "client-secret"`: the service principal's secret (also `client_secret_env` / `client_secret_file`) |
//!
//! `credential = "user-delegation"` fetches user-delegation keys from the blob service at the
//! provider's endpoint (`presign_azure::HttpDelegationKeySource`), with the `access_token` or
//! the tokens of the `credentials` source. The HTTP client is only in builds with the
//! `azure-user-delegation` feature (azure_identity with `azure-credentials`); without it the
//! field is a configuration error that names the feature.

use std::path::PathBuf;
use std::time::Duration;

use presign_azure::AzurePresigner;
use presign_core::{Error, SecretString};
use presign_policy::Policy;
use serde::Deserialize;
use serde_json::Value;

use super::{BuildContext, field_error};
use crate::de::{config_error, deserialize_at, join, opt_duration, opt_secret};
use crate::inline::{self, Refusal};
use crate::registry::ProviderEntry;
use crate::secret::SecretSource;

/// The kind's name.
pub const KIND: &str = "azure";

/// How URLs are signed (`credential`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AzureCredentialConfig {
    /// A service SAS signed with the account key.
    AccountKey,
    /// A user-delegation SAS, with keys fetched with a Microsoft Entra ID token (`access_token`;
    /// needs the `azure-user-delegation` feature).
    UserDelegation,
}

/// The fields as written; secrets are wrapped at once.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    account: String,
    container: String,
    #[serde(default, deserialize_with = "opt_secret")]
    account_key: Option<SecretString>,
    #[serde(default)]
    account_key_env: Option<String>,
    #[serde(default)]
    account_key_file: Option<PathBuf>,
    #[serde(default)]
    credential: Option<AzureCredentialConfig>,
    #[serde(default)]
    endpoint: Option<String>,
    #[serde(default)]
    stored_access_policy: Option<String>,
    #[serde(default, deserialize_with = "opt_duration")]
    start_backdate: Option<Duration>,
    #[serde(default, deserialize_with = "opt_secret")]
    access_token: Option<SecretString>,
    #[serde(default)]
    access_token_env: Option<String>,
    #[serde(default)]
    access_token_file: Option<PathBuf>,
    #[serde(default)]
    credentials: Option<String>,
    #[serde(default)]
    tenant_id: Option<String>,
    #[serde(default)]
    client_id: Option<String>,
    #[serde(default, deserialize_with = "opt_secret")]
    client_secret: Option<SecretString>,
    #[serde(default)]
    client_secret_env: Option<String>,
    #[serde(default)]
    client_secret_file: Option<PathBuf>,
}

/// An Azure provider's settings.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct AzureSettings {
    /// The storage account.
    pub account: String,
    /// The container.
    pub container: String,
    /// The account key.
    pub account_key: Option<SecretSource>,
    /// Account key or user delegation.
    pub credential: Option<AzureCredentialConfig>,
    /// The blob endpoint.
    pub endpoint: Option<String>,
    /// The stored access policy id (`si`).
    pub stored_access_policy: Option<String>,
    /// How far before the signing time the SAS starts.
    pub start_backdate: Option<Duration>,
    /// `credential = "user-delegation"`: the Microsoft Entra ID access token.
    pub access_token: Option<SecretSource>,
    /// `credential = "user-delegation"`: a named source of Entra ID tokens
    /// (`managed-identity`, `workload-identity`, `client-secret`, `azure-cli`).
    pub credentials: Option<String>,
    /// With `credentials`: the directory (tenant) id.
    pub tenant_id: Option<String>,
    /// With `credentials`: the application (client) id, or a user-assigned managed identity.
    pub client_id: Option<String>,
    /// `credentials = "client-secret"`: the service principal's secret.
    pub client_secret: Option<SecretSource>,
}

impl AzureSettings {
    /// See [`ProviderSettings::inline_refusal`](super::ProviderSettings).
    pub(crate) fn inline_refusal(&self) -> Option<Refusal> {
        if self.credentials.is_some() {
            return Some(Refusal::new("credentials", inline::AMBIENT));
        }
        if self.credential == Some(AzureCredentialConfig::UserDelegation) {
            return Some(Refusal::new("credential", inline::NETWORK));
        }
        if self.account_key.is_none() {
            return Some(Refusal::new("account_key", inline::AMBIENT));
        }
        inline::server_secret("account_key", self.account_key.as_ref())
    }

    /// Reads the settings (without `kind` and `policy`) of the table at `path`.
    pub(crate) fn from_value(value: Value, path: &str) -> Result<Self, Error> {
        let raw: Raw = deserialize_at(value, path)?;
        let account_key = SecretSource::choose(
            path,
            "account_key",
            raw.account_key,
            raw.account_key_env,
            raw.account_key_file,
        )?;
        if raw.credential == Some(AzureCredentialConfig::UserDelegation) && account_key.is_some() {
            return Err(config_error(
                &join(path, "credential"),
                "credential = \"user-delegation\" signs without the account key; drop account_key or the credential line",
            ));
        }
        let access_token = SecretSource::choose(
            path,
            "access_token",
            raw.access_token,
            raw.access_token_env,
            raw.access_token_file,
        )?;
        if access_token.is_some() && raw.credential != Some(AzureCredentialConfig::UserDelegation) {
            return Err(config_error(
                &join(path, "access_token"),
                "is only used with credential = \"user-delegation\"",
            ));
        }
        let client_secret = SecretSource::choose(
            path,
            "client_secret",
            raw.client_secret,
            raw.client_secret_env,
            raw.client_secret_file,
        )?;
        if raw.credentials.is_some() {
            if raw.credential != Some(AzureCredentialConfig::UserDelegation) {
                return Err(config_error(
                    &join(path, "credentials"),
                    "names the Entra ID token source of a user-delegation SAS: add credential = \"user-delegation\"",
                ));
            }
            if access_token.is_some() {
                return Err(config_error(
                    &join(path, "credentials"),
                    "give either credentials = \"SOURCE\" or access_token (inline, _env or _file), not both",
                ));
            }
        } else {
            let stray = [
                ("tenant_id", raw.tenant_id.is_some()),
                ("client_id", raw.client_id.is_some()),
                ("client_secret", client_secret.is_some()),
            ];
            if let Some((field, _)) = stray.iter().find(|(_, set)| *set) {
                return Err(config_error(
                    &join(path, field),
                    "is only used with credentials = \"SOURCE\" (credential = \"user-delegation\")",
                ));
            }
        }
        Ok(AzureSettings {
            account: raw.account,
            container: raw.container,
            account_key,
            credential: raw.credential,
            endpoint: raw.endpoint,
            stored_access_policy: raw.stored_access_policy,
            start_backdate: raw.start_backdate,
            access_token,
            credentials: raw.credentials,
            tenant_id: raw.tenant_id,
            client_id: raw.client_id,
            client_secret,
        })
    }

    /// Builds the presigner named `name`, wrapped in `policy`.
    pub(crate) fn build(
        &self,
        name: &str,
        path: &str,
        policy: Policy,
        ctx: &BuildContext,
    ) -> Result<ProviderEntry, Error> {
        let mut builder = AzurePresigner::builder()
            .name(name)
            .account(self.account.as_str())
            .container(self.container.as_str())
            .clock(ctx.clock.clone());
        if let Some(v) = &self.endpoint {
            builder = builder.endpoint(v);
        }
        if let Some(v) = &self.stored_access_policy {
            builder = builder.stored_access_policy(v.as_str());
        }
        if let Some(v) = self.start_backdate {
            builder = builder.start_backdate(v);
        }
        if self.credential == Some(AzureCredentialConfig::UserDelegation) {
            builder = user_delegation(self, builder, name, path, ctx)?;
        } else {
            let key = self.account_key.as_ref().ok_or_else(|| {
                config_error(
                    &join(path, "account_key"),
                    "missing; give account_key, account_key_env or account_key_file (or credential = \"user-delegation\" with an access_token)",
                )
            })?;
            builder = builder.account_key(key.resolve(&ctx.env, path, "account_key")?);
        }
        let raw = builder.build().map_err(|e| build_error(path, e))?;
        ProviderEntry::url_only_with_status(name, KIND, policy, raw, ctx)
    }
}

/// `credential = "user-delegation"` without the feature: a configuration error naming it.
#[cfg(not(feature = "azure-user-delegation"))]
fn user_delegation(
    _: &AzureSettings,
    _: presign_azure::AzurePresignerBuilder,
    _: &str,
    path: &str,
    _: &BuildContext,
) -> Result<presign_azure::AzurePresignerBuilder, Error> {
    Err(config_error(
        &join(path, "credential"),
        "credential = \"user-delegation\" fetches user-delegation keys over HTTPS with a Microsoft Entra ID token, and this build has no network implementation of that: rebuild with the `azure-user-delegation` feature (cargo build -p presign-cli --features azure-user-delegation), or use account_key (inline, account_key_env or account_key_file)",
    ))
}

/// `credential = "user-delegation"`: keys from Get User Delegation Key at the provider's
/// endpoint, with `access_token` read again at every fetch.
#[cfg(feature = "azure-user-delegation")]
fn user_delegation(
    s: &AzureSettings,
    builder: presign_azure::AzurePresignerBuilder,
    name: &str,
    path: &str,
    ctx: &BuildContext,
) -> Result<presign_azure::AzurePresignerBuilder, Error> {
    use std::sync::Arc;
    let tokens: Arc<dyn presign_core::TokenSource> = match (&s.credentials, s.access_token.clone())
    {
        (Some(source), _) => super::azure_credentials::token_source(s, source, name, path, ctx)?,
        (None, Some(token)) => Arc::new(crate::secret::ConfiguredToken::new(token, &ctx.env, path)),
        (None, None) => {
            return Err(config_error(
                &join(path, "access_token"),
                "credential = \"user-delegation\" needs a Microsoft Entra ID access token source (scope https://storage.azure.com/.default): credentials = \"managed-identity\", \"workload-identity\", \"client-secret\" or \"azure-cli\" (the azure-credentials feature), access_token_file (refreshed by a sidecar), access_token_env or access_token",
            ));
        }
    };
    let endpoint = match &s.endpoint {
        Some(e) => presign_azure::Endpoint::parse(&s.account, e),
        None => presign_azure::Endpoint::public(&s.account),
    }
    .map_err(|e| build_error(path, e))?;
    let source = presign_azure::HttpDelegationKeySource::new(name, &endpoint, tokens)
        .map_err(|e| build_error(path, e))?;
    Ok(builder.user_delegation(Arc::new(source)))
}

/// A builder error as a configuration error at the field it names (`azure account` names
/// `account`).
fn build_error(path: &str, e: Error) -> Error {
    const FIELDS: &[&str] = &[
        "account",
        "container",
        "endpoint",
        "stored_access_policy",
        "start_backdate",
    ];
    match &e {
        Error::InvalidInput { field, reason } => {
            let field = field.strip_prefix("azure ").unwrap_or(field);
            field_error(path, field, reason, FIELDS)
                .unwrap_or_else(|| config_error(path, e.to_string()))
        }
        Error::Credentials { reason, .. } => {
            config_error(&join(path, "account_key"), reason.clone())
        }
        _ => config_error(path, e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use crate::*;

    const BASE: &str = "[policy]\nany_key = true\n[providers.az]\nkind = \"azure\"\naccount = \"acct1\"\ncontainer = \"cont\"\n";

    fn built(toml: &str, pairs: &[(&str, &str)]) -> Result<(), String> {
        let env =
            Environment::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        let c = Config::from_toml_str_with_env(toml, env).map_err(|e| e.to_string())?;
        Registry::from_config(&c)
            .get("az")
            .map(|_| ())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn access_token_only_with_user_delegation() {
        let e = built(
            &format!("{BASE}account_key = \"a2V5\"\naccess_token = \"tok-secret\"\n"),
            &[],
        )
        .unwrap_err();
        assert!(
            e.contains("providers.az.access_token") && !e.contains("tok-secret"),
            "{e}"
        );
    }

    #[test]
    fn user_delegation_with_a_token() {
        let toml =
            format!("{BASE}credential = \"user-delegation\"\naccess_token_env = \"AZ_TOKEN\"\n");
        let r = built(&toml, &[("AZ_TOKEN", "tok-secret")]);
        #[cfg(feature = "azure-user-delegation")]
        assert_eq!(r, Ok(()));
        #[cfg(not(feature = "azure-user-delegation"))]
        {
            let e = r.unwrap_err();
            assert!(
                e.contains("providers.az.credential") && e.contains("azure-user-delegation"),
                "{e}"
            );
        }
    }

    #[cfg(feature = "azure-user-delegation")]
    #[test]
    fn user_delegation_refuses_plain_http_to_a_remote_host() {
        let toml = format!(
            "{BASE}credential = \"user-delegation\"\naccess_token = \"tok-secret\"\nendpoint = \"http://azurite.example:10000/acct1\"\n"
        );
        let e = built(&toml, &[]).unwrap_err();
        assert!(
            e.contains("providers.az.endpoint")
                && e.contains("plain HTTP")
                && !e.contains("tok-secret"),
            "{e}"
        );
    }
}
