//! Azure Storage shared access signatures: service SAS (account key), user-delegation SAS
//! and account SAS.

use presign_core::redact::REDACTED;

use crate::error::InspectError;
use crate::report::{Credential, CredentialKind, Provider, Report};
use crate::s3::required;
use crate::time::parse_iso;
use crate::{GrantScope, report_for};
use presign_core::signed_url::SignedUrl;

const SERVICE: &str = "Azure service SAS";
const DELEGATION: &str = "Azure user delegation SAS";
const ACCOUNT: &str = "Azure account SAS";

/// Blob (and account SAS) permission letters and their names, in Azure's order.
const PERMISSIONS: &[(char, &str)] = &[
    ('r', "read"),
    ('a', "add"),
    ('c', "create"),
    ('w', "write"),
    ('d', "delete"),
    ('x', "delete-version"),
    ('y', "permanent-delete"),
    ('l', "list"),
    ('t', "tags"),
    ('f', "filter-by-tags"),
    ('m', "move"),
    ('e', "execute"),
    ('o', "ownership"),
    ('p', "permissions"),
    ('i', "set-immutability-policy"),
    ('u', "update"),
];

/// Permission letters that write, and that delete.
pub(crate) const WRITE_LETTERS: &str = "acwmu";
/// Permission letters that delete.
pub(crate) const DELETE_LETTERS: &str = "dxy";

/// `account.blob.core.windows.net` (any cloud's suffix) → account and service; otherwise the
/// first path segment is the account (Azurite's path style).
fn account_and_path(url: &SignedUrl) -> (Option<String>, Vec<String>) {
    let segments = url.path_segments();
    let host_account = url
        .host
        .split_once('.')
        .filter(|(_, rest)| rest.contains(".core."))
        .map(|(a, _)| a.to_owned());
    match host_account {
        Some(a) => (Some(a), segments),
        None => {
            let mut s = segments.into_iter();
            let account = s.next().filter(|a| !a.is_empty());
            (account, s.collect())
        }
    }
}

/// Decodes a SAS URL, naming the first part that is wrong.
pub(crate) fn decode(url: &SignedUrl) -> Result<Report, InspectError> {
    let account_sas = url.has("ss") || url.has("srt");
    let delegation = url.has("skoid");
    let scheme = match (account_sas, delegation) {
        (true, _) => ACCOUNT,
        (false, true) => DELEGATION,
        (false, false) => SERVICE,
    };
    let version = required(url, scheme, "sv")?;
    if parse_iso(version).is_none() {
        return Err(InspectError::malformed(
            scheme,
            "sv",
            format!("{version:?} is not a service version (YYYY-MM-DD)"),
        ));
    }
    let sig = required(url, scheme, "sig")?;
    let si = url.get("si").filter(|s| !s.is_empty());
    // A stored access policy may supply the expiry and the permissions.
    let expires_at = match (url.get("se"), si) {
        (Some(se), _) => Some(parse_iso(se).ok_or_else(|| {
            InspectError::malformed(scheme, "se", format!("{se:?} is not an ISO 8601 UTC time"))
        })?),
        (None, Some(_)) => None,
        (None, None) => return Err(InspectError::malformed(scheme, "se", "missing")),
    };
    let sp = match (url.get("sp"), si) {
        (Some(sp), _) => sp,
        (None, Some(_)) => "",
        (None, None) => return Err(InspectError::malformed(scheme, "sp", "missing")),
    };
    if let Some(c) = sp
        .chars()
        .find(|c| !PERMISSIONS.iter().any(|(l, _)| l == c))
    {
        return Err(InspectError::malformed(
            scheme,
            "sp",
            format!("{c:?} is not a permission letter"),
        ));
    }
    let start = url
        .get("st")
        .map(|st| {
            parse_iso(st).ok_or_else(|| {
                InspectError::malformed(scheme, "st", format!("{st:?} is not an ISO 8601 UTC time"))
            })
        })
        .transpose()?;
    let (kind, key_id) = if delegation {
        (CredentialKind::UserDelegationKey, url.get("skoid"))
    } else {
        (CredentialKind::AccountKey, None)
    };
    let mut credential = Credential::new(kind, key_id.map(str::to_owned));
    credential.stored_access_policy = si.map(str::to_owned);
    credential.delegated_object_id = url.get("skoid").map(str::to_owned);
    credential.key_expires_at = url.get("ske").and_then(parse_iso);
    // With the expiry in a stored access policy, the URL itself does not say when it ends;
    // the start (or nothing) is reported and a finding says so.
    let reported_expiry = expires_at.or(start).unwrap_or(presign_core::Timestamp::MAX);
    let mut r = report_for(
        url,
        Provider::Azure,
        short(scheme),
        reported_expiry,
        credential,
    );
    r.expiry_in_policy = expires_at.is_none();
    let (account, segments) = account_and_path(url);
    r.account = account;
    let mut segments = segments.into_iter();
    r.bucket = segments.next().filter(|c| !c.is_empty());
    let blob = segments.collect::<Vec<_>>().join("/");
    r.object = Some(blob).filter(|b| !b.is_empty());
    r.signed_at = start;
    r.not_before = start;
    r.lifetime_secs = match (start, expires_at) {
        (Some(s), Some(e)) => Some(e.duration_since(s).as_secs()),
        _ => None,
    };
    r.permissions = sp
        .chars()
        .filter_map(|c| PERMISSIONS.iter().find(|(l, _)| *l == c))
        .map(|(l, n)| format!("{l} ({n})"))
        .collect();
    r.method = method_for(sp);
    r.client_ip = url.get("sip").map(str::to_owned);
    r.protocol = Some(url.get("spr").unwrap_or("https,http").to_owned());
    r.signature_redacted = sig == REDACTED;
    r.grant = if account_sas {
        GrantScope::Account
    } else {
        match url.get("sr") {
            Some("c") => GrantScope::Container,
            Some("d") => GrantScope::Prefix,
            Some("b" | "bv" | "bs") => GrantScope::Object,
            Some(other) => {
                return Err(InspectError::malformed(
                    scheme,
                    "sr",
                    format!("{other:?} is not b, bv, bs, c or d"),
                ));
            }
            None => return Err(InspectError::malformed(scheme, "sr", "missing")),
        }
    };
    r.signed_params = url
        .params
        .iter()
        .filter(|p| p.name.starts_with("rs"))
        .map(|p| p.name.clone())
        .collect();
    Ok(r)
}

fn short(scheme: &'static str) -> &'static str {
    scheme.strip_prefix("Azure ").unwrap_or(scheme)
}

/// The HTTP methods the permissions allow on a blob.
fn method_for(sp: &str) -> Option<String> {
    let mut methods = Vec::new();
    if sp.contains('r') {
        methods.push("GET");
        methods.push("HEAD");
    }
    if sp.chars().any(|c| "acw".contains(c)) {
        methods.push("PUT");
    }
    if sp.chars().any(|c| DELETE_LETTERS.contains(c)) {
        methods.push("DELETE");
    }
    (!methods.is_empty()).then(|| methods.join(", "))
}
