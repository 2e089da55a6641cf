//! The one [`Error`] type of presign.
//!
//! Every variant names the bad input (or the provider and constraint) so that the message says
//! what to change. No variant ever carries a secret or a full signed URL: keys are shown
//! shortened and escaped, credentials only by their public id.

use std::time::Duration;

use crate::capabilities::{ConstraintKind, Support};
use crate::method::Method;
use crate::timestamp::Timestamp;

/// Everything that can go wrong while presigning, configuring or verifying.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The object key is not acceptable (empty, control characters, too long, ...).
    #[error("invalid object key {key}: {reason}")]
    InvalidKey {
        /// The key, shortened and escaped for display.
        key: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The key is valid but the policy does not allow signing it.
    #[error("key {key} is not allowed: {reason}")]
    KeyNotAllowed {
        /// The key, shortened and escaped for display.
        key: String,
        /// Which rule refused it.
        reason: String,
    },
    /// The requested time-to-live cannot be signed.
    #[error("invalid time-to-live {}: {reason}", crate::duration::format_duration(*.ttl))]
    InvalidTtl {
        /// The requested time-to-live.
        ttl: Duration,
        /// Why it is refused, and the allowed bound.
        reason: String,
    },
    /// The URL would outlive the temporary credentials that sign it.
    #[error(
        "the URL would expire at {expires_at}, after the signing credentials of provider {provider} expire at {credentials_expire_at}; request a shorter time-to-live or refresh the credentials"
    )]
    CredentialsExpireFirst {
        /// The provider whose credentials are too short-lived.
        provider: String,
        /// When the URL would expire.
        expires_at: Timestamp,
        /// When the credentials expire.
        credentials_expire_at: Timestamp,
    },
    /// The request's signing time is further ahead of the clock than the policy's allowed skew:
    /// a future signing time would make the URL valid (by the real clock) for longer than the
    /// maximum time-to-live. Earlier signing times only shorten validity and are accepted.
    #[error(
        "signing time {signing_time} is more than {} ahead of the clock ({now}); a signing time may lie in the past, but in the future only within the policy's max_clock_skew",
        crate::duration::format_duration(*.skew)
    )]
    SigningTimeNotAllowed {
        /// The requested signing time.
        signing_time: Timestamp,
        /// The clock's time.
        now: Timestamp,
        /// The largest skew the policy accepts.
        skew: Duration,
    },
    /// A signed header the provider does not declare as describing the object, and the policy
    /// does not name (it could change the operation: a copy source, an ACL, ...).
    #[error("header {name} is not allowed: {reason}")]
    HeaderNotAllowed {
        /// The header name, lower-cased, shortened and escaped.
        name: String,
        /// Why it is refused.
        reason: String,
    },
    /// A signed query parameter the provider does not declare as safe (a sub-resource such as
    /// `acl` or `tagging` changes the operation), and the policy does not name.
    #[error("query parameter {name} is not allowed: {reason}")]
    QueryNotAllowed {
        /// The parameter name, shortened and escaped.
        name: String,
        /// Why it is refused.
        reason: String,
    },
    /// The policy forbids this method.
    #[error("method {method} is not allowed by the policy{hint}")]
    MethodNotAllowed {
        /// The refused method.
        method: Method,
        /// How to allow it, when that is a sensible thing to do.
        hint: &'static str,
    },
    /// The provider cannot sign this method at all.
    #[error("provider {provider} cannot presign method {method}")]
    UnsupportedMethod {
        /// The provider.
        provider: String,
        /// The method.
        method: Method,
    },
    /// A requested constraint would not be enforced by the provider's server, and the policy is
    /// strict.
    #[error(
        "provider {provider} cannot enforce constraint {constraint} (it is {support}); remove the constraint, use a provider that enforces it, or choose the best-effort constraint mode to sign without it"
    )]
    ConstraintNotEnforced {
        /// The constraint.
        constraint: ConstraintKind,
        /// The provider.
        provider: String,
        /// What the provider can do with it.
        support: Support,
    },
    /// A constraint's value is malformed.
    #[error("invalid constraint {constraint}: {reason}")]
    InvalidConstraint {
        /// The constraint.
        constraint: ConstraintKind,
        /// What is wrong.
        reason: String,
    },
    /// Some other input (bucket, region, endpoint, timestamp, header name, ...) is malformed.
    #[error("invalid {field}: {reason}")]
    InvalidInput {
        /// Which input.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// A configuration value is wrong; `path` is where it was found (`providers.s3.region`).
    #[error("configuration error at {path}: {reason}")]
    Config {
        /// The configuration path of the bad value.
        path: String,
        /// What is wrong.
        reason: String,
    },
    /// Credentials are missing, malformed or could not be obtained. Never contains the secret.
    #[error("credentials for provider {provider}: {reason}")]
    Credentials {
        /// The provider.
        provider: String,
        /// What is wrong.
        reason: String,
    },
    /// The provider's service failed (for example a remote signing call).
    #[error("provider {provider} failed: {reason}")]
    Provider {
        /// The provider.
        provider: String,
        /// What failed.
        reason: String,
    },
    /// A synchronous call ([`crate::SyncPresigner`]) cannot sign now without I/O: a credential
    /// must be fetched or a remote signer called. The async call signs the same request.
    #[error("provider {provider} cannot sign without waiting: {reason}; use the async presign")]
    WouldBlock {
        /// The provider.
        provider: String,
        /// What it would wait for.
        reason: String,
    },
}

impl Error {
    /// A stable, machine-readable name for the variant (used by the CLI's JSON output).
    pub fn kind(&self) -> &'static str {
        match self {
            Error::InvalidKey { .. } => "invalid_key",
            Error::KeyNotAllowed { .. } => "key_not_allowed",
            Error::InvalidTtl { .. } => "invalid_ttl",
            Error::CredentialsExpireFirst { .. } => "credentials_expire_first",
            Error::SigningTimeNotAllowed { .. } => "signing_time_not_allowed",
            Error::HeaderNotAllowed { .. } => "header_not_allowed",
            Error::QueryNotAllowed { .. } => "query_not_allowed",
            Error::MethodNotAllowed { .. } => "method_not_allowed",
            Error::UnsupportedMethod { .. } => "unsupported_method",
            Error::ConstraintNotEnforced { .. } => "constraint_not_enforced",
            Error::InvalidConstraint { .. } => "invalid_constraint",
            Error::InvalidInput { .. } => "invalid_input",
            Error::Config { .. } => "config",
            Error::Credentials { .. } => "credentials",
            Error::Provider { .. } => "provider",
            Error::WouldBlock { .. } => "would_block",
        }
    }

    /// Shorthand for [`Error::InvalidInput`].
    pub fn invalid_input(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// A credentials error for `provider` from a credential library's error `e`: `source` (where
    /// the credentials come from, no secret), then `e` and its chain of causes, at most 300
    /// bytes. For libraries whose errors name files, endpoints and server messages, never
    /// secrets (the AWS, Google and Azure SDKs).
    pub fn credentials_from(
        provider: &str,
        source: &str,
        e: &(dyn std::error::Error + 'static),
    ) -> Self {
        const MAX: usize = 300;
        let mut reason = format!("{source}: {e}");
        let mut cause = e.source();
        while let Some(c) = cause {
            let text = c.to_string();
            // Wrappers often repeat their cause's text; keep it once.
            if !reason.ends_with(&text) {
                reason.push_str(": ");
                reason.push_str(&text);
            }
            cause = c.source();
        }
        if reason.len() > MAX {
            let mut cut = MAX;
            while !reason.is_char_boundary(cut) {
                cut -= 1;
            }
            reason.truncate(cut);
            reason.push('…');
        }
        Error::Credentials {
            provider: provider.to_owned(),
            reason,
        }
    }

    /// Shorthand for [`Error::InvalidConstraint`].
    pub fn invalid_constraint(constraint: ConstraintKind, reason: impl Into<String>) -> Self {
        Error::InvalidConstraint {
            constraint,
            reason: reason.into(),
        }
    }
}

/// Shortens and escapes a key (or any user string) for an error message: at most 80 characters,
/// control characters escaped, quoted.
pub fn display_key(key: &str) -> String {
    const MAX: usize = 80;
    let mut shown: String = key.chars().take(MAX).collect();
    let cut = shown.len() < key.len();
    shown = format!("{shown:?}");
    if cut {
        shown.push_str(&format!(" (first {MAX} of {} bytes)", key.len()));
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_key_escapes_and_shortens() {
        assert_eq!(display_key("a\nb"), "\"a\\nb\"");
        let long = "x".repeat(200);
        let shown = display_key(&long);
        assert!(shown.contains("first 80 of 200 bytes"), "{shown}");
    }

    #[test]
    fn credentials_from_flattens_and_bounds() {
        let inner = std::io::Error::other("connection refused");
        let e = Error::credentials_from("prod", "metadata server", &inner);
        assert_eq!(e.kind(), "credentials");
        let m = e.to_string();
        assert!(
            m.contains("prod") && m.contains("metadata server: connection refused"),
            "{m}"
        );
        let long = std::io::Error::other("é".repeat(400));
        let m = Error::credentials_from("p", "s", &long).to_string();
        assert!(m.len() < 400 && m.ends_with('…'), "{m}");
    }

    #[test]
    fn messages_name_the_input() {
        let e = Error::ConstraintNotEnforced {
            constraint: ConstraintKind::ClientIpV4,
            provider: "s3".into(),
            support: Support::Unsupported,
        };
        let m = e.to_string();
        assert!(
            m.contains("s3") && m.contains("client-ip-v4") && m.contains("unsupported"),
            "{m}"
        );
        assert_eq!(e.kind(), "constraint_not_enforced");
    }
}
