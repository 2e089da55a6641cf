//! [`Credentials`]: a static access key, optionally temporary (session token, expiry).

use std::fmt;

use presign_core::{Error, SecretString, Timestamp};

/// An access key id and secret access key, with the session token and expiry of temporary
/// credentials. `Debug` shows only the access key id and the expiry.
///
/// ```
/// use presign_s3::Credentials;
/// let c = Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
///     .with_session_token("token");
/// assert_eq!(c.access_key_id(), "AKIAIOSFODNN7EXAMPLE");
/// assert!(!format!("{c:?}").contains("wJalr"));
/// ```
#[derive(Clone)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: SecretString,
    session_token: Option<SecretString>,
    expires_at: Option<Timestamp>,
}

impl Credentials {
    /// Long-term credentials.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<SecretString>,
    ) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: None,
            expires_at: None,
        }
    }

    /// Adds the session token of temporary credentials (signed into URLs as
    /// `X-Amz-Security-Token`).
    #[must_use]
    pub fn with_session_token(mut self, token: impl Into<SecretString>) -> Self {
        self.session_token = Some(token.into());
        self
    }

    /// Sets when the credentials expire; no URL is signed that outlives them.
    #[must_use]
    pub fn with_expiry(mut self, expires_at: Timestamp) -> Self {
        self.expires_at = Some(expires_at);
        self
    }

    /// The access key id (public).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// When the credentials expire, if they are temporary.
    pub fn expires_at(&self) -> Option<Timestamp> {
        self.expires_at
    }

    pub(crate) fn secret_access_key(&self) -> &SecretString {
        &self.secret_access_key
    }

    pub(crate) fn session_token(&self) -> Option<&str> {
        self.session_token.as_ref().map(SecretString::expose_secret)
    }

    /// Checks the shape of the key id, secret and token; errors name the provider.
    pub(crate) fn validate(&self, provider: &str) -> Result<(), Error> {
        let bad = |reason: String| Error::Credentials {
            provider: provider.to_owned(),
            reason,
        };
        let id = &self.access_key_id;
        if id.is_empty() {
            return Err(bad("the access key id is empty".into()));
        }
        // The values are never shown: a swapped id/secret pair would print the secret.
        if id.chars().any(|c| !c.is_ascii_graphic() || c == '/') {
            return Err(bad(
                "the access key id must be printable ASCII without '/' (is it the secret access key?)"
                    .into(),
            ));
        }
        if self.secret_access_key.is_empty() {
            return Err(bad("the secret access key is empty".into()));
        }
        if let Some(t) = &self.session_token
            && (t.is_empty() || t.expose_secret().chars().any(char::is_control))
        {
            return Err(bad(
                "the session token is empty or contains control characters".into(),
            ));
        }
        Ok(())
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"[REDACTED]")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "[REDACTED]"),
            )
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_and_validation_names_the_problem() {
        let c = Credentials::new("AK", "SECRETVALUE").with_session_token("TOKENVALUE");
        let d = format!("{c:?}");
        assert!(
            !d.contains("SECRETVALUE") && !d.contains("TOKENVALUE"),
            "{d}"
        );
        assert!(c.validate("s3").is_ok());
        let e = Credentials::new("", "x")
            .validate("s3")
            .unwrap_err()
            .to_string();
        assert!(e.contains("empty") && e.contains("s3"), "{e}");
        let e = Credentials::new("A/K", "x")
            .validate("s3")
            .unwrap_err()
            .to_string();
        assert!(e.contains("'/'"), "{e}");
        let e = Credentials::new("AK", "")
            .validate("s3")
            .unwrap_err()
            .to_string();
        assert!(e.contains("secret"), "{e}");
    }
}
