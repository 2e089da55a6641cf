//! [`S3Presigner`] and its builder.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use presign_core::clock::SharedClock;
use presign_core::{
    Capabilities, Error, ObjectKey, PresignRequest, PresignedRequest, Presigner, SystemClock,
    Timestamp,
};

use crate::addressing::{Addressing, ResolvedAddressing, Target, aws_regional_endpoint, resolve};
use crate::capabilities::{MAX_KEY_BYTES, MAX_TTL, s3_capabilities};
use crate::constraints::{self, Mapped};
use crate::credentials::Credentials;
use crate::endpoint::Endpoint;
use crate::explain::Explanation;
use crate::names::{validate_bucket, validate_region};
use crate::signing_key::SigningKeyCache;
use crate::sigv4::{
    self, Identity, QueryRequest, SECURITY_TOKEN_PARAM, SignedQuery, SigningParams,
};

/// The default region.
pub const DEFAULT_REGION: &str = "us-east-1";

/// The default provider name.
pub const DEFAULT_NAME: &str = "s3";

/// Presigns S3 requests (SigV4 query authentication) for one bucket.
///
/// ```
/// use presign_core::{FixedClock, PresignRequest, Timestamp};
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
/// let url = s3.sign(&PresignRequest::parse("GET", "test.txt")?.with_ttl(Duration::from_secs(86_400)))?;
/// assert!(url.expose_url().starts_with("https://examplebucket.s3.amazonaws.com/test.txt?"));
/// assert!(url.expose_url().ends_with(
///     "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
/// ));
/// # Ok::<(), presign_core::Error>(())
/// ```
#[derive(Debug)]
pub struct S3Presigner {
    name: std::sync::Arc<str>,
    bucket: String,
    region: String,
    target: Target,
    credentials: Credentials,
    clock: SharedClock,
    capabilities: Capabilities,
    keys: SigningKeyCache,
}

/// Builds an [`S3Presigner`]; see [`S3Presigner::builder`].
#[derive(Debug, Default, Clone)]
#[must_use]
pub struct S3PresignerBuilder {
    name: Option<String>,
    bucket: Option<String>,
    region: Option<String>,
    endpoint: Option<String>,
    public_endpoint: Option<String>,
    served_through: Option<String>,
    addressing: Addressing,
    credentials: Option<Credentials>,
    clock: Option<SharedClock>,
}

impl S3PresignerBuilder {
    /// The provider name in results and errors (default `s3`).
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The bucket (required).
    pub fn bucket(mut self, bucket: impl Into<String>) -> Self {
        self.bucket = Some(bucket.into());
        self
    }

    /// The region (default `us-east-1`; `auto` for R2, whatever the store is configured with
    /// for MinIO, Garage, SeaweedFS).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// A custom endpoint, `http(s)://host[:port][/prefix]` (MinIO, Garage, SeaweedFS, R2, or
    /// `https://s3.amazonaws.com` for the global endpoint). Default: the regional AWS endpoint
    /// `https://s3.REGION.amazonaws.com`.
    pub fn endpoint(mut self, endpoint: &str) -> Self {
        self.endpoint = Some(endpoint.to_owned());
        self
    }

    /// The base URL clients will call, when it differs from the endpoint: a CloudFront
    /// distribution or custom domain in front of the bucket, or a proxy. URLs are signed for
    /// its host, and it addresses the bucket itself: the URL is this base plus `/key` (include
    /// the bucket in its path when the proxy is path-style, `https://files.example.com/bucket`).
    pub fn public_endpoint(mut self, endpoint: &str) -> Self {
        self.public_endpoint = Some(endpoint.to_owned());
        self
    }

    /// A CDN in front of the bucket whose origin is the bucket's own endpoint (CloudFront with
    /// an S3 origin): URLs carry the CDN's scheme and host (`https://d111111abcdef8.cloudfront.net`),
    /// but are signed for the bucket's host, which is what the CDN sends to the origin and what
    /// S3 checks. The CDN must forward every query string to the origin (and keep them in its
    /// cache key), and its origin must be the same host presign signs for: the regional
    /// virtual-hosted endpoint by default. Unlike [`Self::public_endpoint`] (a proxy that S3
    /// reaches under the public name), the path is unchanged and the CDN base has no path.
    pub fn served_through(mut self, cdn_base: &str) -> Self {
        self.served_through = Some(cdn_base.to_owned());
        self
    }

    /// Virtual-hosted (default) or path-style addressing.
    pub fn addressing(mut self, addressing: Addressing) -> Self {
        self.addressing = addressing;
        self
    }

    /// The signing credentials (required).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// The clock that says "now" when a request has no signing time (default: the system
    /// clock).
    pub fn clock(mut self, clock: SharedClock) -> Self {
        self.clock = Some(clock);
        self
    }

    /// Validates everything and builds the presigner; errors name the bad input.
    pub fn build(self) -> Result<S3Presigner, Error> {
        let name = self.name.unwrap_or_else(|| DEFAULT_NAME.to_owned());
        if name.is_empty() {
            return Err(Error::invalid_input("name", "the provider name is empty"));
        }
        let bucket = self.bucket.ok_or_else(|| {
            Error::invalid_input(
                "bucket",
                format!("no bucket for provider {name}; call .bucket(..)"),
            )
        })?;
        validate_bucket(&bucket)?;
        let region = self.region.unwrap_or_else(|| DEFAULT_REGION.to_owned());
        validate_region(&region)?;
        let credentials = self.credentials.ok_or_else(|| Error::Credentials {
            provider: name.clone(),
            reason: "no credentials; call .credentials(..)".into(),
        })?;
        credentials.validate(&name)?;
        let endpoint = match &self.endpoint {
            Some(e) => Endpoint::parse(e, "endpoint")?,
            None => aws_regional_endpoint(&region)?,
        };
        let public = self
            .public_endpoint
            .as_deref()
            .map(|e| Endpoint::parse(e, "public_endpoint"))
            .transpose()?;
        let mut target = resolve(&bucket, &endpoint, public.as_ref(), self.addressing);
        if let Some(cdn) = &self.served_through {
            let cdn = Endpoint::parse(cdn, "served_through")?;
            if public.is_some() {
                return Err(Error::invalid_input(
                    "served_through",
                    "give public_endpoint (a proxy S3 sees under its own name) or served_through (a CDN that forwards to the bucket's host), not both",
                ));
            }
            if !cdn.path_prefix().is_empty() {
                return Err(Error::invalid_input(
                    "served_through",
                    "the CDN base must have no path: the CDN forwards the request path unchanged",
                ));
            }
            target.origin = format!("{}://{}", cdn.scheme().as_str(), cdn.authority());
        }
        Ok(S3Presigner {
            capabilities: s3_capabilities(name.clone()),
            name: name.into(),
            bucket,
            region,
            target,
            credentials,
            clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
            keys: SigningKeyCache::new(),
        })
    }
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

    /// The signing credentials.
    pub(crate) fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// "Now", from the injected clock.
    pub(crate) fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// Who signs: the access key id and the session token, if any.
    fn identity(&self) -> Identity<'_> {
        Identity::new(
            self.credentials.access_key_id(),
            self.credentials.session_token(),
        )
    }

    /// The cached signing key for the day of `time`.
    pub(crate) fn signing_key(&self, time: Timestamp) -> Arc<crate::signing_key::SigningKey> {
        self.keys.get(
            self.credentials.access_key_id(),
            self.credentials.secret_access_key(),
            time,
            &self.region,
            SigningParams::s3(&self.region).service,
        )
    }

    /// Signs `request` now (synchronously); [`Presigner::presign`] calls this.
    pub fn sign(&self, request: &PresignRequest) -> Result<PresignedRequest, Error> {
        let c = self.check(request)?;
        let key = request.key.as_str();
        let (query, headers) = c.mapped.pairs();
        let params = SigningParams::s3(&self.region);
        let signing_key = self.signing_key(c.time);
        // The URL is written once, in place: origin, encoded path, query, signature.
        let mut url = String::with_capacity(
            self.target.origin.len()
                + self.target.path_prefix.len()
                + key.len() * 3
                + signing_key.encoded_credential().len()
                + 220
                + self
                    .credentials
                    .session_token()
                    .map_or(0, |t| t.len() * 3 + 24),
        );
        url.push_str(&self.target.origin);
        sigv4::sign_into(
            &params,
            &self.identity(),
            &signing_key,
            &QueryRequest {
                method: request.method.as_str(),
                host: &self.target.host,
                path: "",
                query: &query,
                headers: &headers,
                time: c.time,
                expires_in: c.expires_in,
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
        ))
    }

    /// What [`sign`](Self::sign) would sign, without secrets: canonical request, string to
    /// sign, signed headers.
    pub fn explain(&self, request: &PresignRequest) -> Result<Explanation, Error> {
        let s = self.sign_parts(request)?;
        let mut canonical_request = s.canonical_request;
        if let Some(token) = self.credentials.session_token() {
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
            redacted_url: presign_core::redact::redact_url(&url).into_owned(),
        })
    }

    /// The checks and values every signature needs: key length, TTL, time, expiry, mapped
    /// constraints.
    fn check(&self, request: &PresignRequest) -> Result<Checked, Error> {
        request.key.check_len(MAX_KEY_BYTES, &self.name)?;
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
        if let Some(limit) = self.credentials.expires_at()
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
    fn sign_parts(&self, request: &PresignRequest) -> Result<SignedQuery, Error> {
        let Checked {
            mapped,
            time,
            expires_in,
            ..
        } = self.check(request)?;
        let key = request.key.as_str();
        let mut path = String::with_capacity(self.target.path_prefix.len() + key.len() + 1);
        path.push_str(&self.target.path_prefix);
        path.push('/');
        path.push_str(key);
        let (query, headers) = mapped.pairs();
        let params = SigningParams::s3(&self.region);
        let signing_key = self.signing_key(time);
        let signed = sigv4::sign_query(
            &params,
            &self.identity(),
            &signing_key,
            &QueryRequest {
                method: request.method.as_str(),
                host: &self.target.host,
                path: &path,
                query: &query,
                headers: &headers,
                time,
                expires_in,
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

    async fn presign(&self, request: &PresignRequest) -> Result<PresignedRequest, Error> {
        self.sign(request)
    }

    async fn credentials_expire_at(&self) -> Result<Option<Timestamp>, Error> {
        Ok(self.credentials.expires_at())
    }

    /// The canonical request and string to sign of [`S3Presigner::explain`], as core's
    /// [`presign_core::Explanation`].
    async fn explain(
        &self,
        request: &PresignRequest,
    ) -> Result<Option<presign_core::Explanation>, Error> {
        let e = S3Presigner::explain(self, request)?;
        Ok(Some(presign_core::Explanation::new(
            sigv4::ALGORITHM,
            Some(e.canonical_request),
            e.string_to_sign,
        )))
    }
}

#[cfg(test)]
#[path = "presigner_tests.rs"]
mod tests;
