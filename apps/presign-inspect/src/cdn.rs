//! CDN signed URLs: CloudFront (canned and custom policy, the policy decoded) and Cloud CDN
//! (signed URL and signed URL prefix).

use base64::Engine;
use presign_core::Timestamp;
use presign_core::redact::REDACTED;
use serde_json::Value;

use crate::error::InspectError;
use crate::report::{Credential, CredentialKind, Provider, Report};
use crate::s3::{required, required_unix};
use crate::{GrantScope, report_for};
use presign_core::signed_url::SignedUrl;

const CLOUDFRONT: &str = "CloudFront";
const CLOUD_CDN: &str = "Cloud CDN";

/// The largest decoded policy accepted (bytes).
const MAX_POLICY_BYTES: usize = 16 * 1024;

/// A CloudFront policy's one statement, as far as it matters here.
struct Statement {
    resource: String,
    expires: Timestamp,
    not_before: Option<Timestamp>,
    source_ip: Option<String>,
}

fn epoch(condition: &Value, name: &str) -> Result<Option<Timestamp>, String> {
    match condition.get(name) {
        None => Ok(None),
        Some(v) => v
            .get("AWS:EpochTime")
            .and_then(Value::as_i64)
            .and_then(|s| Timestamp::from_unix(s).ok())
            .map(Some)
            .ok_or_else(|| format!("{name} has no AWS:EpochTime in seconds")),
    }
}

/// Decodes a custom policy: CloudFront base64 of `{"Statement":[{"Resource", "Condition"}]}`.
fn custom_policy(encoded: &str) -> Result<Statement, InspectError> {
    let bad = |reason: String| InspectError::malformed(CLOUDFRONT, "Policy", reason);
    let json = presign_cloudfront::encoding::decode(encoded)
        .ok_or_else(|| bad("not CloudFront base64 (A-Z a-z 0-9 - _ ~)".to_owned()))?;
    if json.len() > MAX_POLICY_BYTES {
        return Err(bad(format!(
            "{} bytes decoded is more than {MAX_POLICY_BYTES}",
            json.len()
        )));
    }
    let policy: Value = serde_json::from_slice(&json).map_err(|e| bad(format!("not JSON: {e}")))?;
    let statements = policy
        .get("Statement")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("no Statement list".to_owned()))?;
    let [statement] = statements.as_slice() else {
        return Err(bad(format!(
            "{} statements; CloudFront accepts exactly one",
            statements.len()
        )));
    };
    let resource = statement
        .get("Resource")
        .and_then(Value::as_str)
        .unwrap_or("*")
        .to_owned();
    let condition = statement
        .get("Condition")
        .ok_or_else(|| bad("the statement has no Condition".to_owned()))?;
    let expires = epoch(condition, "DateLessThan")
        .map_err(bad)?
        .ok_or_else(|| bad("no DateLessThan (every policy has an expiry)".to_owned()))?;
    let not_before = epoch(condition, "DateGreaterThan").map_err(bad)?;
    let source_ip = match condition.get("IpAddress") {
        None => None,
        Some(ip) => Some(
            ip.get("AWS:SourceIp")
                .and_then(Value::as_str)
                .ok_or_else(|| bad("IpAddress has no AWS:SourceIp".to_owned()))?
                .to_owned(),
        ),
    };
    Ok(Statement {
        resource,
        expires,
        not_before,
        source_ip,
    })
}

/// Decodes a CloudFront signed URL (`Key-Pair-Id` with `Expires` or `Policy`).
pub(crate) fn decode_cloudfront(url: &SignedUrl) -> Result<Report, InspectError> {
    let key_pair_id = required(url, CLOUDFRONT, "Key-Pair-Id")?;
    let signature = required(url, CLOUDFRONT, "Signature")?;
    let (scheme, statement) = match (url.get("Policy"), url.get("Expires")) {
        (Some(policy), _) => ("custom policy", custom_policy(policy)?),
        (None, Some(_)) => {
            let expires = required_unix(url, CLOUDFRONT, "Expires")?;
            let mut resource = format!("{}://{}{}", url.scheme, url.host, url.raw_path);
            if let Some(port) = url.port {
                resource = format!("{}://{}:{port}{}", url.scheme, url.host, url.raw_path);
            }
            let statement = Statement {
                resource,
                expires,
                not_before: None,
                source_ip: None,
            };
            ("canned policy", statement)
        }
        (None, None) => {
            return Err(InspectError::malformed(
                CLOUDFRONT,
                "Expires",
                "missing (and no Policy): a signed URL has one of them",
            ));
        }
    };
    let kind = if key_pair_id.starts_with("APKA") {
        CredentialKind::LegacyKeyPair
    } else {
        CredentialKind::KeyGroupKey
    };
    let credential = Credential::new(kind, Some(key_pair_id.to_owned()));
    let mut r = report_for(
        url,
        Provider::Cloudfront,
        scheme,
        statement.expires,
        credential,
    );
    r.algorithm = Some(match url.get("Hash-Algorithm") {
        Some("SHA256") => "SHA-256".to_owned(),
        Some(other) => other.to_owned(),
        None => "SHA-1".to_owned(),
    });
    r.object = Some(url.decoded_path()).filter(|p| !p.is_empty());
    r.grant = if statement.resource.contains(['*', '?']) {
        GrantScope::Prefix
    } else {
        GrantScope::Object
    };
    r.resource = Some(statement.resource);
    r.not_before = statement.not_before;
    r.lifetime_secs = statement
        .not_before
        .map(|nb| statement.expires.duration_since(nb).as_secs());
    r.client_ip = statement.source_ip;
    r.method = Some("GET, HEAD".to_owned());
    r.signature_redacted = signature == REDACTED;
    Ok(r)
}

/// Decodes a Cloud CDN signed URL (`Expires`, `KeyName`, `Signature`, and for a prefix
/// `URLPrefix`).
pub(crate) fn decode_cloud_cdn(url: &SignedUrl) -> Result<Report, InspectError> {
    let key_name = required(url, CLOUD_CDN, "KeyName")?;
    let expires_at = required_unix(url, CLOUD_CDN, "Expires")?;
    let signature = required(url, CLOUD_CDN, "Signature")?;
    let prefix = match url.get("URLPrefix") {
        None => None,
        Some(p) => {
            let bytes = base64::engine::general_purpose::URL_SAFE
                .decode(p)
                .map_err(|_| InspectError::malformed(CLOUD_CDN, "URLPrefix", "not base64url"))?;
            Some(String::from_utf8(bytes).map_err(|_| {
                InspectError::malformed(CLOUD_CDN, "URLPrefix", "not UTF-8 once decoded")
            })?)
        }
    };
    let scheme = if prefix.is_some() {
        "signed URL prefix"
    } else {
        "signed URL"
    };
    let credential = Credential::new(CredentialKind::SigningKey, Some(key_name.to_owned()));
    let mut r = report_for(url, Provider::CloudCdn, scheme, expires_at, credential);
    r.algorithm = Some("HMAC-SHA1".to_owned());
    r.object = Some(url.decoded_path()).filter(|p| !p.is_empty());
    r.grant = if prefix.is_some() {
        GrantScope::Prefix
    } else {
        GrantScope::Object
    };
    r.resource = prefix;
    r.method = Some("GET, HEAD".to_owned());
    r.signature_redacted = signature == REDACTED;
    Ok(r)
}
