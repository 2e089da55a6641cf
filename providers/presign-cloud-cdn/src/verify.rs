//! [`Verifier`] for Cloud CDN: the HMAC-SHA1 of a signed URL (everything before `&Signature=`)
//! or of a signed URL prefix's parameters (`URLPrefix=…&Expires=…&KeyName=…`) recomputed with
//! the configured key the URL names, compared in constant time. Cloud CDN signs no method and
//! no header: a matching signature is valid for any of them.

use base64::Engine;
use presign_core::Error;
use presign_core::secret::constant_time_eq;
use presign_core::verify::{SignatureCheck, Verifier, VerifyRequest};

use crate::presigner::CloudCdnPresigner;

impl Verifier for CloudCdnPresigner {
    fn key_ids(&self) -> Vec<String> {
        self.keys()
            .iter()
            .map(|k| k.name().as_str().to_owned())
            .collect()
    }

    fn check_signature(&self, r: &VerifyRequest<'_>) -> Result<SignatureCheck, Error> {
        let url = r.url;
        let name = url.get("KeyName").ok_or_else(|| {
            Error::invalid_input("KeyName", "missing: not a Cloud CDN signed URL")
        })?;
        let key = self
            .keys()
            .iter()
            .find(|k| k.name().as_str() == name)
            .ok_or_else(|| {
                Error::invalid_input(
                    "KeyName",
                    format!("{name:?} is not one of this provider's keys"),
                )
            })?;
        // The URL as it was signed: origin, raw path and the raw query up to the signature.
        let mut text = format!("{}://{}", url.scheme, url.host);
        if let Some(port) = url.port {
            text = format!("{text}:{port}");
        }
        text.push_str(&url.raw_path);
        let mut signature = None;
        for (i, p) in url.params.iter().enumerate() {
            if p.raw_name == "Signature" {
                signature = Some(p.raw_value.as_str());
                break;
            }
            text.push(if i == 0 { '?' } else { '&' });
            text.push_str(&p.raw_name);
            text.push('=');
            text.push_str(&p.raw_value);
        }
        let signature = signature.ok_or_else(|| {
            Error::invalid_input("Signature", "missing: not a Cloud CDN signed URL")
        })?;
        // A prefix signs its own parameters, not the URL.
        let signed = match text.find("URLPrefix=") {
            Some(at) if url.has("URLPrefix") => text.get(at..).unwrap_or_default(),
            _ => text.as_str(),
        };
        let mac = key.hmac(&[signed.as_bytes()]);
        let mut expected = String::new();
        base64::engine::general_purpose::URL_SAFE.encode_string(mac, &mut expected);
        Ok(SignatureCheck {
            matches: constant_time_eq(expected.as_bytes(), signature.as_bytes()),
            signed_text: Some(signed.to_owned()),
        })
    }
}
