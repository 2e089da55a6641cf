//! The checklist every signed-URL guide ends with, as [`Finding`]s.
//!
//! | code | severity | when |
//! |---|---|---|
//! | `expired` | warning | the URL has expired |
//! | `not-yet-valid` | info | the URL's start is still ahead |
//! | `lifetime-over-24h` | error | valid for more than 24 hours |
//! | `lifetime-over-15m` | warning | valid for more than 15 minutes (up to 24 hours) |
//! | `over-provider-max` | error | longer than the service accepts (S3, GCS: 7 days): it will be refused |
//! | `expiry-in-policy` | info | Azure: the expiry lives in the stored access policy |
//! | `delete-permission` | error | the URL can delete (DELETE, Azure `d`/`x`/`y`) |
//! | `write-permission` | warning | the URL can write (PUT/POST, Azure `a`/`c`/`w`/`m`/`u`) |
//! | `insecure-http` | error | an `http://` URL to a host other than loopback |
//! | `http-allowed` | warning | Azure: `spr` allows plain HTTP |
//! | `account-sas` | warning | Azure account SAS: a blob SAS would do |
//! | `container-wide` | warning | Azure `sr=c`: every blob of the container |
//! | `prefix-wide` | warning | every object under a prefix or wildcard (CloudFront, Cloud CDN, Azure `sr=d`) |
//! | `not-revocable` | warning | Azure service SAS without a stored access policy (`si`) |
//! | `long-term-key-id` | warning | a long-term key id is exposed (`AKIA…`, GCS HMAC, CloudFront `APKA…`) |
//! | `legacy-signature` | warning | SigV2, GCS V2 |
//! | `expires-after-key` | warning | Azure user delegation: the SAS outlives its delegation key |
//! | `signature-redacted` | info | the signature was already redacted |

use std::time::Duration;

use presign_core::Timestamp;
use presign_core::duration::format_duration;

use crate::GrantScope;
use crate::azure::{DELETE_LETTERS, WRITE_LETTERS};
use crate::report::{CredentialKind, Finding, Provider, Report, Severity};

/// 15 minutes: the lifetime every guide recommends at most.
pub const SHORT_LIFETIME: Duration = Duration::from_secs(15 * 60);
/// 24 hours: beyond it a URL is a standing credential.
pub const LONG_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// The findings for `r` at `now`, most serious first.
pub fn check(r: &Report, now: Timestamp, loopback: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut add = |severity, code, message: String| {
        out.push(Finding {
            severity,
            code,
            message,
        });
    };
    lifetime(r, now, &mut add);
    permissions(r, &mut add);
    if r.url_scheme == "http" && !loopback {
        add(
            Severity::Error,
            "insecure-http",
            "the URL is plain http: anyone on the path can read and reuse it; sign https URLs"
                .to_owned(),
        );
    }
    if r.provider == Provider::Azure && r.protocol.as_deref() != Some("https") {
        add(
            Severity::Warning,
            "http-allowed",
            "spr allows plain HTTP; sign with spr=https".to_owned(),
        );
    }
    scope(r, &mut add);
    credential(r, &mut add);
    if r.signature_redacted {
        add(
            Severity::Info,
            "signature-redacted",
            "the signature is already REDACTED: this copy of the URL cannot be used".to_owned(),
        );
    }
    out.sort_by_key(|f| std::cmp::Reverse(f.severity));
    out
}

type Add<'a> = dyn FnMut(Severity, &'static str, String) + 'a;

fn lifetime(r: &Report, now: Timestamp, add: &mut Add<'_>) {
    if r.expiry_in_policy {
        add(
            Severity::Info,
            "expiry-in-policy",
            "the expiry is in the stored access policy, not in the URL; check the policy"
                .to_owned(),
        );
    } else if r.remaining_secs <= 0 {
        add(
            Severity::Warning,
            "expired",
            format!(
                "expired at {} ({} ago)",
                r.expires_at,
                format_duration(Duration::from_secs(r.remaining_secs.unsigned_abs()))
            ),
        );
    }
    if let Some(nb) = r.not_before.filter(|nb| *nb > now) {
        add(
            Severity::Info,
            "not-yet-valid",
            format!("not valid before {nb}"),
        );
    }
    if r.expiry_in_policy {
        return;
    }
    // The whole lifetime where the start is known, else what is left of it.
    let life = r
        .lifetime_secs
        .or_else(|| u64::try_from(r.remaining_secs).ok())
        .map(Duration::from_secs);
    let what = if r.lifetime_secs.is_some() {
        "valid for"
    } else {
        "valid for another"
    };
    if let (Some(life), Some(max)) = (life, r.max_lifetime_secs)
        && life.as_secs() > max
    {
        add(
            Severity::Error,
            "over-provider-max",
            format!(
                "{what} {}, more than the {} {} accepts: it will be refused",
                format_duration(life),
                format_duration(Duration::from_secs(max)),
                r.provider
            ),
        );
    }
    match life {
        Some(life) if life > LONG_LIFETIME => add(
            Severity::Error,
            "lifetime-over-24h",
            format!(
                "{what} {}: a URL valid for days is a standing credential; keep it under 15m",
                format_duration(life)
            ),
        ),
        Some(life) if life > SHORT_LIFETIME => add(
            Severity::Warning,
            "lifetime-over-15m",
            format!(
                "{what} {}; keep signed URLs under 15m",
                format_duration(life)
            ),
        ),
        _ => {}
    }
}

fn permissions(r: &Report, add: &mut Add<'_>) {
    let letters: String = r
        .permissions
        .iter()
        .filter_map(|p| p.chars().next())
        .collect();
    let method = r.method.as_deref().unwrap_or("");
    if method.contains("DELETE") || letters.chars().any(|c| DELETE_LETTERS.contains(c)) {
        add(
            Severity::Error,
            "delete-permission",
            "the URL can delete: a leaked copy destroys data; never sign DELETE for clients"
                .to_owned(),
        );
    }
    if method.contains("PUT")
        || method.contains("POST")
        || letters.chars().any(|c| WRITE_LETTERS.contains(c))
    {
        add(
            Severity::Warning,
            "write-permission",
            "the URL can write: bind the upload's type and size and keep it short".to_owned(),
        );
    }
}

fn scope(r: &Report, add: &mut Add<'_>) {
    match r.grant {
        GrantScope::Account => add(
            Severity::Warning,
            "account-sas",
            "an account SAS reaches every container of the account; a blob SAS (sr=b) would do"
                .to_owned(),
        ),
        GrantScope::Container => add(
            Severity::Warning,
            "container-wide",
            "sr=c grants every blob in the container; sign one blob (sr=b)".to_owned(),
        ),
        GrantScope::Prefix => add(
            Severity::Warning,
            "prefix-wide",
            format!(
                "the signature covers every URL matching {}; sign one object where you can",
                r.resource.as_deref().unwrap_or("a prefix")
            ),
        ),
        GrantScope::Object => {}
    }
    if r.provider == Provider::Azure
        && r.credential.kind == CredentialKind::AccountKey
        && r.credential.stored_access_policy.is_none()
    {
        add(
            Severity::Warning,
            "not-revocable",
            "no stored access policy (si): the SAS cannot be revoked before it expires, short of rotating the account key"
                .to_owned(),
        );
    }
}

fn credential(r: &Report, add: &mut Add<'_>) {
    let c = &r.credential;
    let id = c.key_id.as_deref().unwrap_or("");
    match c.kind {
        CredentialKind::AwsLongTermKey => add(
            Severity::Warning,
            "long-term-key-id",
            format!(
                "signed with the long-term IAM user key {id}: sign with a role's temporary credentials (ASIA…) instead"
            ),
        ),
        CredentialKind::HmacKey => add(
            Severity::Warning,
            "long-term-key-id",
            format!(
                "signed with the long-lived HMAC key {id}: prefer a service account's signature"
            ),
        ),
        CredentialKind::LegacyKeyPair => add(
            Severity::Warning,
            "long-term-key-id",
            format!("signed with the root account's CloudFront key pair {id}: use a key group"),
        ),
        _ => {}
    }
    if matches!(r.scheme, "SigV2" | "V2") {
        add(
            Severity::Warning,
            "legacy-signature",
            format!("{} {} is deprecated; sign V4", r.provider, r.scheme),
        );
    }
    if let Some(ske) = c.key_expires_at.filter(|ske| *ske < r.expires_at) {
        add(
            Severity::Warning,
            "expires-after-key",
            format!("the SAS expires after its delegation key ({ske}): it stops working then"),
        );
    }
}
