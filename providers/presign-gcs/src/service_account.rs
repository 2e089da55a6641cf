//! Service-account JSON keys: `client_email` and a PKCS#8 PEM `private_key`, parsed once.

use std::path::Path;

use base64::Engine as _;
use presign_core::Error;
use presign_core::secret::{MAX_SECRET_FILE_BYTES, read_secret_file};
use serde::Deserialize;
use zeroize::Zeroizing;

use crate::rsa::RsaKey;

/// The environment variable that names a service-account key file (Application Default
/// Credentials).
pub const APPLICATION_CREDENTIALS_ENV: &str = "GOOGLE_APPLICATION_CREDENTIALS";

#[derive(Deserialize)]
struct RawKey {
    #[serde(rename = "type")]
    kind: Option<String>,
    client_email: Option<String>,
    private_key: Option<String>,
}

/// A parsed service-account key: the signer's e-mail and its RSA key. The private key is held
/// by the crypto backend, never printed.
pub(crate) struct ServiceAccountKey {
    pub(crate) client_email: String,
    pub(crate) key: RsaKey,
}

impl std::fmt::Debug for ServiceAccountKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceAccountKey")
            .field("client_email", &self.client_email)
            .field("key", &"[REDACTED]")
            .finish()
    }
}

fn cred_err(provider: &str, reason: impl Into<String>) -> Error {
    Error::Credentials {
        provider: provider.to_owned(),
        reason: reason.into(),
    }
}

impl ServiceAccountKey {
    /// Parses a service-account JSON key. Errors name the missing field, never the key.
    pub(crate) fn from_json(provider: &str, json: &str) -> Result<Self, Error> {
        let raw: RawKey = serde_json::from_str(json).map_err(|e| {
            cred_err(
                provider,
                format!(
                    "the service-account key is not valid JSON (line {}, column {})",
                    e.line(),
                    e.column()
                ),
            )
        })?;
        let private_key = Zeroizing::new(raw.private_key.unwrap_or_default());
        if let Some(kind) = raw.kind.as_deref()
            && kind != "service_account"
        {
            return Err(cred_err(
                provider,
                format!(
                    "the key file is of type {kind:?}, not \"service_account\"; signing URLs needs a service-account key, an HMAC key, or signer = \"sign-blob\""
                ),
            ));
        }
        let client_email = raw.client_email.unwrap_or_default();
        if client_email.is_empty() {
            return Err(cred_err(
                provider,
                "the service-account key has no client_email",
            ));
        }
        if private_key.is_empty() {
            return Err(cred_err(
                provider,
                "the service-account key has no private_key",
            ));
        }
        let der = pem_to_der(provider, &private_key)?;
        let key = RsaKey::from_pkcs8(provider, &der)?;
        Ok(ServiceAccountKey { client_email, key })
    }

    /// Reads and parses a key file: a regular file of at most 64 KiB.
    pub(crate) fn from_file(provider: &str, path: &Path) -> Result<Self, Error> {
        let text = read_secret_file(path, MAX_SECRET_FILE_BYTES).map_err(|e| {
            cred_err(
                provider,
                format!(
                    "cannot use service-account key file {}: {e}",
                    path.display()
                ),
            )
        })?;
        ServiceAccountKey::from_json(provider, text.expose_secret())
    }
}

/// The DER bytes of a `-----BEGIN PRIVATE KEY-----` PEM block, zeroized on drop.
fn pem_to_der(provider: &str, pem: &str) -> Result<Zeroizing<Vec<u8>>, Error> {
    const BEGIN: &str = "-----BEGIN PRIVATE KEY-----";
    const END: &str = "-----END PRIVATE KEY-----";
    let body = pem
        .split_once(BEGIN)
        .and_then(|(_, rest)| rest.split_once(END))
        .map(|(body, _)| body)
        .ok_or_else(|| {
            let hint = if pem.contains("BEGIN RSA PRIVATE KEY") {
                " (found a PKCS#1 \"RSA PRIVATE KEY\"; convert it with `openssl pkcs8 -topk8 -nocrypt`)"
            } else {
                ""
            };
            cred_err(
                provider,
                format!("private_key is not a PKCS#8 PEM block{hint}"),
            )
        })?;
    let compact: Zeroizing<String> =
        Zeroizing::new(body.chars().filter(|c| !c.is_ascii_whitespace()).collect());
    base64::engine::general_purpose::STANDARD
        .decode(compact.as_bytes())
        .map(Zeroizing::new)
        .map_err(|_| cred_err(provider, "private_key's PEM body is not valid base64"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_field_not_the_key() {
        let e = ServiceAccountKey::from_json("gcs", "{")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not valid JSON"), "{e}");
        let e = ServiceAccountKey::from_json("gcs", r#"{"type":"authorized_user"}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("authorized_user"), "{e}");
        let e = ServiceAccountKey::from_json("gcs", r#"{"private_key":"x"}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("client_email"), "{e}");
        let e = ServiceAccountKey::from_json(
            "gcs",
            r#"{"client_email":"a@b","private_key":"SECRETSTUFF"}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("PKCS#8") && !e.contains("SECRETSTUFF"), "{e}");
        let e = ServiceAccountKey::from_json(
            "gcs",
            "{\"client_email\":\"a@b\",\"private_key\":\"-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----\\n\"}",
        )
        .unwrap_err();
        assert_eq!(e.kind(), "credentials");
    }
}
