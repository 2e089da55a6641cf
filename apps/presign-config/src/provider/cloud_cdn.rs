//! `kind = "cloud-cdn"`: Google Cloud CDN signed URLs and signed cookies (feature `cloud-cdn`).
//!
//! Fields: `domain` or `base_url`; one key as `key_name` plus `key` (the base64url value
//! `gcloud` gives, also `key_env` / `key_file`), or up to three as `keys` (tables with `name`
//! and `key[_env|_file]`) with `active_key` naming the one that signs.
//!
//! ```toml
//! [providers.media]
//! kind = "cloud-cdn"
//! domain = "media.example.com"
//! key_name = "my-key"
//! key_file = "/run/secrets/cdn-key"
//! ```

use std::path::PathBuf;

use presign_cloud_cdn::{CloudCdnKey, CloudCdnPresigner};
use presign_core::{Error, SecretString};
use presign_policy::Policy;
use serde::Deserialize;
use serde_json::Value;

use super::{BuildContext, builder_error};
use crate::de::{config_error, deserialize_at, join, opt_secret};
use crate::registry::ProviderEntry;
use crate::secret::{SecretSource, resolve_required};

/// The kind's name.
pub const KIND: &str = "cloud-cdn";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKey {
    name: String,
    #[serde(default, deserialize_with = "opt_secret")]
    key: Option<SecretString>,
    #[serde(default)]
    key_env: Option<String>,
    #[serde(default)]
    key_file: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    domain: Option<String>,
    #[serde(default)]
    base_url: Option<String>,
    #[serde(default)]
    key_name: Option<String>,
    #[serde(default, deserialize_with = "opt_secret")]
    key: Option<SecretString>,
    #[serde(default)]
    key_env: Option<String>,
    #[serde(default)]
    key_file: Option<PathBuf>,
    #[serde(default)]
    keys: Vec<RawKey>,
    #[serde(default)]
    active_key: Option<String>,
}

/// A Cloud CDN provider's settings.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct CloudCdnSettings {
    /// `https://DOMAIN` or the `base_url`.
    pub base_url: String,
    /// The keys: name, where the value is, and the configuration path of the key's table.
    pub keys: Vec<(String, Option<SecretSource>, String)>,
    /// The name of the key that signs (the first when not given).
    pub active_key: Option<String>,
}

impl CloudCdnSettings {
    /// The first key an inline (untrusted) provider would read from the server's environment
    /// or files.
    pub(crate) fn inline_refusal(&self) -> Option<crate::inline::Refusal> {
        self.keys
            .iter()
            .find_map(|(_, source, _)| crate::inline::server_secret("key", source.as_ref()))
    }

    /// Reads the settings (without `kind` and `policy`) of the table at `path`.
    pub(crate) fn from_value(value: Value, path: &str) -> Result<Self, Error> {
        let raw: Raw = deserialize_at(value, path)?;
        let base_url = super::cdn_base_url(path, raw.domain, raw.base_url)?;
        let mut keys = Vec::new();
        if let Some(name) = raw.key_name {
            let source = SecretSource::choose(path, "key", raw.key, raw.key_env, raw.key_file)?;
            keys.push((name, source, path.to_owned()));
        }
        for (i, k) in raw.keys.into_iter().enumerate() {
            let at = join(path, &format!("keys[{i}]"));
            let source = SecretSource::choose(&at, "key", k.key, k.key_env, k.key_file)?;
            keys.push((k.name, source, at));
        }
        if keys.is_empty() {
            return Err(config_error(
                &join(path, "key_name"),
                "missing; give key_name and key (or a keys list)",
            ));
        }
        Ok(CloudCdnSettings {
            base_url,
            keys,
            active_key: raw.active_key,
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
        let mut builder = CloudCdnPresigner::builder()
            .base_url(&self.base_url)
            .clock(ctx.clock.clone())
            .name(name);
        for (key_name, source, at) in &self.keys {
            let value = resolve_required(source.as_ref(), &ctx.env, at, "key")?;
            let key = CloudCdnKey::from_base64(key_name, value.expose_secret())
                .map_err(|e| builder_error(at, &e, &["key", "key_name"]))?;
            builder = builder.key(key);
        }
        if let Some(active) = &self.active_key {
            builder = builder.active(active);
        }
        let raw = builder
            .build()
            .map_err(|e| builder_error(path, &e, &["domain", "keys", "active_key"]))?;
        ProviderEntry::with_cookies(name, KIND, policy, raw, ctx)
    }
}
