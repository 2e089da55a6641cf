//! [`InspectError`]: why a text is not a signed URL, naming the part.

use std::fmt;

/// Why a text could not be decoded as a signed URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InspectError {
    /// Not an absolute `http(s)` URL.
    NotAUrl(String),
    /// A URL, but it carries no signature of a scheme presign knows.
    NotSigned(String),
    /// A signed URL of a known scheme with a part missing or malformed.
    Malformed {
        /// The scheme recognised (`S3 SigV4`, `Azure SAS`, ...).
        scheme: &'static str,
        /// The part that is wrong (a query parameter, the path, the host).
        part: String,
        /// What is wrong with it.
        reason: String,
    },
}

impl InspectError {
    /// Not a URL, because `reason`.
    pub fn not_a_url(reason: impl Into<String>) -> Self {
        InspectError::NotAUrl(reason.into())
    }

    /// A `scheme` URL whose `part` is wrong because `reason`.
    pub fn malformed(
        scheme: &'static str,
        part: impl Into<String>,
        reason: impl Into<String>,
    ) -> Self {
        InspectError::Malformed {
            scheme,
            part: part.into(),
            reason: reason.into(),
        }
    }

    /// [`InspectError::NotAUrl`] from the URL splitter's refusal.
    pub fn from_url_error(e: presign_core::Error) -> Self {
        match e {
            presign_core::Error::InvalidInput { reason, .. } => InspectError::NotAUrl(reason),
            other => InspectError::NotAUrl(other.to_string()),
        }
    }

    /// A short machine-readable kind: `not_a_url`, `not_signed`, `malformed`.
    pub fn kind(&self) -> &'static str {
        match self {
            InspectError::NotAUrl(_) => "not_a_url",
            InspectError::NotSigned(_) => "not_signed",
            InspectError::Malformed { .. } => "malformed",
        }
    }
}

impl fmt::Display for InspectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InspectError::NotAUrl(reason) => write!(f, "not a URL: {reason}"),
            InspectError::NotSigned(reason) => write!(f, "not a signed URL: {reason}"),
            InspectError::Malformed {
                scheme,
                part,
                reason,
            } => write!(f, "{scheme} URL with a bad {part}: {reason}"),
        }
    }
}

impl std::error::Error for InspectError {}
