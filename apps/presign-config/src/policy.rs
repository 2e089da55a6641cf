//! [`PolicyConfig`]: the `[policy]` tables, merged field by field and turned into a
//! [`Policy`].

use std::time::Duration;

use presign_core::{Error, Method, MethodSet};
use presign_policy::{ExcessTtl, Policy};
use serde::Deserialize;

use crate::de::{config_error, join, opt_bool, opt_duration, opt_methods, opt_string_list};
use crate::size::opt_size;

/// What to do with a time-to-live above `max_ttl` (`on_excess_ttl`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExcessTtlConfig {
    /// Sign with `max_ttl` instead.
    Clamp,
    /// Refuse the request.
    Reject,
}

/// Whether constraints a provider cannot enforce are refused or dropped (`constraints`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ConstraintModeConfig {
    /// Refuse the request.
    Strict,
    /// Sign without them and report them as dropped.
    BestEffort,
}

/// One `[policy]` table; every field is optional, and unset fields fall back to the
/// top-level `[policy]` table, then to [`Policy::default`] (the safe defaults).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyConfig {
    /// Time-to-live when a request gives none (seconds or `"5m"`).
    #[serde(default, deserialize_with = "opt_duration")]
    pub default_ttl: Option<Duration>,
    /// Longest time-to-live (seconds or `"15m"`).
    #[serde(default, deserialize_with = "opt_duration")]
    pub max_ttl: Option<Duration>,
    /// `"clamp"` or `"reject"` a longer time-to-live.
    #[serde(default)]
    pub on_excess_ttl: Option<ExcessTtlConfig>,
    /// Methods that may be signed (`["GET", "HEAD", "PUT"]` by default).
    #[serde(default, deserialize_with = "opt_methods")]
    pub allow_methods: Option<MethodSet>,
    /// Only keys under one of these prefixes may be signed. Every effective policy names its
    /// keys: `key_prefixes` (never empty) or `any_key = true`.
    #[serde(default, deserialize_with = "opt_string_list")]
    pub key_prefixes: Option<Vec<String>>,
    /// `true`: sign any key the credentials can reach (the risky choice, by name).
    #[serde(default, deserialize_with = "opt_bool")]
    pub any_key: Option<bool>,
    /// `"strict"` (default) or `"best-effort"`.
    #[serde(default)]
    pub constraints: Option<ConstraintModeConfig>,
    /// Round signing times down to this bucket so that URLs can be cached and shared.
    #[serde(default, deserialize_with = "opt_duration")]
    pub time_bucket: Option<Duration>,
    /// The largest file a POST policy (`presign post`) may admit, in bytes: a number, or a
    /// string with a unit, `"5MiB"` (powers of 1024) or `"100MB"` (powers of 1000); see
    /// [`parse_byte_size`](crate::parse_byte_size). Default 100 MiB.
    #[serde(default, deserialize_with = "opt_size")]
    pub max_upload_size: Option<u64>,
    /// How far ahead of the clock a request's signing time (`--now`, a batch line's `now`)
    /// may lie (default 60 s); earlier times are always accepted.
    #[serde(default, deserialize_with = "opt_duration")]
    pub max_clock_skew: Option<Duration>,
    /// Signed headers allowed beyond the provider's declared safe ones (each may change the
    /// operation, like `x-amz-copy-source`).
    #[serde(default, deserialize_with = "opt_string_list")]
    pub allow_headers: Option<Vec<String>>,
    /// Signed query parameters allowed beyond the provider's declared safe ones (each may
    /// select a sub-resource, like `acl`).
    #[serde(default, deserialize_with = "opt_string_list")]
    pub allow_query: Option<Vec<String>>,
}

impl PolicyConfig {
    /// This table with unset fields taken from `base`. The key choice (`key_prefixes` or
    /// `any_key`) is taken whole from this table when it makes one, else from `base`.
    #[must_use]
    pub fn or(&self, base: &PolicyConfig) -> PolicyConfig {
        let (key_prefixes, any_key) = if self.key_prefixes.is_some() || self.any_key.is_some() {
            (self.key_prefixes.clone(), self.any_key)
        } else {
            (base.key_prefixes.clone(), base.any_key)
        };
        PolicyConfig {
            default_ttl: self.default_ttl.or(base.default_ttl),
            max_ttl: self.max_ttl.or(base.max_ttl),
            on_excess_ttl: self.on_excess_ttl.or(base.on_excess_ttl),
            allow_methods: self.allow_methods.or(base.allow_methods),
            key_prefixes,
            any_key,
            constraints: self.constraints.or(base.constraints),
            time_bucket: self.time_bucket.or(base.time_bucket),
            max_upload_size: self.max_upload_size.or(base.max_upload_size),
            max_clock_skew: self.max_clock_skew.or(base.max_clock_skew),
            allow_headers: self
                .allow_headers
                .clone()
                .or_else(|| base.allow_headers.clone()),
            allow_query: self
                .allow_query
                .clone()
                .or_else(|| base.allow_query.clone()),
        }
    }

    /// Checks a table that other tables inherit from (the top-level `[policy]`): every field
    /// but the key choice, which each provider's effective policy must make.
    pub fn check_base(&self, path: &str) -> Result<(), Error> {
        if self.key_prefixes.is_some() || self.any_key.is_some() {
            return self.to_policy(path).map(drop);
        }
        PolicyConfig {
            any_key: Some(true),
            ..self.clone()
        }
        .to_policy(path)
        .map(drop)
    }

    /// The policy: set fields over [`Policy::default`], validated. `path` names the table in
    /// errors (`providers.prod.policy`). The risky choices written here by name (`DELETE` or
    /// `POST` in `allow_methods`, `constraints = "best-effort"`, `any_key = true`,
    /// `allow_headers`, `allow_query`) are made through [`Policy::dangerous`].
    pub fn to_policy(&self, path: &str) -> Result<Policy, Error> {
        let mut policy = Policy::default();
        if let Some(v) = self.default_ttl {
            policy = policy.with_default_ttl(v);
        }
        if let Some(v) = self.max_ttl {
            policy = policy.with_max_ttl(v);
        }
        if let Some(v) = self.on_excess_ttl {
            policy = policy.with_excess_ttl(match v {
                ExcessTtlConfig::Clamp => ExcessTtl::Clamp,
                ExcessTtlConfig::Reject => ExcessTtl::Reject,
            });
        }
        if let Some(v) = self.time_bucket {
            policy = policy.with_time_bucket(v);
        }
        if let Some(v) = self.max_upload_size {
            policy = policy.with_max_upload_size(v);
        }
        if let Some(v) = self.max_clock_skew {
            policy = policy.with_max_clock_skew(v);
        }
        match (&self.key_prefixes, self.any_key) {
            (Some(_), Some(true)) => {
                return Err(config_error(
                    &join(path, "any_key"),
                    "key_prefixes is also given; choose the keys one way: key_prefixes, or any_key = true",
                ));
            }
            (Some(p), _) if p.is_empty() => {
                return Err(config_error(
                    &join(path, "key_prefixes"),
                    "an empty list (or empty string) would allow every key; list the prefixes, or set any_key = true to sign every key",
                ));
            }
            (Some(p), _) => policy = policy.with_key_prefixes(p.iter().cloned()),
            (None, _) => {}
        }
        let mut risky = policy.dangerous();
        if self.any_key == Some(true) {
            risky = risky.allow_any_key();
        }
        if let Some(methods) = self.allow_methods {
            let mut safe = risky.finish();
            for m in Method::ALL {
                safe = if methods.contains(m) {
                    safe.allow(m)
                } else {
                    safe.forbid(m)
                };
            }
            risky = safe.dangerous();
            if methods.contains(Method::Delete) {
                risky = risky.allow_delete();
            }
            if methods.contains(Method::Post) {
                risky = risky.allow_post();
            }
        }
        if self.constraints == Some(ConstraintModeConfig::BestEffort) {
            risky = risky.best_effort_constraints();
        }
        if let Some(names) = &self.allow_headers {
            risky = risky.allow_headers(names.iter().cloned());
        }
        if let Some(names) = &self.allow_query {
            risky = risky.allow_query(names.iter().cloned());
        }
        let policy = risky.finish();
        policy.validate().map_err(|e| match e {
            Error::InvalidInput { field, reason } => {
                let field = field.strip_prefix("policy.").unwrap_or(&field);
                config_error(&join(path, field), reason)
            }
            other => config_error(path, other.to_string()),
        })?;
        Ok(policy)
    }
}
