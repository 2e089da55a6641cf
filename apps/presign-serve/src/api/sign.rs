//! `POST /v1/sign`: a JSON array of requests with the fields of `presign batch` lines, minus
//! what a caller must never choose (an inline provider, the signing time); one answer per
//! request, in order.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use presign_config::fields::{UrlFields, parse_content_length};
use presign_core::duration::parse_duration;
use presign_core::{ContentLength, Error};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use super::body::read_json;
use super::object::SignedRequest;
use super::respond::{
    ApiError, Ctx, ErrorBody, ErrorDetail, Grant, Subject, refusal_error, refusal_reason,
};
use crate::auth::CookieUse;
use crate::gateway::{Gateway, Refusal};

/// A number, or a string (`"5m"`, `"1-1024"`).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum NumOrText {
    /// A number.
    Number(u64),
    /// A string.
    Text(String),
}

/// An item id, echoed in the answer.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(untagged)]
pub enum ItemId {
    /// A number.
    Number(i64),
    /// A string of at most 256 bytes.
    Text(String),
}

/// One request of `POST /v1/sign` (the fields of a `presign batch` line). `provider` is a
/// configured name: inline provider tables, `now` and any other field make the whole request
/// a `400` naming the item.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignItem {
    /// Echoed in the answer.
    pub id: Option<ItemId>,
    /// A configured provider name.
    pub provider: String,
    /// GET, HEAD, PUT or DELETE.
    pub method: String,
    /// The object key.
    pub key: String,
    /// Requested lifetime: seconds or a duration (`"5m"`).
    pub expires_in: Option<NumOrText>,
    /// The `Content-Type` an upload must send.
    pub content_type: Option<String>,
    /// The `Content-Length` an upload must send: bytes, or `"MIN-MAX"`.
    pub content_length: Option<NumOrText>,
    /// The `Content-MD5` (base64) an upload must send.
    pub content_md5: Option<String>,
    /// `response-content-disposition` for a download.
    pub response_content_disposition: Option<String>,
    /// `response-content-type` for a download.
    pub response_content_type: Option<String>,
    /// Extra signed headers (only the policy's allow-list).
    pub headers: Option<BTreeMap<String, String>>,
    /// Extra signed query parameters (only the policy's allow-list).
    pub query: Option<BTreeMap<String, String>>,
    /// Refuse to overwrite.
    pub create_only: Option<bool>,
    /// Client IP address or CIDR.
    pub ip: Option<String>,
    /// HTTPS only.
    pub https_only: Option<bool>,
    /// Start of validity (RFC 3339).
    pub not_before: Option<String>,
}

/// The answer to one item: the signed request, or an error with the status it would have
/// alone.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignResult {
    /// The item's id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<ItemId>,
    /// The method the URL is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// The signed URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Headers the client must send exactly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<BTreeMap<String, String>>,
    /// When the URL stops working (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub expires_at: Option<String>,
    /// Why it was not signed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorDetail>,
    /// The HTTP status this item would have had alone.
    pub status: u16,
}

/// Signs up to `limits.max_batch` requests at once.
#[utoipa::path(
    post,
    path = "/v1/sign",
    tag = "sign",
    request_body = Vec<SignItem>,
    responses(
        (status = 200, description = "One answer per request, in order", body = Vec<SignResult>),
        (status = 400, description = "Not a JSON array of requests (the message names the item)", body = ErrorBody),
        (status = 401, description = "No valid credentials", body = ErrorBody),
        (status = 413, description = "Body too large or too many requests", body = ErrorBody),
        (status = 429, description = "Rate limited (Retry-After)", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []))
)]
pub(crate) async fn sign(
    State(gw): State<Arc<Gateway>>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let ctx = Ctx::new(&gw, "sign");
    // Authenticate before reading the body; the rate limit is taken per item below.
    let principal = match ctx.admit(&headers, CookieUse::Refused, 1, Subject::default()) {
        Ok(p) => p,
        Err(response) => return *response,
    };
    let items: Vec<Value> = match read_json(body, gw.limits.max_body_bytes).await {
        Ok(items) => items,
        Err(e) => return ctx.reject(&principal, Subject::default(), e),
    };
    if items.len() > gw.limits.max_batch {
        let e = ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_many_items",
            format!("at most {} requests at once", gw.limits.max_batch),
        );
        return ctx.reject(&principal, Subject::default(), e);
    }
    let items = match items
        .into_iter()
        .enumerate()
        .map(|(i, v)| parse_item(i, v))
        .collect::<Result<Vec<SignItem>, ApiError>>()
    {
        Ok(items) => items,
        Err(e) => return ctx.reject(&principal, Subject::default(), e),
    };
    let extra = u32::try_from(items.len().saturating_sub(1)).unwrap_or(u32::MAX);
    if extra > 0
        && let Err(wait) = gw.limiter.take(&principal.id, extra, ctx.start)
    {
        let mut e = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "too many requests for this principal; retry later",
        );
        e.retry_after = Some(crate::rate_limit::retry_after_secs(wait));
        return ctx.reject(&principal, Subject::default(), e);
    }
    let mut results = Vec::with_capacity(items.len());
    for item in items {
        results.push(one(&ctx, &principal, item).await);
    }
    let mut response = Json(results).into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    ctx.finish(response)
}

/// Item `i` as a [`SignItem`]; the error names the item and what is wrong with it.
fn parse_item(i: usize, item: Value) -> Result<SignItem, ApiError> {
    let bad = |message: String| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            format!("item {i}: {message}"),
        )
    };
    if matches!(item.get("provider"), Some(Value::Object(_))) {
        return Err(bad(
            "inline provider tables are not accepted; name a configured provider".into(),
        ));
    }
    let item: SignItem = serde_json::from_value(item).map_err(|e| bad(e.to_string()))?;
    if let Some(ItemId::Text(t)) = &item.id
        && t.len() > 256
    {
        return Err(bad("id is longer than 256 bytes".into()));
    }
    Ok(item)
}

async fn one(ctx: &Ctx, principal: &crate::auth::Principal, item: SignItem) -> SignResult {
    let subject = Subject {
        provider: Some(&item.provider),
        method: Some(&item.method),
        key: Some(&item.key),
    };
    if item.key.len() > ctx.gw.limits.max_key_bytes {
        let e = ApiError::new(
            StatusCode::URI_TOO_LONG,
            "key_too_long",
            format!(
                "the key is longer than {} bytes",
                ctx.gw.limits.max_key_bytes
            ),
        );
        ctx.deny(Some(principal), subject, e.kind, e.status);
        return failed(item.id.clone(), e);
    }
    let request = match build(&item) {
        Ok(r) => r,
        Err(e) => {
            return refused(
                ctx,
                principal,
                subject,
                item.id.clone(),
                Refusal::Refused(e),
            );
        }
    };
    match ctx.gw.sign_url(principal, &item.provider, &request).await {
        Ok((signed, rule)) => {
            let grant = Grant {
                rule,
                expires_at: signed.expires_at(),
                url: signed.expose_url(),
            };
            match ctx.allow(principal, subject, grant, StatusCode::OK) {
                Ok(()) => {
                    let s = SignedRequest::of(&signed);
                    SignResult {
                        id: item.id.clone(),
                        method: Some(s.method),
                        url: Some(s.url),
                        headers: Some(s.headers),
                        expires_at: Some(s.expires_at),
                        error: None,
                        status: 200,
                    }
                }
                Err(e) => failed(item.id.clone(), e),
            }
        }
        Err(r) => refused(ctx, principal, subject, item.id.clone(), r),
    }
}

fn refused(
    ctx: &Ctx,
    principal: &crate::auth::Principal,
    subject: Subject<'_>,
    id: Option<ItemId>,
    refusal: Refusal,
) -> SignResult {
    let e = refusal_error(&refusal);
    ctx.deny(Some(principal), subject, refusal_reason(&refusal), e.status);
    failed(id, e)
}

fn failed(id: Option<ItemId>, e: ApiError) -> SignResult {
    SignResult {
        id,
        method: None,
        url: None,
        headers: None,
        expires_at: None,
        status: e.status.as_u16(),
        error: Some(ErrorDetail {
            kind: e.kind.to_owned(),
            message: e.message,
        }),
    }
}

fn build(item: &SignItem) -> Result<presign_core::PresignRequest, Error> {
    let expires_in = match &item.expires_in {
        None => None,
        Some(NumOrText::Number(n)) => Some(std::time::Duration::from_secs(*n)),
        Some(NumOrText::Text(s)) => Some(parse_duration(s)?),
    };
    let content_length = match &item.content_length {
        None => None,
        Some(NumOrText::Number(n)) => Some(ContentLength::Exact(*n)),
        Some(NumOrText::Text(s)) => Some(parse_content_length(s)?),
    };
    UrlFields {
        method: &item.method,
        key: &item.key,
        expires_in,
        content_type: item.content_type.as_deref(),
        content_length,
        content_md5: item.content_md5.as_deref(),
        response_content_disposition: item.response_content_disposition.as_deref(),
        response_content_type: item.response_content_type.as_deref(),
        headers: pairs(&item.headers),
        query: pairs(&item.query),
        create_only: item.create_only.unwrap_or(false),
        ip: item.ip.as_deref(),
        https_only: item.https_only.unwrap_or(false),
        not_before: item.not_before.as_deref(),
        now: None,
    }
    .build()
}

fn pairs(m: &Option<BTreeMap<String, String>>) -> Vec<(&str, &str)> {
    m.iter()
        .flatten()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}
