//! [`Verifier`] for CloudFront: the policy a signed URL carries (custom: `Policy`; canned:
//! rebuilt from the URL and `Expires`, as CloudFront does) checked against its `Signature` with
//! the key group's key the URL names. CloudFront signs no method and no header: a matching
//! signature is valid for any of them.

use presign_core::verify::{SignatureCheck, Verifier, VerifyRequest};
use presign_core::{Error, Timestamp};

use crate::encoding;
use crate::key::HashAlgorithm;
use crate::policy::{Grant, PolicyKind, wildcard_match};
use crate::presigner::CloudFrontPresigner;

/// The parameters CloudFront adds to a URL (everything else is part of the resource).
const OWN: [&str; 5] = [
    "Expires",
    "Policy",
    "Signature",
    "Key-Pair-Id",
    "Hash-Algorithm",
];

fn invalid(field: &str, reason: impl Into<String>) -> Error {
    Error::invalid_input(field, reason)
}

impl Verifier for CloudFrontPresigner {
    fn key_ids(&self) -> Vec<String> {
        self.keys()
            .keys()
            .iter()
            .map(|k| k.id.as_str().to_owned())
            .collect()
    }

    fn check_signature(&self, r: &VerifyRequest<'_>) -> Result<SignatureCheck, Error> {
        let url = r.url;
        let get = |name: &str| {
            url.get(name)
                .ok_or_else(|| invalid(name, "missing: not a CloudFront signed URL"))
        };
        let id = get("Key-Pair-Id")?;
        let key = self
            .keys()
            .keys()
            .iter()
            .find(|k| k.id.as_str() == id)
            .ok_or_else(|| {
                invalid(
                    "Key-Pair-Id",
                    format!("{id:?} is not one of this provider's keys"),
                )
            })?;
        let hash = match url.get("Hash-Algorithm") {
            None => HashAlgorithm::Sha1,
            Some(h) => HashAlgorithm::parse(h)?,
        };
        let signature = encoding::decode(get("Signature")?)
            .ok_or_else(|| invalid("Signature", "not CloudFront base64"))?;
        let policy = match url.get("Policy") {
            Some(p) => {
                let bytes = encoding::decode(p)
                    .ok_or_else(|| invalid("Policy", "not CloudFront base64"))?;
                String::from_utf8(bytes).map_err(|_| invalid("Policy", "not UTF-8 JSON"))?
            }
            None => {
                let expires = get("Expires")?;
                let expires = expires
                    .parse::<i64>()
                    .ok()
                    .and_then(|s| Timestamp::from_unix(s).ok())
                    .ok_or_else(|| {
                        invalid("Expires", format!("{expires:?} is not Unix seconds"))
                    })?;
                Grant::new(resource(url), expires)?.policy_json(PolicyKind::Canned)?
            }
        };
        // A custom policy signs its resource, not the URL: the URL must fall under it.
        let covered = match url.has("Policy") {
            true => policy_resource(&policy).is_some_and(|p| wildcard_match(p, &resource(url))),
            false => true,
        };
        Ok(SignatureCheck {
            matches: covered && key.key.verify(hash, policy.as_bytes(), &signature),
            signed_text: Some(policy),
        })
    }
}

/// The `Resource` of a policy (a resource never holds a `"`: such resources are refused).
fn policy_resource(policy: &str) -> Option<&str> {
    let start = policy.find(r#""Resource":""#)? + r#""Resource":""#.len();
    let rest = policy.get(start..)?;
    rest.get(..rest.find('"')?)
}

/// The URL without CloudFront's parameters: what a canned policy's `Resource` is.
fn resource(url: &presign_core::signed_url::SignedUrl) -> String {
    let mut out = format!("{}://{}", url.scheme, url.host);
    if let Some(port) = url.port {
        out = format!("{out}:{port}");
    }
    out.push_str(&url.raw_path);
    let mut sep = '?';
    for p in url
        .params
        .iter()
        .filter(|p| !OWN.contains(&p.name.as_str()))
    {
        out.push(sep);
        out.push_str(&p.raw_name);
        out.push('=');
        out.push_str(&p.raw_value);
        sep = '&';
    }
    out
}
