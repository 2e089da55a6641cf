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
use crate::presigner::{AsIs, Prepare, Presigner};
use crate::redact::{REDACTED, SecretParam, is_declared_secret, redact_pairs};
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
    /// The object's `Content-Encoding` (exact).
    pub content_encoding: Option<String>,
    /// A canned ACL (`private`, `public-read`, ...), for providers that have ACLs.
    pub acl: Option<String>,
    /// The signing time; the signer's [`crate::Clock`] when `None`.
    pub signing_time: Option<Timestamp>,
    /// Further conditions on form fields the settings above do not cover (a `starts-with` on
    /// `acl`, an exact `Expires`, ...), signed as given: an exact one becomes a form field, a
    /// `starts-with` one a [`PresignedPost::client_fields`] entry. Each admits one more form
    /// field; none can widen the key or the size range (every condition must hold), and
    /// [`validate`](Self::validate) refuses conditions on the key, the bucket, the size, the
    /// policy and the signing fields.
    pub extra_conditions: Vec<Condition>,
}

impl PostPolicyRequest {
    /// A policy for exactly `key`.
    ///
    /// A key ending in `${filename}` is a prefix: the server substitutes the uploaded file's
    /// name before it checks the policy, so an exact condition could never match; it becomes
    /// [`starts_with`](Self::starts_with) of the part before `${filename}` (boto3's rule).
    pub fn exact(key: ObjectKey) -> Self {
        match key.as_str().strip_suffix(FILENAME_VARIABLE) {
            Some(prefix) => Self::starts_with(prefix),
            None => Self::with_key(KeyCondition::Exact(key)),
        }
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
            content_encoding: None,
            acl: None,
            signing_time: None,
            extra_conditions: Vec::new(),
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
    ///
    /// The name is lower-cased: S3 and GCS store metadata names in lower case, so `Owner` and
    /// `owner` are the same entry.
    pub fn metadata(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.metadata
            .push((name.into().to_ascii_lowercase(), value.into()));
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

    /// Sets the object's `Content-Encoding`.
    #[must_use]
    pub fn content_encoding(mut self, value: impl Into<String>) -> Self {
        self.content_encoding = Some(value.into());
        self
    }

    /// Adds a condition on a field the other settings do not cover (see
    /// [`extra_conditions`](Self::extra_conditions)), such as
    /// `Condition::starts_with("acl", "public")`.
    #[must_use]
    pub fn condition(mut self, condition: Condition) -> Self {
        self.extra_conditions.push(condition);
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
    ///   `Cache-Control`, `Content-Disposition`, `Content-Encoding`, the ACL and the redirect
    ///   have no control characters;
    /// - an extra condition names a field of ASCII letters, digits, `-` and `_`, not `bucket`,
    ///   `key`, `policy`, `file` nor an `x-amz-*` / `x-goog-*` field other than metadata
    ///   (`x-amz-meta-*`, `x-goog-meta-*`), has no control characters in its value, and is not
    ///   a size range (use [`content_length_range`](Self::content_length_range), which the
    ///   policy layer bounds).
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
            ("content_encoding", &self.content_encoding),
            ("acl", &self.acl),
        ] {
            if let Some(v) = value {
                no_control(field, v)?;
            }
        }
        for condition in &self.extra_conditions {
            check_extra_condition(condition)?;
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

/// The rules of [`PostPolicyRequest::extra_conditions`].
fn check_extra_condition(condition: &Condition) -> Result<(), Error> {
    let (field, value) = match condition {
        Condition::Eq { field, value } => (field, value),
        Condition::StartsWith { field, prefix } => (field, prefix),
        Condition::ContentLengthRange { .. } => {
            return Err(Error::invalid_input(
                "extra_conditions",
                "a content-length-range goes in content_length_range, not in the extra conditions",
            ));
        }
    };
    if field.is_empty()
        || !field
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
    {
        return Err(Error::invalid_input(
            "extra_conditions",
            format!(
                "field name {} must be non-empty ASCII letters, digits, '-' and '_'",
                display_key(field)
            ),
        ));
    }
    let lower = field.to_ascii_lowercase();
    let reserved = matches!(lower.as_str(), "bucket" | "key" | "policy" | "file")
        || ((lower.starts_with("x-amz-") || lower.starts_with("x-goog-"))
            && !(lower.starts_with("x-amz-meta-") || lower.starts_with("x-goog-meta-")));
    if reserved {
        return Err(Error::invalid_input(
            "extra_conditions",
            format!(
                "{field} is set by the request's key or by the signer; it cannot be an extra condition"
            ),
        ));
    }
    no_control("extra condition value", value)
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

/// Which member a [`PolicyDocument`]'s JSON object starts with. Both orders mean the same to
/// a JSON parser, but the signature covers the bytes, and client libraries (hence their test
/// vectors) differ: botocore writes the expiration first, the Google client libraries the
/// conditions first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JsonOrder {
    /// `{"expiration":...,"conditions":[...]}` (the default).
    #[default]
    ExpirationFirst,
    /// `{"conditions":[...],"expiration":...}`.
    ConditionsFirst,
}

/// A POST policy document: an expiration and the conditions, serialized deterministically
/// (fixed member order, conditions in the given order, ASCII-only escaping).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDocument {
    /// When the policy stops being accepted.
    pub expiration: Timestamp,
    /// The conditions, in order.
    pub conditions: Vec<Condition>,
    order: JsonOrder,
}

impl PolicyDocument {
    /// A document, written expiration first.
    pub fn new(expiration: Timestamp, conditions: Vec<Condition>) -> Self {
        PolicyDocument {
            expiration,
            conditions,
            order: JsonOrder::ExpirationFirst,
        }
    }

    /// Sets which member the JSON starts with.
    ///
    /// ```
    /// use presign_core::post_policy::{Condition, JsonOrder, PolicyDocument};
    /// let doc = PolicyDocument::new(
    ///     presign_core::Timestamp::parse_rfc3339("2026-01-02T03:04:05Z")?,
    ///     vec![Condition::eq("bucket", "b")],
    /// )
    /// .with_order(JsonOrder::ConditionsFirst);
    /// assert_eq!(
    ///     doc.to_json(),
    ///     r#"{"conditions":[{"bucket":"b"}],"expiration":"2026-01-02T03:04:05Z"}"#
    /// );
    /// # Ok::<(), presign_core::Error>(())
    /// ```
    #[must_use]
    pub fn with_order(mut self, order: JsonOrder) -> Self {
        self.order = order;
        self
    }

    /// Which member the JSON starts with.
    pub fn order(&self) -> JsonOrder {
        self.order
    }

    /// `{"expiration":"yyyy-mm-ddThh:mm:ssZ","conditions":[...]}` (or conditions first, per
    /// [`order`](Self::order)): the expiration in ISO 8601 UTC without fractional seconds, the
    /// form botocore writes and the GCS documentation shows, accepted by S3 and GCS alike.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(64 + self.conditions.len() * 48);
        out.push('{');
        match self.order {
            JsonOrder::ExpirationFirst => {
                self.write_expiration(&mut out);
                out.push(',');
                self.write_conditions(&mut out);
            }
            JsonOrder::ConditionsFirst => {
                self.write_conditions(&mut out);
                out.push(',');
                self.write_expiration(&mut out);
            }
        }
        out.push('}');
        out
    }

    fn write_expiration(&self, out: &mut String) {
        out.push_str("\"expiration\":\"");
        self.expiration.write_rfc3339(out);
        out.push('"');
    }

    fn write_conditions(&self, out: &mut String) {
        out.push_str("\"conditions\":[");
        for (i, c) in self.conditions.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            c.write_json(out);
        }
        out.push(']');
    }

    /// The standard base64 (with padding) of [`to_json`](Self::to_json): the `policy` form
    /// field, and what S3 and GCS HMAC/RSA-sign.
    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.to_json())
    }
}

/// How a provider spells the form fields whose names differ between providers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldStyle {
    metadata_prefix: &'static str,
    lower_case_headers: bool,
}

impl FieldStyle {
    /// `metadata_prefix` goes before each metadata name (`x-amz-meta-`); with
    /// `lower_case_headers` the header fields are `cache-control`, `content-disposition`,
    /// `content-encoding`, `content-type`, otherwise `Cache-Control`, ... .
    pub const fn new(metadata_prefix: &'static str, lower_case_headers: bool) -> Self {
        FieldStyle {
            metadata_prefix,
            lower_case_headers,
        }
    }

    /// The metadata prefix.
    pub const fn metadata_prefix(&self) -> &'static str {
        self.metadata_prefix
    }

    fn header(&self, canonical: &'static str, lower: &'static str) -> &'static str {
        if self.lower_case_headers {
            lower
        } else {
            canonical
        }
    }
}

/// What the server replaces with the uploaded file's name in the `key` field (S3 and GCS).
pub const FILENAME_VARIABLE: &str = "${filename}";

/// A request's form fields and policy conditions, before the signing fields: what S3 and GCS
/// share. Built by [`PostForm::build`]; each provider then adds its signing fields and orders
/// the conditions its way.
///
/// The conditions come in this order: `bucket`, the key (`{"key": ...}` or `starts-with`),
/// `acl`, Cache-Control, Content-Disposition, Content-Encoding, Content-Type (exact or
/// `starts-with`), `success_action_redirect`, `success_action_status`, the metadata in request
/// order, the extra conditions in request order, then the `content-length-range`. The fields
/// follow the same order (no `bucket`, no `starts-with` entries, no range); a key prefix gives
/// the field `key` = prefix + `${filename}`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct PostForm {
    /// The form fields, name and value.
    pub fields: Vec<(String, String)>,
    /// The policy conditions.
    pub conditions: Vec<Condition>,
    /// The `starts-with` conditions the form must satisfy with fields of its own.
    pub client_fields: Vec<Condition>,
}

impl PostForm {
    /// The fields and conditions of `request` for `bucket`, named per `style`. Does not
    /// validate: call [`PostPolicyRequest::validate`] first.
    pub fn build(bucket: &str, request: &PostPolicyRequest, style: FieldStyle) -> PostForm {
        let r = request;
        let n = 12 + r.metadata.len() + r.extra_conditions.len();
        let mut f = PostForm {
            fields: Vec::with_capacity(n),
            conditions: Vec::with_capacity(n),
            client_fields: Vec::new(),
        };
        f.conditions.push(Condition::eq("bucket", bucket));
        match &r.key {
            KeyCondition::Exact(k) => f.exact("key", k.as_str()),
            KeyCondition::StartsWith(prefix) => {
                f.fields
                    .push(("key".to_owned(), format!("{prefix}{FILENAME_VARIABLE}")));
                f.conditions
                    .push(Condition::starts_with("key", prefix.as_str()));
            }
        }
        for (name, value) in [
            ("acl", &r.acl),
            (
                style.header("Cache-Control", "cache-control"),
                &r.cache_control,
            ),
            (
                style.header("Content-Disposition", "content-disposition"),
                &r.content_disposition,
            ),
            (
                style.header("Content-Encoding", "content-encoding"),
                &r.content_encoding,
            ),
        ] {
            if let Some(v) = value {
                f.exact(name, v);
            }
        }
        let content_type = style.header("Content-Type", "content-type");
        match &r.content_type {
            Some(ValueCondition::Exact(v)) => f.exact(content_type, v),
            Some(ValueCondition::StartsWith(prefix)) => {
                f.client(Condition::starts_with(content_type, prefix.as_str()));
            }
            None => {}
        }
        if let Some(url) = &r.success_action_redirect {
            f.exact("success_action_redirect", url);
        }
        if let Some(status) = r.success_action_status {
            f.exact("success_action_status", &status.to_string());
        }
        for (name, value) in &r.metadata {
            f.exact(&format!("{}{name}", style.metadata_prefix), value);
        }
        for c in &r.extra_conditions {
            match c {
                Condition::Eq { field, value } => f.exact(field, value),
                other => f.client(other.clone()),
            }
        }
        if let Some((min, max)) = r.content_length_range {
            f.conditions
                .push(Condition::ContentLengthRange { min, max });
        }
        f
    }

    fn exact(&mut self, name: &str, value: &str) {
        self.fields.push((name.to_owned(), value.to_owned()));
        self.conditions.push(Condition::eq(name, value));
    }

    fn client(&mut self, condition: Condition) {
        self.conditions.push(condition.clone());
        self.client_fields.push(condition);
    }
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
    secrets: &'static [SecretParam],
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
///
/// As for URLs ([`Presigner::presign_with`]), a provider takes one credential snapshot per
/// policy and passes the request and the snapshot's expiry through `prepare` (exactly once)
/// before signing what it returns.
#[async_trait]
pub trait PostPresigner: Presigner {
    /// Signs one POST policy as `prepare` turns it.
    async fn presign_post_with(
        &self,
        request: &PostPolicyRequest,
        prepare: &mut dyn Prepare<PostPolicyRequest>,
    ) -> Result<PresignedPost, Error>;

    /// Signs one POST policy as it is.
    async fn presign_post(&self, request: &PostPolicyRequest) -> Result<PresignedPost, Error> {
        self.presign_post_with(request, &mut AsIs).await
    }
}

/// The synchronous counterpart of [`PostPresigner`] (see [`crate::SyncPresigner`]): signs when
/// the credential is at hand, else returns [`Error::WouldBlock`].
pub trait SyncPostPresigner: PostPresigner {
    /// Like [`PostPresigner::presign_post_with`], without waiting.
    fn presign_post_sync_with(
        &self,
        request: &PostPolicyRequest,
        prepare: &mut dyn Prepare<PostPolicyRequest>,
    ) -> Result<PresignedPost, Error>;

    /// Like [`PostPresigner::presign_post`], without waiting.
    fn presign_post_sync(&self, request: &PostPolicyRequest) -> Result<PresignedPost, Error> {
        self.presign_post_sync_with(request, &mut AsIs)
    }
}

/// `PostPresigner` and `SyncPostPresigner` for smart pointers: every method forwards.
macro_rules! forward_post_presigner {
    ($($ptr:ident),+) => {$(
        #[async_trait]
        impl<P: PostPresigner + ?Sized> PostPresigner for $ptr<P> {
            async fn presign_post_with(
                &self,
                request: &PostPolicyRequest,
                prepare: &mut dyn Prepare<PostPolicyRequest>,
            ) -> Result<PresignedPost, Error> {
                (**self).presign_post_with(request, prepare).await
            }
        }

        impl<P: SyncPostPresigner + ?Sized> SyncPostPresigner for $ptr<P> {
            fn presign_post_sync_with(
                &self,
                request: &PostPolicyRequest,
                prepare: &mut dyn Prepare<PostPolicyRequest>,
            ) -> Result<PresignedPost, Error> {
                (**self).presign_post_sync_with(request, prepare)
            }
        }
    )+};
}

forward_post_presigner!(Arc, Box);

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
                PostPolicyRequest::starts_with("a").metadata("own er", "x"),
                "metadata",
            ),
            (
                PostPolicyRequest::starts_with("a")
                    .metadata("Owner", "x")
                    .metadata("owner", "y"),
                "twice",
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

    #[test]
    fn conditions_first_order() {
        let doc = PolicyDocument::new(t(), vec![Condition::eq("a", "b")]);
        assert_eq!(doc.order(), JsonOrder::ExpirationFirst);
        let doc = doc.with_order(JsonOrder::ConditionsFirst);
        assert_eq!(
            doc.to_json(),
            r#"{"conditions":[{"a":"b"}],"expiration":"2026-01-02T03:04:05Z"}"#
        );
        let empty = PolicyDocument::new(t(), vec![]).with_order(JsonOrder::ConditionsFirst);
        assert_eq!(
            empty.to_json(),
            r#"{"conditions":[],"expiration":"2026-01-02T03:04:05Z"}"#
        );
    }

    #[test]
    fn form_in_documented_order() {
        let req = PostPolicyRequest::starts_with("u/")
            .content_length_range(1, 9)
            .content_type_prefix("image/")
            .content_encoding("gzip")
            .cache_control("no-cache")
            .metadata("m", "v")
            .condition(Condition::starts_with("acl", "public"))
            .condition(Condition::eq("Expires", "never"));
        req.validate().unwrap();
        let form = PostForm::build("b", &req, FieldStyle::new("x-goog-meta-", true));
        let names: Vec<_> = form.fields.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "key",
                "cache-control",
                "content-encoding",
                "x-goog-meta-m",
                "Expires"
            ]
        );
        assert_eq!(form.fields[0].1, "u/${filename}");
        // An exact key ending in ${filename} is that prefix; mixed-case metadata is lower-cased.
        let r = PostPolicyRequest::exact(ObjectKey::new("up/a-${filename}").unwrap())
            .metadata("Owner-ID", "1");
        assert_eq!(r.key, KeyCondition::StartsWith("up/a-".into()));
        assert_eq!(r.metadata, vec![("owner-id".to_owned(), "1".to_owned())]);
        r.validate().unwrap();
        let mut json = String::new();
        for c in &form.conditions {
            c.write_json(&mut json);
        }
        assert_eq!(
            json,
            concat!(
                r#"{"bucket":"b"}["starts-with","$key","u/"]{"cache-control":"no-cache"}"#,
                r#"{"content-encoding":"gzip"}["starts-with","$content-type","image/"]"#,
                r#"{"x-goog-meta-m":"v"}["starts-with","$acl","public"]{"Expires":"never"}"#,
                r#"["content-length-range",1,9]"#
            )
        );
        assert_eq!(
            form.client_fields,
            [
                Condition::starts_with("content-type", "image/"),
                Condition::starts_with("acl", "public")
            ]
        );
        let s3 = PostForm::build("b", &req, FieldStyle::new("x-amz-meta-", false));
        assert_eq!(s3.fields[1].0, "Cache-Control");
        assert_eq!(s3.fields[3].0, "x-amz-meta-m");
    }

    #[test]
    fn extra_conditions_cannot_touch_reserved_fields() {
        for (c, want) in [
            (Condition::starts_with("key", ""), "cannot be an extra"),
            (Condition::eq("Bucket", "other"), "cannot be an extra"),
            (Condition::eq("policy", "x"), "cannot be an extra"),
            (Condition::eq("x-goog-signature", "x"), "cannot be an extra"),
            (Condition::eq("X-Amz-Credential", "x"), "cannot be an extra"),
            (Condition::eq("a b", "x"), "field name"),
            (Condition::eq("", "x"), "field name"),
            (Condition::eq("acl", "a\nb"), "control"),
            (
                Condition::ContentLengthRange { min: 0, max: 1 },
                "content_length_range",
            ),
        ] {
            let e = PostPolicyRequest::starts_with("a/")
                .condition(c)
                .validate()
                .unwrap_err()
                .to_string();
            assert!(e.contains(want), "{want}: {e}");
        }
        PostPolicyRequest::starts_with("a/")
            .condition(Condition::eq("x-goog-meta-a", "b"))
            .condition(Condition::starts_with("x-amz-meta-c", ""))
            .validate()
            .unwrap();
        let e = PostPolicyRequest::starts_with("a/")
            .content_encoding("a\u{1}")
            .validate()
            .unwrap_err()
            .to_string();
        assert!(e.contains("content_encoding"), "{e}");
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
