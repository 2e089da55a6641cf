//! [`Config`]: the whole configuration, loaded from defaults, a file and the environment.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Format, Serialized, Toml};
use presign_core::Error;
use serde::Deserialize;
use serde_json::Value;

use crate::de::{config_error, deserialize_at, join};
use crate::env::{CONFIG_VAR, Environment, config_vars};
use crate::load_checks;
use crate::policy::PolicyConfig;
use crate::provider::ProviderConfig;

/// The embedded `dev` profile, used when no configuration file is found: S3 on a local
/// SeaweedFS at `http://127.0.0.1:8333`, path-style, bucket `presign-test`, with AWS's
/// published example key pair (not a real credential).
pub const DEV_PROFILE: &str = r#"
default_provider = "dev"

[providers.dev]
kind = "s3"
bucket = "presign-test"
region = "us-east-1"
endpoint = "http://127.0.0.1:8333"
addressing = "path"
access_key_id = "AKIAIOSFODNN7EXAMPLE"
secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

[providers.dev.policy]
any_key = true                 # a local test bucket: every key
"#;

/// Where the configuration came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSource {
    /// A TOML file.
    File(PathBuf),
    /// The embedded [`DEV_PROFILE`], because no file was found.
    DevProfile,
    /// A string given to [`Config::from_toml_str`].
    Text,
}

/// The top level, as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    default_provider: Option<String>,
    #[serde(default)]
    policy: PolicyConfig,
    #[serde(default)]
    providers: BTreeMap<String, Value>,
    #[serde(default)]
    serve: Option<Value>,
}

/// The whole configuration. `Debug` never shows a secret.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Config {
    /// The provider used when none is named.
    pub default_provider: Option<String>,
    /// The top-level `[policy]` table: defaults for every provider's own.
    pub policy: PolicyConfig,
    /// The providers by name.
    pub providers: BTreeMap<String, ProviderConfig>,
    /// Where the configuration came from.
    pub source: ConfigSource,
    /// The environment `*_env` secrets are read from.
    pub env: Environment,
    /// The `[serve]` table as written (the signing gateway's settings: authentication, rules,
    /// limits), left for `presign serve` to read and check; `None` when absent.
    pub serve: Option<Value>,
}

impl Config {
    /// Loads the configuration from the process environment and the file at `path`, else
    /// `$PRESIGN_CONFIG`, else `./presign.toml` if it exists, else the embedded
    /// [`DEV_PROFILE`]; `PRESIGN_…` variables override the file.
    pub fn load(path: Option<&Path>) -> Result<Config, Error> {
        Config::load_with_env(path, Environment::process())
    }

    /// Like [`load`](Self::load), reading variables from `env` instead of the process.
    pub fn load_with_env(path: Option<&Path>, env: Environment) -> Result<Config, Error> {
        let (figment, source) = Config::figment(path, &env)?;
        Config::from_figment(&figment, source, env)
    }

    /// The layered sources [`load_with_env`](Self::load_with_env) reads, before extraction.
    pub fn figment(
        path: Option<&Path>,
        env: &Environment,
    ) -> Result<(Figment, ConfigSource), Error> {
        let file = match path {
            Some(p) => Some(p.to_path_buf()),
            None => match env.get(CONFIG_VAR).filter(|s| !s.is_empty()) {
                Some(p) => Some(PathBuf::from(p)),
                None => Some(PathBuf::from("presign.toml")).filter(|p| p.is_file()),
            },
        };
        let (mut figment, source) = match file {
            Some(file) => {
                if !file.is_file() {
                    return Err(config_error(
                        &file.display().to_string(),
                        "the configuration file does not exist or is not a file",
                    ));
                }
                (
                    Figment::from(Toml::file_exact(&file)),
                    ConfigSource::File(file),
                )
            }
            None => (
                Figment::from(Toml::string(DEV_PROFILE)),
                ConfigSource::DevProfile,
            ),
        };
        for (key, value) in config_vars(env) {
            figment = figment.merge(Serialized::default(&key, value));
        }
        Ok((figment, source))
    }

    /// Extracts and checks the configuration of `figment`.
    pub fn from_figment(
        figment: &Figment,
        source: ConfigSource,
        env: Environment,
    ) -> Result<Config, Error> {
        let value: Value = figment.extract().map_err(|e| figment_error(&e, &source))?;
        Config::from_value(value, source, env)
    }

    /// Parses a TOML document (no file, no environment overrides; `*_env` secrets are read
    /// from the process environment when providers are built).
    pub fn from_toml_str(toml: &str) -> Result<Config, Error> {
        Config::from_toml_str_with_env(toml, Environment::process())
    }

    /// Parses a TOML document whose `*_env` secrets are read from `env`.
    pub fn from_toml_str_with_env(toml: &str, env: Environment) -> Result<Config, Error> {
        Config::from_figment(&Figment::from(Toml::string(toml)), ConfigSource::Text, env)
    }

    /// The embedded [`DEV_PROFILE`] alone.
    pub fn dev() -> Result<Config, Error> {
        Config::from_toml_str_with_env(
            DEV_PROFILE,
            Environment::from_pairs::<String, String, _>([]),
        )
        .map(|mut c| {
            c.source = ConfigSource::DevProfile;
            c
        })
    }

    fn from_value(value: Value, source: ConfigSource, env: Environment) -> Result<Config, Error> {
        let raw: Raw = deserialize_at(value, "")?;
        raw.policy.check_base("policy")?;
        let mut providers = BTreeMap::new();
        for (name, table) in raw.providers {
            let path = join("providers", &name);
            if name.trim().is_empty() {
                return Err(config_error(&path, "a provider name cannot be empty"));
            }
            let provider = ProviderConfig::from_value(table, &path)?;
            let policy = provider
                .policy
                .or(&raw.policy)
                .to_policy(&join(&path, "policy"))?;
            let bucket_at = if provider.policy.time_bucket.is_some() {
                join(&path, "policy")
            } else {
                "policy".to_owned()
            };
            load_checks::time_bucket(&policy, &provider.settings, &bucket_at, &path)?;
            providers.insert(name, provider);
        }
        if let Some(name) = &raw.default_provider
            && !providers.contains_key(name)
        {
            let known: Vec<&str> = providers.keys().map(String::as_str).collect();
            let known = if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            };
            return Err(config_error(
                "default_provider",
                format!("{name:?} is not a configured provider (configured: {known})"),
            ));
        }
        Ok(Config {
            default_provider: raw.default_provider,
            policy: raw.policy,
            providers,
            source,
            env,
            serve: raw.serve,
        })
    }
}

/// A figment error (a TOML syntax error, usually) as a configuration error. The TOML
/// parser's message quotes the offending line, which may hold a secret: only the lines that
/// say what and where are kept.
fn figment_error(e: &figment::Error, source: &ConfigSource) -> Error {
    let path = if e.path.is_empty() {
        match source {
            ConfigSource::File(p) => p.display().to_string(),
            ConfigSource::DevProfile => "dev profile".to_owned(),
            ConfigSource::Text => ".".to_owned(),
        }
    } else {
        e.path.join(".")
    };
    let message = e.kind.to_string();
    let kept: Vec<&str> = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.contains('|') && !l.starts_with('^'))
        .collect();
    config_error(&path, kept.join("; "))
}
