//! [`Gateway`]: everything a request needs — the authenticator, the rules, the providers
//! (built once, each behind its own policy), the rate limiter, the audit log and the metrics —
//! and the one place where a principal's request meets the rules.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use presign_config::{Config, ProviderEntry, Registry};
use presign_core::post_policy::{
    PostPolicyRequest, PostPresigner, PresignedPost, SyncPostPresigner,
};
use presign_core::{
    Error, Method, ObjectKey, Prepare, PresignRequest, PresignedRequest, Presigner, SyncPresigner,
    Timestamp,
};
use presign_policy::PolicyLayer;

use crate::audit::AuditLog;
use crate::auth::jwks::JwksSource;
use crate::auth::{Authenticator, Principal};
use crate::config::{LimitsConfig, ServeConfig};
use crate::metrics::Metrics;
use crate::rate_limit::RateLimiter;
use crate::rules::{Rule, Rules};

/// Why a principal's request was not signed (after authentication).
#[derive(Debug, Clone)]
pub(crate) enum Refusal {
    /// No rule grants this principal anything on this provider (or there is no such provider:
    /// the two look the same).
    NoRule,
    /// A rule's key-prefix template needs a claim that is missing or unsafe.
    ClaimUnusable,
    /// The rule's or the provider's policy refused, or the request is invalid.
    Refused(Error),
    /// The provider cannot sign now (credentials, configuration, remote signer).
    Unavailable(Error),
}

impl Refusal {
    fn from_error(e: Error) -> Refusal {
        match e {
            Error::Credentials { .. }
            | Error::Provider { .. }
            | Error::Config { .. }
            | Error::CredentialsExpireFirst { .. } => Refusal::Unavailable(e),
            other => Refusal::Refused(other),
        }
    }
}

/// The rules that apply, each with its policy layer (or why it cannot apply), and the
/// provider.
type Candidates<'s> = (
    Vec<(&'s Rule, Result<PolicyLayer, Refusal>)>,
    &'s Arc<ProviderEntry>,
);

/// Options an application sets besides the configuration.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct GatewayOptions {
    /// The JWKS, instead of `jwks_file` / `jwks_url` (an application holding its keys).
    pub jwks: Option<JwksSource>,
    /// The audit log's file, instead of `[serve.audit]` (`Some(None)`: standard output).
    pub audit_file: Option<Option<PathBuf>>,
}

impl GatewayOptions {
    /// Uses this JWKS document instead of the configured source.
    #[must_use]
    pub fn with_jwks_json(mut self, jwks: impl Into<String>) -> Self {
        self.jwks = Some(JwksSource::Static(jwks.into()));
        self
    }

    /// Writes the audit log to `file` (or standard output for `None`).
    #[must_use]
    pub fn with_audit_file(mut self, file: Option<PathBuf>) -> Self {
        self.audit_file = Some(file);
        self
    }
}

/// A provider's credential state, for `/readyz` and the metrics.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProviderHealth {
    /// Whether it can sign now.
    pub ready: bool,
    /// When its credentials expire, if they do.
    pub expires_at: Option<Timestamp>,
    /// Why it cannot sign (no secret in it).
    pub problem: Option<String>,
}

/// The gateway's state, shared by every request.
#[derive(Debug)]
pub struct Gateway {
    pub(crate) auth: Authenticator,
    rules: Rules,
    /// Prebuilt policy layers of rules without templates, by rule index.
    layers: Vec<Option<PolicyLayer>>,
    providers: BTreeMap<String, Result<Arc<ProviderEntry>, Error>>,
    pub(crate) limiter: RateLimiter,
    pub(crate) audit: AuditLog,
    pub(crate) metrics: Metrics,
    pub(crate) limits: LimitsConfig,
    pub(crate) http: reqwest::Client,
    ids: RequestIds,
}

impl Gateway {
    /// Builds the gateway of `config`'s `[serve]` table and providers.
    pub fn new(config: &Config, options: GatewayOptions) -> Result<Gateway, Error> {
        let serve = ServeConfig::from_value(config.serve.as_ref())?;
        Gateway::with_serve_config(config, &serve, options)
    }

    /// Builds the gateway of an already-read `[serve]` table.
    pub fn with_serve_config(
        config: &Config,
        serve: &ServeConfig,
        options: GatewayOptions,
    ) -> Result<Gateway, Error> {
        let rules = Rules::from_config(&serve.rules, config)?;
        let auth = Authenticator::new(&serve.auth, serve.limits.token_cache, options.jwks)?;
        let registry = Registry::from_config(config);
        let mut providers = BTreeMap::new();
        for rule in rules.iter() {
            providers
                .entry(rule.provider.clone())
                .or_insert_with(|| registry.entry(&rule.provider));
        }
        let layers = rules
            .iter()
            .map(|r| {
                r.is_fixed()
                    .then(|| PolicyLayer::new(r.policy().clone()))
                    .transpose()
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let audit_file = options
            .audit_file
            .unwrap_or_else(|| serve.audit.file.clone());
        let audit = AuditLog::open(audit_file.as_deref()).map_err(|e| Error::Config {
            path: "serve.audit.file".into(),
            reason: format!("cannot open the audit log: {e}"),
        })?;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| Error::Config {
                path: "serve.auth.jwks_url".into(),
                reason: format!("cannot build the HTTP client: {e}"),
            })?;
        let l = &serve.limits;
        Ok(Gateway {
            auth,
            rules,
            layers,
            providers,
            limiter: RateLimiter::new(l.rate_per_second, l.burst, l.max_principals),
            audit,
            metrics: Metrics::new(),
            limits: l.clone(),
            http,
            ids: RequestIds::new(),
        })
    }

    /// Loads the JWKS once (the refresh loop keeps it fresh afterwards); `Ok(None)` when
    /// only API keys are configured.
    pub async fn load_keys(&self) -> Result<Option<usize>, Error> {
        match self.auth.jwt() {
            Some(j) => j.load(&self.http).await.map(Some),
            None => Ok(None),
        }
    }

    /// Whether callers can be authenticated now (a JWKS is loaded, or API keys exist).
    pub fn auth_ready(&self) -> bool {
        self.auth.is_ready()
    }

    /// A new request id.
    pub(crate) fn request_id(&self) -> String {
        self.ids.next()
    }

    /// The rules for `principal` on `provider`, each with its policy layer, and the provider.
    fn candidates<'s>(
        &'s self,
        principal: &Principal,
        provider: &str,
    ) -> Result<Candidates<'s>, Refusal> {
        let rules: Vec<(&'s Rule, Result<PolicyLayer, Refusal>)> = self
            .rules
            .iter()
            .zip(&self.layers)
            .filter(|(r, _)| r.provider == provider && r.matches(principal))
            .map(|(r, layer)| {
                let layer = match layer {
                    Some(l) => Ok(l.clone()),
                    None => r
                        .policy_for(principal)
                        .map_err(|_| Refusal::ClaimUnusable)
                        .and_then(|p| {
                            PolicyLayer::new(p.into_owned()).map_err(Refusal::from_error)
                        }),
                };
                (r, layer)
            })
            .collect();
        if rules.is_empty() {
            return Err(Refusal::NoRule);
        }
        match self.providers.get(provider) {
            Some(Ok(entry)) => Ok((rules, entry)),
            Some(Err(e)) => Err(Refusal::Unavailable(e.clone())),
            None => Err(Refusal::NoRule),
        }
    }

    /// Signs `request` for `principal` on `provider` under the first rule that allows it (the
    /// most telling refusal when none does). The rule's policy wraps the provider's
    /// policy-wrapped presigner; the synchronous path signs when the credential is at hand,
    /// the async one when it must be fetched.
    pub(crate) async fn sign_url(
        &self,
        principal: &Principal,
        provider: &str,
        request: &PresignRequest,
    ) -> Result<(PresignedRequest, &str), Refusal> {
        let (rules, entry) = self.candidates(principal, provider)?;
        first_grant(rules, |layer| async move {
            match layer.layer(Arc::clone(&entry.sync)).presign_sync(request) {
                Err(Error::WouldBlock { .. }) => {
                    layer
                        .layer(Arc::clone(&entry.presigner))
                        .presign(request)
                        .await
                }
                other => other,
            }
        })
        .await
    }

    /// Signs a POST policy for `principal` on `provider` under the first rule that allows it.
    pub(crate) async fn sign_post(
        &self,
        principal: &Principal,
        provider: &str,
        request: &PostPolicyRequest,
    ) -> Result<(PresignedPost, &str), Refusal> {
        let (rules, entry) = self.candidates(principal, provider)?;
        let (Some(post), Some(post_sync)) = (&entry.post, &entry.post_sync) else {
            return Err(Refusal::Refused(Error::invalid_input(
                "provider",
                "this provider does not sign POST policies",
            )));
        };
        first_grant(rules, |layer| async move {
            match layer
                .layer(Arc::clone(post_sync))
                .presign_post_sync(request)
            {
                Err(Error::WouldBlock { .. }) => {
                    layer.layer(Arc::clone(post)).presign_post(request).await
                }
                other => other,
            }
        })
        .await
    }

    /// The upload-size bound of `provider`'s policy (for a POST policy with only a least
    /// size), or the default.
    pub(crate) fn max_upload_size(&self, provider: &str) -> u64 {
        match self.providers.get(provider) {
            Some(Ok(e)) => e.policy.max_upload_size(),
            _ => presign_policy::DEFAULT_MAX_UPLOAD_SIZE,
        }
    }

    /// The credential state of every provider a rule names; updates the metrics.
    pub async fn health(&self) -> BTreeMap<String, ProviderHealth> {
        let now = Timestamp::now();
        let mut out = BTreeMap::new();
        for (name, entry) in &self.providers {
            let health = match entry {
                Err(e) => ProviderHealth {
                    ready: false,
                    expires_at: None,
                    problem: Some(format!("not built: {}", e.kind())),
                },
                Ok(entry) => probe(entry, now).await,
            };
            self.metrics
                .credentials(name, health.ready, health.expires_at.map(Timestamp::unix));
            out.insert(name.clone(), health);
        }
        out
    }

    /// Writes every waiting audit line now.
    pub fn flush_audit(&self) -> std::io::Result<()> {
        self.audit.flush()
    }
}

/// Whether `entry` can sign now, and until when its credentials last: one credential snapshot
/// taken through the provider's policy layer for a probe request inside its keys, and the
/// signature abandoned (the hook refuses) once the snapshot's expiry is known. Nothing is
/// signed; credentials that must be fetched are fetched, as a real request would.
async fn probe(entry: &ProviderEntry, now: Timestamp) -> ProviderHealth {
    /// Records the snapshot's expiry and stops the signature.
    struct Probe(Option<Option<Timestamp>>);
    impl Prepare<PresignRequest> for Probe {
        fn prepare<'r>(
            &mut self,
            _: &'r PresignRequest,
            credentials_expire_at: Option<Timestamp>,
        ) -> Result<Cow<'r, PresignRequest>, Error> {
            self.0 = Some(credentials_expire_at);
            Err(Error::invalid_input("probe", "readiness probe: not signed"))
        }
    }
    let policy = &entry.policy;
    let name = "presign-readiness-probe";
    let key = match policy.key_prefixes().first() {
        Some(p) if p.ends_with('/') => format!("{p}{name}"),
        Some(p) => format!("{p}/{name}"),
        None => name.to_owned(),
    };
    let method = [Method::Head, Method::Get, Method::Put]
        .into_iter()
        .find(|m| policy.allow_methods().contains(*m))
        .unwrap_or(Method::Get);
    let request = match ObjectKey::new(key) {
        Ok(k) => PresignRequest::new(method, k),
        Err(e) => return unready(None, format!("no probe key: {}", e.kind())),
    };
    let mut hook = Probe(None);
    let outcome = entry.presigner.presign_with(&request, &mut hook).await;
    match (hook.0, outcome) {
        (Some(Some(t)), _) if t <= now => unready(Some(t), "credentials expired".into()),
        (Some(expires_at), _) => ProviderHealth {
            ready: true,
            expires_at,
            problem: None,
        },
        (None, Err(e)) => unready(None, format!("credentials unavailable: {}", e.kind())),
        (None, Ok(_)) => unready(None, "the provider signed without its policy hook".into()),
    }
}

fn unready(expires_at: Option<Timestamp>, problem: String) -> ProviderHealth {
    ProviderHealth {
        ready: false,
        expires_at,
        problem: Some(problem),
    }
}

/// The first grant `sign` makes under one of `rules` (in order), with the rule's name; the most
/// telling refusal when none does.
async fn first_grant<T, F, Fut>(
    rules: Vec<(&Rule, Result<PolicyLayer, Refusal>)>,
    mut sign: F,
) -> Result<(T, &str), Refusal>
where
    F: FnMut(PolicyLayer) -> Fut,
    Fut: std::future::Future<Output = Result<T, Error>>,
{
    let mut kept = None;
    for (rule, layer) in rules {
        let attempt = match layer {
            Ok(layer) => sign(layer).await.map_err(Refusal::from_error),
            Err(r) => Err(r),
        };
        match attempt {
            Ok(granted) => return Ok((granted, rule.name.as_str())),
            Err(r) => keep_closest(&mut kept, r),
        }
    }
    Err(kept.unwrap_or(Refusal::NoRule))
}

/// Keeps the most telling refusal: one from a rule whose keys include the request's (a
/// method or a constraint refused) over one that only says the key lies elsewhere.
fn keep_closest(kept: &mut Option<Refusal>, new: Refusal) {
    let outside = |r: &Refusal| {
        matches!(
            r,
            Refusal::ClaimUnusable | Refusal::Refused(Error::KeyNotAllowed { .. })
        )
    };
    match kept {
        Some(old) if outside(old) && !outside(&new) => *kept = Some(new),
        Some(_) => {}
        None => *kept = Some(new),
    }
}

/// Request ids: a random per-process prefix and a counter.
#[derive(Debug)]
struct RequestIds {
    prefix: u32,
    next: AtomicU64,
}

impl RequestIds {
    fn new() -> RequestIds {
        let mut bytes = [0u8; 4];
        // Without randomness the prefix is 0: ids stay unique within the process.
        let _ = aws_lc_rs::rand::fill(&mut bytes);
        RequestIds {
            prefix: u32::from_be_bytes(bytes),
            next: AtomicU64::new(0),
        }
    }

    fn next(&self) -> String {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        format!("{:08x}{n:010x}", self.prefix)
    }
}
