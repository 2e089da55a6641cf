//! [`GcsPresigner`]: the provider.

use async_trait::async_trait;
use presign_core::{
    Capabilities, Error, Explanation, Method, Prepare, PresignRequest, PresignedRequest, Presigner,
    SharedClock, SyncPresigner, Timestamp,
};

use crate::builder::GcsPresignerBuilder;
use crate::constraints::{map_constraints, to_v4};
use crate::credential::{Credential, Signature};
use crate::endpoint::{Origin, UrlStyle};
use std::sync::{Arc, Mutex};

use crate::v4::{DayParts, Identity, Prepared, Target, V4Request, V4View, prepare};

/// Signs GCS V4 URLs for one bucket. Build it with [`GcsPresigner::builder`].
///
/// ```
/// use presign_core::{FixedClock, PresignRequest, Presigner, SecretString, SyncPresigner, Timestamp};
/// use presign_gcs::GcsPresigner;
/// use std::sync::Arc;
///
/// let now = Timestamp::parse_rfc3339("2019-02-01T09:00:00Z")?;
/// let gcs = GcsPresigner::builder()
///     .bucket("test-bucket")
///     .hmac_key("GOOG1EXAMPLE", SecretString::new("example-secret"))
///     .clock(Arc::new(FixedClock(now)))
///     .build()?;
/// let signed = gcs.presign_sync(&PresignRequest::parse("GET", "a b.txt")?)?;
/// let same = futures_executor::block_on(gcs.presign(&PresignRequest::parse("GET", "a b.txt")?))?;
/// assert_eq!(signed, same);
/// assert!(signed.redacted_url().starts_with(
///     "https://storage.googleapis.com/test-bucket/a%20b.txt?X-Goog-Algorithm=GOOG4-HMAC-SHA256&"
/// ));
/// let why = gcs.explain(&PresignRequest::parse("GET", "a b.txt")?)?;
/// assert!(why.string_to_sign.starts_with("GOOG4-HMAC-SHA256\n20190201T090000Z\n"));
/// # Ok::<(), presign_core::Error>(())
/// ```
#[derive(Debug)]
pub struct GcsPresigner {
    pub(crate) name: std::sync::Arc<str>,
    pub(crate) bucket: String,
    pub(crate) credential: Credential,
    pub(crate) style: UrlStyle,
    /// The resolved origin for requests without a host of their own (bucket subdomain or
    /// bucket-bound host included).
    pub(crate) origin: Origin,
    /// `/BUCKET` for path style, empty otherwise.
    pub(crate) path_prefix: String,
    pub(crate) clock: SharedClock,
    pub(crate) caps: Capabilities,
    /// Scope and credential of the last signing day.
    pub(crate) day_cache: Mutex<Option<Arc<DayParts>>>,
}

impl GcsPresigner {
    /// A builder.
    pub fn builder() -> GcsPresignerBuilder {
        GcsPresignerBuilder::default()
    }

    /// The provider name (`gcs` unless configured).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The bucket.
    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// The URL style.
    pub fn url_style(&self) -> UrlStyle {
        self.style
    }

    /// `GOOG4-RSA-SHA256` or `GOOG4-HMAC-SHA256`.
    pub fn algorithm(&self) -> &'static str {
        self.credential.algorithm()
    }

    /// The id in `X-Goog-Credential`: the service account's e-mail or the HMAC access id.
    pub fn signer_id(&self) -> &str {
        self.credential.id()
    }

    fn day_parts(&self, now: Timestamp) -> Arc<DayParts> {
        let day = now.unix_day();
        if let Ok(cache) = self.day_cache.lock()
            && let Some(parts) = cache.as_ref()
            && parts.day == day
        {
            return Arc::clone(parts);
        }
        let parts = Arc::new(DayParts::new(self.credential.id(), now));
        if let Ok(mut cache) = self.day_cache.lock() {
            *cache = Some(Arc::clone(&parts));
        }
        parts
    }

    fn prepare(
        &self,
        req: &V4View<'_>,
        signing_time: Option<Timestamp>,
        hostname: Option<&str>,
        explain: bool,
    ) -> Result<Prepared, Error> {
        let now = signing_time.unwrap_or_else(|| self.clock.now());
        let day = self.day_parts(now);
        let identity = Identity {
            algorithm: self.credential.algorithm(),
            day: &day,
        };
        match hostname {
            None => prepare(
                req,
                &Target {
                    origin: &self.origin,
                    path_prefix: &self.path_prefix,
                },
                &identity,
                now,
                explain,
            ),
            Some(host) => {
                let mut origin = Origin::parse("hostname", host, true)?;
                if self.style == UrlStyle::VirtualHosted {
                    origin = origin.with_subdomain(&self.bucket);
                }
                prepare(
                    req,
                    &Target {
                        origin: &origin,
                        path_prefix: &self.path_prefix,
                    },
                    &identity,
                    now,
                    explain,
                )
            }
        }
    }

    fn prepare_v4(&self, req: &V4Request, explain: bool) -> Result<Prepared, Error> {
        self.prepare(
            &req.view(),
            req.signing_time,
            req.hostname.as_deref(),
            explain,
        )
    }

    fn finish(&self, method: Method, prepared: Prepared, sig: &[u8]) -> PresignedRequest {
        let (signed_at, expires_at) = (prepared.signed_at, prepared.expires_at);
        let (url, headers) = prepared.finish_url(sig);
        PresignedRequest::new(
            method,
            url,
            headers,
            signed_at,
            expires_at,
            std::sync::Arc::clone(&self.name),
        )
        .with_secret_params(crate::SECRET_PARAMS)
    }

    /// Signs a low-level [`V4Request`] (extra headers and query parameters, bucket-level URLs,
    /// per-request host). No constraint checks beyond header and query syntax, and no policy:
    /// wrap requests from untrusted callers in [`Presigner::presign`] through the policy layer.
    pub async fn presign_v4(&self, req: &V4Request) -> Result<PresignedRequest, Error> {
        let prepared = self.prepare_v4(req, false)?;
        let sig = self
            .credential
            .sign(&self.name, prepared.signed_at, &prepared.string_to_sign)
            .await?;
        Ok(self.finish(req.method, prepared, sig.as_ref()))
    }

    /// [`presign_v4`](Self::presign_v4) without an executor, for local signers (service-account
    /// and HMAC keys); a remote signer (signBlob) gives [`Error::WouldBlock`].
    pub fn presign_v4_sync(&self, req: &V4Request) -> Result<PresignedRequest, Error> {
        let prepared = self.prepare_v4(req, false)?;
        let sig = self.sign_local(prepared.signed_at, &prepared.string_to_sign)?;
        Ok(self.finish(req.method, prepared, sig.as_ref()))
    }

    /// Signs locally, or [`Error::WouldBlock`] for a remote signer.
    pub(crate) fn sign_local(&self, time: Timestamp, data: &str) -> Result<Signature, Error> {
        self.credential
            .sign_local(&self.name, time, data)
            .unwrap_or_else(|| {
                Err(Error::WouldBlock {
                    provider: self.name.to_string(),
                    reason: "it signs through IAM signBlob, a remote call".into(),
                })
            })
    }

    /// The canonical request and string to sign of a low-level request. No secret involved.
    pub fn explain_v4(&self, req: &V4Request) -> Result<Explanation, Error> {
        let p = self.prepare_v4(req, true)?;
        Ok(Explanation::new(
            self.credential.algorithm(),
            Some(p.canonical_request),
            p.string_to_sign,
        ))
    }

    /// Maps a generic request (constraints to signed headers and query parameters).
    pub fn to_v4_request(&self, request: &PresignRequest) -> Result<V4Request, Error> {
        request
            .key
            .check_len(self.caps.max_key_bytes(), &self.name)?;
        to_v4(request, &self.caps)
    }

    /// The canonical request and string to sign for `request` (what the CLI's `--explain`
    /// prints). Contains no secret and no signature.
    pub fn explain(&self, request: &PresignRequest) -> Result<Explanation, Error> {
        self.explain_v4(&self.to_v4_request(request)?)
    }
}

impl GcsPresigner {
    /// Maps and checks a generic request and builds its URL and string to sign (the same
    /// mapping as `to_v4_request`, borrowing the object name instead of copying it).
    fn prepare_generic(&self, request: &PresignRequest) -> Result<Prepared, Error> {
        request
            .key
            .check_len(self.caps.max_key_bytes(), &self.name)?;
        let (headers, query) = map_constraints(request, &self.caps)?;
        let view = V4View {
            method: request.method,
            object: Some(request.key.as_str()),
            expires_in: request.ttl_or_default(),
            headers: &headers,
            query: &query,
        };
        self.prepare(&view, request.signing_time, None, false)
    }
}

/// Every GCS signer holds a long-term key (service-account key, HMAC key, or the Google-managed
/// key behind signBlob): the snapshot passed to the policy has no expiry.
#[async_trait]
impl Presigner for GcsPresigner {
    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    async fn presign_with(
        &self,
        request: &PresignRequest,
        prepare: &mut dyn Prepare<PresignRequest>,
    ) -> Result<PresignedRequest, Error> {
        let request = prepare.prepare(request, None)?;
        let prepared = self.prepare_generic(&request)?;
        let sig = self
            .credential
            .sign(&self.name, prepared.signed_at, &prepared.string_to_sign)
            .await?;
        Ok(self.finish(request.method, prepared, sig.as_ref()))
    }

    async fn explain_with(
        &self,
        request: &PresignRequest,
        prepare: &mut dyn Prepare<PresignRequest>,
    ) -> Result<Option<Explanation>, Error> {
        let request = prepare.prepare(request, None)?;
        GcsPresigner::explain(self, &request).map(Some)
    }
}

impl SyncPresigner for GcsPresigner {
    fn presign_sync_with(
        &self,
        request: &PresignRequest,
        prepare: &mut dyn Prepare<PresignRequest>,
    ) -> Result<PresignedRequest, Error> {
        let request = prepare.prepare(request, None)?;
        let prepared = self.prepare_generic(&request)?;
        let sig = self.sign_local(prepared.signed_at, &prepared.string_to_sign)?;
        Ok(self.finish(request.method, prepared, sig.as_ref()))
    }
}
