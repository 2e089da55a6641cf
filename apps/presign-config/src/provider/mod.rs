//! Provider tables: [`ProviderConfig`] (the fields every kind shares) and
//! [`ProviderSettings`] (one variant per kind, each in its own module).
//!
//! Adding a kind: write a module like [`s3`] with a settings struct that deserializes its own
//! fields (`deny_unknown_fields`) and a `build` function, add a variant to
//! [`ProviderSettings`], its name to [`KINDS`], and one arm in each `match` below.

pub mod azure;
#[cfg(feature = "azure-user-delegation")]
mod azure_credentials;
#[cfg(feature = "cloud-cdn")]
pub mod cloud_cdn;
#[cfg(feature = "cloudfront")]
pub mod cloudfront;
pub mod gcs;
#[cfg(feature = "gcs-sign-blob")]
mod gcs_credentials;
pub mod s3;

use std::fmt;
use std::sync::Arc;

use presign_core::clock::system_clock;
use presign_core::{Error, SharedClock};
use serde::de::{self, Deserialize, Deserializer};
use serde_json::Value;

use crate::de::{config_error, deserialize_at, join};
use crate::env::Environment;
use crate::policy::PolicyConfig;
use crate::registry::ProviderEntry;

/// The provider kinds this build knows, as written in `kind = "..."`.
pub const KINDS: &[&str] = &[
    s3::KIND,
    gcs::KIND,
    azure::KIND,
    #[cfg(feature = "cloudfront")]
    cloudfront::KIND,
    #[cfg(feature = "cloud-cdn")]
    cloud_cdn::KIND,
];

/// Kinds this crate knows but that need a cargo feature, with the feature's name.
const FEATURE_KINDS: &[(&str, &str)] = &[("cloudfront", "cloudfront"), ("cloud-cdn", "cloud-cdn")];

/// The kind-specific part of a provider table.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ProviderSettings {
    /// `kind = "s3"`: Amazon S3 or an S3-compatible store.
    S3(s3::S3Settings),
    /// `kind = "gcs"`: Google Cloud Storage.
    Gcs(gcs::GcsSettings),
    /// `kind = "azure"`: Azure Blob Storage.
    Azure(azure::AzureSettings),
    /// `kind = "cloudfront"`: Amazon CloudFront (feature `cloudfront`).
    #[cfg(feature = "cloudfront")]
    CloudFront(cloudfront::CloudFrontSettings),
    /// `kind = "cloud-cdn"`: Google Cloud CDN (feature `cloud-cdn`).
    #[cfg(feature = "cloud-cdn")]
    CloudCdn(cloud_cdn::CloudCdnSettings),
}

impl ProviderSettings {
    /// The kind's name (`s3`, `gcs`, `azure`).
    pub fn kind(&self) -> &'static str {
        match self {
            ProviderSettings::S3(_) => s3::KIND,
            ProviderSettings::Gcs(_) => gcs::KIND,
            ProviderSettings::Azure(_) => azure::KIND,
            #[cfg(feature = "cloudfront")]
            ProviderSettings::CloudFront(_) => cloudfront::KIND,
            #[cfg(feature = "cloud-cdn")]
            ProviderSettings::CloudCdn(_) => cloud_cdn::KIND,
        }
    }

    fn from_value(kind: &str, value: Value, path: &str) -> Result<Self, Error> {
        match kind {
            s3::KIND => Ok(ProviderSettings::S3(s3::S3Settings::from_value(
                value, path,
            )?)),
            gcs::KIND => Ok(ProviderSettings::Gcs(gcs::GcsSettings::from_value(
                value, path,
            )?)),
            azure::KIND => Ok(ProviderSettings::Azure(azure::AzureSettings::from_value(
                value, path,
            )?)),
            #[cfg(feature = "cloudfront")]
            cloudfront::KIND => Ok(ProviderSettings::CloudFront(
                cloudfront::CloudFrontSettings::from_value(value, path)?,
            )),
            #[cfg(feature = "cloud-cdn")]
            cloud_cdn::KIND => Ok(ProviderSettings::CloudCdn(
                cloud_cdn::CloudCdnSettings::from_value(value, path)?,
            )),
            other => Err(config_error(
                &join(path, "kind"),
                match FEATURE_KINDS.iter().find(|(k, _)| *k == other) {
                    Some((_, feature)) => format!(
                        "provider kind {other:?} needs the `{feature}` feature, which this build lacks (cargo build -p presign-cli --features {feature})"
                    ),
                    None => format!(
                        "unknown provider kind {other:?}; this build knows: {}",
                        KINDS.join(", ")
                    ),
                },
            )),
        }
    }

    /// The first field that would make an inline (untrusted) provider read the server's
    /// environment, files or ambient credentials, or call the network.
    pub(crate) fn inline_refusal(&self) -> Option<crate::inline::Refusal> {
        match self {
            ProviderSettings::S3(s) => s.inline_refusal(),
            ProviderSettings::Gcs(s) => s.inline_refusal(),
            ProviderSettings::Azure(s) => s.inline_refusal(),
            #[cfg(feature = "cloudfront")]
            ProviderSettings::CloudFront(s) => s.inline_refusal(),
            #[cfg(feature = "cloud-cdn")]
            ProviderSettings::CloudCdn(s) => s.inline_refusal(),
        }
    }

    pub(crate) fn build(
        &self,
        name: &str,
        path: &str,
        policy: presign_policy::Policy,
        ctx: &BuildContext,
    ) -> Result<ProviderEntry, Error> {
        match self {
            ProviderSettings::S3(s) => s.build(name, path, policy, ctx),
            ProviderSettings::Gcs(s) => s.build(name, path, policy, ctx),
            ProviderSettings::Azure(s) => s.build(name, path, policy, ctx),
            #[cfg(feature = "cloudfront")]
            ProviderSettings::CloudFront(s) => s.build(name, path, policy, ctx),
            #[cfg(feature = "cloud-cdn")]
            ProviderSettings::CloudCdn(s) => s.build(name, path, policy, ctx),
        }
    }
}

/// A provider builder's error as a configuration error: at `path.field` when the builder's
/// `field` is one of the table's `fields`, else at `path`.
pub(crate) fn builder_error(path: &str, e: &Error, fields: &[&str]) -> Error {
    match e {
        Error::InvalidInput { field, reason } => field_error(path, field, reason, fields)
            .unwrap_or_else(|| config_error(path, e.to_string())),
        _ => config_error(path, e.to_string()),
    }
}

/// `reason` at `path.field` when `field` is one of the table's `fields`.
pub(crate) fn field_error(path: &str, field: &str, reason: &str, fields: &[&str]) -> Option<Error> {
    fields
        .contains(&field)
        .then(|| config_error(&join(path, field), reason))
}

/// A CDN's base URL from its table's `domain` (`https://DOMAIN`) or `base_url`: exactly one.
#[cfg(any(feature = "cloudfront", feature = "cloud-cdn"))]
pub(crate) fn cdn_base_url(
    path: &str,
    domain: Option<String>,
    base_url: Option<String>,
) -> Result<String, Error> {
    match (domain, base_url) {
        (Some(d), None) => Ok(format!("https://{d}")),
        (None, Some(b)) => Ok(b),
        _ => Err(config_error(
            &join(path, "domain"),
            "give the CDN's domain or its base_url (one of them)",
        )),
    }
}

/// What building a provider needs besides its own table.
#[derive(Clone)]
pub struct BuildContext {
    /// Where `*_env` secrets are read.
    pub env: Environment,
    /// The clock given to the provider and its policy layer.
    pub clock: SharedClock,
    /// The top-level `[policy]` table, under each provider's own.
    pub base_policy: PolicyConfig,
}

impl BuildContext {
    /// The process environment, the system clock and no top-level policy.
    pub fn new() -> Self {
        BuildContext {
            env: Environment::Process,
            clock: system_clock(),
            base_policy: PolicyConfig::default(),
        }
    }
}

impl Default for BuildContext {
    fn default() -> Self {
        BuildContext::new()
    }
}

impl fmt::Debug for BuildContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BuildContext")
            .field("env", &self.env)
            .field("clock", &self.clock)
            .field("base_policy", &self.base_policy)
            .finish()
    }
}

/// One provider table: its kind-specific settings and its own `policy` table.
///
/// The same fields are accepted in `[providers.NAME]` of the configuration file and as an
/// inline provider of a `presign batch` line.
///
/// ```
/// let p = presign_config::ProviderConfig::from_json(serde_json::json!({
///     "kind": "s3", "bucket": "bkt", "region": "us-east-1",
///     "policy": {"max_ttl": "10m"}
/// }))?;
/// assert_eq!(p.kind(), "s3");
/// assert_eq!(p.policy.max_ttl, Some(std::time::Duration::from_secs(600)));
/// # Ok::<(), presign_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ProviderConfig {
    /// The provider's own policy table (unset fields come from the top-level one).
    pub policy: PolicyConfig,
    /// The kind-specific settings.
    pub settings: ProviderSettings,
}

impl ProviderConfig {
    /// Reads a provider from JSON (a batch line's inline provider); errors are located under
    /// `provider`.
    pub fn from_json(value: Value) -> Result<Self, Error> {
        Self::from_value(value, "provider")
    }

    /// Reads a provider table found at `path` (`providers.prod`), which errors name.
    pub fn from_value(value: Value, path: &str) -> Result<Self, Error> {
        let Value::Object(mut map) = value else {
            return Err(config_error(path, "expected a table of provider settings"));
        };
        let kind = match map.remove("kind") {
            Some(Value::String(kind)) => kind,
            Some(_) => return Err(config_error(&join(path, "kind"), "expected a string")),
            None => {
                return Err(config_error(
                    &join(path, "kind"),
                    format!("missing; one of: {}", KINDS.join(", ")),
                ));
            }
        };
        let policy = match map.remove("policy") {
            Some(v) => deserialize_at(v, &join(path, "policy"))?,
            None => PolicyConfig::default(),
        };
        let settings = ProviderSettings::from_value(&kind, Value::Object(map), path)?;
        crate::load_checks::settings(&settings, path)?;
        Ok(ProviderConfig { policy, settings })
    }

    /// The kind's name (`s3`, `gcs`, `azure`).
    pub fn kind(&self) -> &'static str {
        self.settings.kind()
    }

    /// Builds the provider named `name` (its table at `path`), wrapped in its policy layer.
    pub fn build(
        &self,
        name: &str,
        path: &str,
        ctx: &BuildContext,
    ) -> Result<ProviderEntry, Error> {
        let policy = self
            .policy
            .or(&ctx.base_policy)
            .to_policy(&join(path, "policy"))?;
        self.settings.build(name, path, policy, ctx)
    }

    /// Like [`build`](Self::build), shared.
    pub fn build_shared(
        &self,
        name: &str,
        path: &str,
        ctx: &BuildContext,
    ) -> Result<Arc<ProviderEntry>, Error> {
        self.build(name, path, ctx).map(Arc::new)
    }
}

impl<'de> Deserialize<'de> for ProviderConfig {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        ProviderConfig::from_value(value, "").map_err(de::Error::custom)
    }
}
