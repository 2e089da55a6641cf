//! # presign-config
//!
//! Configuration for presign: named providers, each with its own policy, loaded with
//! [figment](https://docs.rs/figment) from built-in defaults, a `presign.toml` file and the
//! environment, and turned into a [`Registry`] of ready, policy-wrapped [`Presigner`]s.
//!
//! ## Sources, lowest precedence first
//!
//! 1. Built-in defaults: the safe policy of `presign-policy`. When no configuration file is
//!    found, the embedded [`DEV_PROFILE`] (S3 against a local SeaweedFS on
//!    `http://127.0.0.1:8333`) is the base, so a newcomer can sign at once.
//! 2. A TOML file: the path given to [`Config::load`] (the CLI's `--config`), else the
//!    `PRESIGN_CONFIG` environment variable, else `presign.toml` in the current directory if
//!    it exists.
//! 3. The environment: `PRESIGN_…` variables, nesting with `__`
//!    (`PRESIGN_PROVIDERS__PROD__BUCKET=media`, `PRESIGN_POLICY__MAX_TTL=10m`). Only
//!    `PRESIGN_DEFAULT_PROVIDER`, `PRESIGN_POLICY__…` and `PRESIGN_PROVIDERS__…` are read, so
//!    other tools' `PRESIGN_…` variables do not get in the way. Names are lower-cased; list
//!    values may be written comma-separated (`GET,HEAD`).
//!
//! ## The file
//!
//! ```toml
//! default_provider = "prod"
//!
//! [policy]                 # defaults for every provider, overridden field by field
//! max_ttl = "10m"
//! key_prefixes = ["public/", "uploads/"]   # every policy names its keys (or any_key = true)
//!
//! [providers.prod]
//! kind = "s3"
//! bucket = "media"
//! region = "eu-west-1"
//! access_key_id_env = "PROD_KEY_ID"          # or access_key_id = "..." or access_key_id_file
//! secret_access_key_file = "/run/secrets/prod"
//!
//! [providers.prod.policy]
//! default_ttl = 120
//! allow_methods = ["GET", "HEAD"]
//! key_prefixes = ["public/"]
//! constraints = "best-effort"
//! ```
//!
//! Kinds: `s3` ([`provider::s3`]), `gcs` ([`provider::gcs`]: `bucket`, `service_account` (a
//! table or string) or `service_account_file`, `hmac_access_id` + `hmac_secret`, `signer`,
//! `endpoint`, `url_style`, `bucket_bound_hostname`, `universe_domain`; `STORAGE_EMULATOR_HOST`
//! and `GOOGLE_APPLICATION_CREDENTIALS` are honoured) and `azure` ([`provider::azure`]:
//! `account`, `container`, `account_key`, `credential`, `endpoint`, `stored_access_policy`,
//! `start_backdate`).
//!
//! ```toml
//! [providers.assets]
//! kind = "gcs"
//! bucket = "my-assets"
//! service_account_file = "/run/secrets/gcs-key.json"   # or hmac_access_id + hmac_secret_env
//!
//! [providers.files]
//! kind = "azure"
//! account = "mystorageacct"
//! container = "files"
//! account_key_env = "AZURE_STORAGE_KEY"
//! start_backdate = "5m"
//! ```
//!
//! POST policies (browser form uploads) come from [`Registry::get_post`] for kinds that have
//! them (S3, GCS). The policy refuses them unless `allow_methods` includes `"POST"`, and bounds
//! every form's file size by `max_upload_size` (`"5MiB"`, `"100MB"` or bytes; 100 MiB by
//! default).
//!
//! Every effective policy (a provider's table over the top-level one) names the keys it signs:
//! `key_prefixes = [...]` (never empty), or `any_key = true`, the risky choice by name. Without
//! one, or with an empty list, loading fails. Other risky choices are written by name too:
//! `"DELETE"` / `"POST"` in `allow_methods`, `constraints = "best-effort"`, `allow_headers`
//! and `allow_query` (signed headers and query parameters beyond each provider's declared safe
//! ones). `max_clock_skew` (default 60 s) bounds how far ahead of the clock a request's
//! signing time may lie.
//!
//! Unknown fields are errors, and every error names the configuration path of the bad value
//! (`providers.prod.policy.max_ttl: "15x" is not a duration`). Secrets are wrapped in
//! [`SecretString`](presign_core::SecretString) as soon as they are read and never appear in
//! `Debug` output or error messages.
//!
//! Providers are built on first use, but settings under which nothing could be signed well are
//! refused as soon as the configuration is loaded, naming the field and the rule: a
//! `time_bucket` not shorter than the policy's `max_ttl` or the provider's limit (7 days); GCS
//! `url_style = "virtual"` on an IP-address endpoint (`bucket.127.0.0.1` is no host); an
//! Azure endpoint whose path has a `.` or `..` segment; a numeric host that is not a plain
//! IPv4 address (`999.1.1.1`, `1.2.3`, `0x7f.1`, which clients read as another address or
//! refuse); a GCS `hmac_access_id` that is not printable ASCII (the value is never shown).
//!
//! ```
//! use presign_config::{Config, Registry};
//!
//! let config = Config::from_toml_str(r#"
//!     [providers.media]
//!     kind = "s3"
//!     bucket = "media"
//!     region = "eu-west-1"
//!     access_key_id = "AKIAIOSFODNN7EXAMPLE"
//!     secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
//!     [providers.media.policy]
//!     key_prefixes = ["public/"]
//! "#)?;
//! let registry = Registry::from_config(&config);
//! assert_eq!(registry.default_provider(), Some("media"));
//! let presigner = registry.get("media")?;
//! assert_eq!(presigner.capabilities().methods().contains(presign_core::Method::Get), true);
//! # Ok::<(), presign_core::Error>(())
//! ```
//!
//! ## Adding a provider kind
//!
//! A kind is one variant of [`ProviderSettings`] and one module under `provider/` that
//! deserializes its own fields and builds its presigner; see [`provider::KINDS`].

#[cfg(test)]
mod azure_credentials_tests;
mod config;
mod credential_status;
#[cfg(test)]
mod credentials_tests;
mod de;
mod env;
pub mod fields;
mod inline;
mod load_checks;
#[cfg(test)]
mod load_checks_tests;
mod policy;
pub mod provider;
mod registry;
mod secret;
mod size;
#[cfg(test)]
mod tests;

pub use config::{Config, ConfigSource, DEV_PROFILE};
pub use credential_status::CredentialStatus;
pub use de::deserialize_duration;
pub use env::Environment;
pub use policy::{ConstraintModeConfig, ExcessTtlConfig, PolicyConfig};
pub use provider::{BuildContext, ProviderConfig, ProviderSettings};
pub use registry::{ALLOW_POST_HINT, ProviderEntry, Registry};
pub use secret::SecretSource;
pub use size::{SIZE_HELP, parse_byte_size};

#[doc(no_inline)]
pub use presign_core::{Error, Presigner};
