//! The three signers behind one provider (service-account key with RSA, HMAC key, IAM
//! signBlob) and what each needs per day: the credential scope, and for HMAC keys the key
//! derived for it (both from `presign-v4`, cached for the day).

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use presign_core::{Error, SecretString, Timestamp};
use presign_v4::{DayCache, Dialect, Scope, SigningKey};

use crate::blob_signer::BlobSigner;
use crate::request::{LOCATION, SERVICE};
use crate::service_account::ServiceAccountKey;

/// Which kind of signer a configuration asks for (`signer = "key" | "sign-blob"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignerKind {
    /// Sign locally with a service-account key or an HMAC key.
    Key,
    /// Sign remotely through a [`BlobSigner`] (IAM `signBlob`).
    SignBlob,
}

impl FromStr for SignerKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        match s.trim().to_ascii_lowercase().as_str() {
            "key" => Ok(SignerKind::Key),
            "sign-blob" | "signblob" | "sign_blob" => Ok(SignerKind::SignBlob),
            _ => Err(Error::invalid_input(
                "signer",
                format!("{s:?} is not a GCS signer; use key or sign-blob"),
            )),
        }
    }
}

/// A signature: an HMAC on the stack, or RSA bytes.
pub(crate) enum Signature {
    Mac([u8; 32]),
    Bytes(Vec<u8>),
}

impl AsRef<[u8]> for Signature {
    fn as_ref(&self) -> &[u8] {
        match self {
            Signature::Mac(m) => m,
            Signature::Bytes(b) => b,
        }
    }
}

/// Who signs.
pub(crate) enum Signer {
    /// A service-account key: RSA, `GOOG4-RSA-SHA256`.
    ServiceAccount(ServiceAccountKey),
    /// An HMAC key: `GOOG4-HMAC-SHA256` under a key derived per day.
    Hmac {
        access_id: String,
        secret: SecretString,
    },
    /// A remote signer (IAM signBlob): `GOOG4-RSA-SHA256`.
    Blob(Arc<dyn BlobSigner>),
}

/// What signs on one day: the HMAC key derived for it, or the day's scope (RSA, signBlob).
pub(crate) enum DayKey {
    Hmac(Arc<SigningKey>),
    Rsa(Arc<Scope>),
}

impl DayKey {
    pub(crate) fn scope(&self) -> &Scope {
        match self {
            DayKey::Hmac(k) => k.scope(),
            DayKey::Rsa(s) => s,
        }
    }
}

/// The credential a presigner signs with, and its per-day cache.
pub(crate) struct Credential {
    signer: Signer,
    scopes: DayCache<Scope>,
    keys: DayCache<SigningKey>,
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.signer {
            Signer::ServiceAccount(k) => f.debug_tuple("ServiceAccount").field(k).finish(),
            Signer::Hmac { access_id, .. } => f
                .debug_struct("Hmac")
                .field("access_id", access_id)
                .field("secret", &"[REDACTED]")
                .finish(),
            Signer::Blob(b) => f.debug_tuple("SignBlob").field(&b.email()).finish(),
        }
    }
}

impl Credential {
    pub(crate) fn new(signer: Signer) -> Self {
        Credential {
            signer,
            scopes: DayCache::new(),
            keys: DayCache::new(),
        }
    }

    /// The V4 names for this signer.
    pub(crate) fn dialect(&self) -> &'static Dialect {
        match self.signer {
            Signer::Hmac { .. } => &Dialect::GOOG4_HMAC_SHA256,
            Signer::ServiceAccount(_) | Signer::Blob(_) => &Dialect::GOOG4_RSA_SHA256,
        }
    }

    /// The `X-Goog-Credential` id: service-account e-mail or HMAC access id.
    pub(crate) fn id(&self) -> &str {
        match &self.signer {
            Signer::ServiceAccount(k) => &k.client_email,
            Signer::Hmac { access_id, .. } => access_id,
            Signer::Blob(b) => b.email(),
        }
    }

    /// What signs on the day of `time` (cached for the day).
    pub(crate) fn day_key(&self, time: Timestamp) -> DayKey {
        let id = self.id();
        let fits = |s: &Scope| s.matches(id, time, LOCATION, SERVICE);
        match &self.signer {
            Signer::Hmac { secret, .. } => DayKey::Hmac(self.keys.get(
                |k| fits(k.scope()),
                || SigningKey::derive(self.dialect(), id, secret, time, LOCATION, SERVICE),
            )),
            _ => DayKey::Rsa(self.scopes.get(fits, || {
                Scope::new(self.dialect(), id, time, LOCATION, SERVICE)
            })),
        }
    }

    /// Signs the concatenated `parts` locally; `None` for a remote signer.
    pub(crate) fn sign_local(
        &self,
        provider: &str,
        day: &DayKey,
        parts: &[&[u8]],
    ) -> Option<Result<Signature, Error>> {
        match (&self.signer, day) {
            (Signer::Hmac { .. }, DayKey::Hmac(key)) => {
                Some(Ok(Signature::Mac(key.sign_parts(parts))))
            }
            (Signer::ServiceAccount(k), _) => {
                Some(k.key.sign(provider, &parts.concat()).map(Signature::Bytes))
            }
            (Signer::Blob(_), _) => None,
            (Signer::Hmac { .. }, DayKey::Rsa(_)) => Some(Err(Error::Provider {
                provider: provider.to_owned(),
                reason: "no HMAC key for the day".into(),
            })),
        }
    }

    /// Signs the concatenated `parts`, remotely if need be.
    pub(crate) async fn sign(
        &self,
        provider: &str,
        day: &DayKey,
        parts: &[&[u8]],
    ) -> Result<Signature, Error> {
        match &self.signer {
            Signer::Blob(b) => b.sign_blob(&parts.concat()).await.map(Signature::Bytes),
            _ => self.sign_local(provider, day, parts).unwrap_or_else(|| {
                Err(Error::Provider {
                    provider: provider.to_owned(),
                    reason: "no signer".into(),
                })
            }),
        }
    }
}
