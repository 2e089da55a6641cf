//! [`Environment`]: where `PRESIGN_…` settings and `*_env` secrets are read from.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// The environment variables configuration reads: the process's own, or a fixed map (for
/// tests, which then never touch the process environment).
#[derive(Clone, Default)]
pub enum Environment {
    /// The process environment, read when needed.
    #[default]
    Process,
    /// A fixed set of variables.
    Fixed(Arc<BTreeMap<String, String>>),
}

impl Environment {
    /// The process environment.
    pub fn process() -> Self {
        Environment::Process
    }

    /// A fixed environment made of `pairs`.
    pub fn from_pairs<K, V, I>(pairs: I) -> Self
    where
        K: Into<String>,
        V: Into<String>,
        I: IntoIterator<Item = (K, V)>,
    {
        Environment::Fixed(Arc::new(
            pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        ))
    }

    /// The value of variable `name`, if it is set (and valid UTF-8).
    pub fn get(&self, name: &str) -> Option<String> {
        match self {
            Environment::Process => std::env::var(name).ok(),
            Environment::Fixed(map) => map.get(name).cloned(),
        }
    }

    /// Every variable, sorted by name (variables that are not UTF-8 are skipped).
    pub fn vars(&self) -> Vec<(String, String)> {
        match self {
            Environment::Process => {
                let mut v: Vec<(String, String)> = std::env::vars_os()
                    .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                    .collect();
                v.sort();
                v
            }
            Environment::Fixed(map) => map.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        }
    }
}

impl fmt::Debug for Environment {
    /// Variable names only: values may be secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Environment::Process => f.write_str("Environment::Process"),
            Environment::Fixed(map) => f
                .debug_tuple("Environment::Fixed")
                .field(&map.keys().collect::<Vec<_>>())
                .finish(),
        }
    }
}

/// The prefix of configuration variables.
pub(crate) const PREFIX: &str = "PRESIGN_";
/// The variable naming the configuration file (not a configuration value itself).
pub(crate) const CONFIG_VAR: &str = "PRESIGN_CONFIG";

/// The top-level keys a configuration variable may start with; other `PRESIGN_…` variables
/// (`PRESIGN_CONFIG`, or another tool's like `PRESIGN_S3_ENDPOINT`) are not configuration.
const TOP_LEVEL: &[&str] = &["default_provider", "policy", "providers"];

/// The configuration variables of `env` as (dotted path, value) pairs:
/// `PRESIGN_PROVIDERS__PROD__BUCKET=x` becomes `("providers.prod.bucket", "x")`. Only
/// `PRESIGN_DEFAULT_PROVIDER`, `PRESIGN_POLICY__…` and `PRESIGN_PROVIDERS__…` are read.
pub(crate) fn config_vars(env: &Environment) -> Vec<(String, String)> {
    env.vars()
        .into_iter()
        .filter(|(k, _)| k != CONFIG_VAR)
        .filter_map(|(k, v)| {
            let rest = k.strip_prefix(PREFIX)?;
            let parts: Vec<String> = rest.split("__").map(str::to_lowercase).collect();
            if parts.iter().any(String::is_empty)
                || !parts
                    .first()
                    .is_some_and(|p| TOP_LEVEL.contains(&p.as_str()))
            {
                return None;
            }
            Some((parts.join("."), v))
        })
        .collect()
}
