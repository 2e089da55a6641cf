//! What a provider declares about the secrets its URLs, cookies and headers carry.
//!
//! Core names no provider: each provider crate exports a `&'static [SecretParam]` (for example
//! `presign_s3::SECRET_PARAMS`), and the [`Redactor`](super::Redactor) is built from the
//! declarations it is given. A log scrubber that must know every vendor collects them all (the
//! `presign` facade and `presign redact` do).

/// One named value that grants or identifies access: a query parameter, a cookie, a form field,
/// or (for [`SecretKind::Token`]) an HTTP header. Names are matched ASCII-case-insensitively.
///
/// ```
/// use presign_core::redact::{SecretKind, SecretParam};
/// const SIG: SecretParam = SecretParam::new("X-Amz-Signature", SecretKind::Signature);
/// assert_eq!(SIG.name(), "X-Amz-Signature");
/// assert!(SIG.kind().always_redacted());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SecretParam {
    name: &'static str,
    kind: SecretKind,
}

impl SecretParam {
    /// Declares `name` as a secret of `kind`. The name is a parameter, cookie or header name as it
    /// appears on the wire (any case); it must be non-empty ASCII without `=`, `&` or spaces to
    /// ever match.
    pub const fn new(name: &'static str, kind: SecretKind) -> Self {
        SecretParam { name, kind }
    }

    /// The declared name.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// What the value is.
    pub const fn kind(&self) -> SecretKind {
        self.kind
    }
}

/// What a secret value is, which decides how it is hidden.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SecretKind {
    /// A signature (`X-Amz-Signature`, `sig`, `Signature`): always replaced.
    Signature,
    /// A bearer or session token (`X-Amz-Security-Token`): always replaced, also as an HTTP
    /// header line (`X-Amz-Security-Token: …`).
    Token,
    /// A signed policy that travels beside its signature (the `CloudFront-Policy` cookie):
    /// always replaced.
    Policy,
    /// A credential scope `KEY-ID/date/region/service/terminator` (`X-Amz-Credential`,
    /// `X-Goog-Credential`): only the key id is replaced, and only with [`KeyIds::Redact`].
    CredentialScope,
    /// A bare access key id or service-account name (`AWSAccessKeyId`, `GoogleAccessId`):
    /// replaced only with [`KeyIds::Redact`].
    KeyId,
}

impl SecretKind {
    /// Whether values of this kind are replaced whatever the [`KeyIds`] setting.
    pub const fn always_redacted(self) -> bool {
        matches!(
            self,
            SecretKind::Signature | SecretKind::Token | SecretKind::Policy
        )
    }
}

/// Whether key ids (the first part of a credential scope, bare access key ids) are shown.
///
/// A key id is not a secret by itself and helps triage (which key signed this?), so the default
/// keeps it; `Redact` hides it where a key id must not be disclosed either.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum KeyIds {
    /// Key ids stay visible (the default).
    #[default]
    Keep,
    /// Key ids are replaced too.
    Redact,
}
