//! [`PostPolicyRequest`]: what a POST policy may admit, and the [`Condition`] language S3 and GCS
//! share.

use std::time::Duration;

use crate::error::{Error, display_key};
use crate::key::{MAX_KEY_BYTES, ObjectKey};
use crate::request::DEFAULT_TTL;
use crate::timestamp::Timestamp;

/// What the server replaces with the uploaded file's name in the `key` field (S3 and GCS).
pub const FILENAME_VARIABLE: &str = "${filename}";

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
    /// send the field itself (see [`PresignedPost::client_fields`](super::PresignedPost::client_fields)).
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
    /// `starts-with` one a [`PresignedPost::client_fields`](super::PresignedPost::client_fields) entry. Each admits one more form
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
    ///
    /// The name is lower-cased: S3 and GCS store metadata names in lower case, so `Owner` and
    /// `owner` are the same entry.
    #[must_use]
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
}

#[cfg(test)]
#[path = "request_tests.rs"]
mod tests;
