//! [`PresignedPost`]: a signed POST policy, its form fields and its validity.

use std::fmt;

use crate::redact::{REDACTED, SecretParam, is_declared_secret, redact_pairs};
use crate::timestamp::Timestamp;

use super::request::Condition;

/// A signed POST policy: the form's action URL, the fields the form must send (in order, before
/// the file field, which comes last), the fields the form must add itself, and the validity.
///
/// The fields include the signature: treat them as a secret. `Debug` redacts the signature and
/// session token; the fields themselves take [`PresignedPost::expose_fields`].
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedPost {
    url: String,
    fields: Vec<(String, String)>,
    client_fields: Vec<Condition>,
    conditions: Vec<Condition>,
    policy_json: String,
    signed_at: Timestamp,
    expires_at: Timestamp,
    provider: String,
    secrets: &'static [SecretParam],
}

impl PresignedPost {
    /// Assembles a result (for providers): the form's `url` and `fields`, the policy's
    /// `conditions` and the exact JSON text that was signed, valid from `signed_at` to
    /// `expires_at`.
    pub fn new(
        url: String,
        fields: Vec<(String, String)>,
        conditions: Vec<Condition>,
        policy_json: String,
        signed_at: Timestamp,
        expires_at: Timestamp,
        provider: impl Into<String>,
    ) -> Self {
        PresignedPost {
            url,
            fields,
            client_fields: Vec::new(),
            conditions,
            policy_json,
            signed_at,
            expires_at,
            provider: provider.into(),
            secrets: &[],
        }
    }

    /// Declares which fields are secret (the provider's `SECRET_PARAMS`: the signature and
    /// session token; the policy itself is not secret), for `Debug` and
    /// [`redacted_fields`](Self::redacted_fields). Without declarations every value but the
    /// key and the policy is hidden.
    #[must_use]
    pub fn with_secret_params(mut self, secrets: &'static [SecretParam]) -> Self {
        self.secrets = secrets;
        self
    }

    /// Records fields the form must add itself (for providers).
    #[must_use]
    pub fn with_client_fields(mut self, fields: Vec<Condition>) -> Self {
        self.client_fields = fields;
        self
    }

    /// The form's `action`: the URL to POST the `multipart/form-data` body to. Not secret.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The form fields, name and value, in the order to send them; the file field goes after
    /// them, last. Contains the signature: do not log it.
    pub fn expose_fields(&self) -> &[(String, String)] {
        &self.fields
    }

    /// The fields, consuming the result. Contains the signature: do not log it.
    pub fn into_exposed_fields(self) -> Vec<(String, String)> {
        self.fields
    }

    /// The value of one field (case-insensitive name). May be a secret (the signature).
    pub fn expose_field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The fields with the signature and session token replaced by `REDACTED`: safe to log.
    pub fn redacted_fields(&self) -> Vec<(&str, &str)> {
        let secret = |name: &str| match self.secrets {
            [] => !name.eq_ignore_ascii_case("key") && !name.eq_ignore_ascii_case("policy"),
            declared => is_declared_secret(declared, name),
        };
        redact_pairs(&self.fields, secret, REDACTED)
    }

    /// Fields the form must add itself because the policy fixes only a prefix (for example a
    /// `Content-Type` starting with `image/`); each must satisfy its condition.
    pub fn client_fields(&self) -> &[Condition] {
        &self.client_fields
    }

    /// The policy's conditions, in signing order.
    pub fn conditions(&self) -> &[Condition] {
        &self.conditions
    }

    /// The policy document's JSON text exactly as signed (the `policy` field is its base64).
    pub fn policy_json(&self) -> &str {
        &self.policy_json
    }

    /// When the policy was signed.
    pub fn signed_at(&self) -> Timestamp {
        self.signed_at
    }

    /// When the policy stops being accepted.
    pub fn expires_at(&self) -> Timestamp {
        self.expires_at
    }

    /// The provider that signed it.
    pub fn provider(&self) -> &str {
        &self.provider
    }
}

impl fmt::Debug for PresignedPost {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PresignedPost")
            .field("url", &self.url)
            .field("fields", &self.redacted_fields())
            .field("client_fields", &self.client_fields)
            .field("signed_at", &self.signed_at)
            .field("expires_at", &self.expires_at)
            .field("provider", &self.provider)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> Timestamp {
        Timestamp::parse_rfc3339("2026-01-02T03:04:05Z").unwrap()
    }

    #[test]
    fn debug_redacts_signature_and_token() {
        let p = PresignedPost::new(
            "http://h/b/".into(),
            vec![
                ("key".into(), "k".into()),
                ("x-amz-security-token".into(), "TOKENVALUE".into()),
                ("policy".into(), "eyJ9".into()),
                ("x-amz-signature".into(), "SIGVALUE".into()),
            ],
            vec![],
            "{}".into(),
            t(),
            t(),
            "s3",
        );
        let d = format!("{p:?}");
        assert!(!d.contains("TOKENVALUE") && !d.contains("SIGVALUE"), "{d}");
        assert!(d.contains("eyJ9"), "the policy is not secret: {d}");
        assert_eq!(p.expose_field("X-Amz-Signature"), Some("SIGVALUE"));
        assert_eq!(p.expires_at(), t());
    }
}
