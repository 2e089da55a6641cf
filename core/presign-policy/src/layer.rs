//! [`PolicyLayer`] and the presigner it produces, [`Policied`].
//!
//! The rules that need no credentials (method, key) run before the provider is called; the
//! time-to-live, signing time and constraint rules run in the [`Prepare`] hook the provider
//! calls with the expiry of the credential snapshot it signs with, so the lifetime is clamped
//! to the credentials that really sign (one await, not two).

use std::sync::Arc;

use async_trait::async_trait;
use presign_core::clock::system_clock;
use presign_core::{
    Capabilities, Error, Explanation, Method, Prepare, PresignRequest, PresignedRequest, Presigner,
    SharedClock, SyncPresigner,
};

use crate::extra_names;
use crate::hook::PolicyHook;
use crate::key_rules::check_key;
use crate::policy::Policy;
use crate::ttl::Times;

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

    /// Wraps `inner`; the result is itself a [`Presigner`] (and a [`SyncPresigner`] when
    /// `inner` is one).
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

    /// Unwraps the presigner (the tower `into_inner`).
    pub fn into_inner(self) -> P {
        self.inner
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
        extra_names::check(&self.policy, caps, &request.constraints)?;
        Ok(Times {
            clock: self.clock.now(),
            requested: request.signing_time,
        })
    }

    /// The hook for one request, after its preflight.
    fn hook<'a>(
        &'a self,
        request: &PresignRequest,
        outer: &'a mut dyn Prepare<PresignRequest>,
    ) -> Result<PolicyHook<'a, PresignRequest>, Error> {
        let times = self.preflight(request)?;
        Ok(PolicyHook::new(
            &self.policy,
            self.inner.capabilities(),
            times,
            outer,
        ))
    }

    /// Attaches the hook's report to `signed`, or withholds a result the hook never saw or
    /// that outlives the maximum.
    fn finish(
        &self,
        request: &PresignRequest,
        hook: PolicyHook<'_, PresignRequest>,
        signed: PresignedRequest,
    ) -> Result<PresignedRequest, Error> {
        let report = hook.finish(signed.expires_at())?;
        tracing::debug!(
            provider = self.inner.capabilities().provider(), method = %request.method,
            url = %signed.redacted_url(), expires_at = %signed.expires_at(), dropped = ?report.dropped,
            "presign policy: signed"
        );
        Ok(signed.with_policy_report(report.dropped, report.advisory))
    }
}

#[async_trait]
impl<P: Presigner> Presigner for Policied<P> {
    fn capabilities(&self) -> &Capabilities {
        self.inner.capabilities()
    }

    async fn presign_with(
        &self,
        request: &PresignRequest,
        prepare: &mut dyn Prepare<PresignRequest>,
    ) -> Result<PresignedRequest, Error> {
        let mut hook = self.hook(request, prepare)?;
        let signed = self.inner.presign_with(request, &mut hook).await?;
        self.finish(request, hook, signed)
    }

    /// Explains the request as the policy would pass it on (time-to-live and signing time
    /// resolved, unenforceable constraints refused or dropped).
    async fn explain_with(
        &self,
        request: &PresignRequest,
        prepare: &mut dyn Prepare<PresignRequest>,
    ) -> Result<Option<Explanation>, Error> {
        let mut hook = self.hook(request, prepare)?;
        let explained = self.inner.explain_with(request, &mut hook).await?;
        if explained.is_some() {
            hook.applied()?;
        }
        Ok(explained)
    }
}

impl<P: SyncPresigner> SyncPresigner for Policied<P> {
    fn presign_sync_with(
        &self,
        request: &PresignRequest,
        prepare: &mut dyn Prepare<PresignRequest>,
    ) -> Result<PresignedRequest, Error> {
        let mut hook = self.hook(request, prepare)?;
        let signed = self.inner.presign_sync_with(request, &mut hook)?;
        self.finish(request, hook, signed)
    }
}
