//! Signing keys: RSA (PKCS#1 or PKCS#8 PEM) and ECDSA P-256 (PKCS#8 or SEC1 PEM), the hash
//! algorithm, and key pair ids.
//!
//! CloudFront verifies RSASSA-PKCS1-v1_5 with SHA-1 (the default) or SHA-256, and ECDSA P-256
//! with SHA-256 only (DER signature). RSA-SHA256 with keys of 2048 bits or more runs on AWS-LC;
//! RSA-SHA1 and smaller keys, which AWS-LC's safe API does not sign, run on RustCrypto's
//! constant-time, blinded RSA.

use std::fmt;

use aws_lc_rs::digest;
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{
    ECDSA_P256_SHA256_ASN1, ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, KeyPair,
    RSA_PKCS1_SHA256, RsaKeyPair, UnparsedPublicKey,
};
use presign_core::Error;
use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::DecodePrivateKey;
use rsa::traits::PublicKeyParts;

/// The hash CloudFront verifies the signature with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum HashAlgorithm {
    /// SHA-1, CloudFront's default: no `Hash-Algorithm` parameter is sent.
    #[default]
    Sha1,
    /// SHA-256: `Hash-Algorithm=SHA256` is sent with the URL or cookies.
    Sha256,
}

impl HashAlgorithm {
    /// `SHA1` or `SHA256`, as CloudFront spells them.
    pub const fn as_str(self) -> &'static str {
        match self {
            HashAlgorithm::Sha1 => "SHA1",
            HashAlgorithm::Sha256 => "SHA256",
        }
    }

    /// Parses `SHA1` / `SHA256` (also `sha-1`, `sha-256`, any case).
    pub fn parse(s: &str) -> Result<Self, Error> {
        match s.to_ascii_uppercase().replace('-', "").as_str() {
            "SHA1" => Ok(HashAlgorithm::Sha1),
            "SHA256" => Ok(HashAlgorithm::Sha256),
            _ => Err(Error::invalid_input(
                "hash_algorithm",
                format!("{s:?} is not SHA1 or SHA256"),
            )),
        }
    }
}

impl fmt::Display for HashAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A CloudFront key id: a public key's id in a key group (`K…`) or a legacy root-account key
/// pair id (`APKA…`). Checked to be 1 to 128 ASCII letters, digits, `_` or `-`, so that it goes
/// into a URL and a cookie without escaping.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct KeyPairId(String);

impl KeyPairId {
    /// Validates `id`.
    pub fn new(id: impl Into<String>) -> Result<Self, Error> {
        let id = id.into();
        let ok = (1..=128).contains(&id.len())
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
        if ok {
            Ok(KeyPairId(id))
        } else {
            Err(Error::invalid_input(
                "key_pair_id",
                format!(
                    "{} is not a CloudFront key id (1 to 128 letters, digits, '_' or '-', such as K2JCJMDEHXQW5F or APKAEIBAERJR2EXAMPLE)",
                    presign_core::error::display_key(&id)
                ),
            ))
        }
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is a legacy CloudFront key pair id of the root account (`APKA…`), which
    /// AWS recommends replacing with a key group.
    pub fn is_legacy(&self) -> bool {
        self.0.starts_with("APKA")
    }
}

impl fmt::Debug for KeyPairId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyPairId({:?})", self.0)
    }
}

impl fmt::Display for KeyPairId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The kind of a [`SigningKey`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    /// RSA, with the modulus size in bits.
    Rsa {
        /// Modulus size in bits.
        bits: usize,
    },
    /// ECDSA on P-256.
    EcdsaP256,
}

enum Inner {
    Rsa {
        /// AWS-LC's key, for SHA-256 with 2048 bits or more.
        fast: Option<RsaKeyPair>,
        /// RustCrypto's key, for SHA-1 and smaller keys.
        portable: Box<rsa::PrivateKey>,
        bits: usize,
    },
    Ecdsa(EcdsaKeyPair),
}

/// A private key that signs CloudFront policies. Parsed once; never printed.
pub struct SigningKey {
    inner: Inner,
    rng: SystemRandom,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SigningKey({:?}, [REDACTED])", self.kind())
    }
}

/// The error for a key that is neither RSA nor ECDSA P-256.
fn unsupported(detail: &str) -> Error {
    Error::invalid_input(
        "private_key",
        format!(
            "the key is not a usable RSA key (PKCS#1 or PKCS#8) or ECDSA P-256 key (PKCS#8 or SEC1){detail}"
        ),
    )
}

/// The DigestInfo prefixes of RFC 8017 §9.2, note 1 (PKCS#1 v1.5 signatures).
const SHA1_DIGEST_INFO: &[u8] = &[
    0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a, 0x05, 0x00, 0x04, 0x14,
];
const SHA256_DIGEST_INFO: &[u8] = &[
    0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05,
    0x00, 0x04, 0x20,
];

impl SigningKey {
    /// Parses a PEM private key: `RSA PRIVATE KEY` (PKCS#1), `EC PRIVATE KEY` (SEC1) or
    /// `PRIVATE KEY` (PKCS#8, RSA or EC P-256). Anything else (DSA, other curves, encrypted
    /// keys) is refused; the error never quotes the key.
    pub fn from_pem(pem: &str) -> Result<Self, Error> {
        let block = presign_core::pem::decode(pem)
            .map_err(|reason| Error::invalid_input("private_key", reason))?;
        match block.label.as_str() {
            "RSA PRIVATE KEY" => {
                let key = rsa::PrivateKey::from_pkcs1_der(&block.der)
                    .map_err(|_| unsupported(": the PKCS#1 block does not parse"))?;
                Self::rsa(key, None)
            }
            "EC PRIVATE KEY" | "PRIVATE KEY" => Self::from_der(&block.der),
            other => Err(unsupported(&format!(
                ": a PEM \"{other}\" block is not a private key"
            ))),
        }
    }

    /// Parses a DER private key: PKCS#8 (RSA or EC P-256) or SEC1 (EC P-256).
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        if let Ok(key) = rsa::PrivateKey::from_pkcs8_der(der) {
            return Self::rsa(key, Some(der));
        }
        if let Ok(pair) = EcdsaKeyPair::from_private_key_der(&ECDSA_P256_SHA256_ASN1_SIGNING, der) {
            return Ok(SigningKey {
                inner: Inner::Ecdsa(pair),
                rng: SystemRandom::new(),
            });
        }
        Err(unsupported(""))
    }

    fn rsa(key: rsa::PrivateKey, pkcs8: Option<&[u8]>) -> Result<Self, Error> {
        let bits = key.size() * 8;
        if bits < 1024 {
            return Err(unsupported(&format!(
                ": an RSA key of {bits} bits is too short (CloudFront uses 2048)"
            )));
        }
        // AWS-LC signs SHA-256 with keys of 2048 bits or more; a PKCS#1 key reaches it through
        // its PKCS#8 re-encoding.
        let fast = if bits >= 2048 {
            use rsa::pkcs8::EncodePrivateKey;
            pkcs8
                .and_then(|der| RsaKeyPair::from_pkcs8(der).ok())
                .or_else(|| {
                    key.to_pkcs8_der()
                        .ok()
                        .and_then(|doc| RsaKeyPair::from_pkcs8(doc.as_bytes()).ok())
                })
        } else {
            None
        };
        Ok(SigningKey {
            inner: Inner::Rsa {
                fast,
                portable: Box::new(key),
                bits,
            },
            rng: SystemRandom::new(),
        })
    }

    /// RSA or ECDSA P-256.
    pub fn kind(&self) -> KeyKind {
        match &self.inner {
            Inner::Rsa { bits, .. } => KeyKind::Rsa { bits: *bits },
            Inner::Ecdsa(_) => KeyKind::EcdsaP256,
        }
    }

    /// Refuses a hash the key cannot sign with for CloudFront: ECDSA only with SHA-256.
    pub fn check_hash(&self, hash: HashAlgorithm) -> Result<(), Error> {
        match (&self.inner, hash) {
            (Inner::Ecdsa(_), HashAlgorithm::Sha1) => Err(Error::invalid_input(
                "hash_algorithm",
                "an ECDSA key signs only with SHA256; CloudFront refuses ECDSA with SHA1 (the default), so set the hash algorithm to SHA256",
            )),
            _ => Ok(()),
        }
    }

    /// The signature of `message`: RSASSA-PKCS1-v1_5 or ECDSA (DER), with `hash`.
    pub fn sign(&self, hash: HashAlgorithm, message: &[u8]) -> Result<Vec<u8>, Error> {
        self.check_hash(hash)?;
        let failed = |what: &str| Error::Provider {
            provider: "cloudfront".into(),
            reason: format!("{what} signing failed"),
        };
        match &self.inner {
            Inner::Rsa {
                fast: Some(pair),
                bits: _,
                portable: _,
            } if hash == HashAlgorithm::Sha256 => {
                let mut sig = vec![0u8; pair.public_modulus_len()];
                pair.sign(&RSA_PKCS1_SHA256, &self.rng, message, &mut sig)
                    .map_err(|_| failed("RSA"))?;
                Ok(sig)
            }
            Inner::Rsa { portable, .. } => {
                let (algorithm, prefix) = match hash {
                    HashAlgorithm::Sha1 => (&digest::SHA1_FOR_LEGACY_USE_ONLY, SHA1_DIGEST_INFO),
                    HashAlgorithm::Sha256 => (&digest::SHA256, SHA256_DIGEST_INFO),
                };
                let hashed = digest::digest(algorithm, message);
                let scheme = rsa::Pkcs1v15Sign {
                    hash_len: Some(hashed.as_ref().len()),
                    prefix: prefix.into(),
                };
                portable
                    .sign(scheme, hashed.as_ref())
                    .map_err(|_| failed("RSA"))
            }
            Inner::Ecdsa(pair) => pair
                .sign(&self.rng, message)
                .map(|s| s.as_ref().to_vec())
                .map_err(|_| failed("ECDSA")),
        }
    }

    /// Whether `signature` is this key's signature of `message` with `hash` (offline
    /// verification). RSASSA-PKCS1-v1_5 is deterministic: the message is signed again and the
    /// two compared in constant time. ECDSA is checked with the public key.
    pub fn verify(&self, hash: HashAlgorithm, message: &[u8], signature: &[u8]) -> bool {
        match &self.inner {
            Inner::Rsa { .. } => self
                .sign(hash, message)
                .is_ok_and(|ours| presign_core::secret::constant_time_eq(&ours, signature)),
            Inner::Ecdsa(pair) => {
                hash == HashAlgorithm::Sha256
                    && UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, pair.public_key().as_ref())
                        .verify(message, signature)
                        .is_ok()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PKCS8: &str = include_str!("../tests/keys/rsa-2048-pkcs8.pem");
    const PKCS1: &str = include_str!("../tests/keys/rsa-2048-pkcs1.pem");

    #[test]
    fn both_rsa_backends_give_the_same_signature() {
        // PKCS#1 v1.5 is deterministic: AWS-LC (SHA-256, 2048 bits) and the portable path must
        // agree byte for byte.
        let key = SigningKey::from_pem(PKCS8).unwrap();
        let fast = key.sign(HashAlgorithm::Sha256, b"policy").unwrap();
        let Inner::Rsa {
            portable,
            fast: Some(_),
            ..
        } = &key.inner
        else {
            panic!("a 2048-bit PKCS#8 key has both backends");
        };
        let hashed = digest::digest(&digest::SHA256, b"policy");
        let scheme = rsa::Pkcs1v15Sign {
            hash_len: Some(32),
            prefix: SHA256_DIGEST_INFO.into(),
        };
        assert_eq!(portable.sign(scheme, hashed.as_ref()).unwrap(), fast);
        let pkcs1 = SigningKey::from_pem(PKCS1).unwrap();
        assert!(matches!(pkcs1.inner, Inner::Rsa { fast: Some(_), .. }));
        assert_eq!(pkcs1.sign(HashAlgorithm::Sha256, b"policy").unwrap(), fast);
        assert_eq!(
            pkcs1.sign(HashAlgorithm::Sha1, b"policy").unwrap(),
            key.sign(HashAlgorithm::Sha1, b"policy").unwrap()
        );
        assert_eq!(key.kind(), KeyKind::Rsa { bits: 2048 });
    }

    #[test]
    fn refusals() {
        let e =
            SigningKey::from_pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----")
                .unwrap_err()
                .to_string();
        assert!(e.contains("RSA") && e.contains("ECDSA"), "{e}");
        assert!(format!("{:?}", SigningKey::from_pem(PKCS8).unwrap()).contains("REDACTED"));
        assert!(KeyPairId::new("K2JCJMDEHXQW5F").is_ok());
        assert!(KeyPairId::new("APKAEIBAERJR2EXAMPLE").unwrap().is_legacy());
        for bad in ["", "a b", "K\"", &"K".repeat(129)] {
            assert!(KeyPairId::new(bad).is_err(), "{bad}");
        }
        assert_eq!(
            HashAlgorithm::parse("sha-256").unwrap(),
            HashAlgorithm::Sha256
        );
        assert!(HashAlgorithm::parse("md5").is_err());
    }
}
