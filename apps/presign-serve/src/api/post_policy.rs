//! `POST /v1/post-policy`: the form fields of a browser upload (S3 and GCS POST policies).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use presign_config::fields::PostFields;
use presign_core::post_policy::Condition;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::body::read_json;
use super::respond::{Ctx, ErrorBody, Grant, Subject, key_too_long};
use crate::auth::CookieUse;
use crate::gateway::{Gateway, Refusal};

/// A POST policy request: a configured provider and a key (exact, or with `prefix` the
/// prefix the uploaded key must start with). Canned ACLs, redirects after upload and the
/// signing time are not offered.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostPolicyBody {
    /// A configured provider name.
    pub provider: String,
    /// The key of the upload, or with `prefix` the prefix the uploaded key must start with.
    #[schema(pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]+$", max_length = 1024)]
    pub key: String,
    /// `key` is a prefix (`starts-with`) rather than the exact key.
    pub prefix: Option<bool>,
    /// Largest file, in bytes.
    pub max_size: Option<u64>,
    /// Smallest file, in bytes.
    pub min_size: Option<u64>,
    /// The file's `Content-Type` (a prefix such as `image/` with `content_type_prefix`).
    #[schema(pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*$", max_length = 1024)]
    pub content_type: Option<String>,
    /// `content_type` is a prefix.
    pub content_type_prefix: Option<bool>,
    /// Requested lifetime in seconds.
    pub expires_in: Option<u64>,
    /// The status the storage service answers with (200, 201 or 204).
    pub success_action_status: Option<u16>,
    /// Object metadata.
    pub metadata: Option<BTreeMap<String, String>>,
    /// The object's `Cache-Control`.
    #[schema(pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*$", max_length = 1024)]
    pub cache_control: Option<String>,
    /// The object's `Content-Disposition`.
    #[schema(pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*$", max_length = 1024)]
    pub content_disposition: Option<String>,
}

/// One form field.
#[derive(Debug, Serialize, ToSchema)]
pub struct FormField {
    /// The field name.
    pub name: String,
    /// Its value.
    pub value: String,
}

/// A field the form itself must fill, starting with a given prefix.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientField {
    /// The field name.
    pub field: String,
    /// The prefix its value must start with.
    pub starts_with: String,
}

/// A signed POST policy.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignedPost {
    /// The form's action URL.
    pub url: String,
    /// The fields to send before the file, in order.
    pub fields: Vec<FormField>,
    /// Fields the form fills itself (a `starts-with` condition).
    pub client_fields: Vec<ClientField>,
    /// When the policy stops working (RFC 3339).
    #[schema(format = DateTime)]
    pub expires_at: String,
}

/// Signs a POST policy for a browser upload.
#[utoipa::path(
    post,
    path = "/v1/post-policy",
    tag = "sign",
    request_body = PostPolicyBody,
    responses(
        (status = 200, description = "The form's URL and fields", body = SignedPost),
        (status = 400, description = "Invalid input", body = ErrorBody),
        (status = 401, description = "No valid credentials", body = ErrorBody),
        (status = 403, description = "No rule or policy allows it", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 414, description = "Key too long", body = ErrorBody),
        (status = 429, description = "Rate limited (Retry-After)", body = ErrorBody),
        (status = 503, description = "The provider cannot sign now", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn post_policy(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let ctx = Ctx::new(&gw, "post_policy");
    let principal = match ctx.admit(&headers, CookieUse::Refused, 1, Subject::default()) {
        Ok(p) => p,
        Err(response) => return *response,
    };
    let b: PostPolicyBody = match read_json(body, gw.limits.max_body_bytes).await {
        Ok(b) => b,
        Err(e) => return ctx.reject(&principal, Subject::default(), e),
    };
    let (key, prefix) = (b.key.as_str(), b.prefix.unwrap_or(false));
    let subject = Subject {
        provider: Some(&b.provider),
        method: Some("POST"),
        key: Some(key),
    };
    if key.len() > gw.limits.max_key_bytes {
        return ctx.reject(&principal, subject, key_too_long(gw.limits.max_key_bytes));
    }
    let fields = PostFields {
        key,
        prefix,
        max_size: b.max_size,
        min_size: b.min_size,
        content_type: b.content_type.as_deref(),
        content_type_prefix: b.content_type_prefix.unwrap_or(false),
        expires_in: b.expires_in.map(Duration::from_secs),
        success_action_status: b.success_action_status,
        metadata: b
            .metadata
            .iter()
            .flatten()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect(),
        cache_control: b.cache_control.as_deref(),
        content_disposition: b.content_disposition.as_deref(),
        ..PostFields::default()
    };
    let request = match fields.build(gw.max_upload_size(&b.provider)) {
        Ok(r) => r,
        Err(e) => return ctx.refuse(&principal, subject, &Refusal::Refused(e)),
    };
    let (signed, rule) = match gw.sign_post(&principal, &b.provider, &request).await {
        Ok(granted) => granted,
        Err(refusal) => return ctx.refuse(&principal, subject, &refusal),
    };
    let grant = Grant {
        rule,
        expires_at: signed.expires_at(),
        url: signed.url(),
    };
    let body = SignedPost {
        url: signed.url().to_owned(),
        fields: signed
            .expose_fields()
            .iter()
            .map(|(name, value)| FormField {
                name: name.clone(),
                value: value.clone(),
            })
            .collect(),
        client_fields: signed
            .client_fields()
            .iter()
            .filter_map(|c| match c {
                Condition::StartsWith { field, prefix } => Some(ClientField {
                    field: field.clone(),
                    starts_with: prefix.clone(),
                }),
                _ => None,
            })
            .collect(),
        expires_at: signed.expires_at().to_rfc3339(),
    };
    ctx.granted(&principal, subject, grant, StatusCode::OK, || {
        Json(body).into_response()
    })
}
