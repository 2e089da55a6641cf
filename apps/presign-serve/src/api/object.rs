//! `GET /v1/{provider}/{key}`: a `303 See Other` to the signed URL, or with `format=json` the
//! signed request itself.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderMap, HeaderValue, Method as HttpMethod, StatusCode};
use axum::response::{IntoResponse, Response};
use presign_config::fields::UrlFields;
use presign_core::{ContentLength, Method, PresignedRequest};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::respond::{ApiError, Ctx, ErrorBody, Grant, Subject, key_too_long};
use crate::auth::CookieUse;
use crate::gateway::{Gateway, Refusal};

/// How to answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// `303 See Other` to the signed URL (GET and HEAD only).
    #[default]
    Redirect,
    /// `200` with the signed request as JSON.
    Json,
}

/// A method the object endpoint signs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
pub enum UrlMethod {
    /// Download.
    GET,
    /// Metadata.
    HEAD,
    /// Upload (needs `format=json`: the client must send the returned headers).
    PUT,
    /// Delete (needs `format=json` and a rule that names DELETE).
    DELETE,
}

impl From<UrlMethod> for Method {
    fn from(m: UrlMethod) -> Method {
        match m {
            UrlMethod::GET => Method::Get,
            UrlMethod::HEAD => Method::Head,
            UrlMethod::PUT => Method::Put,
            UrlMethod::DELETE => Method::Delete,
        }
    }
}

/// The query of `GET /v1/{provider}/{key}`. Any other parameter is refused (400).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ObjectQuery {
    /// `redirect` (the default for GET and HEAD) or `json` (the default, and the only answer,
    /// for PUT and DELETE).
    pub format: Option<Format>,
    /// The method to sign: GET by default (HEAD for a HEAD request).
    pub method: Option<UrlMethod>,
    /// Requested lifetime in seconds; the policy clamps or refuses longer ones.
    #[param(minimum = 1, maximum = 604800)]
    pub expires_in: Option<u64>,
    /// `response-content-disposition` for the download.
    #[param(pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*$", max_length = 1024)]
    pub response_content_disposition: Option<String>,
    /// `response-content-type` for the download.
    #[param(pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*$", max_length = 1024)]
    pub response_content_type: Option<String>,
    /// The `Content-Type` an upload must send.
    #[param(pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]*$", max_length = 1024)]
    pub content_type: Option<String>,
    /// The exact `Content-Length` an upload must send.
    pub content_length: Option<u64>,
}

/// A signed request: what the client sends, and until when.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignedRequest {
    /// The method the URL is for.
    pub method: String,
    /// The signed URL (a bearer token: do not log it).
    pub url: String,
    /// Headers the client must send exactly (lower-case names).
    pub headers: BTreeMap<String, String>,
    /// When the URL stops working (RFC 3339).
    #[schema(format = DateTime)]
    pub expires_at: String,
}

impl SignedRequest {
    pub(crate) fn of(signed: &PresignedRequest) -> SignedRequest {
        SignedRequest {
            method: signed.method().as_str().to_owned(),
            url: signed.expose_url().to_owned(),
            headers: signed.headers().iter().cloned().collect(),
            expires_at: signed.expires_at().to_rfc3339(),
        }
    }
}

/// Signs one request for the object `key` of `provider`.
#[utoipa::path(
    get,
    path = "/v1/{provider}/{key}",
    tag = "sign",
    params(
        ("provider" = String, Path, description = "A configured provider name"),
        ("key" = String, Path, description = "The object key (may contain '/'); no control characters", pattern = "^[^\\x00-\\x1f\\x7f-\\x9f]+$", max_length = 1024),
        ObjectQuery
    ),
    responses(
        (status = 303, description = "Redirect to the signed URL (Location); no body",
            headers(
                ("location" = String, description = "The signed URL"),
                ("cache-control" = String, description = "no-store"),
                ("referrer-policy" = String, description = "no-referrer"),
            )),
        (status = 200, description = "The signed request (format=json)", body = SignedRequest),
        (status = 400, description = "Invalid input", body = ErrorBody),
        (status = 401, description = "No valid credentials", body = ErrorBody),
        (status = 403, description = "No rule or policy allows it (the same whether or not the object exists)", body = ErrorBody),
        (status = 414, description = "Key or request target too long", body = ErrorBody),
        (status = 429, description = "Rate limited (Retry-After)", body = ErrorBody),
        (status = 503, description = "The provider cannot sign now", body = ErrorBody),
    ),
    security(("bearer" = []), ("api_key" = []), ("cookie" = []))
)]
pub(crate) async fn object(
    State(gw): State<Arc<Gateway>>,
    http_method: HttpMethod,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<ObjectQuery>, QueryRejection>,
    headers: HeaderMap,
) -> Response {
    let ctx = Ctx::new(&gw, "object");
    let (provider, key) = match &path {
        Ok(Path((p, k))) => (Some(p.as_str()), Some(k.as_str())),
        Err(_) => (None, None),
    };
    let q = query.as_ref().map(|q| &q.0).ok();
    let method = match q.and_then(|q| q.method) {
        Some(m) => Method::from(m),
        None if http_method == HttpMethod::HEAD => Method::Head,
        None => Method::Get,
    };
    let readable = matches!(method, Method::Get | Method::Head);
    let format = q.and_then(|q| q.format).unwrap_or(if readable {
        Format::Redirect
    } else {
        Format::Json
    });
    let redirect = format == Format::Redirect;
    let cookie = if redirect && readable {
        CookieUse::Allowed
    } else {
        CookieUse::Refused
    };
    let subject = Subject {
        provider,
        method: Some(method.as_str()),
        key,
    };
    let principal = match ctx.admit(&headers, cookie, 1, subject) {
        Ok(p) => p,
        Err(response) => return *response,
    };
    let (Ok(Path((provider, key))), Ok(Query(q))) = (&path, &query) else {
        let message = match (&path, &query) {
            (Err(e), _) => e.body_text(),
            (_, Err(e)) => e.body_text(),
            _ => String::new(),
        };
        let e = ApiError::new(StatusCode::BAD_REQUEST, "invalid_input", message);
        return ctx.reject(&principal, subject, e);
    };
    if key.len() > gw.limits.max_key_bytes {
        return ctx.reject(&principal, subject, key_too_long(gw.limits.max_key_bytes));
    }
    if redirect && !readable {
        let e = ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            "a redirect is only for GET and HEAD; other methods are answered with JSON",
        );
        return ctx.reject(&principal, subject, e);
    }
    let fields = UrlFields {
        method: method.as_str(),
        key,
        expires_in: q.expires_in.map(Duration::from_secs),
        content_type: q.content_type.as_deref(),
        content_length: q.content_length.map(ContentLength::Exact),
        response_content_disposition: q.response_content_disposition.as_deref(),
        response_content_type: q.response_content_type.as_deref(),
        ..UrlFields::default()
    };
    let request = match fields.build() {
        Ok(r) => r,
        Err(e) => return ctx.refuse(&principal, subject, &Refusal::Refused(e)),
    };
    let (signed, rule) = match gw.sign_url(&principal, provider, &request).await {
        Ok(granted) => granted,
        Err(refusal) => return ctx.refuse(&principal, subject, &refusal),
    };
    let status = if redirect {
        StatusCode::SEE_OTHER
    } else {
        StatusCode::OK
    };
    let grant = Grant {
        rule,
        expires_at: signed.expires_at(),
        url: signed.expose_url(),
    };
    ctx.granted(&principal, subject, grant, status, || {
        if !redirect {
            return Json(SignedRequest::of(&signed)).into_response();
        }
        match HeaderValue::from_str(signed.expose_url()) {
            Ok(location) => (StatusCode::SEE_OTHER, [(LOCATION, location)]).into_response(),
            Err(_) => ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the signed URL is not a valid header value",
            )
            .into_response(),
        }
    })
}
