//! The SigV4 family's query form, shared by S3 (`X-Amz-…`, `AWS4-HMAC-SHA256`) and GCS V4
//! (`X-Goog-…`, `GOOG4-RSA-SHA256` / `GOOG4-HMAC-SHA256`): algorithm, credential scope, date,
//! expiry, signed headers and signature.

use std::time::Duration;

use presign_core::Timestamp;

use crate::error::InspectError;
use crate::report::{Credential, CredentialKind, Provider, Report};
use crate::report_for;
use crate::time::{parse_basic, parse_scope_date, parse_seconds};
use presign_core::signed_url::SignedUrl;

/// The parameters of one dialect.
pub(crate) struct Dialect {
    /// The scheme's name in errors (`S3 SigV4`, `GCS V4`).
    pub(crate) scheme: &'static str,
    /// `X-Amz-` or `X-Goog-`.
    pub(crate) prefix: &'static str,
    /// The scope's last element (`aws4_request`, `goog4_request`).
    pub(crate) terminator: &'static str,
    /// Accepted algorithms.
    pub(crate) algorithms: &'static [&'static str],
    /// The longest lifetime the service accepts (seconds).
    pub(crate) max_expires: u64,
}

/// A decoded V4 query signature.
#[derive(Debug)]
pub(crate) struct V4 {
    /// The algorithm.
    pub(crate) algorithm: String,
    /// The key id (access key id, HMAC access id or service account e-mail).
    pub(crate) key_id: String,
    /// `date/region/service/terminator`.
    pub(crate) scope: String,
    /// The scope's region or location.
    pub(crate) region: String,
    /// When it was signed.
    pub(crate) signed_at: Timestamp,
    /// The lifetime in seconds (`X-*-Expires`).
    pub(crate) expires_secs: u64,
    /// Signed header names, `host` left out.
    pub(crate) signed_headers: Vec<String>,
    /// The signature, lower-case hex, or `None` when redacted.
    pub(crate) signature: Option<String>,
    /// Other parameters that are signed with the URL (everything but the signature).
    pub(crate) extra_params: Vec<String>,
}

impl Dialect {
    fn name(&self, suffix: &str) -> String {
        format!("{}{suffix}", self.prefix)
    }

    /// The value of `prefix + suffix`, required exactly once.
    fn one<'u>(&self, url: &'u SignedUrl, suffix: &str) -> Result<&'u str, InspectError> {
        let name = self.name(suffix);
        match (url.get(&name), url.count(&name)) {
            (Some(v), 1) => Ok(v),
            (None, _) => Err(InspectError::malformed(self.scheme, &name, "missing")),
            (Some(_), n) => Err(InspectError::malformed(
                self.scheme,
                &name,
                format!("present {n} times; a signed URL has it once"),
            )),
        }
    }

    /// A report with everything the V4 parameters say: scheme, algorithm, credential (of a
    /// kind decided from the decoded parameters), signing time, lifetime, signed headers and
    /// parameters. The caller adds the bucket, object and method.
    pub(crate) fn report(
        &self,
        url: &SignedUrl,
        provider: Provider,
        scheme: &'static str,
        kind: impl FnOnce(&V4) -> CredentialKind,
    ) -> Result<(Report, V4), InspectError> {
        let v4 = self.decode(url)?;
        let expires_at = v4
            .signed_at
            .checked_add(Duration::from_secs(v4.expires_secs))
            .ok_or_else(|| {
                InspectError::malformed(self.scheme, self.name("Expires"), "too large")
            })?;
        let mut credential = Credential::new(kind(&v4), Some(v4.key_id.clone()));
        credential.scope = Some(v4.scope.clone());
        credential.region = Some(v4.region.clone());
        credential.session_token = url.has("X-Amz-Security-Token");
        let mut r = report_for(url, provider, scheme, expires_at, credential);
        r.algorithm = Some(v4.algorithm.clone());
        r.signed_at = Some(v4.signed_at);
        r.lifetime_secs = Some(v4.expires_secs);
        r.max_lifetime_secs = Some(self.max_expires);
        r.signed_headers = v4.signed_headers.clone();
        r.signed_params = v4
            .extra_params
            .iter()
            .filter(|p| *p != "X-Amz-Security-Token")
            .cloned()
            .collect();
        r.signature_redacted = v4.signature.is_none();
        Ok((r, v4))
    }

    /// Decodes the V4 parameters of `url`, naming the first part that is wrong.
    pub(crate) fn decode(&self, url: &SignedUrl) -> Result<V4, InspectError> {
        let bad = |suffix: &str, reason: String| {
            InspectError::malformed(self.scheme, self.name(suffix), reason)
        };
        let algorithm = self.one(url, "Algorithm")?;
        if !self.algorithms.contains(&algorithm) {
            return Err(bad(
                "Algorithm",
                format!("{algorithm:?} is not one of {}", self.algorithms.join(", ")),
            ));
        }
        let credential = self.one(url, "Credential")?;
        let parts: Vec<&str> = credential.rsplitn(5, '/').collect();
        let [terminator, service, region, date, key_id] = parts.as_slice() else {
            return Err(bad(
                "Credential",
                "not KEY-ID/DATE/REGION/SERVICE/TERMINATOR".to_owned(),
            ));
        };
        if *terminator != self.terminator {
            return Err(bad(
                "Credential",
                format!(
                    "the scope ends in {terminator:?}, not {:?}",
                    self.terminator
                ),
            ));
        }
        if key_id.is_empty() || region.is_empty() || service.is_empty() {
            return Err(bad(
                "Credential",
                "an empty key id, region or service".to_owned(),
            ));
        }
        let scope_date = parse_scope_date(date)
            .ok_or_else(|| bad("Credential", format!("scope date {date:?} is not YYYYMMDD")))?;
        let date_value = self.one(url, "Date")?;
        let signed_at = parse_basic(date_value)
            .ok_or_else(|| bad("Date", format!("{date_value:?} is not YYYYMMDDTHHMMSSZ")))?;
        if signed_at.floor_to(std::time::Duration::from_secs(86_400)) != scope_date {
            return Err(bad(
                "Credential",
                format!(
                    "scope date {date} is not the day of {}Date {date_value}",
                    self.prefix
                ),
            ));
        }
        let expires = self.one(url, "Expires")?;
        let expires_secs = parse_seconds(expires).filter(|s| *s >= 1).ok_or_else(|| {
            bad(
                "Expires",
                format!("{expires:?} is not a number of seconds ≥ 1"),
            )
        })?;
        let signed_headers_value = self.one(url, "SignedHeaders")?;
        let names: Vec<&str> = signed_headers_value.split(';').collect();
        if names
            .iter()
            .any(|h| h.is_empty() || h.bytes().any(|b| b.is_ascii_uppercase()))
        {
            return Err(bad(
                "SignedHeaders",
                "not lower-case header names separated by ';'".to_owned(),
            ));
        }
        if !names.contains(&"host") {
            return Err(bad("SignedHeaders", "does not include host".to_owned()));
        }
        let signature = self.one(url, "Signature")?;
        let signature = if signature == presign_core::redact::REDACTED {
            None
        } else if signature.len() >= 64
            && signature.len() <= 1024
            && signature.bytes().all(|b| b.is_ascii_hexdigit())
        {
            Some(signature.to_ascii_lowercase())
        } else {
            return Err(bad(
                "Signature",
                "not a hex signature (64 hex digits for HMAC, more for RSA)".to_owned(),
            ));
        };
        let own = [
            "Algorithm",
            "Credential",
            "Date",
            "Expires",
            "SignedHeaders",
            "Signature",
        ];
        let extra_params = url
            .params
            .iter()
            .filter(|p| !own.iter().any(|s| p.name == self.name(s)))
            .map(|p| p.name.clone())
            .collect();
        Ok(V4 {
            algorithm: algorithm.to_owned(),
            key_id: (*key_id).to_owned(),
            scope: format!("{date}/{region}/{service}/{terminator}"),
            region: (*region).to_owned(),
            signed_at,
            expires_secs,
            signed_headers: names
                .into_iter()
                .filter(|h| *h != "host")
                .map(str::to_owned)
                .collect(),
            signature,
            extra_params,
        })
    }
}
