//! [`S3PresignerBuilder`]: bucket, region, endpoints, addressing, credentials; every field
//! checked at [`build`](S3PresignerBuilder::build).

use std::sync::Arc;
use std::time::Duration;

use presign_core::clock::SharedClock;
use presign_core::{Credential, CredentialCache, CredentialSource, Error, SystemClock};
use presign_v4::DayCache;

use crate::addressing::{Addressing, resolve};
use crate::capabilities::s3_capabilities;
use crate::credential::Credentials;
use crate::endpoint::{self, aws_regional_endpoint};
use crate::names::{validate_bucket, validate_region};
use crate::presigner::{DEFAULT_NAME, DEFAULT_REGION, S3Presigner};

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
    source: Option<Arc<dyn CredentialSource<Credentials>>>,
    refresh_before: Option<Duration>,
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

    /// Static signing credentials (this or [`credential_source`](Self::credential_source)).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Credentials from a source (STS, a metadata server, a file a sidecar refreshes), cached
    /// and refreshed ahead of expiry by a [`CredentialCache`]; no URL outlives the snapshot
    /// that signs it. Instead of [`credentials`](Self::credentials).
    pub fn credential_source(mut self, source: Arc<dyn CredentialSource<Credentials>>) -> Self {
        self.source = Some(source);
        self
    }

    /// How long before expiry a sourced credential is refreshed (default 5 minutes).
    pub fn credential_refresh_before(mut self, margin: Duration) -> Self {
        self.refresh_before = Some(margin);
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
        let clock = self.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let credentials = match (self.credentials, self.source) {
            (Some(c), None) => {
                c.validate(&name)?;
                let expires_at = c.expires_at();
                CredentialCache::fixed(Credential::from_arc(Arc::new(c), expires_at))
            }
            (None, Some(source)) => {
                let mut cache = CredentialCache::new(source);
                if let Some(margin) = self.refresh_before {
                    cache = cache.with_refresh_before(margin);
                }
                cache
            }
            (Some(_), Some(_)) => {
                return Err(Error::Credentials {
                    provider: name,
                    reason: "both static credentials and a credential source are set; give one"
                        .into(),
                });
            }
            (None, None) => {
                return Err(Error::Credentials {
                    provider: name,
                    reason: "no credentials; call .credentials(..) or .credential_source(..)"
                        .into(),
                });
            }
        }
        .with_provider(name.clone())
        .with_clock(Arc::clone(&clock));
        let endpoint = match &self.endpoint {
            Some(e) => endpoint::parse(e, "endpoint")?,
            None => aws_regional_endpoint(&region)?,
        };
        let public = self
            .public_endpoint
            .as_deref()
            .map(|e| endpoint::parse(e, "public_endpoint"))
            .transpose()?;
        let mut target = resolve(&bucket, &endpoint, public.as_ref(), self.addressing);
        if let Some(cdn) = &self.served_through {
            let cdn = endpoint::parse(cdn, "served_through")?;
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
            target.origin = cdn.origin().to_owned();
        }
        Ok(S3Presigner {
            capabilities: s3_capabilities(name.clone()),
            name: name.into(),
            bucket,
            region,
            target,
            credentials,
            clock,
            keys: DayCache::new(),
        })
    }
}
