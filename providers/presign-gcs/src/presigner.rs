//! [`GcsPresigner`]: the provider.

use async_trait::async_trait;
use presign_core::{
    Capabilities, Error, Explanation, Method, Prepare, PresignRequest, PresignedRequest, Presigner,
    SharedClock, SyncPresigner, Timestamp,
};

use std::borrow::Cow;
use std::time::Duration;

use presign_v4::headers::canonical_headers;
use presign_v4::{Capture, QueryRequest, SigningParams, Unsigned, presign_into};

use crate::builder::GcsPresignerBuilder;
use crate::constraints::{Mapped, map_constraints, to_v4};
use crate::credential::{Credential, DayKey, Signature};
use crate::endpoint::{UrlStyle, parse_origin};
use crate::request::{V4Request, V4View, check_header, check_query, expires_secs};
use presign_core::endpoint::{BaseUrl, Scheme};

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
    pub(crate) origin: BaseUrl,
    /// `/BUCKET` for path style, empty otherwise.
    pub(crate) path_prefix: String,
    pub(crate) clock: SharedClock,
    pub(crate) caps: Capabilities,
}

/// A URL written up to its signature, and what the result carries.
struct Prepared<'d> {
    url: String,
    unsigned: Unsigned<'d>,
    /// Signed headers the client must send (all but `host`), lower-case names.
    headers: Vec<(String, String)>,
    signed_at: Timestamp,
    expires_at: Timestamp,
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
        self.credential.dialect().algorithm
    }

    /// The id in `X-Goog-Credential`: the service account's e-mail or the HMAC access id.
    pub fn signer_id(&self) -> &str {
        self.credential.id()
    }

    /// Checks `req` and writes its URL up to the signature with `day`'s scope, the canonical
    /// request and string to sign going into `capture` when given.
    fn prepare<'d>(
        &self,
        req: &V4View<'_>,
        now: Timestamp,
        hostname: Option<&str>,
        day: &'d DayKey,
        capture: Option<&mut Capture>,
    ) -> Result<Prepared<'d>, Error> {
        let secs = expires_secs(req.expires_in)?;
        let expires_at =
            now.checked_add(Duration::from_secs(secs))
                .ok_or_else(|| Error::InvalidTtl {
                    ttl: req.expires_in,
                    reason: "the expiry is past year 9999".into(),
                })?;
        for (name, value) in req.headers {
            check_header(name, value)?;
        }
        for (name, _) in req.query {
            check_query(name)?;
        }
        let origin: Cow<'_, BaseUrl> = match hostname {
            None => Cow::Borrowed(&self.origin),
            Some(host) => {
                let mut origin = parse_origin("hostname", host, Scheme::Https)?;
                if self.style == UrlStyle::VirtualHosted {
                    origin = origin.with_subdomain(&self.bucket);
                }
                Cow::Owned(origin)
            }
        };
        let headers: Vec<(&str, &str)> = req
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let query: Vec<(&str, &str)> = req
            .query
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let object = req.object.unwrap_or_default();
        let mut url = String::with_capacity(
            origin.origin().len()
                + self.path_prefix.len()
                + object.len() * 3
                + day.scope().encoded_credential().len()
                + 200
                + if matches!(day, DayKey::Rsa(_)) {
                    512
                } else {
                    64
                },
        );
        url.push_str(origin.origin());
        // The canonical URI: `/BUCKET/OBJECT` path style or `/OBJECT`; no dot-segment
        // normalisation. The host is signed without the port.
        let path: &[&str] = match req.object {
            Some(o) => &[&self.path_prefix, "/", o],
            None => &[&self.path_prefix],
        };
        let unsigned = presign_into(
            &SigningParams::gcs(self.credential.dialect()),
            day.scope(),
            &QueryRequest {
                method: req.method.as_str(),
                host: origin.host(),
                path: "",
                query: &query,
                headers: &headers,
                time: now,
                expires_in: secs,
                session_token: None,
            },
            path,
            &mut url,
            capture,
        )?;
        let returned = if headers.is_empty() {
            Vec::new()
        } else {
            canonical_headers(origin.host(), &headers)
                .into_iter()
                .filter(|(n, _)| n != "host")
                .map(|(n, v)| (n.into_owned(), v.into_owned()))
                .collect()
        };
        Ok(Prepared {
            url,
            unsigned,
            headers: returned,
            signed_at: now,
            expires_at,
        })
    }

    fn finish(&self, method: Method, prepared: Prepared<'_>, sig: &Signature) -> PresignedRequest {
        let Prepared {
            mut url,
            unsigned,
            headers,
            signed_at,
            expires_at,
        } = prepared;
        unsigned.finish(&mut url, sig.as_ref());
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

    /// Signs `view`, remotely if need be.
    async fn sign_view(
        &self,
        view: &V4View<'_>,
        signing_time: Option<Timestamp>,
        hostname: Option<&str>,
    ) -> Result<PresignedRequest, Error> {
        let now = signing_time.unwrap_or_else(|| self.clock.now());
        let day = self.credential.day_key(now);
        let prepared = self.prepare(view, now, hostname, &day, None)?;
        let sig = self
            .credential
            .sign(&self.name, &day, &prepared.unsigned.string_to_sign_parts())
            .await?;
        Ok(self.finish(view.method, prepared, &sig))
    }

    /// Signs `view` locally, or [`Error::WouldBlock`] for a remote signer.
    fn sign_view_sync(
        &self,
        view: &V4View<'_>,
        signing_time: Option<Timestamp>,
        hostname: Option<&str>,
    ) -> Result<PresignedRequest, Error> {
        let now = signing_time.unwrap_or_else(|| self.clock.now());
        let day = self.credential.day_key(now);
        let prepared = self.prepare(view, now, hostname, &day, None)?;
        let sig = self.sign_local(&day, &prepared.unsigned.string_to_sign_parts())?;
        Ok(self.finish(view.method, prepared, &sig))
    }

    /// Signs locally, or [`Error::WouldBlock`] for a remote signer.
    pub(crate) fn sign_local(&self, day: &DayKey, parts: &[&[u8]]) -> Result<Signature, Error> {
        self.credential
            .sign_local(&self.name, day, parts)
            .unwrap_or_else(|| {
                Err(Error::WouldBlock {
                    provider: self.name.to_string(),
                    reason: "it signs through IAM signBlob, a remote call".into(),
                })
            })
    }

    /// Signs a low-level [`V4Request`] (extra headers and query parameters, bucket-level URLs,
    /// per-request host). No constraint checks beyond header and query syntax, and no policy:
    /// wrap requests from untrusted callers in [`Presigner::presign`] through the policy layer.
    pub async fn presign_v4(&self, req: &V4Request) -> Result<PresignedRequest, Error> {
        self.sign_view(&req.view(), req.signing_time, req.hostname.as_deref())
            .await
    }

    /// [`presign_v4`](Self::presign_v4) without an executor, for local signers (service-account
    /// and HMAC keys); a remote signer (signBlob) gives [`Error::WouldBlock`].
    pub fn presign_v4_sync(&self, req: &V4Request) -> Result<PresignedRequest, Error> {
        self.sign_view_sync(&req.view(), req.signing_time, req.hostname.as_deref())
    }

    /// The canonical request and string to sign of a low-level request. No secret involved.
    pub fn explain_v4(&self, req: &V4Request) -> Result<Explanation, Error> {
        let now = req.signing_time.unwrap_or_else(|| self.clock.now());
        let day = self.credential.day_key(now);
        let mut capture = Capture::default();
        self.prepare(
            &req.view(),
            now,
            req.hostname.as_deref(),
            &day,
            Some(&mut capture),
        )?;
        Ok(Explanation::new(
            self.algorithm(),
            Some(capture.canonical_request),
            capture.string_to_sign,
        ))
    }

    /// Maps a generic request (constraints to signed headers and query parameters).
    pub fn to_v4_request(&self, request: &PresignRequest) -> Result<V4Request, Error> {
        request
            .key
            .check_len(self.caps.max_key_bytes(), &self.name)?;
        request.key.check_no_dot_segments(&self.name)?;
        to_v4(request, &self.caps)
    }

    /// The canonical request and string to sign for `request` (what the CLI's `--explain`
    /// prints). Contains no secret and no signature.
    pub fn explain(&self, request: &PresignRequest) -> Result<Explanation, Error> {
        self.explain_v4(&self.to_v4_request(request)?)
    }

    /// The signed headers and query parameters of a generic request (the same mapping as
    /// `to_v4_request`, without copying the object name).
    fn mapped(&self, request: &PresignRequest) -> Result<Mapped, Error> {
        request
            .key
            .check_len(self.caps.max_key_bytes(), &self.name)?;
        request.key.check_no_dot_segments(&self.name)?;
        map_constraints(request, &self.caps)
    }
}

/// The view of a generic request and its mapped constraints.
fn view<'a>(request: &'a PresignRequest, (headers, query): &'a Mapped) -> V4View<'a> {
    V4View {
        method: request.method,
        object: Some(request.key.as_str()),
        expires_in: request.ttl_or_default(),
        headers,
        query,
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
        let mapped = self.mapped(&request)?;
        self.sign_view(&view(&request, &mapped), request.signing_time, None)
            .await
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
        let mapped = self.mapped(&request)?;
        self.sign_view_sync(&view(&request, &mapped), request.signing_time, None)
    }
}
