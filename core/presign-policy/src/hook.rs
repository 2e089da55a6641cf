//! The policy's [`Prepare`] hook: the rules that depend on the credential snapshot's expiry
//! (time-to-live, signing time) and the request-specific ones after them (constraints for URLs
//! and cookies, the size range for POST policies), run by the provider once it holds its
//! snapshot. One hook for every kind of request.

use std::borrow::Cow;
use std::time::Duration;

use presign_core::{Capabilities, Error, Prepare, Timestamp};

use presign_core::PresignRequest;
use presign_core::cookies::CookieRequest;

use crate::constraint_check::{self, Report};
use crate::policy::Policy;
use crate::ttl::{self, Times, Timing};

/// A request the policy governs (a URL, a POST policy, a cookie grant).
pub(crate) trait Governed: Clone + Send {
    /// The requested time-to-live.
    fn ttl(&self) -> Option<Duration>;
    /// Fixes the resolved signing time and time-to-live.
    fn set_timing(&mut self, timing: Timing);
    /// The rules that follow the time rules; what they dropped or kept as advisory.
    fn apply_rules(&mut self, policy: &Policy, caps: &Capabilities) -> Result<Report, Error>;
}

/// The hook for one request: `times` come from the preflight (the clock's now and the request's
/// signing time), `outer` from a wrapper around the policy layer (applied first), `report` is set
/// once the provider has called it.
pub(crate) struct PolicyHook<'a, R> {
    policy: &'a Policy,
    caps: &'a Capabilities,
    times: Times,
    outer: &'a mut dyn Prepare<R>,
    report: Option<Report>,
}

impl<'a, R> PolicyHook<'a, R> {
    pub(crate) fn new(
        policy: &'a Policy,
        caps: &'a Capabilities,
        times: Times,
        outer: &'a mut dyn Prepare<R>,
    ) -> Self {
        PolicyHook {
            policy,
            caps,
            times,
            outer,
            report: None,
        }
    }

    /// What the rules reported, once the provider's grant (URL, form, cookies) expiring at
    /// `expires_at` passes the last check: valid, by the clock, no longer than the maximum. An
    /// error when the provider signed without calling the hook (the policy was not applied, so
    /// its result is withheld).
    pub(crate) fn finish(self, expires_at: Timestamp) -> Result<Report, Error> {
        let report = self.report.ok_or_else(|| Error::Provider {
            provider: self.caps.provider().to_owned(),
            reason: "it signed without passing the request through the policy (Prepare hook); the result is withheld".into(),
        })?;
        ttl::expiry_within_max(self.policy, self.caps, self.times, expires_at)?;
        Ok(report)
    }

    /// Whether the provider called the hook (explanations carry no expiry to check).
    pub(crate) fn applied(&self) -> Result<(), Error> {
        match self.report {
            Some(_) => Ok(()),
            None => Err(Error::Provider {
                provider: self.caps.provider().to_owned(),
                reason:
                    "it explained a request without passing it through the policy (Prepare hook)"
                        .into(),
            }),
        }
    }
}

impl<R: Governed> Prepare<R> for PolicyHook<'_, R> {
    fn prepare<'r>(
        &mut self,
        request: &'r R,
        credentials_expire_at: Option<Timestamp>,
    ) -> Result<Cow<'r, R>, Error> {
        let request = self.outer.prepare(request, credentials_expire_at)?;
        let timing = ttl::resolve(
            self.policy,
            self.caps,
            request.ttl(),
            self.times,
            credentials_expire_at,
        )?;
        // Cheap for a request without constraints: the key is reference-counted.
        let mut effective = request.into_owned();
        effective.set_timing(timing);
        self.report = Some(effective.apply_rules(self.policy, self.caps)?);
        Ok(Cow::Owned(effective))
    }
}

/// URLs and cookie grants: after the time rules, each constraint is checked against the
/// provider's capabilities (strict refuses, best effort drops and reports).
macro_rules! governed_by_constraints {
    ($($request:ty),+) => {$(
        impl Governed for $request {
            fn ttl(&self) -> Option<Duration> {
                self.ttl
            }
            fn set_timing(&mut self, timing: Timing) {
                self.ttl = Some(timing.ttl);
                self.signing_time = Some(timing.signing_time);
            }
            fn apply_rules(&mut self, policy: &Policy, caps: &Capabilities) -> Result<Report, Error> {
                constraint_check::apply(policy.constraint_mode(), caps, &mut self.constraints)
            }
        }
    )+};
}

governed_by_constraints!(PresignRequest, CookieRequest);
