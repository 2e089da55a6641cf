//! [`Report`]: everything a signed URL says about itself, and the [`Finding`]s against the
//! checklist.

use std::fmt;

use presign_core::Timestamp;
use serde::{Serialize, Serializer};

use crate::GrantScope;

/// The service that issued the URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Provider {
    /// Amazon S3 or an S3-compatible store.
    S3,
    /// Google Cloud Storage.
    Gcs,
    /// Azure Blob Storage (or another Azure Storage service).
    Azure,
    /// Amazon CloudFront.
    Cloudfront,
    /// Google Cloud CDN.
    CloudCdn,
}

impl Provider {
    /// The provider's kind name, as in `presign.toml` (`s3`, `gcs`, `azure`, `cloudfront`,
    /// `cloud-cdn`).
    pub fn as_str(self) -> &'static str {
        match self {
            Provider::S3 => "s3",
            Provider::Gcs => "gcs",
            Provider::Azure => "azure",
            Provider::Cloudfront => "cloudfront",
            Provider::CloudCdn => "cloud-cdn",
        }
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What kind of credential signed the URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CredentialKind {
    /// An AWS long-term access key (`AKIA…`, an IAM user's key).
    AwsLongTermKey,
    /// An AWS temporary key (`ASIA…`, from STS: a role, SSO, an instance profile).
    AwsTemporaryKey,
    /// An access key that is not AWS-shaped (an S3-compatible store's key).
    AccessKey,
    /// A Google service account (RSA signature: its own key or IAM signBlob).
    ServiceAccount,
    /// A Cloud Storage HMAC key.
    HmacKey,
    /// An Azure storage account key.
    AccountKey,
    /// An Azure user delegation key (Microsoft Entra identity).
    UserDelegationKey,
    /// A CloudFront public key in a key group (`K…`).
    KeyGroupKey,
    /// A legacy CloudFront key pair of the root account (`APKA…`).
    LegacyKeyPair,
    /// A Cloud CDN signing key (by name).
    SigningKey,
}

/// The credential as far as the URL shows it (never a secret).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Credential {
    /// Its kind.
    pub kind: CredentialKind,
    /// The key id, service account or key name the URL names.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// The V4 scope after the key id (`20130524/us-east-1/s3/aws4_request`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// The region or location of the V4 scope.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Whether a session token travels in the URL (temporary AWS credentials).
    pub session_token: bool,
    /// Azure: the stored access policy (`si`) the SAS refers to, which can revoke it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stored_access_policy: Option<String>,
    /// Azure user delegation: the key's object id (`skoid`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delegated_object_id: Option<String>,
    /// Azure user delegation: when the delegation key expires (`ske`).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_rfc3339"
    )]
    pub key_expires_at: Option<Timestamp>,
}

impl Credential {
    /// A credential of `kind` named `key_id`, nothing else known yet.
    pub fn new(kind: CredentialKind, key_id: Option<String>) -> Self {
        Credential {
            kind,
            key_id,
            scope: None,
            region: None,
            session_token: false,
            stored_access_policy: None,
            delegated_object_id: None,
            key_expires_at: None,
        }
    }
}

/// How serious a finding is. `--fail-on warning` fails on warnings and errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing, nothing to fix.
    Info,
    /// Against the checklist; fix unless there is a reason.
    Warning,
    /// Dangerous or broken.
    Error,
}

impl Severity {
    /// `info`, `warning`, `error`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses `info`, `warning` or `error`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// One result of checking the URL against the checklist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// How serious it is.
    pub severity: Severity,
    /// A stable code (`lifetime-over-15m`, `delete-permission`, ...; see [`crate::findings`]).
    pub code: &'static str,
    /// What was found and what to do, in a sentence.
    pub message: String,
}

/// What a signed URL says about itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The issuing service.
    pub provider: Provider,
    /// The signing scheme: `SigV4`, `SigV2`, `V4`, `V2`, `service SAS`, `user delegation SAS`,
    /// `account SAS`, `canned policy`, `custom policy`, `signed URL`, `signed URL prefix`.
    pub scheme: &'static str,
    /// The signature algorithm where the URL names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<String>,
    /// `https` or `http`.
    pub url_scheme: String,
    /// The host.
    pub host: String,
    /// Azure: the storage account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub account: Option<String>,
    /// The bucket (S3, GCS) or container (Azure).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bucket: Option<String>,
    /// The object key or blob name, decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// CloudFront: the policy's resource; Cloud CDN: the URL prefix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    /// The method, where the URL tells (Azure permissions, an S3 `x-id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// An S3 operation named by `x-id` (`GetObject`, `PutObject`, `UploadPart`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// Azure: the permission letters (`sp`) and their names.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub permissions: Vec<String>,
    /// When the URL was signed (V4 `X-*-Date`), or its start (Azure `st`).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_rfc3339"
    )]
    pub signed_at: Option<Timestamp>,
    /// When the URL starts working, if later than signing (Azure `st`, CloudFront
    /// `DateGreaterThan`).
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "opt_rfc3339"
    )]
    pub not_before: Option<Timestamp>,
    /// When the URL stops working (with [`Report::expiry_in_policy`], the start or the end of
    /// time: the URL does not say).
    #[serde(serialize_with = "rfc3339")]
    pub expires_at: Timestamp,
    /// Azure: the expiry is in the stored access policy, not in the URL.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub expiry_in_policy: bool,
    /// Seconds from signing (or start) to expiry, where the start is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lifetime_secs: Option<u64>,
    /// The longest lifetime the service accepts, where it has a limit (seconds).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_lifetime_secs: Option<u64>,
    /// Seconds from now to expiry (negative: expired).
    pub remaining_secs: i64,
    /// Headers the client must send with exactly the signed values (`host` left out).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub signed_headers: Vec<String>,
    /// Signed query parameters beyond the scheme's own (`response-content-disposition`, ...).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub signed_params: Vec<String>,
    /// The client IP address or range the URL is bound to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_ip: Option<String>,
    /// The protocols the URL may be used over (Azure `spr`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// How much the signature grants (one object, a prefix, a container, an account).
    pub grant: GrantScope,
    /// The signing credential, as far as the URL names it.
    pub credential: Credential,
    /// Whether the signature was already redacted (`REDACTED`) in the input.
    pub signature_redacted: bool,
    /// The checklist's findings, most serious first.
    pub findings: Vec<Finding>,
}

impl Report {
    /// The most serious finding's severity.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|f| f.severity).max()
    }
}

fn rfc3339<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339())
}

fn opt_rfc3339<S: Serializer>(t: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => rfc3339(t, s),
        None => s.serialize_none(),
    }
}
