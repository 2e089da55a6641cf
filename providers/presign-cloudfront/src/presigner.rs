//! [`CloudFrontPresigner`]: presign's [`Presigner`] and [`CookiePresigner`] for a CloudFront
//! distribution.
//!
//! Keys become paths on the distribution's domain (percent-encoded, RFC 3986). What CloudFront
//! enforces depends on the policy kind, and [`Capabilities`] says so honestly:
//!
//! | constraint | custom policy | canned policy |
//! |---|---|---|
//! | expiry | enforced | enforced |
//! | `not-before` (`DateGreaterThan`) | enforced | unsupported |
//! | `client-ip-v4` (`IpAddress`, one CIDR block) | enforced | unsupported |
//! | method, headers, anything else | unsupported | unsupported |
//!
//! A signed URL does not bind the method: the distribution's allowed methods do. So the
//! presigner signs only GET and HEAD. A canned provider refuses an IP range or start time
//! (strict) instead of silently switching to a custom policy.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use presign_core::cdn::CdnBase;
use presign_core::clock::system_clock;
use presign_core::cookies::{CookiePresigner, CookieRequest, SignedCookies, cookie_path};
use presign_core::{
    Capabilities, ClientIp, ConstraintKind, Constraints, Error, Method, MethodSet, ObjectKey,
    Prepare, PresignRequest, PresignedRequest, Presigner, SharedClock, Support, SyncPresigner,
    Timestamp,
};

use crate::key::HashAlgorithm;
use crate::key_group::KeyGroup;
use crate::policy::{Grant, PolicyKind, SourceIp};
use crate::signer::CloudFrontSigner;

/// The longest time-to-live presign signs for CloudFront: 7 days (CloudFront itself sets no
/// limit; this is presign's cap, like the storage providers').
pub const MAX_TTL: Duration = Duration::from_secs(7 * 24 * 3600);

/// Presigns URLs and cookies for one CloudFront distribution.
#[derive(Debug, Clone)]
pub struct CloudFrontPresigner {
    base: CdnBase,
    keys: KeyGroup,
    signer: CloudFrontSigner,
    kind: PolicyKind,
    caps: Capabilities,
    clock: SharedClock,
    name: Arc<str>,
}

/// Builds a [`CloudFrontPresigner`].
#[derive(Debug, Default)]
pub struct CloudFrontPresignerBuilder {
    base: Option<String>,
    keys: Option<KeyGroup>,
    hash: HashAlgorithm,
    kind: PolicyKind,
    clock: Option<SharedClock>,
    name: Option<String>,
}

impl CloudFrontPresignerBuilder {
    /// The distribution's domain (`d111111abcdef8.cloudfront.net` or an alternate domain name);
    /// URLs are `https://DOMAIN/KEY`.
    #[must_use]
    pub fn domain(mut self, domain: &str) -> Self {
        self.base = Some(format!("https://{domain}"));
        self
    }

    /// A base URL instead of a domain: `https://cdn.example.com/media` (scheme, host, optional
    /// path; keys are appended after a `/`).
    #[must_use]
    pub fn base_url(mut self, url: &str) -> Self {
        self.base = Some(url.trim_end_matches('/').to_owned());
        self
    }

    /// The keys; the group's active key signs.
    #[must_use]
    pub fn keys(mut self, keys: KeyGroup) -> Self {
        self.keys = Some(keys);
        self
    }

    /// SHA-1 (CloudFront's default) or SHA-256.
    #[must_use]
    pub fn hash(mut self, hash: HashAlgorithm) -> Self {
        self.hash = hash;
        self
    }

    /// Canned or custom (the default) policies.
    #[must_use]
    pub fn policy(mut self, kind: PolicyKind) -> Self {
        self.kind = kind;
        self
    }

    /// The clock for "now" when a request has no signing time.
    #[must_use]
    pub fn clock(mut self, clock: SharedClock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// The provider's name in errors and results (default `cloudfront`).
    #[must_use]
    pub fn name(mut self, name: &str) -> Self {
        self.name = Some(name.to_owned());
        self
    }

    /// Checks everything and builds the presigner.
    pub fn build(self) -> Result<CloudFrontPresigner, Error> {
        let base = self
            .base
            .ok_or_else(|| Error::invalid_input("domain", "a CloudFront domain is required"))?;
        let base = CdnBase::parse(&base, "CloudFront")?;
        let keys = self
            .keys
            .ok_or_else(|| Error::invalid_input("keys", "a signing key is required"))?;
        let active = keys
            .active()
            .ok_or_else(|| Error::invalid_input("keys", "no active key"))?;
        let signer = CloudFrontSigner::new(active.id.clone(), Arc::clone(&active.key), self.hash)?;
        let name = self.name.unwrap_or_else(|| "cloudfront".to_owned());
        let custom = if self.kind == PolicyKind::Custom {
            Support::Enforced
        } else {
            Support::Unsupported
        };
        let caps = Capabilities::new(name.clone(), MAX_TTL)
            .with_methods(MethodSet::of(&[Method::Get, Method::Head]))
            .with(ConstraintKind::ClientIpV4, custom)
            .with(ConstraintKind::NotBefore, custom)
            .with_max_key_bytes(4096)
            .with_signed_cookies(true);
        Ok(CloudFrontPresigner {
            base,
            keys,
            signer,
            kind: self.kind,
            caps,
            clock: self.clock.unwrap_or_else(system_clock),
            name: Arc::from(name),
        })
    }
}

impl CloudFrontPresigner {
    /// A builder.
    pub fn builder() -> CloudFrontPresignerBuilder {
        CloudFrontPresignerBuilder::default()
    }

    /// The policy kind.
    pub fn policy_kind(&self) -> PolicyKind {
        self.kind
    }

    /// The configured keys.
    pub fn keys(&self) -> &KeyGroup {
        &self.keys
    }

    /// The URL of `key`: the base, `/`, the key percent-encoded (`/` kept).
    pub fn url_for(&self, key: &ObjectKey) -> String {
        self.base.url_for(key.as_str())
    }

    /// The grant for `resource` from `now` for `ttl` under `constraints`.
    fn grant(
        &self,
        resource: String,
        now: Timestamp,
        ttl: Duration,
        constraints: &Constraints,
    ) -> Result<(Grant, Timestamp), Error> {
        let expires = now
            .checked_add(ttl)
            .ok_or_else(|| Error::invalid_input("ttl", "the expiry is after year 9999"))?;
        if let Some(retires) = self.keys.active_retires_at()
            && expires > retires
        {
            return Err(Error::CredentialsExpireFirst {
                provider: self.name.to_string(),
                expires_at: expires,
                credentials_expire_at: retires,
            });
        }
        for kind in constraints.requested() {
            if self.caps.support(kind) != Support::Enforced {
                return Err(Error::ConstraintNotEnforced {
                    constraint: kind,
                    provider: self.name.to_string(),
                    support: self.caps.support(kind),
                });
            }
        }
        let mut grant = Grant::new(resource, expires)?;
        if let Some(t) = constraints.not_before {
            grant = grant.not_before(t)?;
        }
        if let Some(ClientIp::V4 { start, end }) = constraints.client_ip {
            let block = SourceIp::from_range(start, end).ok_or_else(|| {
                Error::invalid_constraint(
                    ConstraintKind::ClientIpV4,
                    format!("{start}-{end} is not one CIDR block; CloudFront's AWS:SourceIp takes a.b.c.d/n"),
                )
            })?;
            grant = grant.source_ip(block);
        }
        Ok((grant, expires))
    }

    /// Signs `request` (the key is at hand).
    fn sign_url(&self, request: &PresignRequest) -> Result<PresignedRequest, Error> {
        if !self.caps.methods().contains(request.method) {
            return Err(Error::UnsupportedMethod {
                provider: self.name.to_string(),
                method: request.method,
            });
        }
        request
            .key
            .check_len(self.caps.max_key_bytes(), &self.name)?;
        let now = request.signing_time.unwrap_or_else(|| self.clock.now());
        let url = self.url_for(&request.key);
        let (grant, expires) = self.grant(
            url.clone(),
            now,
            request.ttl_or_default(),
            &request.constraints,
        )?;
        let signed = self.signer.signed_url(&url, &grant, self.kind)?;
        Ok(PresignedRequest::new(
            request.method,
            signed,
            Vec::new(),
            now,
            expires,
            Arc::clone(&self.name),
        )
        .with_secret_params(crate::SECRET_PARAMS))
    }

    /// Signs a cookie grant.
    fn sign_cookies(&self, request: &CookieRequest) -> Result<SignedCookies, Error> {
        let now = request.signing_time.unwrap_or_else(|| self.clock.now());
        let resource = self.base.pattern_url(&request.resource);
        let ttl = request.ttl.unwrap_or(presign_core::DEFAULT_TTL);
        let (grant, expires) = self.grant(resource, now, ttl, &request.constraints)?;
        // A canned cookie is rebuilt from each request URL, so it covers one exact URL: a
        // wildcard grant travels as a custom policy. That widens nothing (the grant is the
        // same) and drops nothing (a canned provider has already refused IP and start time).
        let kind = if grant.has_wildcard() {
            PolicyKind::Custom
        } else {
            self.kind
        };
        let cookies = self.signer.signed_cookies(&grant, kind)?;
        Ok(SignedCookies::new(
            cookies,
            self.base.host().to_owned(),
            cookie_path(&request.resource),
            now,
            expires,
            Arc::clone(&self.name),
        ))
    }
}

#[async_trait]
impl Presigner for CloudFrontPresigner {
    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    async fn presign_with(
        &self,
        request: &PresignRequest,
        prepare: &mut dyn Prepare<PresignRequest>,
    ) -> Result<PresignedRequest, Error> {
        self.presign_sync_with(request, prepare)
    }
}

/// The key is at hand: the snapshot is the active key, which expires when it retires.
impl SyncPresigner for CloudFrontPresigner {
    fn presign_sync_with(
        &self,
        request: &PresignRequest,
        prepare: &mut dyn Prepare<PresignRequest>,
    ) -> Result<PresignedRequest, Error> {
        let request = prepare.prepare(request, self.keys.active_retires_at())?;
        self.sign_url(&request)
    }
}

#[async_trait]
impl CookiePresigner for CloudFrontPresigner {
    async fn presign_cookies_with(
        &self,
        request: &CookieRequest,
        prepare: &mut dyn Prepare<CookieRequest>,
    ) -> Result<SignedCookies, Error> {
        let request = prepare.prepare(request, self.keys.active_retires_at())?;
        self.sign_cookies(&request)
    }
}
