//! [`PresignRequest`]: what to sign.

use std::time::Duration;

use crate::constraints::Constraints;
use crate::error::Error;
use crate::key::ObjectKey;
use crate::method::Method;
use crate::timestamp::Timestamp;

/// The time-to-live used when a request gives none: 5 minutes.
pub const DEFAULT_TTL: Duration = Duration::from_secs(300);

/// One request to presign: method, key, time-to-live, constraints, and optionally a fixed
/// signing time.
///
/// ```
/// use presign_core::{Method, ObjectKey, PresignRequest, Timestamp};
/// use std::time::Duration;
/// let r = PresignRequest::new(Method::Get, ObjectKey::new("a.txt")?)
///     .with_ttl(Duration::from_secs(60))
///     .signed_at(Timestamp::parse_rfc3339("2024-01-02T03:04:05Z")?);
/// assert_eq!(r.ttl_or_default(), Duration::from_secs(60));
/// # Ok::<(), presign_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PresignRequest {
    /// The HTTP method the URL is for.
    pub method: Method,
    /// The raw object key.
    pub key: ObjectKey,
    /// How long the URL stays valid; [`DEFAULT_TTL`] when `None`.
    pub ttl: Option<Duration>,
    /// What else the request binds the client to.
    pub constraints: Constraints,
    /// The signing time; the signer's [`crate::Clock`] when `None`.
    pub signing_time: Option<Timestamp>,
}

impl PresignRequest {
    /// A request with no time-to-live (the default applies), no constraints, signed "now".
    pub fn new(method: Method, key: ObjectKey) -> Self {
        PresignRequest {
            method,
            key,
            ttl: None,
            constraints: Constraints::default(),
            signing_time: None,
        }
    }

    /// Parses the method and validates the key.
    pub fn parse(method: &str, key: &str) -> Result<Self, Error> {
        Ok(PresignRequest::new(method.parse()?, ObjectKey::new(key)?))
    }

    /// Sets the time-to-live.
    #[must_use]
    pub fn with_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = Some(ttl);
        self
    }

    /// Sets the constraints.
    #[must_use]
    pub fn with_constraints(mut self, constraints: Constraints) -> Self {
        self.constraints = constraints;
        self
    }

    /// Fixes the signing time.
    #[must_use]
    pub fn signed_at(mut self, t: Timestamp) -> Self {
        self.signing_time = Some(t);
        self
    }

    /// The time-to-live, or [`DEFAULT_TTL`].
    pub fn ttl_or_default(&self) -> Duration {
        self.ttl.unwrap_or(DEFAULT_TTL)
    }
}
