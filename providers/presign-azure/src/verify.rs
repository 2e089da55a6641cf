//! [`Verifier`] for Azure blob SAS URLs: the SAS fields as the URL carries them put through
//! this provider's own string-to-sign ([`Sas::write_string_to_sign`]) and HMAC-SHA256 with the
//! account key (or the cached user-delegation key the URL names), compared in constant time.
//! A SAS signs permissions, not a method: which method they allow is judged from `sp`.
//!
//! Checked offline: blob SAS (`sr=b`, `sr=bv`) of version [`SIGNED_VERSION`] for this
//! provider's account and container. Account and container SAS, other versions, and
//! user-delegation SAS whose key is not the cached one are refused with the reason.

use base64::Engine as _;
use presign_core::crypto::hmac_sha256;
use presign_core::secret::constant_time_eq;
use presign_core::verify::{SignatureCheck, Verifier, VerifyRequest};
use presign_core::{ClientIp, Error, Timestamp};

use crate::presigner::{AzurePresigner, Credential};
use crate::sas::{SIGNED_VERSION, Sas};

fn invalid(field: &str, reason: impl Into<String>) -> Error {
    Error::invalid_input(field, reason)
}

/// A SAS time field, which must be written as presign writes it (`2026-01-02T03:04:05Z`) for
/// the string-to-sign to be rebuilt from it.
fn time(name: &str, value: &str) -> Result<Timestamp, Error> {
    let t = Timestamp::parse_rfc3339(value)
        .map_err(|_| invalid(name, format!("{value:?} is not an RFC 3339 UTC time")))?;
    if t.to_rfc3339() != value {
        return Err(invalid(
            name,
            format!("{value:?} is not in the YYYY-MM-DDThh:mm:ssZ form this check rebuilds"),
        ));
    }
    Ok(t)
}

impl Verifier for AzurePresigner {
    fn key_ids(&self) -> Vec<String> {
        Vec::new()
    }

    fn check_signature(&self, r: &VerifyRequest<'_>) -> Result<SignatureCheck, Error> {
        let url = r.url;
        let get = |name: &str| url.get(name).filter(|v| !v.is_empty());
        if url.has("ss") || url.has("srt") {
            return Err(invalid(
                "ss",
                "an account SAS is not checked offline (only blob SAS)",
            ));
        }
        match get("sv") {
            Some(SIGNED_VERSION) => {}
            other => {
                return Err(invalid(
                    "sv",
                    format!("{other:?}: only version {SIGNED_VERSION} SAS are checked offline"),
                ));
            }
        }
        let version_id = match get("sr") {
            Some("b") => None,
            Some("bv") => {
                Some(get("versionid").ok_or_else(|| invalid("versionid", "missing for sr=bv"))?)
            }
            other => {
                return Err(invalid(
                    "sr",
                    format!("{other:?}: only blob SAS (b, bv) are checked offline"),
                ));
            }
        };
        // The account and container are this provider's: the path is /[ACCOUNT/]CONTAINER/BLOB.
        let segments = url.path_segments();
        let mut rest = segments.as_slice();
        if rest.first().map(String::as_str) == Some(self.account.as_str())
            && !url.host.starts_with(&self.account)
        {
            rest = rest.get(1..).unwrap_or_default();
        }
        let Some((container, blob)) = rest.split_first() else {
            return Err(invalid("path", "no container in the path"));
        };
        if *container != self.container {
            return Err(invalid(
                "container",
                format!(
                    "the URL is for container {container:?}, this provider signs for {:?}",
                    self.container
                ),
            ));
        }
        let blob = blob.join("/");
        let ip = get("sip").map(ClientIp::parse).transpose()?;
        let https_only = match get("spr") {
            Some("https") => true,
            Some("https,http") => false,
            other => {
                return Err(invalid(
                    "spr",
                    format!("{other:?}: only https or https,http are checked offline"),
                ));
            }
        };
        let mut sas = Sas {
            permissions: get("sp").unwrap_or_default(),
            start: get("st").map(|v| time("st", v)).transpose()?,
            expiry: time("se", get("se").ok_or_else(|| invalid("se", "missing"))?)?,
            identifier: get("si"),
            ip,
            https_only,
            version_id,
            overrides: ["rscc", "rscd", "rsce", "rscl", "rsct"].map(get),
            delegation: None,
        };
        let cached;
        let key: &[u8] = match &self.credential {
            Credential::AccountKey(k) if !url.has("skoid") => k.expose_secret(),
            Credential::AccountKey(_) => {
                return Err(invalid(
                    "skoid",
                    "a user delegation SAS, but this provider signs with the account key",
                ));
            }
            Credential::UserDelegation(cache) => {
                cached = cache.peek().ok_or_else(|| Error::WouldBlock {
                    provider: self.name.to_string(),
                    reason: "no user delegation key is cached; it must be fetched first".into(),
                })?;
                let k = cached.value();
                let same = get("skoid") == Some(k.signed_oid.as_str())
                    && get("skt") == Some(k.signed_start.as_str())
                    && get("ske") == Some(k.signed_expiry.as_str());
                if !same {
                    return Err(invalid(
                        "skoid",
                        "signed with another user delegation key than the cached one",
                    ));
                }
                sas.delegation = Some(k);
                k.key.expose_secret()
            }
        };
        let mut sts = String::new();
        sas.write_string_to_sign(&self.resource_prefix, &blob, &mut sts);
        let mac = hmac_sha256(key, sts.as_bytes());
        let expected = base64::engine::general_purpose::STANDARD.encode(mac);
        let carried = get("sig").ok_or_else(|| invalid("sig", "missing"))?;
        Ok(SignatureCheck {
            matches: constant_time_eq(expected.as_bytes(), carried.as_bytes()),
            signed_text: Some(sts),
        })
    }
}
