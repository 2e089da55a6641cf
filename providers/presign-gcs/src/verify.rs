//! [`Verifier`] for Cloud Storage V4 URLs: the URL's request (method, object, signing time,
//! lifetime, signed headers with the client's values, other query parameters) signed again
//! through this provider's own V4 path, and the two signatures compared in constant time. RSA
//! PKCS#1 v1.5 and HMAC signatures are deterministic, so re-signing is checking; a remote
//! signer (IAM signBlob) cannot check offline.

use std::time::Duration;

use presign_core::encoding::decode_lossy;
use presign_core::secret::constant_time_eq;
use presign_core::signed_url::SignedUrl;
use presign_core::verify::{SignatureCheck, Verifier, VerifyRequest};
use presign_core::{Error, ObjectKey, Timestamp};

use crate::endpoint::UrlStyle;
use crate::presigner::GcsPresigner;
use crate::request::V4Request;

/// The parameters V4 itself adds.
const OWN: [&str; 6] = [
    "X-Goog-Algorithm",
    "X-Goog-Credential",
    "X-Goog-Date",
    "X-Goog-Expires",
    "X-Goog-SignedHeaders",
    "X-Goog-Signature",
];

fn invalid(field: &str, reason: impl Into<String>) -> Error {
    Error::invalid_input(field, reason)
}

impl Verifier for GcsPresigner {
    fn key_ids(&self) -> Vec<String> {
        vec![self.signer_id().to_owned()]
    }

    fn check_signature(&self, r: &VerifyRequest<'_>) -> Result<SignatureCheck, Error> {
        let url = r.url;
        let get = |name: &str| {
            url.get(name)
                .ok_or_else(|| invalid(name, "missing: not a GCS V4 URL"))
        };
        let algorithm = get("X-Goog-Algorithm")?;
        if algorithm != self.algorithm() {
            return Err(invalid(
                "X-Goog-Algorithm",
                format!("{algorithm}, but this provider signs {}", self.algorithm()),
            ));
        }
        let date = get("X-Goog-Date")?;
        let time = Timestamp::parse_basic(date)
            .ok_or_else(|| invalid("X-Goog-Date", format!("{date:?} is not YYYYMMDDTHHMMSSZ")))?;
        let expires = get("X-Goog-Expires")?;
        let expires: u64 = expires
            .parse()
            .map_err(|_| invalid("X-Goog-Expires", format!("{expires:?} is not seconds")))?;
        let mut req = V4Request::new(r.method, self.object_of(url)?, Duration::from_secs(expires))
            .signed_at(time);
        for (name, value) in r.signed_header_values(get("X-Goog-SignedHeaders")?)? {
            req = req.with_header(name, value);
        }
        for p in url
            .params
            .iter()
            .filter(|p| !OWN.contains(&p.name.as_str()))
        {
            req = req.with_query(p.name.clone(), p.value.clone());
        }
        if self.url_style() == UrlStyle::BucketBoundHostname {
            req = req.with_hostname(format!("{}://{}", url.scheme, url.host));
        }
        let ours = self.presign_v4_sync(&req)?;
        let ours = SignedUrl::parse(ours.expose_url())?;
        let (ours, theirs) = (
            ours.get("X-Goog-Signature").unwrap_or_default(),
            get("X-Goog-Signature")?.to_ascii_lowercase(),
        );
        Ok(SignatureCheck {
            matches: constant_time_eq(ours.as_bytes(), theirs.as_bytes()),
            signed_text: self.explain_v4(&req).ok().and_then(|e| e.canonical_request),
        })
    }
}

impl GcsPresigner {
    /// The object a URL of this provider's style names (`None`: the bucket itself).
    fn object_of(&self, url: &SignedUrl) -> Result<Option<ObjectKey>, Error> {
        let path = url.raw_path.strip_prefix('/').unwrap_or(&url.raw_path);
        let object = match self.url_style() {
            UrlStyle::Path => {
                let (bucket, object) = path.split_once('/').unwrap_or((path, ""));
                if decode_lossy(bucket) != self.bucket() {
                    return Err(invalid(
                        "bucket",
                        format!(
                            "the URL is for bucket {bucket:?}, this provider signs for {:?}",
                            self.bucket()
                        ),
                    ));
                }
                object
            }
            UrlStyle::VirtualHosted | UrlStyle::BucketBoundHostname => path,
        };
        if object.is_empty() {
            return Ok(None);
        }
        ObjectKey::new(decode_lossy(object)).map(Some)
    }
}
