//! [`CloudFrontSigner`]: one key pair id, one key, one hash; signs grants into URLs and cookies.
//!
//! This is the low-level, synchronous signer that the vectors and SDKs are checked against.
//! The presigner maps presign requests onto it behind the policy layer.

use std::fmt;
use std::sync::Arc;

use presign_core::Error;

use crate::encoding;
use crate::key::{HashAlgorithm, KeyPairId, SigningKey};
use crate::policy::{Grant, PolicyKind, check_resource, wildcard_match};

/// Query parameters and cookie suffixes CloudFront reads; a URL that already carries one is
/// refused (compared case-insensitively).
pub const RESERVED_PARAMS: &[&str] = &[
    "Expires",
    "Policy",
    "Signature",
    "Key-Pair-Id",
    "Hash-Algorithm",
];

/// Signs CloudFront policies with one key.
#[derive(Clone)]
pub struct CloudFrontSigner {
    key_pair_id: KeyPairId,
    key: Arc<SigningKey>,
    hash: HashAlgorithm,
}

impl fmt::Debug for CloudFrontSigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CloudFrontSigner")
            .field("key_pair_id", &self.key_pair_id)
            .field("key", &self.key)
            .field("hash", &self.hash)
            .finish()
    }
}

/// The signing parameters of one policy, in CloudFront's order.
#[derive(Clone, PartialEq, Eq)]
pub struct SignedParams {
    /// `Expires` (canned) or `Policy` (custom) and its value.
    pub first: (&'static str, String),
    /// The CloudFront-base64 signature.
    pub signature: String,
    /// The key pair id.
    pub key_pair_id: String,
    /// `Some("SHA256")` when the hash is SHA-256.
    pub hash_algorithm: Option<&'static str>,
}

impl fmt::Debug for SignedParams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let first = if self.first.0 == "Policy" {
            "[REDACTED]"
        } else {
            self.first.1.as_str()
        };
        f.debug_struct("SignedParams")
            .field(self.first.0, &first)
            .field("signature", &"[REDACTED]")
            .field("key_pair_id", &self.key_pair_id)
            .field("hash_algorithm", &self.hash_algorithm)
            .finish()
    }
}

impl SignedParams {
    /// `(name, value)` pairs in order: `Expires|Policy`, `Signature`, `Key-Pair-Id`, then
    /// `Hash-Algorithm` when SHA-256.
    pub fn pairs(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            Some((self.first.0, self.first.1.as_str())),
            Some(("Signature", self.signature.as_str())),
            Some(("Key-Pair-Id", self.key_pair_id.as_str())),
            self.hash_algorithm.map(|h| ("Hash-Algorithm", h)),
        ]
        .into_iter()
        .flatten()
    }

    /// Appends them to `url` (after `&` if it has a query, else `?`).
    pub fn append_to(&self, url: &str) -> String {
        let mut out =
            String::with_capacity(url.len() + 64 + self.signature.len() + self.first.1.len());
        out.push_str(url);
        let mut sep = if url.contains('?') { '&' } else { '?' };
        for (name, value) in self.pairs() {
            out.push(sep);
            out.push_str(name);
            out.push('=');
            out.push_str(value);
            sep = '&';
        }
        out
    }

    /// The signed cookies: `CloudFront-` + each parameter name.
    pub fn cookies(&self) -> Vec<(String, String)> {
        self.pairs()
            .map(|(n, v)| (format!("CloudFront-{n}"), v.to_owned()))
            .collect()
    }
}

/// Checks a URL to be signed: `http://` or `https://`, a host, no fragment, nothing that
/// needs escaping in the policy, and none of CloudFront's own parameters.
pub fn check_url(url: &str) -> Result<(), Error> {
    presign_core::cdn::check_url("url", url, RESERVED_PARAMS, "CloudFront")?;
    check_resource(url).map_err(|e| match e {
        Error::InvalidInput { reason, .. } => Error::invalid_input("url", reason),
        e => e,
    })
}

impl CloudFrontSigner {
    /// A signer; refuses ECDSA with SHA-1.
    pub fn new(
        key_pair_id: KeyPairId,
        key: Arc<SigningKey>,
        hash: HashAlgorithm,
    ) -> Result<Self, Error> {
        key.check_hash(hash)?;
        Ok(CloudFrontSigner {
            key_pair_id,
            key,
            hash,
        })
    }

    /// The key pair id.
    pub fn key_pair_id(&self) -> &KeyPairId {
        &self.key_pair_id
    }

    /// The hash algorithm.
    pub fn hash(&self) -> HashAlgorithm {
        self.hash
    }

    /// The CloudFront-base64 signature of `policy_json`'s bytes.
    pub fn sign_policy(&self, policy_json: &str) -> Result<String, Error> {
        let sig = self.key.sign(self.hash, policy_json.as_bytes())?;
        Ok(encoding::encode(&sig))
    }

    /// The signing parameters of `grant` as a `kind` policy.
    pub fn sign_grant(&self, grant: &Grant, kind: PolicyKind) -> Result<SignedParams, Error> {
        let json = grant.policy_json(kind)?;
        let first = match kind {
            PolicyKind::Canned => ("Expires", grant.expires().unix().to_string()),
            PolicyKind::Custom => ("Policy", encoding::encode(json.as_bytes())),
        };
        self.params(first, &json)
    }

    /// The signing parameters of a caller-written custom policy, signed byte for byte. The
    /// caller (trusted application code) is responsible for its content.
    pub fn sign_custom_policy(&self, policy_json: &str) -> Result<SignedParams, Error> {
        if policy_json.is_empty() || policy_json.len() > 16 * 1024 {
            return Err(Error::invalid_input(
                "policy",
                "it must be 1 to 16384 bytes long",
            ));
        }
        self.params(
            ("Policy", encoding::encode(policy_json.as_bytes())),
            policy_json,
        )
    }

    fn params(&self, first: (&'static str, String), json: &str) -> Result<SignedParams, Error> {
        Ok(SignedParams {
            first,
            signature: self.sign_policy(json)?,
            key_pair_id: self.key_pair_id.as_str().to_owned(),
            hash_algorithm: (self.hash == HashAlgorithm::Sha256).then_some("SHA256"),
        })
    }

    /// A signed URL for `url` under `grant`. A canned policy's resource must be the URL
    /// itself; a custom policy's resource (a pattern) must match the URL.
    pub fn signed_url(&self, url: &str, grant: &Grant, kind: PolicyKind) -> Result<String, Error> {
        check_url(url)?;
        let covered = match kind {
            PolicyKind::Canned => grant.resource() == url,
            PolicyKind::Custom => wildcard_match(grant.resource(), url),
        };
        if !covered {
            return Err(Error::invalid_input(
                "url",
                format!(
                    "the URL is not covered by the {} policy's resource {}",
                    kind.as_str(),
                    presign_core::error::display_key(grant.resource())
                ),
            ));
        }
        Ok(self.sign_grant(grant, kind)?.append_to(url))
    }

    /// A signed URL for `url` with a caller-written custom policy.
    pub fn signed_url_with_policy(&self, url: &str, policy_json: &str) -> Result<String, Error> {
        check_url(url)?;
        Ok(self.sign_custom_policy(policy_json)?.append_to(url))
    }

    /// Signed cookies for `grant`: `CloudFront-Expires` (canned) or `CloudFront-Policy`
    /// (custom), `CloudFront-Signature`, `CloudFront-Key-Pair-Id`, and
    /// `CloudFront-Hash-Algorithm` for SHA-256. A canned grant must not hold a wildcard.
    pub fn signed_cookies(
        &self,
        grant: &Grant,
        kind: PolicyKind,
    ) -> Result<Vec<(String, String)>, Error> {
        if kind == PolicyKind::Canned && grant.has_wildcard() {
            return Err(Error::invalid_input(
                "policy",
                "a wildcard resource needs a custom policy",
            ));
        }
        Ok(self.sign_grant(grant, kind)?.cookies())
    }
}
