//! The three signers behind one provider: service-account key (RSA), HMAC key, IAM signBlob.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use presign_core::{Error, Timestamp};

use crate::blob_signer::BlobSigner;
use crate::hmac_key::HmacKey;
use crate::service_account::ServiceAccountKey;
use crate::v4::{ALGORITHM_HMAC, ALGORITHM_RSA};

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

/// The credential a presigner signs with.
pub(crate) enum Credential {
    ServiceAccount(ServiceAccountKey),
    Hmac(HmacKey),
    Blob(Arc<dyn BlobSigner>),
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credential::ServiceAccount(k) => f.debug_tuple("ServiceAccount").field(k).finish(),
            Credential::Hmac(k) => f.debug_tuple("Hmac").field(k).finish(),
            Credential::Blob(b) => f.debug_tuple("SignBlob").field(&b.email()).finish(),
        }
    }
}

impl Credential {
    pub(crate) fn algorithm(&self) -> &'static str {
        match self {
            Credential::Hmac(_) => ALGORITHM_HMAC,
            Credential::ServiceAccount(_) | Credential::Blob(_) => ALGORITHM_RSA,
        }
    }

    /// The `X-Goog-Credential` id: service-account e-mail or HMAC access id.
    pub(crate) fn id(&self) -> &str {
        match self {
            Credential::ServiceAccount(k) => &k.client_email,
            Credential::Hmac(k) => &k.access_id,
            Credential::Blob(b) => b.email(),
        }
    }

    /// Signs locally when possible; `None` for a remote signer.
    pub(crate) fn sign_local(
        &self,
        provider: &str,
        time: Timestamp,
        string_to_sign: &str,
    ) -> Option<Result<Signature, Error>> {
        match self {
            Credential::ServiceAccount(k) => Some(
                k.key
                    .sign(provider, string_to_sign.as_bytes())
                    .map(Signature::Bytes),
            ),
            Credential::Hmac(k) => {
                Some(Ok(Signature::Mac(k.sign(time, string_to_sign.as_bytes()))))
            }
            Credential::Blob(_) => None,
        }
    }

    /// Signs, remotely if need be.
    pub(crate) async fn sign(
        &self,
        provider: &str,
        time: Timestamp,
        string_to_sign: &str,
    ) -> Result<Signature, Error> {
        match self {
            Credential::Blob(b) => b
                .sign_blob(string_to_sign.as_bytes())
                .await
                .map(Signature::Bytes),
            local => local
                .sign_local(provider, time, string_to_sign)
                .unwrap_or_else(|| {
                    Err(Error::Provider {
                        provider: provider.to_owned(),
                        reason: "no signer".into(),
                    })
                }),
        }
    }
}
