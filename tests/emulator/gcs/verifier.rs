//! The independent GCS V4 verifier: fake-gcs-server checks no signature, so every URL the GCS
//! tests send is verified here, offline and without presign-gcs: the canonical request is rebuilt
//! from the URL and the headers the client sends, the string to sign from it, and
//! `X-Goog-Signature` is checked with the service account's RSA public key (aws-lc-rs) or the
//! HMAC key (constant-time compare); the expiry must be `X-Goog-Date + X-Goog-Expires`.

use std::time::Duration;

use aws_lc_rs::signature::{self, KeyPair, RsaKeyPair, UnparsedPublicKey};
use base64::Engine as _;
use presign_core::crypto::{hex, hmac_sha256, sha256};
use presign_core::encoding::decode_lossy;
use presign_core::secret::constant_time_eq;
use presign_core::{PresignedRequest, Timestamp};
use presign_tests::basic_time::basic_to_rfc3339;

/// What the verifier knows: the public half of the RSA key, or the HMAC secret.
pub(super) enum Key {
    Rsa { email: String, public_der: Vec<u8> },
    Hmac { id: String, secret: String },
}

pub(super) fn service_account_json() -> String {
    std::fs::read_to_string(presign_tests::gcs_service_account_file()).unwrap()
}

/// The RSA public key and e-mail, parsed here from the JSON (not through presign-gcs).
pub(super) fn rsa_key(json: &str) -> Key {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    let pem = v["private_key"].as_str().unwrap();
    let body: String = pem
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .collect::<String>();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body.trim())
        .unwrap();
    let pair = RsaKeyPair::from_pkcs8(&der).unwrap();
    Key::Rsa {
        email: v["client_email"].as_str().unwrap().to_owned(),
        public_der: pair.public_key().as_ref().to_vec(),
    }
}

fn unhex(s: &str) -> Result<Vec<u8>, String> {
    if !s.len().is_multiple_of(2) {
        return Err(format!("odd-length hex {s:?}"));
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).map_err(|_| format!("bad hex {s:?}")))
        .collect()
}

/// `20190201T090000Z` -> timestamp.
fn parse_goog_date(s: &str) -> Result<Timestamp, String> {
    let rfc = basic_to_rfc3339(s).ok_or_else(|| format!("bad X-Goog-Date {s:?}"))?;
    Timestamp::parse_rfc3339(&rfc).map_err(|e| e.to_string())
}

/// Verifies `url` as a V4 signed URL for `method` with the `headers` the client sends, rebuilt
/// from scratch; returns the URL's (signing time, expiry).
pub(super) fn verify_url(
    key: &Key,
    method: &str,
    url: &str,
    headers: &[(String, String)],
) -> Result<(Timestamp, Timestamp), String> {
    let (_, rest) = url.split_once("://").ok_or("no scheme")?;
    let slash = rest.find('/').ok_or("no path")?;
    let (authority, path_query) = rest.split_at(slash);
    let (path, query) = path_query.split_once('?').ok_or("no query")?;
    let host = match authority.rsplit_once(':') {
        Some((h, p)) if p.bytes().all(|b| b.is_ascii_digit()) => h,
        _ => authority,
    };
    let mut pairs: Vec<(&str, &str)> = query
        .split('&')
        .map(|p| p.split_once('=').unwrap_or((p, "")))
        .collect();
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .ok_or(format!("no {name}"))
    };
    let signature = unhex(get("X-Goog-Signature")?)?;
    let algorithm = get("X-Goog-Algorithm")?.to_owned();
    let date = get("X-Goog-Date")?.to_owned();
    let expires: u64 = get("X-Goog-Expires")?
        .parse()
        .map_err(|_| "X-Goog-Expires is not a number")?;
    let credential = decode_lossy(get("X-Goog-Credential")?);
    let signed_list = decode_lossy(get("X-Goog-SignedHeaders")?);
    pairs.retain(|(n, _)| *n != "X-Goog-Signature");
    pairs.sort_unstable();
    let canonical_query = pairs
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&");

    let mut hs: Vec<(String, String)> = vec![("host".into(), host.to_owned())];
    for (n, v) in headers {
        hs.push((
            n.trim().to_ascii_lowercase(),
            v.split_whitespace().collect::<Vec<_>>().join(" "),
        ));
    }
    hs.sort();
    let names: Vec<&str> = hs.iter().map(|(n, _)| n.as_str()).collect();
    if names.join(";") != signed_list {
        return Err(format!(
            "signed headers {signed_list:?} are not the headers sent {names:?}"
        ));
    }
    let payload = hs
        .iter()
        .find(|(n, _)| n == "x-goog-content-sha256")
        .map_or("UNSIGNED-PAYLOAD".to_owned(), |(_, v)| v.clone());
    let canonical_headers: String = hs.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
    let canonical_request = format!(
        "{method}\n{path}\n{canonical_query}\n{canonical_headers}\n{signed_list}\n{payload}"
    );
    let (id, scope) = credential
        .split_once('/')
        .ok_or("credential has no scope")?;
    let scope_parts: Vec<&str> = scope.split('/').collect();
    if scope_parts.len() != 4
        || scope_parts[0] != &date[..8]
        || scope_parts[1..] != ["auto", "storage", "goog4_request"]
    {
        return Err(format!("bad scope {scope:?} for date {date}"));
    }
    let string_to_sign = format!(
        "{algorithm}\n{date}\n{scope}\n{}",
        hex(&sha256(canonical_request.as_bytes()))
    );
    match key {
        Key::Rsa { email, public_der } => {
            if algorithm != "GOOG4-RSA-SHA256" || id != email {
                return Err(format!(
                    "credential {id} / {algorithm} is not the service account's"
                ));
            }
            UnparsedPublicKey::new(&signature::RSA_PKCS1_2048_8192_SHA256, public_der)
                .verify(string_to_sign.as_bytes(), &signature)
                .map_err(|_| "RSA signature does not verify".to_owned())?;
        }
        Key::Hmac {
            id: want_id,
            secret,
        } => {
            if algorithm != "GOOG4-HMAC-SHA256" || id != want_id {
                return Err(format!(
                    "credential {id} / {algorithm} is not the HMAC key's"
                ));
            }
            let mut k = hmac_sha256(
                format!("GOOG4{secret}").as_bytes(),
                scope_parts[0].as_bytes(),
            );
            for part in &scope_parts[1..] {
                k = hmac_sha256(&k, part.as_bytes());
            }
            let want = hmac_sha256(&k, string_to_sign.as_bytes());
            if !constant_time_eq(&want, &signature) {
                return Err("HMAC signature does not verify".into());
            }
        }
    }
    if expires == 0 || expires > 604_800 {
        return Err(format!("X-Goog-Expires {expires} is outside 1..=604800"));
    }
    let signed_at = parse_goog_date(&date)?;
    let expires_at = signed_at
        .checked_add(Duration::from_secs(expires))
        .ok_or("expiry overflows")?;
    Ok((signed_at, expires_at))
}

/// Verifies a presigned request and its validity window.
pub(super) fn verify(key: &Key, signed: &PresignedRequest) -> Result<(), String> {
    let (at, until) = verify_url(
        key,
        signed.method().as_str(),
        signed.expose_url(),
        signed.headers(),
    )?;
    if at != signed.signed_at() || until != signed.expires_at() {
        return Err(format!(
            "window {at}..{until} from the URL, {}..{} reported",
            signed.signed_at(),
            signed.expires_at()
        ));
    }
    Ok(())
}
