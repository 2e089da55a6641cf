//! The policy applied to signed cookies: [`Policied`] is a [`CookiePresigner`] whenever the
//! presigner it wraps is one.
//!
//! The rules are the URL rules, unchanged:
//!
//! 1. **Method**: cookies grant reads, so GET must be in [`Policy::allow_methods`](crate::Policy).
//! 2. **Provider**: its [`Capabilities::signed_cookies`](presign_core::Capabilities::signed_cookies)
//!    must be set.
//! 3. **Resource**: a pattern without `*` is a key and passes [`check_key`]. A wildcard pattern's
//!    literal part before the first `*` must lie entirely inside an allowed prefix at a `/`
//!    boundary ([`check_key_prefix`]): `uploads/alice/*` under `uploads/alice/` passes,
//!    `uploads/*` and `uploads/al*` do not, and `*` alone passes only when no prefix is
//!    configured.
//! 4. **Time-to-live**: default, maximum, provider maximum, time bucket, credential (key)
//!    expiry; clamp or reject.
//! 5. **Constraints** against the provider's capabilities: strict refuses what it does not
//!    enforce (an IP range on a canned-policy CloudFront provider, anything on Cloud CDN),
//!    best effort drops and reports it.

use async_trait::async_trait;
use presign_core::cookies::{CookiePresigner, CookieRequest, SignedCookies};
use presign_core::{Error, Method, ObjectKey, Prepare};

use crate::extra_names;
use crate::hook::PolicyHook;
use crate::key_rules::check_key;
use crate::layer::Policied;
use crate::post::check_key_prefix;
use crate::ttl::Times;

impl<P: CookiePresigner> Policied<P> {
    /// The rules that need no credentials (method, provider, resource); returns the clock's now
    /// and the request's signing time.
    fn preflight_cookies(&self, request: &CookieRequest) -> Result<Times, Error> {
        let policy = self.policy();
        let caps = self.inner().capabilities();
        if !policy.allow_methods().contains(Method::Get) {
            return Err(Error::MethodNotAllowed {
                method: Method::Get,
                hint: "; signed cookies grant GET and HEAD",
            });
        }
        if !caps.signed_cookies() {
            return Err(Error::invalid_input(
                "provider",
                format!("provider {} does not sign cookies", caps.provider()),
            ));
        }
        let pattern = &request.resource;
        if pattern.is_wildcard() {
            check_key_prefix(pattern.literal_prefix(), policy.key_prefixes())
        } else {
            check_key(&ObjectKey::new(pattern.as_str())?, policy.key_prefixes())
        }
        .inspect_err(|e| {
            tracing::debug!(provider = caps.provider(), error = %e, "presign policy: cookie resource refused");
        })?;
        extra_names::check(policy, caps, &request.constraints)?;
        Ok(Times {
            clock: self.clock().now(),
            requested: request.signing_time,
        })
    }
}

#[async_trait]
impl<P: CookiePresigner> CookiePresigner for Policied<P> {
    async fn presign_cookies_with(
        &self,
        request: &CookieRequest,
        prepare: &mut dyn Prepare<CookieRequest>,
    ) -> Result<SignedCookies, Error> {
        let times = self.preflight_cookies(request)?;
        let caps = self.inner().capabilities();
        let mut hook = PolicyHook::new(self.policy(), caps, times, prepare);
        let signed = self
            .inner()
            .presign_cookies_with(request, &mut hook)
            .await?;
        let report = hook.finish(signed.expires_at())?;
        tracing::debug!(
            provider = caps.provider(), resource = %request.resource,
            expires_at = %signed.expires_at(), dropped = ?report.dropped,
            "presign policy: cookies signed"
        );
        Ok(signed.with_dropped(report.dropped))
    }
}
