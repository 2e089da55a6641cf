//! [`GcsPresignerBuilder`]: every configuration field of a GCS provider.

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

use presign_core::clock::system_clock;
use presign_core::{Error, SecretString, SharedClock};
use zeroize::Zeroizing;

use crate::blob_signer::BlobSigner;
use crate::capabilities::gcs_capabilities;
use crate::credential::{Credential, Signer, SignerKind};
use crate::endpoint::{UrlStyle, for_universe, parse_origin};
use crate::presigner::GcsPresigner;
use crate::service_account::{APPLICATION_CREDENTIALS_ENV, ServiceAccountKey};
use presign_core::endpoint::Scheme;

/// The default universe domain.
pub const DEFAULT_UNIVERSE_DOMAIN: &str = "googleapis.com";

enum KeySource {
    Json(Zeroizing<String>),
    File(PathBuf),
    Missing(String),
}

/// Builds a [`GcsPresigner`]. Setters never fail; [`GcsPresignerBuilder::build`] checks
/// everything (and parses the service-account key, once) and names what is wrong.
///
/// Configuration fields map one to one: `bucket`, `service_account` / `service_account_file`
/// ([`service_account_json`](Self::service_account_json) /
/// [`service_account_file`](Self::service_account_file)), `hmac_access_id` + `hmac_secret`
/// ([`hmac_key`](Self::hmac_key)), `signer` ([`signer`](Self::signer)), `endpoint`,
/// `url_style`, `bucket_bound_hostname`, `universe_domain`, and the `STORAGE_EMULATOR_HOST` value
/// the caller read ([`emulator_host`](Self::emulator_host)).
#[derive(Default)]
pub struct GcsPresignerBuilder {
    name: Option<String>,
    bucket: Option<String>,
    key: Option<KeySource>,
    hmac: Option<(String, SecretString)>,
    blob: Option<Arc<dyn BlobSigner>>,
    signer: Option<SignerKind>,
    endpoint: Option<String>,
    url_style: Option<UrlStyle>,
    bucket_bound_hostname: Option<String>,
    universe_domain: Option<String>,
    emulator_host: Option<String>,
    clock: Option<SharedClock>,
}

impl fmt::Debug for GcsPresignerBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let key = match &self.key {
            None => "none".to_owned(),
            Some(KeySource::Json(_)) => "inline JSON [REDACTED]".to_owned(),
            Some(KeySource::File(p)) => format!("file {}", p.display()),
            Some(KeySource::Missing(why)) => format!("missing: {why}"),
        };
        f.debug_struct("GcsPresignerBuilder")
            .field("name", &self.name)
            .field("bucket", &self.bucket)
            .field("service_account", &key)
            .field("hmac_access_id", &self.hmac.as_ref().map(|(id, _)| id))
            .field("blob_signer", &self.blob)
            .field("signer", &self.signer)
            .field("endpoint", &self.endpoint)
            .field("url_style", &self.url_style)
            .field("bucket_bound_hostname", &self.bucket_bound_hostname)
            .field("universe_domain", &self.universe_domain)
            .field("emulator_host", &self.emulator_host)
            .finish_non_exhaustive()
    }
}

fn check_bucket(bucket: &str) -> Result<(), Error> {
    let bad = |reason: &str| Error::invalid_input("bucket", format!("{bucket:?}: {reason}"));
    if !(3..=222).contains(&bucket.len()) {
        return Err(bad("a GCS bucket name has 3 to 222 characters"));
    }
    if !bucket
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.'))
    {
        return Err(bad(
            "a GCS bucket name has only lower-case letters, digits, '-', '_' and '.'",
        ));
    }
    let edge_ok = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    if !edge_ok(bucket.bytes().next()) || !edge_ok(bucket.bytes().last()) {
        return Err(bad(
            "a GCS bucket name starts and ends with a letter or digit",
        ));
    }
    Ok(())
}

impl GcsPresignerBuilder {
    /// The provider name used in capabilities and errors (default `gcs`).
    #[must_use]
    pub fn name(mut self, name: &str) -> Self {
        self.name = Some(name.to_owned());
        self
    }

    /// The bucket (required).
    #[must_use]
    pub fn bucket(mut self, bucket: &str) -> Self {
        self.bucket = Some(bucket.to_owned());
        self
    }

    /// A service-account JSON key (`client_email` + PKCS#8 `private_key`), signing with
    /// `GOOG4-RSA-SHA256`. Parsed once, in `build`; the text is zeroized afterwards.
    #[must_use]
    pub fn service_account_json(mut self, json: &str) -> Self {
        self.key = Some(KeySource::Json(Zeroizing::new(json.to_owned())));
        self
    }

    /// A service-account JSON key file, read and parsed once, in `build`.
    #[must_use]
    pub fn service_account_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.key = Some(KeySource::File(path.into()));
        self
    }

    /// The key file named by `GOOGLE_APPLICATION_CREDENTIALS`, read now from the process
    /// environment (the only place this crate reads the environment, and only when asked).
    #[must_use]
    pub fn application_default_credentials(mut self) -> Self {
        self.key = Some(match std::env::var_os(APPLICATION_CREDENTIALS_ENV) {
            Some(p) if !p.is_empty() => KeySource::File(PathBuf::from(p)),
            _ => KeySource::Missing(format!("{APPLICATION_CREDENTIALS_ENV} is not set")),
        });
        self
    }

    /// A GCS HMAC key (access id and secret), signing with `GOOG4-HMAC-SHA256`.
    #[must_use]
    pub fn hmac_key(mut self, access_id: &str, secret: SecretString) -> Self {
        self.hmac = Some((access_id.to_owned(), secret));
        self
    }

    /// A remote signer (IAM `signBlob`, see `IamSignBlob` with feature `sign-blob`),
    /// signing with `GOOG4-RSA-SHA256` as its service account.
    #[must_use]
    pub fn blob_signer(mut self, signer: Arc<dyn BlobSigner>) -> Self {
        self.blob = Some(signer);
        self
    }

    /// Which signer to use when more than one is configured (`key` or `sign-blob`).
    #[must_use]
    pub fn signer(mut self, kind: SignerKind) -> Self {
        self.signer = Some(kind);
        self
    }

    /// A custom endpoint, `[http://|https://]host[:port]` (https when no scheme is given). It
    /// takes precedence over the emulator host and the universe domain.
    #[must_use]
    pub fn endpoint(mut self, endpoint: &str) -> Self {
        self.endpoint = Some(endpoint.to_owned());
        self
    }

    /// The URL style (default path style; bucket-bound when only a bucket-bound hostname is
    /// given).
    #[must_use]
    pub fn url_style(mut self, style: UrlStyle) -> Self {
        self.url_style = Some(style);
        self
    }

    /// The bucket-bound hostname, `[http://|https://]host[:port]` (https by default).
    #[must_use]
    pub fn bucket_bound_hostname(mut self, hostname: &str) -> Self {
        self.bucket_bound_hostname = Some(hostname.to_owned());
        self
    }

    /// The universe domain (default `googleapis.com`): the endpoint becomes
    /// `https://storage.DOMAIN`.
    #[must_use]
    pub fn universe_domain(mut self, domain: &str) -> Self {
        self.universe_domain = Some(domain.to_owned());
        self
    }

    /// The emulator host, as in `STORAGE_EMULATOR_HOST` (`[scheme://]host[:port]`, http when
    /// no scheme is given). The caller reads the variable; signing never does. The endpoint
    /// takes precedence over it.
    #[must_use]
    pub fn emulator_host(mut self, host: &str) -> Self {
        self.emulator_host = Some(host.to_owned());
        self
    }

    /// The clock that gives the signing time (default: the system clock).
    #[must_use]
    pub fn clock(mut self, clock: SharedClock) -> Self {
        self.clock = Some(clock);
        self
    }

    fn credential(&mut self, name: &str) -> Result<Credential, Error> {
        let cred_err = |reason: String| Error::Credentials {
            provider: name.to_owned(),
            reason,
        };
        let key = self.key.take();
        let hmac = self.hmac.take();
        let blob = self.blob.take();
        match self.signer {
            Some(SignerKind::SignBlob) => {
                return blob.map(|b| Credential::new(Signer::Blob(b))).ok_or_else(|| {
                    cred_err(
                        "signer = \"sign-blob\" needs a blob signer (IamSignBlob with the sign-blob feature, or your own BlobSigner)".into(),
                    )
                });
            }
            Some(SignerKind::Key) | None => {}
        }
        match (key, hmac) {
            (Some(_), Some(_)) => Err(cred_err(
                "both a service-account key and an HMAC key are configured; give one".into(),
            )),
            (Some(KeySource::Json(json)), None) => {
                ServiceAccountKey::from_json(name, &json).map(|k| Credential::new(Signer::ServiceAccount(k)))
            }
            (Some(KeySource::File(path)), None) => {
                ServiceAccountKey::from_file(name, &path).map(|k| Credential::new(Signer::ServiceAccount(k)))
            }
            (Some(KeySource::Missing(why)), None) => Err(cred_err(why)),
            (None, Some((id, secret))) => {
                if id.is_empty() || secret.is_empty() {
                    return Err(cred_err(
                        "the HMAC access id and secret must both be non-empty".into(),
                    ));
                }
                // The id goes into X-Goog-Credential; never shown (it may be a swapped secret).
                if id.chars().any(|c| !c.is_ascii_graphic() || c == '/') {
                    return Err(cred_err(
                        "the HMAC access id must be printable ASCII without '/' or control characters".into(),
                    ));
                }
                Ok(Credential::new(Signer::Hmac {
                    access_id: id,
                    secret,
                }))
            }
            (None, None) => match (self.signer, blob) {
                (None, Some(b)) => Ok(Credential::new(Signer::Blob(b))),
                _ => Err(cred_err(
                    "no credentials: give service_account, service_account_file, hmac_access_id + hmac_secret, or signer = \"sign-blob\"".into(),
                )),
            },
        }
    }

    /// Checks everything and builds the presigner.
    pub fn build(mut self) -> Result<GcsPresigner, Error> {
        let name = self.name.take().unwrap_or_else(|| "gcs".to_owned());
        let bucket = self
            .bucket
            .take()
            .ok_or_else(|| Error::invalid_input("bucket", "a GCS provider needs a bucket"))?;
        check_bucket(&bucket)?;
        let style = self
            .url_style
            .unwrap_or(if self.bucket_bound_hostname.is_some() {
                UrlStyle::BucketBoundHostname
            } else {
                UrlStyle::Path
            });
        let (origin, path_prefix) = match style {
            UrlStyle::BucketBoundHostname => {
                let host = self.bucket_bound_hostname.as_deref().ok_or_else(|| {
                    Error::invalid_input(
                        "bucket_bound_hostname",
                        "url_style = \"bucket-bound\" needs bucket_bound_hostname",
                    )
                })?;
                (
                    parse_origin("bucket_bound_hostname", host, Scheme::Https)?,
                    String::new(),
                )
            }
            UrlStyle::Path | UrlStyle::VirtualHosted => {
                if self.bucket_bound_hostname.is_some() {
                    return Err(Error::invalid_input(
                        "bucket_bound_hostname",
                        format!(
                            "is set but url_style is {style}; use url_style = \"bucket-bound\" or drop it"
                        ),
                    ));
                }
                let base = if let Some(e) = &self.endpoint {
                    parse_origin("endpoint", e, Scheme::Https)?
                } else if let Some(e) = &self.emulator_host {
                    parse_origin("emulator_host", e, Scheme::Http)?
                } else {
                    for_universe(
                        self.universe_domain
                            .as_deref()
                            .unwrap_or(DEFAULT_UNIVERSE_DOMAIN),
                    )?
                };
                if style == UrlStyle::VirtualHosted {
                    (base.with_subdomain(&bucket), String::new())
                } else {
                    (base, format!("/{bucket}"))
                }
            }
        };
        let credential = self.credential(&name)?;
        Ok(GcsPresigner {
            caps: gcs_capabilities(&name),
            name: name.into(),
            bucket,
            credential,
            style,
            origin,
            path_prefix,
            clock: self.clock.take().unwrap_or_else(system_clock),
        })
    }
}
