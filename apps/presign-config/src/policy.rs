//! [`PolicyConfig`]: the `[policy]` tables, merged field by field and turned into a
//! [`Policy`].

use std::time::Duration;

use presign_core::{Error, MethodSet};
use presign_policy::{ConstraintMode, ExcessTtl, Policy};
use serde::Deserialize;

use crate::de::{config_error, join, opt_duration, opt_methods, opt_string_list};
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
    /// When set, only keys under one of these prefixes may be signed.
    #[serde(default, deserialize_with = "opt_string_list")]
    pub key_prefixes: Option<Vec<String>>,
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
}

impl PolicyConfig {
    /// This table with unset fields taken from `base`.
    #[must_use]
    pub fn or(&self, base: &PolicyConfig) -> PolicyConfig {
        PolicyConfig {
            default_ttl: self.default_ttl.or(base.default_ttl),
            max_ttl: self.max_ttl.or(base.max_ttl),
            on_excess_ttl: self.on_excess_ttl.or(base.on_excess_ttl),
            allow_methods: self.allow_methods.or(base.allow_methods),
            key_prefixes: self
                .key_prefixes
                .clone()
                .or_else(|| base.key_prefixes.clone()),
            constraints: self.constraints.or(base.constraints),
            time_bucket: self.time_bucket.or(base.time_bucket),
            max_upload_size: self.max_upload_size.or(base.max_upload_size),
        }
    }

    /// The policy: set fields over [`Policy::default`], validated. `path` names the table in
    /// errors (`providers.prod.policy`).
    pub fn to_policy(&self, path: &str) -> Result<Policy, Error> {
        let mut policy = Policy::default();
        if let Some(v) = self.default_ttl {
            policy.default_ttl = v;
        }
        if let Some(v) = self.max_ttl {
            policy.max_ttl = v;
        }
        if let Some(v) = self.on_excess_ttl {
            policy.on_excess_ttl = match v {
                ExcessTtlConfig::Clamp => ExcessTtl::Clamp,
                ExcessTtlConfig::Reject => ExcessTtl::Reject,
            };
        }
        if let Some(v) = self.allow_methods {
            policy.allow_methods = v;
        }
        if let Some(v) = &self.key_prefixes {
            policy.key_prefixes.clone_from(v);
        }
        if let Some(v) = self.constraints {
            policy.constraints = match v {
                ConstraintModeConfig::Strict => ConstraintMode::Strict,
                ConstraintModeConfig::BestEffort => ConstraintMode::BestEffort,
            };
        }
        if self.time_bucket.is_some() {
            policy.time_bucket = self.time_bucket.filter(|d| !d.is_zero());
        }
        if let Some(v) = self.max_upload_size {
            policy.max_upload_size = v;
        }
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
