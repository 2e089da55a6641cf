//! [`Registry`]: the configured providers by name, built on first use, each wrapped in its
//! policy layer.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use presign_core::cookies::CookiePresigner;
use presign_core::post_policy::{
    PostPolicyRequest, PostPresigner, PresignedPost, SyncPostPresigner,
};
use presign_core::verify::Verifier;
use presign_core::{Error, Method, Presigner, SharedClock, SyncPresigner};
use presign_policy::{Policied, Policy, PolicyLayer};

use crate::config::Config;
use crate::credential_status::CredentialStatus;
use crate::de::{config_error, join};
use crate::provider::{BuildContext, ProviderConfig};

/// One built provider.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ProviderEntry {
    /// Its configured name.
    pub name: String,
    /// Its kind (`s3`).
    pub kind: &'static str,
    /// The effective policy (provider table over top-level table over defaults).
    pub policy: Policy,
    /// The presigner, already wrapped in its policy layer (its
    /// [`explain`](Presigner::explain) shows the request the provider really signs).
    pub presigner: Arc<dyn Presigner>,
    /// The same policy-wrapped presigner, synchronous: it signs when the credential is at hand
    /// and answers [`Error::WouldBlock`] when the async [`presigner`](Self::presigner) must be
    /// used (a key to fetch, a remote signer).
    pub sync: Arc<dyn SyncPresigner>,
    /// The same policy-wrapped presigner as a [`PostPresigner`] (browser form uploads), for
    /// kinds that sign POST policies (S3, GCS); `None` for the others (Azure).
    pub post: Option<Arc<dyn PostPresigner>>,
    /// The same policy-wrapped presigner as a [`CookiePresigner`] (signed cookies), for kinds
    /// that sign them (CloudFront, Cloud CDN); `None` for the others.
    pub cookies: Option<Arc<dyn CookiePresigner>>,
    /// [`post`](Self::post), synchronous (see [`sync`](Self::sync)).
    pub post_sync: Option<Arc<dyn SyncPostPresigner>>,
    /// The provider's offline signature check (`presign verify`): its own credential and
    /// canonicalization.
    pub verifier: Arc<dyn Verifier>,
    /// Where the signing credentials come from and when they expire, for the kinds that
    /// report it (S3); `None` for the others.
    pub credentials: Option<Arc<dyn CredentialStatus>>,
}

impl ProviderEntry {
    /// An entry whose provider `raw` also signs POST policies, wrapped in `policy` with the
    /// context's clock.
    pub(crate) fn with_post<P: SyncPostPresigner + SyncPresigner + Verifier + 'static>(
        name: &str,
        kind: &'static str,
        policy: Policy,
        raw: P,
        ctx: &BuildContext,
    ) -> Result<ProviderEntry, Error> {
        Ok(Self::post_entry(name, kind, policy, raw, ctx)?.0)
    }

    /// [`with_post`](Self::with_post) for a provider that reports its credentials
    /// ([`CredentialStatus`]).
    pub(crate) fn with_post_and_status<P>(
        name: &str,
        kind: &'static str,
        policy: Policy,
        raw: P,
        ctx: &BuildContext,
    ) -> Result<ProviderEntry, Error>
    where
        P: SyncPostPresigner + SyncPresigner + Verifier + 'static,
        Policied<P>: CredentialStatus,
    {
        let (mut entry, layered) = Self::post_entry(name, kind, policy, raw, ctx)?;
        entry.credentials = Some(layered);
        Ok(entry)
    }

    fn post_entry<P: SyncPostPresigner + SyncPresigner + Verifier + 'static>(
        name: &str,
        kind: &'static str,
        policy: Policy,
        raw: P,
        ctx: &BuildContext,
    ) -> Result<(ProviderEntry, Arc<Policied<P>>), Error> {
        let layered = Arc::new(
            PolicyLayer::new(policy.clone())?
                .with_clock(ctx.clock.clone())
                .layer(raw),
        );
        let entry = ProviderEntry {
            name: name.to_owned(),
            kind,
            policy,
            presigner: layered.clone(),
            sync: layered.clone(),
            post: Some(layered.clone()),
            post_sync: Some(layered.clone()),
            cookies: None,
            verifier: layered.clone(),
            credentials: None,
        };
        Ok((entry, layered))
    }

    /// An entry whose provider `raw` signs URLs only and reports its credentials
    /// ([`CredentialStatus`]), wrapped in `policy` with the context's clock.
    pub(crate) fn url_only_with_status<P>(
        name: &str,
        kind: &'static str,
        policy: Policy,
        raw: P,
        ctx: &BuildContext,
    ) -> Result<ProviderEntry, Error>
    where
        P: SyncPresigner + Verifier + 'static,
        Policied<P>: CredentialStatus,
    {
        let layered = Arc::new(
            PolicyLayer::new(policy.clone())?
                .with_clock(ctx.clock.clone())
                .layer(raw),
        );
        let mut entry = Self::url_only_layered(name, kind, policy, layered.clone());
        entry.credentials = Some(layered);
        Ok(entry)
    }

    fn url_only_layered<P: SyncPresigner + Verifier + 'static>(
        name: &str,
        kind: &'static str,
        policy: Policy,
        layered: Arc<Policied<P>>,
    ) -> ProviderEntry {
        ProviderEntry {
            name: name.to_owned(),
            kind,
            policy,
            presigner: layered.clone(),
            sync: layered.clone(),
            post: None,
            post_sync: None,
            cookies: None,
            verifier: layered,
            credentials: None,
        }
    }

    /// An entry whose provider `raw` signs URLs and cookies (a CDN), wrapped in `policy` with
    /// the context's clock.
    #[cfg(any(feature = "cloudfront", feature = "cloud-cdn"))]
    pub(crate) fn with_cookies<P: CookiePresigner + SyncPresigner + Verifier + 'static>(
        name: &str,
        kind: &'static str,
        policy: Policy,
        raw: P,
        ctx: &BuildContext,
    ) -> Result<ProviderEntry, Error> {
        let layered = Arc::new(
            PolicyLayer::new(policy.clone())?
                .with_clock(ctx.clock.clone())
                .layer(raw),
        );
        Ok(ProviderEntry {
            name: name.to_owned(),
            kind,
            policy,
            presigner: layered.clone(),
            sync: layered.clone(),
            post: None,
            post_sync: None,
            cookies: Some(layered.clone()),
            verifier: layered,
            credentials: None,
        })
    }

    /// The signed-cookie signer, or an error saying that this provider's kind has none.
    pub fn cookie_presigner(&self) -> Result<Arc<dyn CookiePresigner>, Error> {
        self.cookies.clone().ok_or_else(|| {
            Error::invalid_input(
                "provider",
                format!(
                    "provider {} (kind {}) does not sign cookies; CloudFront and Cloud CDN providers do",
                    self.name, self.kind
                ),
            )
        })
    }

    /// The POST-policy signer, or an error saying that this provider's kind has none.
    pub fn post_presigner(&self) -> Result<Arc<dyn PostPresigner>, Error> {
        self.post.clone().ok_or_else(|| self.no_post())
    }

    fn no_post(&self) -> Error {
        Error::invalid_input(
            "provider",
            format!(
                "provider {} (kind {}) does not sign POST policies (browser form uploads); S3 and GCS providers do. For uploads with this provider, sign a PUT URL (presign url PUT KEY)",
                self.name, self.kind
            ),
        )
    }

    /// Signs a POST policy through the policy layer. A refusal because POST is not allowed
    /// says how to allow it ([`ALLOW_POST_HINT`]).
    pub async fn presign_post(&self, request: &PostPolicyRequest) -> Result<PresignedPost, Error> {
        self.post_presigner()?
            .presign_post(request)
            .await
            .map_err(with_post_hint)
    }

    /// Signs a POST policy through the policy layer without waiting, when the credential is at
    /// hand ([`Error::WouldBlock`] otherwise: use [`presign_post`](Self::presign_post)). A
    /// refusal because POST is not allowed says how to allow it ([`ALLOW_POST_HINT`]).
    pub fn presign_post_sync(&self, request: &PostPolicyRequest) -> Result<PresignedPost, Error> {
        self.post_sync
            .as_ref()
            .ok_or_else(|| self.no_post())?
            .presign_post_sync(request)
            .map_err(with_post_hint)
    }

    /// Whether this provider signs POST policies.
    pub fn offers_post(&self) -> bool {
        self.post.is_some() && self.presigner.capabilities().post_policy()
    }
}

/// The hint added when the policy refuses a POST policy: how to allow it.
pub const ALLOW_POST_HINT: &str = "; a POST policy (form upload) cannot be revoked, so it must be allowed by name: add \"POST\" to allow_methods in the provider's [providers.NAME.policy] table or in the top-level [policy], e.g. allow_methods = [\"GET\", \"HEAD\", \"PUT\", \"POST\"]";

/// `e` with [`ALLOW_POST_HINT`] when it is the policy refusing POST.
fn with_post_hint(e: Error) -> Error {
    match e {
        Error::MethodNotAllowed {
            method: Method::Post,
            ..
        } => Error::MethodNotAllowed {
            method: Method::Post,
            hint: ALLOW_POST_HINT,
        },
        other => other,
    }
}

#[derive(Debug)]
struct Slot {
    config: ProviderConfig,
    built: OnceLock<Result<Arc<ProviderEntry>, Error>>,
}

/// The configured providers by name.
///
/// Providers are built on first use, so one provider whose secret is missing does not stop
/// the others from working; its error (naming the configuration path) comes back from
/// [`Registry::get`].
#[derive(Debug)]
pub struct Registry {
    providers: BTreeMap<String, Slot>,
    default: Option<String>,
    ctx: BuildContext,
}

impl Registry {
    /// The providers of `config`, with the system clock.
    pub fn from_config(config: &Config) -> Registry {
        let default = config.default_provider.clone().or_else(|| {
            let mut names = config.providers.keys();
            match (names.next(), names.next()) {
                (Some(only), None) => Some(only.clone()),
                _ => None,
            }
        });
        Registry {
            providers: config
                .providers
                .iter()
                .map(|(name, p)| {
                    (
                        name.clone(),
                        Slot {
                            config: p.clone(),
                            built: OnceLock::new(),
                        },
                    )
                })
                .collect(),
            default,
            ctx: BuildContext {
                env: config.env.clone(),
                clock: presign_core::clock::system_clock(),
                base_policy: config.policy.clone(),
            },
        }
    }

    /// Uses `clock` for every provider and policy layer (for reproducible URLs).
    #[must_use]
    pub fn with_clock(mut self, clock: SharedClock) -> Registry {
        self.ctx.clock = clock;
        for slot in self.providers.values_mut() {
            slot.built = OnceLock::new();
        }
        self
    }

    /// The policy-wrapped presigner named `name`.
    pub fn get(&self, name: &str) -> Result<Arc<dyn Presigner>, Error> {
        self.entry(name).map(|e| Arc::clone(&e.presigner))
    }

    /// The policy-wrapped POST-policy signer named `name` (browser form uploads). Providers
    /// whose kind has no POST policies (Azure) give an error saying so; the policy layer
    /// refuses to sign unless its `allow_methods` includes `POST`.
    pub fn get_post(&self, name: &str) -> Result<Arc<dyn PostPresigner>, Error> {
        self.entry(name)?.post_presigner()
    }

    /// The policy-wrapped signed-cookie signer named `name` (CloudFront, Cloud CDN).
    pub fn get_cookies(&self, name: &str) -> Result<Arc<dyn CookiePresigner>, Error> {
        self.entry(name)?.cookie_presigner()
    }

    /// The built provider named `name`, with its kind, policy and optional capabilities.
    pub fn entry(&self, name: &str) -> Result<Arc<ProviderEntry>, Error> {
        let slot = self.providers.get(name).ok_or_else(|| {
            let known: Vec<&str> = self.names().collect();
            config_error(
                &join("providers", name),
                if known.is_empty() {
                    "no such provider; none is configured".to_owned()
                } else {
                    format!("no such provider; configured: {}", known.join(", "))
                },
            )
        })?;
        slot.built
            .get_or_init(|| {
                slot.config
                    .build_shared(name, &join("providers", name), &self.ctx)
            })
            .clone()
    }

    /// The default provider: `default_provider`, or the only provider when there is one.
    pub fn default_provider(&self) -> Option<&str> {
        self.default.as_deref()
    }

    /// The provider `name`, or the default one when `name` is `None`.
    pub fn resolve(&self, name: Option<&str>) -> Result<Arc<ProviderEntry>, Error> {
        match name.or(self.default_provider()) {
            Some(name) => self.entry(name),
            None => Err(config_error(
                "default_provider",
                "no provider given and no default_provider set; name one with --provider or set default_provider",
            )),
        }
    }

    /// The configured names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.providers.keys().map(String::as_str)
    }

    /// The configuration of provider `name`.
    pub fn config(&self, name: &str) -> Option<&ProviderConfig> {
        self.providers.get(name).map(|s| &s.config)
    }

    /// What building a provider needs (environment, clock, top-level policy): for providers
    /// that are not in the configuration, like a batch line's inline provider.
    pub fn context(&self) -> &BuildContext {
        &self.ctx
    }
}
