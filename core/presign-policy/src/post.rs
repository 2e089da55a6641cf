//! The policy applied to POST policies (browser form uploads): [`Policied`] is a
//! [`PostPresigner`] whenever the presigner it wraps is one.
//!
//! The rules, in order:
//!
//! 1. **Method**: POST must be in [`Policy::allow_methods`] (it is not by default: a form
//!    upload grant cannot be revoked, so it is allowed by name, like DELETE).
//! 2. **Provider**: its [`Capabilities::post_policy`](presign_core::Capabilities::post_policy)
//!    must be set.
//! 3. **Keys**: an exact key passes [`check_key`]. A `starts-with` prefix must lie under an
//!    allowed prefix at a `/` boundary (allowed `users/alice` admits the prefixes
//!    `users/alice/` and `users/alice/photos/`, never `users/alice` itself, which would also
//!    admit `users/alice-evil/...`, nor `users/al`); and it must not contain empty, `.` or `..`
//!    segments (also percent-encoded). The uploader chooses the rest of the key after the
//!    prefix: S3 and GCS keep keys literally, so the object stays under the prefix in the
//!    store's namespace, but an application that normalizes paths (`a/../b`) must check the
//!    keys it reads.
//! 4. **Time-to-live**: as for URLs (default, maximum, provider maximum, time bucket,
//!    temporary credentials; clamp or reject per [`Policy::on_excess_ttl`]).
//! 5. **Size**: every POST policy carries a `content-length-range` within
//!    `0..=`[`Policy::max_upload_size`] (100 MiB by default). A request without one gets
//!    `[0, max_upload_size]`. A range whose upper bound exceeds the maximum follows
//!    [`Policy::on_excess_ttl`] — the one "excess" switch of the policy: [`ExcessTtl::Clamp`]
//!    (the default) lowers the upper bound to the maximum, [`ExcessTtl::Reject`] refuses. A
//!    range whose lower bound exceeds the maximum is always refused (no file could match).
//!
//! 6. **ACL**: a canned `acl` field sets the uploaded object's access control, so it is
//!    refused unless the operator names `acl` (or `x-amz-acl` / `x-goog-acl`) in
//!    [`DangerousPolicy::allow_headers`](crate::DangerousPolicy::allow_headers).
//!
//! Every other condition (Content-Type, metadata, success action, ...) only describes the
//! upload, is enforced by the server in a POST policy and passes unchanged.

use async_trait::async_trait;
use presign_core::post_policy::{
    KeyCondition, PostPolicyRequest, PostPresigner, PresignedPost, SyncPostPresigner,
};
use presign_core::{Capabilities, ConstraintKind, Error, Method, Prepare, error::display_key};

use crate::constraint_check::Report;
use crate::hook::{Governed, PolicyHook};
use crate::key_rules::{bad_segment, check_key};
use crate::layer::Policied;
use crate::policy::{ExcessTtl, Policy};
use crate::ttl::{Times, Timing};

/// Checks a `starts-with` key prefix against the allowed `prefixes` (see the module docs). With
/// no prefixes every prefix passes.
///
/// ```
/// use presign_policy::post::check_key_prefix;
/// let allowed = vec!["users/alice".to_string()];
/// assert!(check_key_prefix("users/alice/", &allowed).is_ok());
/// assert!(check_key_prefix("users/alice/photos/2026-", &allowed).is_ok());
/// assert!(check_key_prefix("users/alice", &allowed).is_err()); // admits users/alice-evil/x
/// assert!(check_key_prefix("users/alice/../bob/", &allowed).is_err());
/// ```
pub fn check_key_prefix(prefix: &str, prefixes: &[String]) -> Result<(), Error> {
    if prefixes.is_empty() {
        return Ok(());
    }
    let refuse = |reason: String| Error::KeyNotAllowed {
        key: display_key(prefix),
        reason,
    };
    let complete = prefix.strip_suffix('/').unwrap_or(prefix);
    if let Some(reason) = bad_segment(complete) {
        return Err(refuse(format!("as a key prefix, {reason}")));
    }
    let under = prefixes.iter().any(|allowed| {
        let rest = prefix.strip_prefix(allowed.as_str());
        match rest {
            None => false,
            Some(rest) => allowed.ends_with('/') || rest.starts_with('/'),
        }
    });
    if under {
        return Ok(());
    }
    Err(refuse(
        "a starts-with prefix must lie under one of the allowed key prefixes at a '/' boundary (end it with '/')".into(),
    ))
}

/// The size range every POST policy carries under `policy`.
fn size_range(policy: &Policy, requested: Option<(u64, u64)>) -> Result<(u64, u64), Error> {
    let max = policy.max_upload_size();
    let Some((min, upper)) = requested else {
        return Ok((0, max));
    };
    if upper <= max {
        return Ok((min, upper));
    }
    let refuse =
        |reason: String| Error::invalid_constraint(ConstraintKind::ContentLengthRange, reason);
    if min > max {
        return Err(refuse(format!(
            "the least size {min} is above the policy's max_upload_size {max}"
        )));
    }
    match policy.on_excess_ttl() {
        ExcessTtl::Clamp => {
            tracing::debug!(
                requested = upper,
                max,
                "presign policy: upload size range clamped"
            );
            Ok((min, max))
        }
        ExcessTtl::Reject => Err(refuse(format!(
            "the largest size {upper} is above the policy's max_upload_size {max}"
        ))),
    }
}

impl<P: PostPresigner> Policied<P> {
    /// The rules that need no credentials (method, provider, request shape, keys); returns
    /// the clock's now and the request's signing time.
    fn preflight_post(&self, request: &PostPolicyRequest) -> Result<Times, Error> {
        let policy = self.policy();
        let caps = self.inner().capabilities();
        if !policy.allow_methods().contains(Method::Post) {
            tracing::debug!(
                provider = caps.provider(),
                "presign policy: POST policy refused"
            );
            return Err(Error::MethodNotAllowed {
                method: Method::Post,
                hint: "; a POST policy (form upload) cannot be revoked, so allow POST explicitly (allow_methods) to sign one",
            });
        }
        if !caps.post_policy() {
            return Err(Error::UnsupportedMethod {
                provider: caps.provider().to_owned(),
                method: Method::Post,
            });
        }
        request.validate()?;
        match &request.key {
            KeyCondition::Exact(key) => check_key(key, policy.key_prefixes()),
            KeyCondition::StartsWith(prefix) => check_key_prefix(prefix, policy.key_prefixes()),
        }
        .inspect_err(|e| {
            tracing::debug!(provider = caps.provider(), error = %e, "presign policy: POST key refused");
        })?;
        if request.acl.is_some()
            && !["acl", "x-amz-acl", "x-goog-acl"]
                .iter()
                .any(|n| policy.allowed_headers().iter().any(|a| a == n))
        {
            return Err(Error::HeaderNotAllowed {
                name: "acl".into(),
                reason: "a form's acl sets the uploaded object's access control; the operator can allow it by name (allow_headers = [\"acl\"])".into(),
            });
        }

        Ok(Times {
            clock: self.clock().now(),
            requested: request.signing_time,
        })
    }

    fn post_hook<'a>(
        &'a self,
        request: &PostPolicyRequest,
        outer: &'a mut dyn Prepare<PostPolicyRequest>,
    ) -> Result<PolicyHook<'a, PostPolicyRequest>, Error> {
        let times = self.preflight_post(request)?;
        Ok(PolicyHook::new(
            self.policy(),
            self.inner().capabilities(),
            times,
            outer,
        ))
    }

    fn finish_post(
        &self,
        hook: PolicyHook<'_, PostPolicyRequest>,
        signed: PresignedPost,
    ) -> Result<PresignedPost, Error> {
        hook.finish(signed.expires_at())?;
        tracing::debug!(
            provider = self.inner().capabilities().provider(), url = signed.url(),
            fields = ?signed.redacted_fields(), expires_at = %signed.expires_at(),
            "presign policy: POST policy signed"
        );
        Ok(signed)
    }
}

/// After the time rules, a POST policy gets its size range (see the module docs).
impl Governed for PostPolicyRequest {
    fn ttl(&self) -> Option<std::time::Duration> {
        self.ttl
    }
    fn set_timing(&mut self, timing: Timing) {
        self.ttl = Some(timing.ttl);
        self.signing_time = Some(timing.signing_time);
    }
    fn apply_rules(&mut self, policy: &Policy, _: &Capabilities) -> Result<Report, Error> {
        self.content_length_range = Some(size_range(policy, self.content_length_range)?);
        Ok(Report::default())
    }
}

#[async_trait]
impl<P: PostPresigner> PostPresigner for Policied<P> {
    async fn presign_post_with(
        &self,
        request: &PostPolicyRequest,
        prepare: &mut dyn Prepare<PostPolicyRequest>,
    ) -> Result<PresignedPost, Error> {
        let mut hook = self.post_hook(request, prepare)?;
        let signed = self.inner().presign_post_with(request, &mut hook).await?;
        self.finish_post(hook, signed)
    }
}

impl<P: SyncPostPresigner> SyncPostPresigner for Policied<P> {
    fn presign_post_sync_with(
        &self,
        request: &PostPolicyRequest,
        prepare: &mut dyn Prepare<PostPolicyRequest>,
    ) -> Result<PresignedPost, Error> {
        let mut hook = self.post_hook(request, prepare)?;
        let signed = self.inner().presign_post_sync_with(request, &mut hook)?;
        self.finish_post(hook, signed)
    }
}

#[cfg(test)]
mod tests;
