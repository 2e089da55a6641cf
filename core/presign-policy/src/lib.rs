//! # presign-policy
//!
//! The layer that makes the safe choice the default. [`PolicyLayer`] wraps any
//! [`Presigner`](presign_core::Presigner) and is itself one ([`Policied`]), tower-style:
//!
//! - **Time-to-live**: 5 minutes when none is asked for, at most 15 minutes, never beyond the
//!   provider's maximum nor past the expiry of temporary credentials; longer requests are
//!   clamped ([`ExcessTtl::Clamp`], the default) or refused ([`ExcessTtl::Reject`]).
//! - **Signing time**: the clock is authoritative. A request may ask for an earlier signing
//!   time (it only shortens validity: reproducing known vectors keeps working), but not one
//!   more than [`Policy::max_clock_skew`] (60 s) ahead of the clock; and whatever it asks, no
//!   URL is valid, by the clock, for longer than the maximum — the policy checks the expiry
//!   the provider reports, too.
//! - **Methods**: GET, HEAD and PUT; DELETE and POST only by name
//!   ([`DangerousPolicy::allow_delete`], [`DangerousPolicy::allow_post`]).
//! - **Keys**: every policy names its keys: allowed prefixes
//!   ([`Policy::with_key_prefixes`]), matched at `/` boundaries (prefix `docs` admits
//!   `docs/x`, never `docs-private/x`; keys with `.`, `..` or empty segments, also when
//!   percent-encoded or written with `\`, are refused), or every key by name
//!   ([`DangerousPolicy::allow_any_key`]). No choice, or an empty list, is refused rather than
//!   read as "every key".
//! - **Constraints**: each requested constraint is checked against the provider's
//!   [`Capabilities`](presign_core::Capabilities). [`ConstraintMode::Strict`] (the default)
//!   refuses what the provider's server would not enforce, naming constraint and provider;
//!   [`ConstraintMode::BestEffort`] ([`DangerousPolicy::best_effort_constraints`]) signs
//!   without it and lists it in
//!   [`PresignedRequest::dropped`](presign_core::PresignedRequest::dropped).
//! - **Cache-friendly signing**: with a [`Policy::time_bucket`], the signing time is rounded
//!   down to the bucket so that every client in the bucket gets the same URL (a CDN can cache
//!   it); the bucket is added to the URL's lifetime and counted against the maximum.
//! - **POST policies** (browser form uploads, [`post`]): the same TTL and key rules, POST
//!   must be allowed by name, a `starts-with` key prefix must lie under an allowed prefix, and
//!   every policy carries a size range no wider than [`Policy::max_upload_size`] (100 MiB by
//!   default).
//! - **Signed cookies** (CDN grants for many URLs, [`presign_core::cookies`]): the same TTL,
//!   method (GET) and constraint rules, and a wildcard pattern must lie entirely inside an
//!   allowed prefix (`uploads/alice/*` under `uploads/alice/`, never `uploads/*`).
//! - Every decision is a `tracing` event; URLs in events are redacted.
//!
//! [`PolicyLayer::new`] validates the policy and returns an error naming the bad field. Why
//! each default is what it is: [`defaults`].
//!
//! ```
//! use presign_core::*;
//! use presign_policy::{Policy, PolicyLayer};
//! # #[derive(Debug)] struct Inner(Capabilities);
//! # #[async_trait::async_trait]
//! # impl Presigner for Inner {
//! #     fn capabilities(&self) -> &Capabilities { &self.0 }
//! #     async fn presign_with(&self, r: &PresignRequest, p: &mut dyn Prepare<PresignRequest>) -> Result<PresignedRequest, Error> {
//! #         let r = p.prepare(r, None)?;
//! #         let t = r.signing_time.unwrap_or_else(Timestamp::now);
//! #         let e = t.checked_add(r.ttl_or_default()).unwrap_or(Timestamp::MAX);
//! #         Ok(PresignedRequest::new(r.method, format!("https://x/{}?sig=s", r.key), vec![], t, e, "toy"))
//! #     }
//! # }
//! # let provider = Inner(Capabilities::new("toy", std::time::Duration::from_secs(604_800)));
//! let safe = PolicyLayer::new(Policy::default().with_key_prefixes(["reports/"]))?.layer(provider);
//!
//! // DELETE is refused unless the policy allows it by name.
//! let delete = PresignRequest::parse("DELETE", "reports/q4.pdf")?;
//! let err = futures_executor::block_on(safe.presign(&delete)).unwrap_err();
//! assert_eq!(err.kind(), "method_not_allowed");
//!
//! // A week-long GET is clamped to 15 minutes.
//! let get = PresignRequest::parse("GET", "reports/q4.pdf")?
//!     .with_ttl(std::time::Duration::from_secs(604_800));
//! let signed = futures_executor::block_on(safe.presign(&get))?;
//! assert_eq!(signed.expires_at().duration_since(signed.signed_at()).as_secs(), 900);
//! # Ok::<(), presign_core::Error>(())
//! ```

mod constraint_check;
mod cookies;
pub mod defaults;
mod extra_names;
mod hook;
mod key_rules;
mod layer;
mod policy;
pub mod post;
mod tighten;
mod ttl;
mod verify;

pub use key_rules::check_key;
pub use layer::{Policied, PolicyLayer};
pub use policy::{
    ConstraintMode, DEFAULT_MAX_CLOCK_SKEW, DEFAULT_MAX_TTL, DEFAULT_MAX_UPLOAD_SIZE,
    DangerousPolicy, ExcessTtl, Policy,
};
