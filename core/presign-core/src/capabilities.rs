//! [`Capabilities`]: what a provider's server really enforces.
//!
//! Every [`ConstraintKind`] a request can carry is, for each provider, either
//! [`Support::Enforced`] (the server refuses a request that breaks it), [`Support::Advisory`]
//! (it can be written into the URL but nothing checks it) or [`Support::Unsupported`]. The
//! policy layer reads this table to refuse, in strict mode, any constraint that would not be
//! enforced.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use crate::method::{Method, MethodSet};
use crate::safe_names::SafeNames;

/// How far a provider can hold a client to a constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Support {
    /// The server refuses requests that break the constraint.
    Enforced,
    /// The constraint can be expressed, but the server does not check it.
    Advisory,
    /// The provider cannot express the constraint at all.
    Unsupported,
}

impl Support {
    /// `enforced`, `advisory` or `unsupported`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Support::Enforced => "enforced",
            Support::Advisory => "advisory",
            Support::Unsupported => "unsupported",
        }
    }
}

impl fmt::Display for Support {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

macro_rules! constraint_kinds {
    ($($(#[$doc:meta])* $variant:ident => $name:literal,)*) => {
        /// One kind of constraint a [`crate::Constraints`] can carry.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ConstraintKind {
            $($(#[$doc])* $variant,)*
        }

        impl ConstraintKind {
            /// Every kind, in a fixed order.
            pub const ALL: &'static [ConstraintKind] = &[$(ConstraintKind::$variant,)*];
            /// How many kinds there are.
            pub const COUNT: usize = Self::ALL.len();

            /// The stable, kebab-case name (`content-type`, `client-ip-v4`, ...).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(ConstraintKind::$variant => $name,)*
                }
            }

            /// Looks a kind up by its [`as_str`](Self::as_str) name.
            pub fn from_name(name: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|k| k.as_str() == name)
            }
        }
    };
}

constraint_kinds! {
    /// The upload's `Content-Type` must equal a value.
    ContentType => "content-type",
    /// The upload's `Content-Length` must equal a value.
    ContentLengthExact => "content-length",
    /// The upload's size must lie in a range.
    ContentLengthRange => "content-length-range",
    /// The upload's `Content-MD5` must equal a value.
    ContentMd5 => "content-md5",
    /// The upload must carry a given checksum (`x-amz-checksum-*`, ...).
    Checksum => "checksum",
    /// The client's IPv4 address must lie in a range.
    ClientIpV4 => "client-ip-v4",
    /// The client's IPv6 address must lie in a range.
    ClientIpV6 => "client-ip-v6",
    /// The request must use HTTPS.
    HttpsOnly => "https-only",
    /// The response's `Content-Disposition` is overridden.
    ResponseContentDisposition => "response-content-disposition",
    /// The response's `Content-Type` is overridden.
    ResponseContentType => "response-content-type",
    /// The response's `Cache-Control` is overridden.
    ResponseCacheControl => "response-cache-control",
    /// The response's `Content-Language` is overridden.
    ResponseContentLanguage => "response-content-language",
    /// The response's `Content-Encoding` is overridden.
    ResponseContentEncoding => "response-content-encoding",
    /// The response's `Expires` is overridden.
    ResponseExpires => "response-expires",
    /// The upload must not overwrite an existing object.
    CreateOnly => "create-only",
    /// The URL must not work before a start time.
    NotBefore => "not-before",
    /// The request addresses one version (generation) of the object.
    ObjectVersion => "object-version",
    /// User metadata stored with the upload (`x-amz-meta-*`, ...).
    Metadata => "metadata",
    /// Extra request headers, signed.
    ExtraHeaders => "extra-headers",
    /// Extra query parameters, signed.
    ExtraQuery => "extra-query",
}

impl fmt::Display for ConstraintKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What one provider can sign and enforce.
///
/// ```
/// use presign_core::{Capabilities, ConstraintKind, Support, Method};
/// use std::time::Duration;
///
/// let caps = Capabilities::new("example", Duration::from_secs(3600))
///     .with(ConstraintKind::ContentType, Support::Enforced);
/// assert_eq!(caps.support(ConstraintKind::ContentType), Support::Enforced);
/// assert_eq!(caps.support(ConstraintKind::ClientIpV4), Support::Unsupported);
/// assert!(caps.methods().contains(Method::Get));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Capabilities {
    provider: Cow<'static, str>,
    max_ttl: Duration,
    max_key_bytes: usize,
    methods: MethodSet,
    support: [Support; ConstraintKind::COUNT],
    post_policy: bool,
    signed_cookies: bool,
    safe_names: SafeNames,
}

impl Capabilities {
    /// Capabilities for `provider` with a maximum time-to-live; every constraint starts
    /// [`Support::Unsupported`], every method is signable, keys up to 1024 bytes.
    pub fn new(provider: impl Into<Cow<'static, str>>, max_ttl: Duration) -> Self {
        Capabilities {
            provider: provider.into(),
            max_ttl,
            max_key_bytes: 1024,
            methods: MethodSet::of(&Method::ALL),
            support: [Support::Unsupported; ConstraintKind::COUNT],
            post_policy: false,
            signed_cookies: false,
            safe_names: SafeNames::NONE,
        }
    }

    /// Sets the support of one constraint.
    #[must_use]
    pub fn with(mut self, kind: ConstraintKind, support: Support) -> Self {
        if let Some(slot) = self.support.get_mut(kind as usize) {
            *slot = support;
        }
        self
    }

    /// Sets the signable methods.
    #[must_use]
    pub fn with_methods(mut self, methods: MethodSet) -> Self {
        self.methods = methods;
        self
    }

    /// Sets the longest key, in bytes.
    #[must_use]
    pub fn with_max_key_bytes(mut self, max: usize) -> Self {
        self.max_key_bytes = max;
        self
    }

    /// Declares whether the provider signs POST policies (browser form uploads, see
    /// [`crate::post_policy`]); off unless set.
    #[must_use]
    pub fn with_post_policy(mut self, offered: bool) -> Self {
        self.post_policy = offered;
        self
    }

    /// Declares whether the provider signs cookie grants ([`crate::cookies::CookiePresigner`]);
    /// off unless set.
    #[must_use]
    pub fn with_signed_cookies(mut self, offered: bool) -> Self {
        self.signed_cookies = offered;
        self
    }

    /// Declares the extra signed headers and query parameters that only describe the object
    /// (see [`crate::safe_names`]); none unless set.
    #[must_use]
    pub fn with_safe_names(mut self, names: SafeNames) -> Self {
        self.safe_names = names;
        self
    }

    /// The extra signed headers and query parameters the provider declares safe.
    pub fn safe_names(&self) -> &SafeNames {
        &self.safe_names
    }

    /// Whether the provider signs cookie grants ([`crate::cookies::CookiePresigner`]).
    pub fn signed_cookies(&self) -> bool {
        self.signed_cookies
    }

    /// Whether the provider signs POST policies ([`crate::post_policy::PostPresigner`]).
    pub fn post_policy(&self) -> bool {
        self.post_policy
    }

    /// The provider's name (`s3`, `gcs`, `azure`, or a configured name).
    pub fn provider(&self) -> &str {
        &self.provider
    }

    /// The longest time-to-live the provider accepts.
    pub fn max_ttl(&self) -> Duration {
        self.max_ttl
    }

    /// The longest key, in bytes.
    pub fn max_key_bytes(&self) -> usize {
        self.max_key_bytes
    }

    /// The methods the provider can sign.
    pub fn methods(&self) -> MethodSet {
        self.methods
    }

    /// How the provider handles `kind`.
    pub fn support(&self, kind: ConstraintKind) -> Support {
        self.support
            .get(kind as usize)
            .copied()
            .unwrap_or(Support::Unsupported)
    }

    /// Every constraint kind with its support, in [`ConstraintKind::ALL`] order.
    pub fn table(&self) -> impl Iterator<Item = (ConstraintKind, Support)> + '_ {
        ConstraintKind::ALL.iter().map(|k| (*k, self.support(*k)))
    }
}

impl fmt::Debug for Capabilities {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        m.entry(&"provider", &self.provider);
        m.entry(&"max_ttl", &self.max_ttl);
        m.entry(&"methods", &self.methods);
        m.entry(&"post_policy", &self.post_policy);
        m.entry(&"signed_cookies", &self.signed_cookies);
        for (k, s) in self.table() {
            m.entry(&k.as_str(), &s.as_str());
        }
        m.finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_unique() {
        let mut names: Vec<&str> = ConstraintKind::ALL.iter().map(|k| k.as_str()).collect();
        for k in ConstraintKind::ALL {
            assert_eq!(ConstraintKind::from_name(k.as_str()), Some(*k));
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ConstraintKind::COUNT);
    }
}
