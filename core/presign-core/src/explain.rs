//! [`Explanation`]: what a provider signed, for debugging a 403.
//!
//! When a server answers "signature does not match", the one useful thing is to compare the
//! canonical request and string to sign on both sides. Providers that have them return an
//! `Explanation` from [`crate::Presigner::explain`]; it never contains a secret or a signature.

/// The inputs of a signature, without secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Explanation {
    /// The signing algorithm (`AWS4-HMAC-SHA256`, `GOOG4-RSA-SHA256`, `Azure service SAS 2022-11-02`, ...).
    pub algorithm: String,
    /// The canonical request, for schemes that have one (SigV4, GCS V4).
    pub canonical_request: Option<String>,
    /// The exact string that is signed.
    pub string_to_sign: String,
}

impl Explanation {
    /// An explanation with a canonical request.
    pub fn new(
        algorithm: impl Into<String>,
        canonical_request: Option<String>,
        string_to_sign: impl Into<String>,
    ) -> Self {
        Explanation {
            algorithm: algorithm.into(),
            canonical_request,
            string_to_sign: string_to_sign.into(),
        }
    }
}
