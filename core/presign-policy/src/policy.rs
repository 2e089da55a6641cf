//! [`Policy`]: the rules, with safe defaults.

use std::time::Duration;

use presign_core::{DEFAULT_TTL, Error, Method, MethodSet, duration::format_duration};

/// The default largest upload a POST policy may admit: 100 MiB.
pub const DEFAULT_MAX_UPLOAD_SIZE: u64 = 100 * 1024 * 1024;

/// The default maximum time-to-live: 15 minutes.
pub const DEFAULT_MAX_TTL: Duration = Duration::from_secs(15 * 60);

/// What to do when a request asks for a longer time-to-live than allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ExcessTtl {
    /// Sign with the longest allowed time-to-live instead (the default).
    #[default]
    Clamp,
    /// Refuse the request.
    Reject,
}

/// What to do with a constraint the provider's server would not enforce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConstraintMode {
    /// Refuse the request, naming constraint and provider (the default).
    #[default]
    Strict,
    /// Sign without the constraint and report it in
    /// [`PresignedRequest::dropped`](presign_core::PresignedRequest::dropped).
    BestEffort,
}

/// The rules a [`crate::PolicyLayer`] applies. [`Policy::default`] is the safe choice.
///
/// ```
/// use presign_policy::{Policy, ExcessTtl};
/// use presign_core::Method;
/// use std::time::Duration;
///
/// let policy = Policy {
///     max_ttl: Duration::from_secs(3600),
///     on_excess_ttl: ExcessTtl::Reject,
///     key_prefixes: vec!["uploads/".into()],
///     ..Policy::default()
/// }
/// .allow(Method::Delete);
/// policy.validate()?;
/// # Ok::<(), presign_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// Time-to-live when a request gives none (default 5 minutes).
    pub default_ttl: Duration,
    /// The longest time-to-live (default 15 minutes).
    pub max_ttl: Duration,
    /// Clamp or reject longer requests (default clamp).
    pub on_excess_ttl: ExcessTtl,
    /// The methods that may be signed (default GET, HEAD, PUT).
    pub allow_methods: MethodSet,
    /// If not empty, keys must lie under one of these prefixes (matched at `/` boundaries).
    pub key_prefixes: Vec<String>,
    /// Strict or best-effort handling of constraints (default strict).
    pub constraints: ConstraintMode,
    /// If set, round the signing time down to a multiple of this, so clients share URLs.
    pub time_bucket: Option<Duration>,
    /// The largest file a POST policy may admit, in bytes (default
    /// [`DEFAULT_MAX_UPLOAD_SIZE`], 100 MiB). Every POST policy carries a
    /// `content-length-range` no wider than this; see [`crate::post`].
    pub max_upload_size: u64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            default_ttl: DEFAULT_TTL,
            max_ttl: DEFAULT_MAX_TTL,
            on_excess_ttl: ExcessTtl::Clamp,
            allow_methods: MethodSet::of(&[Method::Get, Method::Head, Method::Put]),
            key_prefixes: Vec::new(),
            constraints: ConstraintMode::Strict,
            time_bucket: None,
            max_upload_size: DEFAULT_MAX_UPLOAD_SIZE,
        }
    }
}

impl Policy {
    /// This policy, also allowing `method`.
    #[must_use]
    pub fn allow(mut self, method: Method) -> Self {
        self.allow_methods = self.allow_methods.with(method);
        self
    }

    /// This policy, forbidding `method`.
    #[must_use]
    pub fn forbid(mut self, method: Method) -> Self {
        self.allow_methods = self.allow_methods.without(method);
        self
    }

    /// Checks that the rules make sense together; the error names the bad field.
    pub fn validate(&self) -> Result<(), Error> {
        let bad =
            |field: &str, reason: String| Error::invalid_input(format!("policy.{field}"), reason);
        if self.max_ttl.as_secs() == 0 {
            return Err(bad("max_ttl", "must be at least 1 second".into()));
        }
        if self.default_ttl.as_secs() == 0 {
            return Err(bad("default_ttl", "must be at least 1 second".into()));
        }
        if self.default_ttl > self.max_ttl {
            return Err(bad(
                "default_ttl",
                format!(
                    "{} is longer than max_ttl {}",
                    format_duration(self.default_ttl),
                    format_duration(self.max_ttl)
                ),
            ));
        }
        if let Some(b) = self.time_bucket
            && b >= self.max_ttl
        {
            return Err(bad(
                "time_bucket",
                format!(
                    "{} must be shorter than max_ttl {}: the bucket is added to every URL's lifetime",
                    format_duration(b),
                    format_duration(self.max_ttl)
                ),
            ));
        }
        if self.max_upload_size == 0 {
            return Err(bad("max_upload_size", "must be at least 1 byte".into()));
        }
        for p in &self.key_prefixes {
            crate::key_rules::validate_prefix(p).map_err(|reason| bad("key_prefixes", reason))?;
        }
        Ok(())
    }
}
