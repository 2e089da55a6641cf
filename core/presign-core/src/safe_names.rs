//! [`SafeNames`]: a provider's declaration of the extra signed headers and query parameters
//! that only describe the object read or written — never the operation.
//!
//! Extra headers and query parameters ([`Constraints::headers`](crate::Constraints::headers),
//! [`Constraints::query`](crate::Constraints::query)) come from requests, which are not
//! trusted. Many change what a signed request does: `x-amz-copy-source` turns a PUT into a
//! copy of any object the credentials can read, `x-amz-acl: public-read` publishes it,
//! `?acl`, `?tagging`, `?retention` select another sub-resource. So each provider declares,
//! with [`Capabilities::with_safe_names`](crate::Capabilities::with_safe_names), the names that
//! only describe the object (content headers, user metadata, checksums, encryption, the
//! documented conditional headers; response overrides, versions, multipart part numbers);
//! the policy layer refuses every other name unless the operator names it.

/// One declared name: exact, or every name starting with a prefix (`x-amz-meta-`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRule {
    /// Exactly this name (header names lower-case; query names as written).
    Exact(&'static str),
    /// Every name starting with this, followed by at least one character.
    Prefix(&'static str),
}

impl NameRule {
    /// Whether `name` (a lower-case header name, or a query name as written) matches.
    pub fn matches(&self, name: &str) -> bool {
        match self {
            NameRule::Exact(n) => name == *n,
            NameRule::Prefix(p) => name.len() > p.len() && name.starts_with(p),
        }
    }
}

/// A provider's safe extra headers and query parameters (see the module documentation).
/// The default declares none: every extra header and query parameter then needs the
/// operator's explicit allowance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SafeNames {
    /// Header names (lower-case) that only describe the object.
    pub headers: &'static [NameRule],
    /// Query parameter names (case-sensitive) that only select a representation, version or
    /// upload part of the object.
    pub query: &'static [NameRule],
}

impl SafeNames {
    /// No safe names.
    pub const NONE: SafeNames = SafeNames {
        headers: &[],
        query: &[],
    };

    /// Whether header `name` (any case) is declared safe.
    ///
    /// ```
    /// use presign_core::safe_names::{NameRule, SafeNames};
    /// let names = SafeNames {
    ///     headers: &[NameRule::Exact("content-type"), NameRule::Prefix("x-amz-meta-")],
    ///     query: &[NameRule::Exact("versionId")],
    /// };
    /// assert!(names.header_is_safe("Content-Type"));
    /// assert!(names.header_is_safe("x-amz-meta-owner"));
    /// assert!(!names.header_is_safe("x-amz-meta-"));
    /// assert!(!names.header_is_safe("x-amz-copy-source"));
    /// assert!(names.query_is_safe("versionId"));
    /// assert!(!names.query_is_safe("versionid"));
    /// ```
    pub fn header_is_safe(&self, name: &str) -> bool {
        let lower = name.to_ascii_lowercase();
        self.headers.iter().any(|r| r.matches(&lower))
    }

    /// Whether query parameter `name` (exactly as written) is declared safe.
    pub fn query_is_safe(&self, name: &str) -> bool {
        self.query.iter().any(|r| r.matches(name))
    }
}
