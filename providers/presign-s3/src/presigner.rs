//! [`S3Presigner`]: SigV4 query presigning for one bucket (built by [`crate::S3PresignerBuilder`]).

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use presign_core::clock::SharedClock;
use presign_core::{
    Capabilities, Credential, CredentialCache, Error, ObjectKey, Prepare, PresignRequest,
    PresignedRequest, Presigner, SyncPresigner, Timestamp,
};

use crate::addressing::{ResolvedAddressing, Target};
use crate::builder::S3PresignerBuilder;
use crate::capabilities::{MAX_KEY_BYTES, MAX_TTL};
use crate::constraints::{self, Mapped};
use crate::credential::Credentials;
use crate::explain::Explanation;
use presign_v4::{
    DayCache, Dialect, QueryRequest, SignedQuery, SigningKey, SigningParams, presign_hmac_into,
    sign_query,
};

/// The default region.
pub const DEFAULT_REGION: &str = "us-east-1";

/// The default provider name.
pub const DEFAULT_NAME: &str = "s3";

/// The service in the credential scope.
const SERVICE: &str = "s3";

/// The query parameter that carries a session token.
const SECURITY_TOKEN_PARAM: &str = Dialect::AWS4_HMAC_SHA256.query.security_token;

/// Presigns S3 requests (SigV4 query authentication) for one bucket.
///
/// ```
/// use presign_core::{FixedClock, PresignRequest, SyncPresigner, Timestamp};
/// use presign_s3::{Addressing, Credentials, S3Presigner};
/// use std::{sync::Arc, time::Duration};
///
/// let s3 = S3Presigner::builder()
///     .bucket("examplebucket")
///     .endpoint("https://s3.amazonaws.com")
///     .credentials(Credentials::new(
///         "AKIAIOSFODNN7EXAMPLE",
///         "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
///     ))
///     .clock(Arc::new(FixedClock(Timestamp::parse_rfc3339("2013-05-24T00:00:00Z")?)))
///     .build()?;
/// let url = s3.presign_sync(&PresignRequest::parse("GET", "test.txt")?.with_ttl(Duration::from_secs(86_400)))?;
/// assert!(url.expose_url().starts_with("https://examplebucket.s3.amazonaws.com/test.txt?"));
/// assert!(url.expose_url().ends_with(
///     "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
/// ));
/// # Ok::<(), presign_core::Error>(())
/// ```
#[derive(Debug)]
pub struct S3Presigner {
    pub(crate) name: std::sync::Arc<str>,
    pub(crate) bucket: String,
    pub(crate) region: String,
    pub(crate) target: Target,
    pub(crate) credentials: CredentialCache<Credentials>,
    pub(crate) clock: SharedClock,
    pub(crate) capabilities: Capabilities,
    pub(crate) keys: DayCache<SigningKey>,
}

/// A request that passed the checks.
struct Checked {
    mapped: Mapped,
    time: Timestamp,
    expires_at: Timestamp,
    expires_in: u64,
}

impl S3Presigner {
    /// A builder.
    pub fn builder() -> S3PresignerBuilder {
        S3PresignerBuilder::default()
    }

    /// The provider name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The bucket.
    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// The region.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The addressing in use, after fallbacks.
    pub fn addressing(&self) -> ResolvedAddressing {
        self.target.addressing
    }

    /// The `Host` URLs are signed for.
    pub fn host(&self) -> &str {
        &self.target.host
    }

    /// The unsigned URL of `key`.
    pub fn object_url(&self, key: &ObjectKey) -> String {
        let mut url = String::with_capacity(self.target.origin.len() + key.len() * 2 + 32);
        url.push_str(&self.target.origin);
        url.push_str(&self.target.path_prefix);
        url.push('/');
        presign_core::encoding::encode_into(
            &mut url,
            key.as_str(),
            presign_core::encoding::EncodeSet::Path,
        );
        url
    }

    /// The form action of POST policies: the bucket's URL, ending in `/`.
    pub(crate) fn bucket_url(&self) -> String {
        format!("{}{}/", self.target.origin, self.target.path_prefix)
    }

    /// Where the credentials come from, without any secret.
    pub fn credential_source_description(&self) -> String {
        self.credentials.describe()
    }

    /// When the credentials that would sign now expire (`None`: long-term keys), fetching
    /// them through the cache if none are fresh (what `presign providers` shows).
    pub async fn credentials_expire_at(&self) -> Result<Option<Timestamp>, Error> {
        Ok(self.credentials.get().await?.expires_at())
    }

    /// "Now", from the injected clock.
    pub(crate) fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The credential snapshot for a synchronous call: at hand, or [`Error::WouldBlock`].
    pub(crate) fn snapshot_now(&self) -> Result<Credential<Credentials>, Error> {
        let snapshot = self.credentials.peek().ok_or_else(|| Error::WouldBlock {
            provider: self.name.to_string(),
            reason: "its credentials must be fetched or refreshed first".into(),
        })?;
        self.checked(snapshot)
    }

    /// The credential snapshot for an asynchronous call (fetched or refreshed when due).
    pub(crate) async fn snapshot(&self) -> Result<Credential<Credentials>, Error> {
        let snapshot = self.credentials.get().await?;
        self.checked(snapshot)
    }

    /// Sourced credentials are checked as static ones are at build time.
    fn checked(&self, c: Credential<Credentials>) -> Result<Credential<Credentials>, Error> {
        if !self.credentials.is_fixed() {
            c.value().validate(&self.name)?;
        }
        Ok(c)
    }

    /// The cached signing key of `credentials` for the day of `time`: derived once per day,
    /// region and access key id.
    pub(crate) fn signing_key(
        &self,
        credentials: &Credentials,
        time: Timestamp,
    ) -> Arc<SigningKey> {
        let id = credentials.access_key_id();
        self.keys.get(
            |k| k.scope().matches(id, time, &self.region, SERVICE),
            || {
                SigningKey::derive(
                    &Dialect::AWS4_HMAC_SHA256,
                    id,
                    credentials.secret_access_key(),
                    time,
                    &self.region,
                    SERVICE,
                )
            },
        )
    }

    /// Signs `request` with the snapshot `credentials` (whose expiry the caller passed through
    /// its `Prepare` hook).
    fn sign_with(
        &self,
        credentials: &Credential<Credentials>,
        request: &PresignRequest,
    ) -> Result<PresignedRequest, Error> {
        let c = self.check(credentials.expires_at(), request)?;
        let creds = credentials.value();
        let key = request.key.as_str();
        let (query, headers) = c.mapped.pairs();
        let signing_key = self.signing_key(creds, c.time);
        // The URL is written once, in place: origin, encoded path, query, signature.
        let mut url = String::with_capacity(
            self.target.origin.len()
                + self.target.path_prefix.len()
                + key.len() * 3
                + signing_key.scope().encoded_credential().len()
                + 220
                + creds.session_token().map_or(0, |t| t.len() * 3 + 24),
        );
        url.push_str(&self.target.origin);
        presign_hmac_into(
            &SigningParams::s3(),
            &signing_key,
            &QueryRequest {
                method: request.method.as_str(),
                host: &self.target.host,
                path: "",
                query: &query,
                headers: &headers,
                time: c.time,
                expires_in: c.expires_in,
                session_token: creds.session_token(),
            },
            &[&self.target.path_prefix, "/", key],
            &mut url,
            None,
        )?;
        Ok(PresignedRequest::new(
            request.method,
            url,
            c.mapped.headers,
            c.time,
            c.expires_at,
            std::sync::Arc::clone(&self.name),
        )
        .with_secret_params(crate::SECRET_PARAMS))
    }

    /// What [`presign_sync`](SyncPresigner::presign_sync) would sign, without secrets:
    /// canonical request, string to sign, signed headers.
    pub fn explain(&self, request: &PresignRequest) -> Result<Explanation, Error> {
        self.explain_with_snapshot(&self.snapshot_now()?, request)
    }

    fn explain_with_snapshot(
        &self,
        credentials: &Credential<Credentials>,
        request: &PresignRequest,
    ) -> Result<Explanation, Error> {
        let creds = credentials.value();
        let s = self.sign_parts(credentials, request)?;
        let mut canonical_request = s.canonical_request;
        if let Some(token) = creds.session_token() {
            let encoded =
                presign_core::encoding::encode(token, presign_core::encoding::EncodeSet::Component);
            canonical_request = canonical_request.replace(
                &format!("{SECURITY_TOKEN_PARAM}={encoded}"),
                &format!("{SECURITY_TOKEN_PARAM}={}", presign_core::redact::REDACTED),
            );
        }
        let url = format!("{}{}?{}", self.target.origin, s.path, s.query);
        Ok(Explanation {
            canonical_request,
            string_to_sign: s.string_to_sign,
            signed_headers: s.signed_headers.split(';').map(str::to_owned).collect(),
            credential_scope: s.credential_scope,
            redacted_url: presign_core::redact::redact_url(&url, crate::SECRET_PARAMS).into_owned(),
        })
    }

    /// The checks and values every signature needs: key length, TTL, time, expiry (never past
    /// `credentials_expire_at`), mapped constraints.
    fn check(
        &self,
        credentials_expire_at: Option<Timestamp>,
        request: &PresignRequest,
    ) -> Result<Checked, Error> {
        request.key.check_len(MAX_KEY_BYTES, &self.name)?;
        request.key.check_no_dot_segments(&self.name)?;
        let ttl = request.ttl_or_default();
        if ttl.as_secs() < 1 || ttl > MAX_TTL {
            return Err(Error::InvalidTtl {
                ttl,
                reason: format!(
                    "provider {} (S3) accepts 1 second to 7 days (604800 s)",
                    self.name
                ),
            });
        }
        let expires_in = ttl.as_secs();
        let time = request.signing_time.unwrap_or_else(|| self.clock.now());
        let expires_at = time
            .checked_add(Duration::from_secs(expires_in))
            .ok_or_else(|| Error::InvalidTtl {
                ttl,
                reason: "the URL would expire after year 9999".into(),
            })?;
        if let Some(limit) = credentials_expire_at
            && expires_at > limit
        {
            return Err(Error::CredentialsExpireFirst {
                provider: self.name.to_string(),
                expires_at,
                credentials_expire_at: limit,
            });
        }
        let mapped = constraints::map(request.method, &request.constraints, &self.name)?;
        Ok(Checked {
            mapped,
            time,
            expires_at,
            expires_in,
        })
    }

    /// The signature with its intermediate texts (for explain).
    fn sign_parts(
        &self,
        credentials: &Credential<Credentials>,
        request: &PresignRequest,
    ) -> Result<SignedQuery, Error> {
        let Checked {
            mapped,
            time,
            expires_in,
            ..
        } = self.check(credentials.expires_at(), request)?;
        let creds = credentials.value();
        let key = request.key.as_str();
        let mut path = String::with_capacity(self.target.path_prefix.len() + key.len() + 1);
        path.push_str(&self.target.path_prefix);
        path.push('/');
        path.push_str(key);
        let (query, headers) = mapped.pairs();
        let signing_key = self.signing_key(creds, time);
        let signed = sign_query(
            &SigningParams::s3(),
            &signing_key,
            &QueryRequest {
                method: request.method.as_str(),
                host: &self.target.host,
                path: &path,
                query: &query,
                headers: &headers,
                time,
                expires_in,
                session_token: creds.session_token(),
            },
        )?;
        Ok(signed)
    }
}

#[async_trait]
impl Presigner for S3Presigner {
    fn capabilities(&self) -> &Capabilities {
        &self.capabilities
    }

    async fn presign_with(
        &self,
        request: &PresignRequest,
        prepare: &mut dyn Prepare<PresignRequest>,
    ) -> Result<PresignedRequest, Error> {
        let credentials = self.snapshot().await?;
        let request = prepare.prepare(request, credentials.expires_at())?;
        self.sign_with(&credentials, &request)
    }

    /// The canonical request and string to sign of [`S3Presigner::explain`], as core's
    /// [`presign_core::Explanation`].
    async fn explain_with(
        &self,
        request: &PresignRequest,
        prepare: &mut dyn Prepare<PresignRequest>,
    ) -> Result<Option<presign_core::Explanation>, Error> {
        let credentials = self.snapshot().await?;
        let request = prepare.prepare(request, credentials.expires_at())?;
        let e = self.explain_with_snapshot(&credentials, &request)?;
        Ok(Some(presign_core::Explanation::new(
            Dialect::AWS4_HMAC_SHA256.algorithm,
            Some(e.canonical_request),
            e.string_to_sign,
        )))
    }
}

impl SyncPresigner for S3Presigner {
    fn presign_sync_with(
        &self,
        request: &PresignRequest,
        prepare: &mut dyn Prepare<PresignRequest>,
    ) -> Result<PresignedRequest, Error> {
        let credentials = self.snapshot_now()?;
        let request = prepare.prepare(request, credentials.expires_at())?;
        self.sign_with(&credentials, &request)
    }
}

#[cfg(test)]
#[path = "presigner_tests.rs"]
mod tests;
