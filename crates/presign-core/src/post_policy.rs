//! Browser form uploads: POST policies ([`PostPresigner`], [`PostPolicyRequest`],
//! [`PresignedPost`], [`PolicyDocument`]).
//!
//! A POST policy is a signed JSON document listing the conditions a `multipart/form-data` upload
//! must meet (bucket, key or key prefix, size range, content type, ...). The server checks every
//! form field against it. S3 (SigV4, `x-amz-*` fields) and GCS (V4, `x-goog-*` fields,
//! `GOOG4-RSA-SHA256` / `GOOG4-HMAC-SHA256`) share the condition language, so the request, the
//! policy document and the result are provider-neutral; only the field names and the signature
//! differ.
//!
//! ```
//! use presign_core::post_policy::{PostPolicyRequest, PolicyDocument, Condition};
//! use presign_core::Timestamp;
//! use std::time::Duration;
//!
//! let request = PostPolicyRequest::starts_with("uploads/alice/")
//!     .with_ttl(Duration::from_secs(300))
//!     .content_length_range(1, 10 << 20)
//!     .content_type_prefix("image/")
//!     .success_action_status(201);
//! request.validate()?;
//!
//! let doc = PolicyDocument::new(
//!     Timestamp::parse_rfc3339("2026-01-02T03:04:05Z")?,
//!     vec![
//!         Condition::eq("bucket", "photos"),
//!         Condition::starts_with("key", "uploads/alice/"),
//!         Condition::ContentLengthRange { min: 1, max: 10 << 20 },
//!     ],
//! );
//! assert_eq!(
//!     doc.to_json(),
//!     r#"{"expiration":"2026-01-02T03:04:05Z","conditions":[{"bucket":"photos"},["starts-with","$key","uploads/alice/"],["content-length-range",1,10485760]]}"#
//! );
//! # Ok::<(), presign_core::Error>(())
//! ```

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use base64::Engine as _;

use crate::error::{Error, display_key};
use crate::key::{MAX_KEY_BYTES, ObjectKey};
use crate::presigner::Presigner;
use crate::redact::{REDACTED, is_sensitive_param};
use crate::request::DEFAULT_TTL;
use crate::timestamp::Timestamp;

/// Which keys a POST policy admits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyCondition {
    /// Exactly this key (`{"key": "..."}`).
    Exact(ObjectKey),
    /// Any key starting with this prefix (`["starts-with", "$key", "..."]`). The uploader picks
    /// the rest of the key, including `/` and `..` segments: the store keeps keys literally, so
    /// the object stays under the prefix, but readers that normalize paths would not.
    StartsWith(String),
}

/// An exact value or a prefix, for a form field such as `Content-Type`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueCondition {
    /// The field must equal this value; it is part of the returned fields.
    Exact(String),
    /// The field must start with this prefix (`image/`); the form chooses the value and must
    /// send the field itself (see [`PresignedPost::client_fields`]).
    StartsWith(String),
}

/// What to sign: the conditions of one POST policy.
///
/// Provider-neutral: S3 writes the fields as `x-amz-meta-*` and signs with SigV4, GCS as
/// `x-goog-meta-*` with V4. Build one with [`PostPolicyRequest::exact`] or
/// [`PostPolicyRequest::starts_with`] and the `with_*`-style methods.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PostPolicyRequest {
    /// The key, or the key prefix.
    pub key: KeyCondition,
    /// How long the policy stays valid; [`DEFAULT_TTL`] when `None`.
    pub ttl: Option<Duration>,
    /// The least and largest accepted file size in bytes, both included
    /// (`["content-length-range", min, max]`).
    pub content_length_range: Option<(u64, u64)>,
    /// The `Content-Type` the upload must have (exact or prefix).
    pub content_type: Option<ValueCondition>,
    /// The status the server answers a successful upload with (200, 201 or 204).
    pub success_action_status: Option<u16>,
    /// Where the server redirects the browser after a successful upload.
    pub success_action_redirect: Option<String>,
    /// User metadata stored with the object: names without the provider prefix (`owner`
    /// becomes `x-amz-meta-owner` on S3), lower-case; values exact.
    pub metadata: Vec<(String, String)>,
    /// The object's `Cache-Control` (exact).
    pub cache_control: Option<String>,
    /// The object's `Content-Disposition` (exact).
    pub content_disposition: Option<String>,
    /// A canned ACL (`private`, `public-read`, ...), for providers that have ACLs.
    pub acl: Option<String>,
    /// The signing time; the signer's [`crate::Clock`] when `None`.
    pub signing_time: Option<Timestamp>,
}

impl PostPolicyRequest {
    /// A policy for exactly `key`.
    pub fn exact(key: ObjectKey) -> Self {
        Self::with_key(KeyCondition::Exact(key))
    }

    /// A policy for any key starting with `prefix` (the form's `key` field defaults to
    /// `prefix` + `${filename}`, which the server replaces with the uploaded file's name).
    pub fn starts_with(prefix: impl Into<String>) -> Self {
        Self::with_key(KeyCondition::StartsWith(prefix.into()))
    }

    fn with_key(key: KeyCondition) -> Self {
        PostPolicyRequest {
            key,
            ttl: None,
            content_length_range: None,
            content_type: None,
            success_action_status: None,
            success_action_redirect: None,
            metadata: Vec::new(),
            cache_control: None,
            content_disposition: None,
            acl: None,
            signing_time: None,
        }
    }

    /// Sets the time-to-live.
    #[must_use]
    pub fn with_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = Some(ttl);
        self
    }

    /// Accepts files of `min` to `max` bytes, both included.
    #[must_use]
    pub fn content_length_range(mut self, min: u64, max: u64) -> Self {
        self.content_length_range = Some((min, max));
        self
    }

    /// Requires exactly this `Content-Type`.
    #[must_use]
    pub fn content_type(mut self, value: impl Into<String>) -> Self {
        self.content_type = Some(ValueCondition::Exact(value.into()));
        self
    }

    /// Requires a `Content-Type` starting with `prefix` (`image/`).
    #[must_use]
    pub fn content_type_prefix(mut self, prefix: impl Into<String>) -> Self {
        self.content_type = Some(ValueCondition::StartsWith(prefix.into()));
        self
    }

    /// Sets the success status (200, 201 or 204).
    #[must_use]
    pub fn success_action_status(mut self, status: u16) -> Self {
        self.success_action_status = Some(status);
        self
    }

    /// Sets the redirect after a successful upload.
    #[must_use]
    pub fn success_action_redirect(mut self, url: impl Into<String>) -> Self {
        self.success_action_redirect = Some(url.into());
        self
    }

    /// Adds one user-metadata entry (`name` without the provider prefix).
    #[must_use]
    pub fn metadata(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata.push((name.into(), value.into()));
        self
    }

    /// Sets the object's `Cache-Control`.
    #[must_use]
    pub fn cache_control(mut self, value: impl Into<String>) -> Self {
        self.cache_control = Some(value.into());
        self
    }

    /// Sets the object's `Content-Disposition`.
    #[must_use]
    pub fn content_disposition(mut self, value: impl Into<String>) -> Self {
        self.content_disposition = Some(value.into());
        self
    }

    /// Sets a canned ACL.
    #[must_use]
    pub fn acl(mut self, value: impl Into<String>) -> Self {
        self.acl = Some(value.into());
        self
    }

    /// Fixes the signing time.
    #[must_use]
    pub fn signed_at(mut self, t: Timestamp) -> Self {
        self.signing_time = Some(t);
        self
    }

    /// The time-to-live, or [`DEFAULT_TTL`].
    pub fn ttl_or_default(&self) -> Duration {
        self.ttl.unwrap_or(DEFAULT_TTL)
    }

    /// The key prefix every admitted key starts with: the key itself when exact.
    pub fn key_prefix(&self) -> &str {
        match &self.key {
            KeyCondition::Exact(k) => k.as_str(),
            KeyCondition::StartsWith(p) => p,
        }
    }

    /// Checks the provider-neutral rules; the error names the bad field. Providers call this
    /// before signing.
    ///
    /// - a key prefix is at most 4096 bytes without control characters (it may be empty: any
    ///   key);
    /// - `min <= max` in the size range;
    /// - a success status is 200, 201 or 204;
    /// - metadata names are non-empty `a-z 0-9 - _ .` and unique; values, `Content-Type`,
    ///   `Cache-Control`, `Content-Disposition`, the ACL and the redirect have no control
    ///   characters.
    pub fn validate(&self) -> Result<(), Error> {
        if let KeyCondition::StartsWith(p) = &self.key {
            if p.len() > MAX_KEY_BYTES {
                return Err(Error::InvalidKey {
                    key: display_key(p),
                    reason: format!(
                        "a key prefix of {} bytes is longer than {MAX_KEY_BYTES} bytes",
                        p.len()
                    ),
                });
            }
            no_control("key prefix", p)?;
        }
        if let Some((min, max)) = self.content_length_range
            && min > max
        {
            return Err(Error::invalid_input(
                "content_length_range",
                format!("the least size {min} is larger than the largest size {max}"),
            ));
        }
        if let Some(s) = self.success_action_status
            && !matches!(s, 200 | 201 | 204)
        {
            return Err(Error::invalid_input(
                "success_action_status",
                format!("{s} is not one of 200, 201, 204"),
            ));
        }
        match &self.content_type {
            Some(ValueCondition::Exact(v) | ValueCondition::StartsWith(v)) => {
                no_control("content_type", v)?;
            }
            None => {}
        }
        for (field, value) in [
            ("success_action_redirect", &self.success_action_redirect),
            ("cache_control", &self.cache_control),
            ("content_disposition", &self.content_disposition),
            ("acl", &self.acl),
        ] {
            if let Some(v) = value {
                no_control(field, v)?;
            }
        }
        for (i, (name, value)) in self.metadata.iter().enumerate() {
            if name.is_empty()
                || !name.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
                })
            {
                return Err(Error::invalid_input(
                    "metadata",
                    format!(
                        "name {} must be non-empty lower-case a-z, 0-9, '-', '_', '.' (without the x-amz-meta- / x-goog-meta- prefix)",
                        display_key(name)
                    ),
                ));
            }
            if self.metadata.iter().take(i).any(|(n, _)| n == name) {
                return Err(Error::invalid_input(
                    "metadata",
                    format!("name {} appears twice", display_key(name)),
                ));
            }
            no_control("metadata value", value)?;
        }
        Ok(())
    }
}

fn no_control(field: &str, value: &str) -> Result<(), Error> {
    match value.char_indices().find(|(_, c)| c.is_control()) {
        Some((at, c)) => Err(Error::invalid_input(
            field,
            format!(
                "{} has control character U+{:04X} at byte {at}",
                display_key(value),
                u32::from(c)
            ),
        )),
        None => Ok(()),
    }
}

/// One condition of a policy document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// The field must equal the value: `{"field": "value"}`.
    Eq {
        /// The form field name (`bucket`, `key`, `Content-Type`, `x-amz-meta-owner`, ...).
        field: String,
        /// The exact value.
        value: String,
    },
    /// The field must start with the prefix: `["starts-with", "$field", "prefix"]`.
    StartsWith {
        /// The form field name.
        field: String,
        /// The prefix (empty: any value).
        prefix: String,
    },
    /// The file must have `min` to `max` bytes: `["content-length-range", min, max]`.
    ContentLengthRange {
        /// The least size, in bytes.
        min: u64,
        /// The largest size, in bytes.
        max: u64,
    },
}

impl Condition {
    /// `{"field": "value"}`.
    pub fn eq(field: impl Into<String>, value: impl Into<String>) -> Self {
        Condition::Eq {
            field: field.into(),
            value: value.into(),
        }
    }

    /// `["starts-with", "$field", "prefix"]`.
    pub fn starts_with(field: impl Into<String>, prefix: impl Into<String>) -> Self {
        Condition::StartsWith {
            field: field.into(),
            prefix: prefix.into(),
        }
    }

    /// The form field the condition is about (`None` for the size range).
    pub fn field(&self) -> Option<&str> {
        match self {
            Condition::Eq { field, .. } | Condition::StartsWith { field, .. } => Some(field),
            Condition::ContentLengthRange { .. } => None,
        }
    }

    /// Appends the condition's JSON to `out`.
    pub fn write_json(&self, out: &mut String) {
        match self {
            Condition::Eq { field, value } => {
                out.push('{');
                write_json_string(out, field);
                out.push(':');
                write_json_string(out, value);
                out.push('}');
            }
            Condition::StartsWith { field, prefix } => {
                out.push_str("[\"starts-with\",");
                let mut name = String::with_capacity(field.len() + 1);
                name.push('$');
                name.push_str(field);
                write_json_string(out, &name);
                out.push(',');
                write_json_string(out, prefix);
                out.push(']');
            }
            Condition::ContentLengthRange { min, max } => {
                out.push_str("[\"content-length-range\",");
                out.push_str(&min.to_string());
                out.push(',');
                out.push_str(&max.to_string());
                out.push(']');
            }
        }
    }
}

/// Appends `s` as a JSON string literal: `"` and `\` escaped, control characters and every
/// non-ASCII character written as `\uXXXX` (UTF-16, surrogate pairs above U+FFFF), so the
/// document is pure ASCII and every parser reads the same text.
///
/// ```
/// let mut s = String::new();
/// presign_core::post_policy::write_json_string(&mut s, "a\"b\\c\n\u{e9}\u{1F600}");
/// assert_eq!(s, r#""a\"b\\c\n\u00e9\ud83d\ude00""#);
/// ```
pub fn write_json_string(out: &mut String, s: &str) {
    out.reserve(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str("\\u");
                    for shift in [12u16, 8, 4, 0] {
                        let nibble = u8::try_from((*unit >> shift) & 0xf).unwrap_or(0);
                        out.push(crate::encoding::hex_digit(nibble, false));
                    }
                }
            }
        }
    }
    out.push('"');
}

/// A POST policy document: an expiration and the conditions, serialized deterministically
/// (fixed field order, conditions in the given order, ASCII-only escaping).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDocument {
    /// When the policy stops being accepted.
    pub expiration: Timestamp,
    /// The conditions, in order.
    pub conditions: Vec<Condition>,
}

impl PolicyDocument {
    /// A document.
    pub fn new(expiration: Timestamp, conditions: Vec<Condition>) -> Self {
        PolicyDocument {
            expiration,
            conditions,
        }
    }

    /// `{"expiration":"yyyy-mm-ddThh:mm:ssZ","conditions":[...]}`: the expiration in ISO 8601
    /// UTC without fractional seconds, the form botocore writes and the GCS documentation
    /// shows, accepted by S3 and GCS alike.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(64 + self.conditions.len() * 48);
        out.push_str("{\"expiration\":\"");
        self.expiration.write_rfc3339(&mut out);
        out.push_str("\",\"conditions\":[");
        for (i, c) in self.conditions.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            c.write_json(&mut out);
        }
        out.push_str("]}");
        out
    }

    /// The standard base64 (with padding) of [`to_json`](Self::to_json): the `policy` form
    /// field, and what S3 and GCS HMAC/RSA-sign.
    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.to_json())
    }
}

/// Whether a form field's value grants access and must never be shown (the signature and the
/// session token; the policy itself is not secret).
pub fn is_sensitive_field(name: &str) -> bool {
    !name.eq_ignore_ascii_case("policy") && is_sensitive_param(name)
}

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
    policy: PolicyDocument,
    signed_at: Timestamp,
    expires_at: Timestamp,
    provider: String,
}

impl PresignedPost {
    /// Assembles a result (for providers).
    pub fn new(
        url: String,
        fields: Vec<(String, String)>,
        policy: PolicyDocument,
        signed_at: Timestamp,
        provider: impl Into<String>,
    ) -> Self {
        PresignedPost {
            url,
            fields,
            client_fields: Vec::new(),
            expires_at: policy.expiration,
            policy,
            signed_at,
            provider: provider.into(),
        }
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
        self.fields
            .iter()
            .map(|(n, v)| {
                let v = if is_sensitive_field(n) {
                    REDACTED
                } else {
                    v.as_str()
                };
                (n.as_str(), v)
            })
            .collect()
    }

    /// Fields the form must add itself because the policy fixes only a prefix (for example a
    /// `Content-Type` starting with `image/`); each must satisfy its condition.
    pub fn client_fields(&self) -> &[Condition] {
        &self.client_fields
    }

    /// The signed policy document.
    pub fn policy(&self) -> &PolicyDocument {
        &self.policy
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

/// A provider that can sign POST policies (browser form uploads). Not every provider can:
/// [`crate::Capabilities::post_policy`] says whether one does. Object-safe:
/// `Arc<dyn PostPresigner>` works.
#[async_trait]
pub trait PostPresigner: Presigner {
    /// Signs one POST policy.
    async fn presign_post(&self, request: &PostPolicyRequest) -> Result<PresignedPost, Error>;
}

#[async_trait]
impl<P: PostPresigner + ?Sized> PostPresigner for Arc<P> {
    async fn presign_post(&self, request: &PostPolicyRequest) -> Result<PresignedPost, Error> {
        (**self).presign_post(request).await
    }
}

#[async_trait]
impl<P: PostPresigner + ?Sized> PostPresigner for Box<P> {
    async fn presign_post(&self, request: &PostPolicyRequest) -> Result<PresignedPost, Error> {
        (**self).presign_post(request).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn t() -> Timestamp {
        Timestamp::parse_rfc3339("2026-01-02T03:04:05Z").unwrap()
    }

    #[test]
    fn json_is_deterministic_and_escaped() {
        let doc = PolicyDocument::new(
            t(),
            vec![
                Condition::eq("bucket", "b"),
                Condition::eq("key", "a\"b\\c/\u{e9}"),
                Condition::starts_with("Content-Type", ""),
                Condition::ContentLengthRange {
                    min: 0,
                    max: u64::MAX,
                },
            ],
        );
        assert_eq!(
            doc.to_json(),
            r#"{"expiration":"2026-01-02T03:04:05Z","conditions":[{"bucket":"b"},{"key":"a\"b\\c/\u00e9"},["starts-with","$Content-Type",""],["content-length-range",0,18446744073709551615]]}"#
        );
        assert_eq!(doc.to_json(), doc.clone().to_json());
        assert!(doc.to_json().is_ascii());
        let b64 = doc.to_base64();
        let back = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        assert_eq!(back, doc.to_json().into_bytes());
    }

    #[test]
    fn json_escapes_controls() {
        let mut s = String::new();
        write_json_string(&mut s, "\u{0}\u{1f}\u{7f}\r\t");
        assert_eq!(s, r#""\u0000\u001f\u007f\r\t""#);
    }

    #[test]
    fn validation_names_the_field() {
        let cases = [
            (
                PostPolicyRequest::starts_with("a").content_length_range(5, 4),
                "content_length_range",
            ),
            (
                PostPolicyRequest::starts_with("a").success_action_status(302),
                "success_action_status",
            ),
            (
                PostPolicyRequest::starts_with("a").metadata("Owner", "x"),
                "metadata",
            ),
            (
                PostPolicyRequest::starts_with("a")
                    .metadata("o", "x")
                    .metadata("o", "y"),
                "twice",
            ),
            (
                PostPolicyRequest::starts_with("a").content_type("a\nb"),
                "content_type",
            ),
            (PostPolicyRequest::starts_with("a\u{0}"), "key prefix"),
            (PostPolicyRequest::starts_with("k".repeat(5000)), "longer"),
        ];
        for (req, want) in cases {
            let e = req.validate().unwrap_err().to_string();
            assert!(e.contains(want), "{want}: {e}");
        }
        PostPolicyRequest::exact(ObjectKey::new("a b").unwrap())
            .metadata("owner-id", "\u{e9}")
            .success_action_status(201)
            .validate()
            .unwrap();
        PostPolicyRequest::starts_with("").validate().unwrap();
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
            PolicyDocument::new(t(), vec![]),
            t(),
            "s3",
        );
        let d = format!("{p:?}");
        assert!(!d.contains("TOKENVALUE") && !d.contains("SIGVALUE"), "{d}");
        assert!(d.contains("eyJ9"), "the policy is not secret: {d}");
        assert_eq!(p.expose_field("X-Amz-Signature"), Some("SIGVALUE"));
        assert_eq!(p.expires_at(), t());
    }

    proptest! {
        #[test]
        fn json_strings_parse_back(s in any::<String>()) {
            let mut out = String::new();
            write_json_string(&mut out, &s);
            prop_assert!(out.is_ascii());
            prop_assert_eq!(decode_json_string(&out), Some(s));
        }
    }

    /// A minimal JSON string decoder for the round-trip test.
    fn decode_json_string(s: &str) -> Option<String> {
        let inner = s.strip_prefix('"')?.strip_suffix('"')?;
        let mut units: Vec<u16> = Vec::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                units.extend(c.encode_utf16(&mut [0; 2]).iter());
                continue;
            }
            match chars.next()? {
                '"' => units.push(u16::from(b'"')),
                '\\' => units.push(u16::from(b'\\')),
                'n' => units.push(u16::from(b'\n')),
                'r' => units.push(u16::from(b'\r')),
                't' => units.push(u16::from(b'\t')),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    units.push(u16::from_str_radix(&hex, 16).ok()?);
                }
                _ => return None,
            }
        }
        String::from_utf16(&units).ok()
    }
}
