//! [`Policy`]: the rules, with safe defaults; risky choices only through
//! [`Policy::dangerous`].

use std::time::Duration;

use presign_core::{DEFAULT_TTL, Error, Method, MethodSet, duration::format_duration};

/// The default largest upload a POST policy may admit: 100 MiB.
pub const DEFAULT_MAX_UPLOAD_SIZE: u64 = 100 * 1024 * 1024;

/// The default maximum time-to-live: 15 minutes.
pub const DEFAULT_MAX_TTL: Duration = Duration::from_secs(15 * 60);

/// The default largest distance a request's signing time may lie ahead of the clock: 60 s.
pub const DEFAULT_MAX_CLOCK_SKEW: Duration = Duration::from_secs(60);

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
    /// [`PresignedRequest::dropped`](presign_core::PresignedRequest::dropped). Chosen with
    /// [`DangerousPolicy::best_effort_constraints`].
    BestEffort,
}

/// Which keys a policy signs.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Keys {
    /// Nothing chosen yet: [`Policy::validate`] refuses, so that "every key" is never an
    /// accident of a forgotten setting or an empty list.
    Unchosen,
    /// Keys under one of these prefixes (never empty once validated).
    Prefixes(Vec<String>),
    /// Every valid key ([`DangerousPolicy::allow_any_key`]).
    Any,
}

/// The risky choices made through [`Policy::dangerous`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct OptIns {
    delete: bool,
    post: bool,
}

/// The rules a [`crate::PolicyLayer`] applies.
///
/// [`Policy::default`] is the safe choice for everything but the keys, which every policy must
/// name: [`Policy::with_key_prefixes`], or — signing any key the credentials can reach —
/// [`DangerousPolicy::allow_any_key`]. Every risky choice (DELETE, POST, best-effort
/// constraints, any key, extra operation-changing headers or query parameters) is made
/// through [`Policy::dangerous`], so that it reads as one in code review. The reasons for
/// each default are in [`crate::defaults`].
///
/// ```
/// use presign_policy::{ExcessTtl, Policy, PolicyLayer};
/// use std::time::Duration;
///
/// let policy = Policy::default()
///     .with_max_ttl(Duration::from_secs(600))
///     .with_excess_ttl(ExcessTtl::Reject)
///     .with_key_prefixes(["uploads/"]);
/// policy.validate()?;
///
/// // Risky choices are named as such.
/// let admin = Policy::default()
///     .dangerous()
///     .allow_delete()
///     .allow_any_key()
///     .finish();
/// assert!(admin.allows_any_key());
///
/// // No key choice at all is refused, not read as "every key".
/// assert!(PolicyLayer::new(Policy::default()).is_err());
/// # Ok::<(), presign_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    default_ttl: Duration,
    max_ttl: Duration,
    on_excess_ttl: ExcessTtl,
    allow_methods: MethodSet,
    keys: Keys,
    constraints: ConstraintMode,
    time_bucket: Option<Duration>,
    max_upload_size: u64,
    max_clock_skew: Duration,
    allow_headers: Vec<String>,
    allow_query: Vec<String>,
    opt_ins: OptIns,
}

impl Default for Policy {
    /// 5-minute default and 15-minute maximum time-to-live (clamped), GET/HEAD/PUT, strict
    /// constraints, no time bucket, 100 MiB uploads, 60 s clock skew, no extra headers or
    /// query parameters — and no key choice yet (see [`Policy`]).
    fn default() -> Self {
        Policy {
            default_ttl: DEFAULT_TTL,
            max_ttl: DEFAULT_MAX_TTL,
            on_excess_ttl: ExcessTtl::Clamp,
            allow_methods: MethodSet::of(&[Method::Get, Method::Head, Method::Put]),
            keys: Keys::Unchosen,
            constraints: ConstraintMode::Strict,
            time_bucket: None,
            max_upload_size: DEFAULT_MAX_UPLOAD_SIZE,
            max_clock_skew: DEFAULT_MAX_CLOCK_SKEW,
            allow_headers: Vec::new(),
            allow_query: Vec::new(),
            opt_ins: OptIns::default(),
        }
    }
}

impl Policy {
    /// This policy with `ttl` for requests that give none (default 5 minutes).
    #[must_use]
    pub fn with_default_ttl(mut self, ttl: Duration) -> Self {
        self.default_ttl = ttl;
        self
    }

    /// This policy with `ttl` as the longest time-to-live (default 15 minutes).
    #[must_use]
    pub fn with_max_ttl(mut self, ttl: Duration) -> Self {
        self.max_ttl = ttl;
        self
    }

    /// This policy clamping or rejecting longer requests (default clamp).
    #[must_use]
    pub fn with_excess_ttl(mut self, mode: ExcessTtl) -> Self {
        self.on_excess_ttl = mode;
        self
    }

    /// This policy signing only keys under one of `prefixes` (matched at `/` boundaries).
    /// An empty list is refused by [`Policy::validate`]: it would not restrict anything.
    #[must_use]
    pub fn with_key_prefixes<I, S>(mut self, prefixes: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.keys = Keys::Prefixes(prefixes.into_iter().map(Into::into).collect());
        self
    }

    /// This policy rounding signing times down to multiples of `bucket`, so that clients
    /// share URLs (a CDN can cache them); the bucket counts against the maximum.
    #[must_use]
    pub fn with_time_bucket(mut self, bucket: Duration) -> Self {
        self.time_bucket = (!bucket.is_zero()).then_some(bucket);
        self
    }

    /// This policy admitting POST-policy uploads of at most `bytes` (default 100 MiB).
    #[must_use]
    pub fn with_max_upload_size(mut self, bytes: u64) -> Self {
        self.max_upload_size = bytes;
        self
    }

    /// This policy accepting request signing times up to `skew` ahead of the clock (default
    /// 60 s). Earlier signing times are always accepted: they only shorten validity.
    #[must_use]
    pub fn with_max_clock_skew(mut self, skew: Duration) -> Self {
        self.max_clock_skew = skew;
        self
    }

    /// This policy also allowing `method`. GET, HEAD and PUT are allowed by default; DELETE
    /// and POST are risky ([`Policy::dangerous`]): allowed here, they make
    /// [`Policy::validate`] fail with a message saying so.
    #[must_use]
    pub fn allow(mut self, method: Method) -> Self {
        self.allow_methods = self.allow_methods.with(method);
        self
    }

    /// This policy forbidding `method`.
    #[must_use]
    pub fn forbid(mut self, method: Method) -> Self {
        self.allow_methods = self.allow_methods.without(method);
        self
    }

    /// The risky choices, named as such (the rustls `dangerous()` pattern).
    pub fn dangerous(self) -> DangerousPolicy {
        DangerousPolicy(self)
    }

    /// Time-to-live when a request gives none.
    pub fn default_ttl(&self) -> Duration {
        self.default_ttl
    }

    /// The longest time-to-live.
    pub fn max_ttl(&self) -> Duration {
        self.max_ttl
    }

    /// Clamp or reject longer requests.
    pub fn on_excess_ttl(&self) -> ExcessTtl {
        self.on_excess_ttl
    }

    /// The methods that may be signed.
    pub fn allow_methods(&self) -> MethodSet {
        self.allow_methods
    }

    /// The allowed key prefixes; empty when the policy signs any key
    /// ([`allows_any_key`](Self::allows_any_key)) or has no key choice yet.
    pub fn key_prefixes(&self) -> &[String] {
        match &self.keys {
            Keys::Prefixes(p) => p,
            Keys::Unchosen | Keys::Any => &[],
        }
    }

    /// Whether the policy signs any key ([`DangerousPolicy::allow_any_key`]).
    pub fn allows_any_key(&self) -> bool {
        self.keys == Keys::Any
    }

    /// Strict or best-effort handling of constraints.
    pub fn constraint_mode(&self) -> ConstraintMode {
        self.constraints
    }

    /// The time bucket signing times are rounded down to, if any.
    pub fn time_bucket(&self) -> Option<Duration> {
        self.time_bucket
    }

    /// The largest file a POST policy may admit, in bytes.
    pub fn max_upload_size(&self) -> u64 {
        self.max_upload_size
    }

    /// How far ahead of the clock a request's signing time may lie.
    pub fn max_clock_skew(&self) -> Duration {
        self.max_clock_skew
    }

    /// Header names (lower-case) allowed beyond the provider's declared safe headers.
    pub fn allowed_headers(&self) -> &[String] {
        &self.allow_headers
    }

    /// Query parameter names allowed beyond the provider's declared safe parameters.
    pub fn allowed_query(&self) -> &[String] {
        &self.allow_query
    }

    /// Checks that the rules make sense together and that every risky choice was made by
    /// name; the error names the bad field (`policy.max_ttl`).
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
        for (method, opted_in, how) in [
            (Method::Delete, self.opt_ins.delete, "allow_delete"),
            (Method::Post, self.opt_ins.post, "allow_post"),
        ] {
            if self.allow_methods.contains(method) && !opted_in {
                return Err(bad(
                    "allow_methods",
                    format!(
                        "{method} is a risky choice (a signed URL or form cannot be revoked); allow it with Policy::dangerous().{how}()"
                    ),
                ));
            }
        }
        match &self.keys {
            Keys::Unchosen => {
                return Err(bad(
                    "key_prefixes",
                    "no keys chosen: name the prefixes this policy may sign (with_key_prefixes / key_prefixes), or opt in to every key by name (dangerous().allow_any_key() / any_key = true)".into(),
                ));
            }
            Keys::Prefixes(p) if p.is_empty() => {
                return Err(bad(
                    "key_prefixes",
                    "an empty list would allow every key; list the prefixes, or opt in to every key by name (dangerous().allow_any_key() / any_key = true)".into(),
                ));
            }
            Keys::Prefixes(p) => {
                for prefix in p {
                    crate::key_rules::validate_prefix(prefix)
                        .map_err(|reason| bad("key_prefixes", reason))?;
                }
            }
            Keys::Any => {}
        }
        for (field, names) in [
            ("allow_headers", &self.allow_headers),
            ("allow_query", &self.allow_query),
        ] {
            if let Some(n) = names
                .iter()
                .find(|n| n.is_empty() || !n.bytes().all(|b| b.is_ascii_graphic()))
            {
                return Err(bad(
                    field,
                    format!(
                        "{} is not a header or parameter name",
                        presign_core::error::display_key(n)
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// The risky choices of a [`Policy`], from [`Policy::dangerous`]; [`finish`](Self::finish)
/// returns the policy.
///
/// ```
/// use presign_policy::Policy;
/// let policy = Policy::default()
///     .with_key_prefixes(["media/"])
///     .dangerous()
///     .allow_delete()
///     .best_effort_constraints()
///     .finish();
/// policy.validate()?;
/// # Ok::<(), presign_core::Error>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct DangerousPolicy(Policy);

impl DangerousPolicy {
    /// Allows DELETE: a signed DELETE cannot be revoked and destroys data.
    pub fn allow_delete(mut self) -> Self {
        self.0.opt_ins.delete = true;
        self.0.allow_methods = self.0.allow_methods.with(Method::Delete);
        self
    }

    /// Allows POST (browser form uploads, GCS resumable starts): a form grant cannot be
    /// revoked.
    pub fn allow_post(mut self) -> Self {
        self.0.opt_ins.post = true;
        self.0.allow_methods = self.0.allow_methods.with(Method::Post);
        self
    }

    /// Signs without the constraints a provider cannot enforce (reporting them as dropped)
    /// instead of refusing: the URL then binds less than the caller asked for.
    pub fn best_effort_constraints(mut self) -> Self {
        self.0.constraints = ConstraintMode::BestEffort;
        self
    }

    /// Signs any valid key the credentials can reach, instead of keys under named prefixes.
    pub fn allow_any_key(mut self) -> Self {
        self.0.keys = Keys::Any;
        self
    }

    /// Also allows these signed headers (case-insensitive) beyond the provider's declared
    /// safe ones. Each may change the operation (`x-amz-copy-source`, `x-amz-acl`, ...).
    pub fn allow_headers<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.0
            .allow_headers
            .extend(names.into_iter().map(|n| n.into().to_ascii_lowercase()));
        self
    }

    /// Also allows these signed query parameters beyond the provider's declared safe ones.
    /// Each may select a sub-resource that changes the operation (`acl`, `tagging`, ...).
    pub fn allow_query<I, S>(mut self, names: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.0.allow_query.extend(names.into_iter().map(Into::into));
        self
    }

    /// The policy, with these choices.
    pub fn finish(self) -> Policy {
        self.0
    }
}
