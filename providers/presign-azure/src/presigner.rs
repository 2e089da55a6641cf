//! [`AzurePresigner`]: blob SAS URLs, signed with the account key or a user-delegation key.

use std::time::Duration;

use async_trait::async_trait;
use presign_core::encoding::{EncodeSet, encode, encode_into};
use presign_core::explain::Explanation;
use presign_core::secret::SecretBytes;
use presign_core::{
    Capabilities, ClientIp, ConstraintKind, Constraints, Credential as Snapshot, CredentialCache,
    Error, Method, Prepare, PresignRequest, PresignedRequest, Presigner, SharedClock, Support,
    SyncPresigner, Timestamp,
};

use crate::builder::AzurePresignerBuilder;
use crate::delegation::CachedKey;
use crate::endpoint::Endpoint;
use crate::names::validate_blob;
use crate::permissions::permissions_for;
use crate::sas::{SIGNED_VERSION, Sas};

/// What signs the SAS.
#[derive(Debug)]
pub(crate) enum Credential {
    /// The storage account key, decoded.
    AccountKey(SecretBytes),
    /// User-delegation keys, cached and refreshed by core's shared cache.
    UserDelegation(CredentialCache<CachedKey>),
}

/// Presigns Azure Blob Storage URLs for one container: a service SAS (`sr=b`) signed with the
/// account key, or a user-delegation SAS signed with a cached user-delegation key.
///
/// Service version `sv=2026-10-06` ([`crate::SIGNED_VERSION`]). Permissions are least-privilege per
/// method (see [`crate::permissions_for`]); the constraints it enforces are listed in
/// [`crate::capabilities::azure_capabilities`]. Any constraint it cannot enforce is refused
/// with [`Error::ConstraintNotEnforced`]; wrap it in the policy layer to drop such constraints
/// in best-effort mode instead. PUT URLs carry the required header `x-ms-blob-type: BlockBlob`
/// in [`PresignedRequest::headers`].
///
/// ```
/// use presign_azure::AzurePresigner;
/// use presign_core::{FixedClock, PresignRequest, SecretString, SyncPresigner, Timestamp};
/// use std::sync::Arc;
///
/// let now = Timestamp::parse_rfc3339("2024-05-01T12:00:00Z")?;
/// let p = AzurePresigner::builder()
///     .account("devstoreaccount1")
///     .container("presign-test")
///     .account_key(SecretString::new("a2V5"))
///     .endpoint("http://127.0.0.1:10000/devstoreaccount1")
///     .clock(Arc::new(FixedClock(now)))
///     .build()?;
/// let signed = p.presign_sync(&PresignRequest::parse("GET", "a b.txt")?)?;
/// assert_eq!(
///     signed.redacted_url(),
///     "http://127.0.0.1:10000/devstoreaccount1/presign-test/a%20b.txt?sv=2026-10-06&sr=b&sp=r\
///      &se=2024-05-01T12%3A05%3A00Z&spr=https%2Chttp&sig=REDACTED"
/// );
/// # Ok::<(), presign_core::Error>(())
/// ```
#[derive(Debug)]
pub struct AzurePresigner {
    pub(crate) name: std::sync::Arc<str>,
    pub(crate) account: String,
    pub(crate) container: String,
    endpoint: Endpoint,
    pub(crate) credential: Credential,
    stored_access_policy: Option<String>,
    start_backdate: Option<Duration>,
    clock: SharedClock,
    caps: Capabilities,
    /// `/blob/ACCOUNT/CONTAINER/`.
    pub(crate) resource_prefix: String,
    /// `ENDPOINT/CONTAINER/` (container percent-encoded).
    url_prefix: String,
}

/// The per-request values, checked.
struct Plan<'r> {
    sas: Sas<'r>,
    signed_at: Timestamp,
}

impl AzurePresigner {
    /// A builder; see [`AzurePresignerBuilder`].
    pub fn builder() -> AzurePresignerBuilder {
        AzurePresignerBuilder::default()
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) fn assemble(
        name: String,
        account: String,
        container: String,
        endpoint: Endpoint,
        credential: Credential,
        stored_access_policy: Option<String>,
        start_backdate: Option<Duration>,
        clock: SharedClock,
        caps: Capabilities,
    ) -> Self {
        let resource_prefix = format!("/blob/{account}/{container}/");
        let url_prefix = format!(
            "{}/{}/",
            endpoint.base(),
            encode(&container, EncodeSet::Component)
        );
        AzurePresigner {
            name: name.into(),
            account,
            container,
            endpoint,
            credential,
            stored_access_policy,
            start_backdate,
            clock,
            caps,
            resource_prefix,
            url_prefix,
        }
    }

    /// The storage account.
    pub fn account(&self) -> &str {
        &self.account
    }

    /// The container.
    pub fn container(&self) -> &str {
        &self.container
    }

    /// The blob endpoint.
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Whether this presigner signs user-delegation SASes (rather than with the account key).
    pub fn is_user_delegation(&self) -> bool {
        matches!(self.credential, Credential::UserDelegation(_))
    }

    /// Where the signing key comes from, without any secret (what `presign providers` shows):
    /// `account key (static)`, or the user-delegation keys' source and cache.
    pub fn credential_source_description(&self) -> String {
        match &self.credential {
            Credential::AccountKey(_) => "account key (static)".to_owned(),
            Credential::UserDelegation(cache) => cache.describe(),
        }
    }

    /// When the key that would sign now expires (`None`: the account key), fetching a
    /// user-delegation key through the cache if none is fresh (what `presign providers` shows).
    pub async fn credentials_expire_at(&self) -> Result<Option<Timestamp>, Error> {
        match &self.credential {
            Credential::AccountKey(_) => Ok(None),
            Credential::UserDelegation(cache) => Ok(cache.get().await?.expires_at()),
        }
    }

    /// The user-delegation key snapshot for a synchronous call: `None` for an account key, the
    /// fresh cached key, or [`Error::WouldBlock`] when one must be fetched first.
    fn snapshot_now(&self) -> Result<Option<Snapshot<CachedKey>>, Error> {
        match &self.credential {
            Credential::AccountKey(_) => Ok(None),
            Credential::UserDelegation(cache) => {
                cache.peek().map(Some).ok_or_else(|| Error::WouldBlock {
                    provider: self.name.to_string(),
                    reason: "a user-delegation key must be fetched or refreshed first".into(),
                })
            }
        }
    }

    /// The user-delegation key snapshot for an asynchronous call (`None` for an account key).
    async fn snapshot(&self) -> Result<Option<Snapshot<CachedKey>>, Error> {
        match &self.credential {
            Credential::AccountKey(_) => Ok(None),
            Credential::UserDelegation(cache) => cache.get().await.map(Some),
        }
    }

    /// The string-to-sign of `request` with the key `ud` (no secret in it).
    fn string_to_sign(
        &self,
        request: &PresignRequest,
        ud: Option<&Snapshot<CachedKey>>,
    ) -> Result<String, Error> {
        let now = request.signing_time.unwrap_or_else(|| self.clock.now());
        let mut plan = self.plan(request, now)?;
        plan.sas.delegation = self.delegation_key(&plan, ud)?;
        let mut sts = String::with_capacity(256 + request.key.len());
        plan.sas
            .write_string_to_sign(&self.resource_prefix, request.key.as_str(), &mut sts);
        Ok(sts)
    }

    /// Checks the request and works out every SAS field except the delegation key.
    fn plan<'r>(&'r self, request: &'r PresignRequest, now: Timestamp) -> Result<Plan<'r>, Error> {
        let c = &request.constraints;
        if !self.caps.methods().contains(request.method) {
            return Err(Error::UnsupportedMethod {
                provider: self.name.to_string(),
                method: request.method,
            });
        }
        // The fast test skips the generic scan (about 150 ns) in the common case; the scan,
        // driven by the capabilities, names the constraint.
        if may_have_unenforced(c) {
            for kind in c.requested() {
                let support = self.caps.support(kind);
                if support != Support::Enforced {
                    return Err(Error::ConstraintNotEnforced {
                        constraint: kind,
                        provider: self.name.to_string(),
                        support,
                    });
                }
            }
        }
        validate_blob(&request.key)?;
        let version_id = c.version.as_deref();
        if let Some(v) = version_id
            && (v.is_empty() || v.len() > 64 || !v.bytes().all(|b| b.is_ascii_graphic()))
        {
            return Err(Error::invalid_constraint(
                ConstraintKind::ObjectVersion,
                "a blob version id is 1 to 64 printable ASCII characters (like 2024-01-02T03:04:05.1234567Z)",
            ));
        }
        let permissions = permissions_for(
            request.method,
            c.create_only,
            version_id.is_some(),
            &self.name,
        )?;
        let ttl = request.ttl_or_default();
        if ttl.is_zero() || ttl > self.caps.max_ttl() {
            return Err(Error::InvalidTtl {
                ttl,
                reason: format!(
                    "provider {} signs time-to-lives from 1 second to {}",
                    self.name,
                    presign_core::duration::format_duration(self.caps.max_ttl())
                ),
            });
        }
        let expiry = now.checked_add(ttl).ok_or_else(|| Error::InvalidTtl {
            ttl,
            reason: "the expiry would be after year 9999".into(),
        })?;
        let start = match (c.not_before, self.start_backdate) {
            (Some(nb), _) => {
                if nb >= expiry {
                    return Err(Error::invalid_constraint(
                        ConstraintKind::NotBefore,
                        format!("not-before {nb} is not before the expiry {expiry}"),
                    ));
                }
                Some(nb)
            }
            (None, Some(b)) => Some(now.saturating_sub(b)),
            (None, None) => None,
        };
        let ip = match c.client_ip {
            Some(ip @ ClientIp::V4 { .. }) => Some(ip),
            Some(ClientIp::V6 { .. }) => {
                return Err(Error::ConstraintNotEnforced {
                    constraint: ConstraintKind::ClientIpV6,
                    provider: self.name.to_string(),
                    support: Support::Unsupported,
                });
            }
            None => None,
        };
        let r = &c.response;
        let overrides = [
            r.cache_control.as_deref(),
            r.content_disposition.as_deref(),
            r.content_encoding.as_deref(),
            r.content_language.as_deref(),
            r.content_type.as_deref(),
        ];
        if let Some((kind, _)) = r.iter().find(|(_, v)| v.chars().any(char::is_control)) {
            return Err(Error::invalid_constraint(
                kind,
                "a response header value cannot contain control characters (such as line breaks)",
            ));
        }
        Ok(Plan {
            sas: Sas {
                permissions,
                start,
                expiry,
                identifier: self.stored_access_policy.as_deref(),
                ip,
                https_only: c.https_only,
                version_id,
                overrides,
                delegation: None,
            },
            signed_at: now,
        })
    }

    /// The user-delegation key of the snapshot for this plan (None for an account-key SAS);
    /// refuses a SAS that would outlive the key.
    fn delegation_key<'k>(
        &self,
        plan: &Plan<'_>,
        ud: Option<&'k Snapshot<CachedKey>>,
    ) -> Result<Option<&'k CachedKey>, Error> {
        let Some(key) = ud.map(Snapshot::value) else {
            return Ok(None);
        };
        if plan.sas.expiry > key.expires_at {
            return Err(Error::CredentialsExpireFirst {
                provider: self.name.to_string(),
                expires_at: plan.sas.expiry,
                credentials_expire_at: key.expires_at,
            });
        }
        Ok(Some(key))
    }

    /// Signs `request` with the account key or the user-delegation key snapshot `ud`.
    fn sign_with(
        &self,
        request: &PresignRequest,
        ud: Option<&Snapshot<CachedKey>>,
    ) -> Result<PresignedRequest, Error> {
        let now = request.signing_time.unwrap_or_else(|| self.clock.now());
        let mut plan = self.plan(request, now)?;
        plan.sas.delegation = self.delegation_key(&plan, ud)?;
        let key: &[u8] = match (&self.credential, plan.sas.delegation) {
            (_, Some(k)) => k.key.expose_secret(),
            (Credential::AccountKey(k), None) => k.expose_secret(),
            (Credential::UserDelegation(_), None) => {
                return Err(Error::Credentials {
                    provider: self.name.to_string(),
                    reason: "no user delegation key".into(),
                });
            }
        };
        let blob = request.key.as_str();
        let mut sts = String::with_capacity(self.resource_prefix.len() + blob.len() + 160);
        let spans = plan
            .sas
            .write_string_to_sign(&self.resource_prefix, blob, &mut sts);
        let mut url = String::with_capacity(self.url_prefix.len() + blob.len() * 3 + 200);
        url.push_str(&self.url_prefix);
        encode_blob_path(&mut url, blob);
        url.push('?');
        plan.sas.write_query(&sts, &spans, key, &mut url);
        let headers = if request.method == Method::Put {
            vec![("x-ms-blob-type".to_owned(), "BlockBlob".to_owned())]
        } else {
            Vec::new()
        };
        Ok(PresignedRequest::new(
            request.method,
            url,
            headers,
            plan.signed_at,
            plan.sas.expiry,
            std::sync::Arc::clone(&self.name),
        )
        .with_secret_params(crate::SECRET_PARAMS))
    }
}

#[async_trait]
impl Presigner for AzurePresigner {
    fn capabilities(&self) -> &Capabilities {
        &self.caps
    }

    async fn presign_with(
        &self,
        request: &PresignRequest,
        prepare: &mut dyn Prepare<PresignRequest>,
    ) -> Result<PresignedRequest, Error> {
        let ud = self.snapshot().await?;
        let request = prepare.prepare(request, ud.as_ref().and_then(Snapshot::expires_at))?;
        self.sign_with(&request, ud.as_ref())
    }

    /// The string-to-sign (service SAS: 16 lines, user-delegation SAS: 28 lines; see
    /// the `sas` module). For a user-delegation SAS this may fetch a key, as presigning would.
    async fn explain_with(
        &self,
        request: &PresignRequest,
        prepare: &mut dyn Prepare<PresignRequest>,
    ) -> Result<Option<Explanation>, Error> {
        let algorithm = if self.is_user_delegation() {
            format!("Azure user-delegation SAS {SIGNED_VERSION}")
        } else {
            format!("Azure service SAS {SIGNED_VERSION}")
        };
        let ud = self.snapshot().await?;
        let request = prepare.prepare(request, ud.as_ref().and_then(Snapshot::expires_at))?;
        let sts = self.string_to_sign(&request, ud.as_ref())?;
        Ok(Some(Explanation::new(algorithm, None, sts)))
    }
}

/// Signs with the account key, or with a fresh cached user-delegation key; a key that must
/// first be fetched gives [`Error::WouldBlock`].
impl SyncPresigner for AzurePresigner {
    fn presign_sync_with(
        &self,
        request: &PresignRequest,
        prepare: &mut dyn Prepare<PresignRequest>,
    ) -> Result<PresignedRequest, Error> {
        let ud = self.snapshot_now()?;
        let request = prepare.prepare(request, ud.as_ref().and_then(Snapshot::expires_at))?;
        self.sign_with(&request, ud.as_ref())
    }
}

/// Whether `c` sets any constraint the capabilities do not mark enforced (a superset test:
/// true means "scan", false means "nothing to refuse").
fn may_have_unenforced(c: &Constraints) -> bool {
    c.content_type.is_some()
        || c.content_length.is_some()
        || c.content_md5.is_some()
        || c.checksum.is_some()
        || matches!(c.client_ip, Some(ClientIp::V6 { .. }))
        || c.response.expires.is_some()
        || !c.metadata.is_empty()
        || !c.headers.is_empty()
        || !c.query.is_empty()
}

/// Appends the blob name as a URL path: RFC 3986 percent-encoding with `/` kept, except that
/// the dots of `.` and `..` segments are encoded (`%2E`) so that no client or proxy collapses
/// them; the service decodes them back to the same name.
pub(crate) fn encode_blob_path(out: &mut String, blob: &str) {
    for (i, segment) in blob.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        if segment == "." || segment == ".." {
            for _ in 0..segment.len() {
                out.push_str("%2E");
            }
        } else {
            encode_into(out, segment, EncodeSet::Component);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use presign_core::{Checksum, ChecksumAlgorithm, ContentLength};

    /// Every kind the capabilities do not enforce must trip the fast test.
    #[test]
    fn fast_test_covers_every_unenforced_kind() {
        let caps = crate::capabilities::azure_capabilities("azure");
        for kind in ConstraintKind::ALL {
            let mut c = Constraints::default();
            match kind {
                ConstraintKind::ContentType => c.content_type = Some("a/b".into()),
                ConstraintKind::ContentLengthExact => {
                    c.content_length = Some(ContentLength::Exact(1))
                }
                ConstraintKind::ContentLengthRange => {
                    c.content_length = Some(ContentLength::Range { min: 1, max: 2 })
                }
                ConstraintKind::ContentMd5 => c.content_md5 = Some("x".into()),
                ConstraintKind::Checksum => {
                    c.checksum = Some(Checksum {
                        algorithm: ChecksumAlgorithm::Crc32c,
                        value: "x".into(),
                    })
                }
                ConstraintKind::ClientIpV4 => c.client_ip = ClientIp::parse("1.2.3.4").ok(),
                ConstraintKind::ClientIpV6 => c.client_ip = ClientIp::parse("::1").ok(),
                ConstraintKind::HttpsOnly => c.https_only = true,
                ConstraintKind::ResponseContentDisposition => {
                    c.response.content_disposition = Some("x".into())
                }
                ConstraintKind::ResponseContentType => c.response.content_type = Some("x".into()),
                ConstraintKind::ResponseCacheControl => c.response.cache_control = Some("x".into()),
                ConstraintKind::ResponseContentLanguage => {
                    c.response.content_language = Some("x".into())
                }
                ConstraintKind::ResponseContentEncoding => {
                    c.response.content_encoding = Some("x".into())
                }
                ConstraintKind::ResponseExpires => c.response.expires = Some("x".into()),
                ConstraintKind::CreateOnly => c.create_only = true,
                ConstraintKind::NotBefore => c.not_before = Some(Timestamp::MIN),
                ConstraintKind::ObjectVersion => c.version = Some("v".into()),
                ConstraintKind::Metadata => c.metadata.push(("a".into(), "b".into())),
                ConstraintKind::ExtraHeaders => c.headers.push(("a".into(), "b".into())),
                ConstraintKind::ExtraQuery => c.query.push(("a".into(), "b".into())),
            }
            assert!(c.has(*kind), "{kind} not set by the test");
            assert_eq!(
                may_have_unenforced(&c),
                caps.support(*kind) != Support::Enforced,
                "{kind}"
            );
        }
    }

    #[test]
    fn blob_paths() {
        for (name, want) in [
            ("a b/c+d", "a%20b/c%2Bd"),
            ("./x/../y/.z/", "%2E/x/%2E%2E/y/.z/"),
            ("a//b", "a//b"),
            ("ü#?&=%", "%C3%BC%23%3F%26%3D%25"),
        ] {
            let mut s = String::new();
            encode_blob_path(&mut s, name);
            assert_eq!(s, want, "{name}");
        }
    }
}
