//! `kind = "azure"`: Azure Blob Storage service SAS.
//!
//! Fields:
//!
//! | field | meaning |
//! |---|---|
//! | `account` | the storage account name (required) |
//! | `container` | the container (required) |
//! | `account_key` | the account key, base64 as the portal shows it (also `account_key_env` / `account_key_file`) |
//! | `credential` | `"account-key"` (default) or `"user-delegation"` |
//! | `endpoint` | the blob endpoint: a URL (Azurite: `http://127.0.0.1:10000/devstoreaccount1`) or a sovereign-cloud suffix |
//! | `stored_access_policy` | the container's stored access policy id (`si`): makes URLs revocable |
//! | `start_backdate` | sign a start time this far in the past (`"5m"`) for servers with slow clocks |
//!
//! `credential = "user-delegation"` needs a `DelegationKeySource` holding a Microsoft Entra
//! ID token; no network implementation exists yet, so it is a configuration error (build an
//! `AzurePresigner` with your own source in code instead).

use std::path::PathBuf;
use std::time::Duration;

use presign_azure::AzurePresigner;
use presign_core::{Error, SecretString};
use presign_policy::Policy;
use serde::Deserialize;
use serde_json::Value;

use super::{BuildContext, field_error};
use crate::de::{config_error, deserialize_at, join, opt_duration, opt_secret};
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
    /// A user-delegation SAS (needs an Entra ID token; not available from configuration yet).
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
}

impl AzureSettings {
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
        Ok(AzureSettings {
            account: raw.account,
            container: raw.container,
            account_key,
            credential: raw.credential,
            endpoint: raw.endpoint,
            stored_access_policy: raw.stored_access_policy,
            start_backdate: raw.start_backdate,
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
            return Err(config_error(
                &join(path, "credential"),
                "credential = \"user-delegation\" needs a user-delegation key source holding a Microsoft Entra ID token, and presign has no network implementation of one yet; use account_key (inline, account_key_env or account_key_file), or build an AzurePresigner with your own DelegationKeySource in code",
            ));
        }
        let key = self.account_key.as_ref().ok_or_else(|| {
            config_error(
                &join(path, "account_key"),
                "missing; give account_key, account_key_env or account_key_file (credential = \"user-delegation\" is not available from configuration yet)",
            )
        })?;
        builder = builder.account_key(key.resolve(&ctx.env, path, "account_key")?);
        let raw = builder.build().map_err(|e| build_error(path, e))?;
        Ok(ProviderEntry::url_only(name, KIND, policy, raw, ctx))
    }
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
