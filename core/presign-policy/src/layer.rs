//! [`PolicyLayer`] and the presigner it produces, [`Policied`].

use std::sync::Arc;

use async_trait::async_trait;
use presign_core::clock::system_clock;
use presign_core::{
    Capabilities, Error, Explanation, Method, PresignRequest, PresignedRequest, Presigner,
    SharedClock, Timestamp,
};

use crate::constraint_check;
use crate::key_rules::check_key;
use crate::policy::Policy;
use crate::ttl::{self, Times};

/// Wraps presigners in a [`Policy`] (the tower `Layer` shape).
#[derive(Debug, Clone)]
pub struct PolicyLayer {
    policy: Arc<Policy>,
    clock: SharedClock,
}

impl PolicyLayer {
    /// A layer applying `policy`, reading time from the system clock. The policy is
    /// validated first ([`Policy::validate`]): a policy that makes no key choice, or makes a
    /// risky choice other than by name, is refused.
    pub fn new(policy: Policy) -> Result<Self, Error> {
        policy.validate()?;
        Ok(PolicyLayer {
            policy: Arc::new(policy),
            clock: system_clock(),
        })
    }

    /// Uses `clock` for "now" (tests, reproducible CLI runs).
    #[must_use]
    pub fn with_clock(mut self, clock: SharedClock) -> Self {
        self.clock = clock;
        self
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Wraps `inner`; the result is itself a [`Presigner`].
    pub fn layer<P: Presigner>(&self, inner: P) -> Policied<P> {
        Policied {
            inner,
            policy: Arc::clone(&self.policy),
            clock: Arc::clone(&self.clock),
        }
    }
}

/// A presigner with a [`Policy`] in front of it. Build it with [`PolicyLayer::layer`].
#[derive(Debug, Clone)]
pub struct Policied<P> {
    inner: P,
    policy: Arc<Policy>,
    clock: SharedClock,
}

impl<P> Policied<P> {
    /// The wrapped presigner.
    pub fn inner(&self) -> &P {
        &self.inner
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The clock that says "now" when a request has no signing time.
    pub(crate) fn clock(&self) -> &SharedClock {
        &self.clock
    }
}

impl<P: Presigner> Policied<P> {
    /// Applies every rule and returns the request the provider will sign, with the report of
    /// dropped and advisory constraints.
    async fn effective(
        &self,
        request: &PresignRequest,
    ) -> Result<(PresignRequest, constraint_check::Report), Error> {
        let times = self.preflight(request)?;
        let credentials_expire_at = self.inner.credentials_expire_at().await?;
        self.resolve(request, times, credentials_expire_at)
    }

    /// The method and key rules; returns the clock's now and the request's signing time.
    fn preflight(&self, request: &PresignRequest) -> Result<Times, Error> {
        let caps = self.inner.capabilities();
        let method = request.method;
        if !self.policy.allow_methods().contains(method) {
            tracing::debug!(%method, provider = caps.provider(), "presign policy: method refused");
            let hint = match method {
                Method::Delete | Method::Post => {
                    "; a signed URL cannot be revoked, so allow it explicitly (allow_methods) only if you must"
                }
                _ => "; add it to allow_methods",
            };
            return Err(Error::MethodNotAllowed { method, hint });
        }
        if !caps.methods().contains(method) {
            return Err(Error::UnsupportedMethod {
                provider: caps.provider().to_owned(),
                method,
            });
        }
        check_key(&request.key, self.policy.key_prefixes()).inspect_err(|e| {
            tracing::debug!(provider = caps.provider(), error = %e, "presign policy: key refused");
        })?;
        Ok(Times {
            clock: self.clock.now(),
            requested: request.signing_time,
        })
    }

    /// Time-to-live, signing time and constraint rules. Synchronous, so the effective request
    /// is built in place rather than moved out of a future. Cloning it is cheap when it has no
    /// constraints: the key is reference-counted.
    fn resolve(
        &self,
        request: &PresignRequest,
        times: Times,
        credentials_expire_at: Option<Timestamp>,
    ) -> Result<(PresignRequest, constraint_check::Report), Error> {
        let caps = self.inner.capabilities();
        let timing = ttl::resolve(
            &self.policy,
            caps,
            request.ttl,
            times,
            credentials_expire_at,
        )?;
        let mut effective = request.clone();
        effective.ttl = Some(timing.ttl);
        effective.signing_time = Some(timing.signing_time);
        let report = constraint_check::apply(
            self.policy.constraint_mode(),
            caps,
            &mut effective.constraints,
        )?;
        Ok((effective, report))
    }
}

#[async_trait]
impl<P: Presigner> Presigner for Policied<P> {
    fn capabilities(&self) -> &Capabilities {
        self.inner.capabilities()
    }

    async fn presign(&self, request: &PresignRequest) -> Result<PresignedRequest, Error> {
        let times = self.preflight(request)?;
        let credentials_expire_at = self.inner.credentials_expire_at().await?;
        let (effective, report) = self.resolve(request, times, credentials_expire_at)?;
        let signed = self.inner.presign(&effective).await?;
        self.check_expiry(times, signed.expires_at())?;
        tracing::debug!(
            provider = self.inner.capabilities().provider(), method = %request.method,
            url = %signed.redacted_url(), expires_at = %signed.expires_at(), dropped = ?report.dropped,
            "presign policy: signed"
        );
        Ok(signed.with_policy_report(report.dropped, report.advisory))
    }

    async fn credentials_expire_at(&self) -> Result<Option<Timestamp>, Error> {
        self.inner.credentials_expire_at().await
    }

    /// Explains the request as the policy would pass it on (time-to-live and signing time
    /// resolved, unenforceable constraints refused or dropped).
    async fn explain(&self, request: &PresignRequest) -> Result<Option<Explanation>, Error> {
        let (effective, _) = self.effective(request).await?;
        self.inner.explain(&effective).await
    }
}

impl<P: Presigner> Policied<P> {
    /// The last line of defence: whatever the provider made of the effective request, the
    /// grant it reports (URL, form, cookies) must not be valid, by the clock, for longer than
    /// the maximum.
    pub(crate) fn check_expiry(&self, times: Times, expires_at: Timestamp) -> Result<(), Error> {
        expiry_within_max(&self.policy, self.inner.capabilities(), times, expires_at)
    }
}

fn expiry_within_max(
    policy: &Policy,
    caps: &Capabilities,
    times: Times,
    expires_at: Timestamp,
) -> Result<(), Error> {
    let max = policy.max_ttl().min(caps.max_ttl());
    let deadline = times.clock.checked_add(max).unwrap_or(Timestamp::MAX);
    if expires_at > deadline {
        tracing::warn!(
            provider = caps.provider(), %expires_at, %deadline,
            "presign policy: the provider signed past the maximum; refused"
        );
        return Err(Error::InvalidTtl {
            ttl: expires_at.duration_since(times.clock),
            reason: format!(
                "provider {} signed a URL valid until {expires_at}, past the policy's latest expiry {deadline}; refused",
                caps.provider()
            ),
        });
    }
    Ok(())
}
