//! [`CloudCdnPresigner`]: presign's [`Presigner`] and [`CookiePresigner`] for a Cloud CDN
//! backend (service or bucket).
//!
//! Cloud CDN enforces only the expiry (and, for prefixes and cookies, the URL prefix): no
//! method, client IP, start time or header, so every constraint is unsupported and the strict
//! policy refuses it. URLs are signed for GET and HEAD. A backend accepts up to three keys; one
//! of the configured keys is active for signing, the others stay listed for rotation.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use presign_core::cdn::CdnBase;
use presign_core::clock::system_clock;
use presign_core::cookies::{CookiePresigner, CookieRequest, SignedCookies, cookie_path};
use presign_core::{
    Capabilities, Error, Method, MethodSet, ObjectKey, Prepare, PresignRequest, PresignedRequest,
    Presigner, SharedClock, Support, SyncPresigner, Timestamp,
};

use crate::key::CloudCdnKey;
use crate::signer::{COOKIE_NAME, CloudCdnSigner};

/// The longest time-to-live presign signs for Cloud CDN: 7 days (presign's cap).
pub const MAX_TTL: Duration = Duration::from_secs(7 * 24 * 3600);

/// The most keys a Cloud CDN backend accepts.
pub const MAX_KEYS: usize = 3;

/// Presigns URLs and cookies for one Cloud CDN backend.
#[derive(Debug, Clone)]
pub struct CloudCdnPresigner {
    base: CdnBase,
    keys: Vec<CloudCdnKey>,
    signer: CloudCdnSigner,
    caps: Capabilities,
    clock: SharedClock,
    name: Arc<str>,
}

/// Builds a [`CloudCdnPresigner`].
#[derive(Debug, Default)]
pub struct CloudCdnPresignerBuilder {
    base: Option<String>,
    keys: Vec<CloudCdnKey>,
    active: Option<String>,
    clock: Option<SharedClock>,
    name: Option<String>,
}

impl CloudCdnPresignerBuilder {
    /// The CDN's domain; URLs are `https://DOMAIN/KEY`.
    #[must_use]
    pub fn domain(mut self, domain: &str) -> Self {
        self.base = Some(format!("https://{domain}"));
        self
    }

    /// A base URL instead of a domain (`https://media.example.com/v`).
    #[must_use]
    pub fn base_url(mut self, url: &str) -> Self {
        self.base = Some(url.trim_end_matches('/').to_owned());
        self
    }

    /// Adds a key; the first one added is active unless [`Self::active`] names another.
    #[must_use]
    pub fn key(mut self, key: CloudCdnKey) -> Self {
        self.keys.push(key);
        self
    }

    /// The name of the key that signs.
    #[must_use]
    pub fn active(mut self, name: &str) -> Self {
        self.active = Some(name.to_owned());
        self
    }

    /// The clock for "now" when a request has no signing time.
    #[must_use]
    pub fn clock(mut self, clock: SharedClock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// The provider's name in errors and results (default `cloud-cdn`).
    #[must_use]
    pub fn name(mut self, name: &str) -> Self {
        self.name = Some(name.to_owned());
        self
    }

    /// Checks everything and builds the presigner.
    pub fn build(self) -> Result<CloudCdnPresigner, Error> {
        let base = self
            .base
            .ok_or_else(|| Error::invalid_input("domain", "a Cloud CDN domain is required"))?;
        let base = CdnBase::parse(&base, "Cloud CDN")?;
        if self.keys.is_empty() || self.keys.len() > MAX_KEYS {
            return Err(Error::invalid_input(
                "keys",
                format!(
                    "give 1 to {MAX_KEYS} keys (a Cloud CDN backend accepts at most {MAX_KEYS})"
                ),
            ));
        }
        for (i, k) in self.keys.iter().enumerate() {
            if self.keys.iter().skip(i + 1).any(|o| o.name() == k.name()) {
                return Err(Error::invalid_input(
                    "keys",
                    format!("key name {} is configured twice", k.name().as_str()),
                ));
            }
        }
        let active = match &self.active {
            None => self.keys.first(),
            Some(name) => self.keys.iter().find(|k| k.name().as_str() == name),
        }
        .cloned()
        .ok_or_else(|| {
            Error::invalid_input("active_key", "the active key is not among the keys")
        })?;
        let name = self.name.unwrap_or_else(|| "cloud-cdn".to_owned());
        let caps = Capabilities::new(name.clone(), MAX_TTL)
            .with_methods(MethodSet::of(&[Method::Get, Method::Head]))
            .with_max_key_bytes(4096)
            .with_signed_cookies(true);
        Ok(CloudCdnPresigner {
            base,
            keys: self.keys,
            signer: CloudCdnSigner::new(active),
            caps,
            clock: self.clock.unwrap_or_else(system_clock),
            name: Arc::from(name),
        })
    }
}

impl CloudCdnPresigner {
    /// A builder.
    pub fn builder() -> CloudCdnPresignerBuilder {
        CloudCdnPresignerBuilder::default()
    }

    /// The configured keys.
    pub fn keys(&self) -> &[CloudCdnKey] {
        &self.keys
    }

    fn expiry(
        &self,
        now: Timestamp,
        ttl: Duration,
        constraints: &presign_core::Constraints,
    ) -> Result<Timestamp, Error> {
        if !constraints.is_empty()
            && let Some(kind) = constraints.requested().next()
        {
            return Err(Error::ConstraintNotEnforced {
                constraint: kind,
                provider: self.name.to_string(),
                support: Support::Unsupported,
            });
        }
        now.checked_add(ttl)
            .ok_or_else(|| Error::invalid_input("ttl", "the expiry is after year 9999"))
    }

    /// The URL of `key`: the base, `/`, the key percent-encoded.
    pub fn url_for(&self, key: &ObjectKey) -> String {
        self.base.url_for(key.as_str())
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
        let expires = self.expiry(now, request.ttl_or_default(), &request.constraints)?;
        // The base was checked when the presigner was built (no query), and the encoded key
        // holds no `?`, `#` or anything outside printable ASCII: the URL needs no second check,
        // and its query starts with `?`. One allocation: room for the query is made up front.
        let mut url = self
            .base
            .url_with_room(request.key.as_str(), self.signer.query_len());
        self.signer.append_signature(&mut url, '?', expires)?;
        Ok(PresignedRequest::new(
            request.method,
            url,
            Vec::new(),
            now,
            expires,
            Arc::clone(&self.name),
        )
        .with_secret_params(crate::SECRET_PARAMS))
    }

    /// Signs a cookie grant: the pattern must be a prefix (`videos/*`), because Cloud CDN
    /// cookies grant a URL prefix.
    fn sign_cookies(&self, request: &CookieRequest) -> Result<SignedCookies, Error> {
        let prefix = request.resource.as_prefix().ok_or_else(|| {
            Error::invalid_input(
                "resource",
                "Cloud CDN cookies grant a URL prefix: the pattern must end with its only '*' (videos/*)",
            )
        })?;
        let now = request.signing_time.unwrap_or_else(|| self.clock.now());
        let ttl = request.ttl.unwrap_or(presign_core::DEFAULT_TTL);
        let expires = self.expiry(now, ttl, &request.constraints)?;
        let value = self
            .signer
            .cookie_value(&self.base.url_for(prefix), expires)?;
        Ok(SignedCookies::new(
            vec![(COOKIE_NAME.to_owned(), value)],
            self.base.host().to_owned(),
            cookie_path(&request.resource),
            now,
            expires,
            Arc::clone(&self.name),
        ))
    }
}

#[async_trait]
impl Presigner for CloudCdnPresigner {
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

/// The keys are at hand and long-term: the policy's hook sees no expiry.
impl SyncPresigner for CloudCdnPresigner {
    fn presign_sync_with(
        &self,
        request: &PresignRequest,
        prepare: &mut dyn Prepare<PresignRequest>,
    ) -> Result<PresignedRequest, Error> {
        let request = prepare.prepare(request, None)?;
        self.sign_url(&request)
    }
}

#[async_trait]
impl CookiePresigner for CloudCdnPresigner {
    async fn presign_cookies_with(
        &self,
        request: &CookieRequest,
        prepare: &mut dyn Prepare<CookieRequest>,
    ) -> Result<SignedCookies, Error> {
        let request = prepare.prepare(request, None)?;
        self.sign_cookies(&request)
    }
}
