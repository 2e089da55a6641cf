//! The HTTP API: routes, the size limits every request passes first, and the timeout.

mod body;
mod health;
mod object;
pub mod openapi;
mod post_policy;
mod respond;
mod sign;

use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, X_CONTENT_TYPE_OPTIONS};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use tower_http::timeout::TimeoutLayer;

pub use health::{Health, ProviderReadiness, Readiness};
pub use object::{Format, ObjectQuery, SignedRequest, UrlMethod};
pub use post_policy::{ClientField, FormField, PostPolicyBody, SignedPost};
pub use respond::{ErrorBody, ErrorDetail};
pub use sign::{ItemId, NumOrText, SignItem, SignResult};

use crate::gateway::Gateway;
use respond::ApiError;

/// The gateway's routes, limits and timeout, ready to serve.
pub fn router(gateway: Arc<Gateway>) -> Router {
    let timeout = gateway.limits.request_timeout;
    Router::new()
        .route("/v1/{provider}/{*key}", get(object::object))
        .route("/v1/sign", post(sign::sign))
        .route("/v1/post-policy", post(post_policy::post_policy))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
        .route("/openapi.json", get(openapi::openapi_json))
        .fallback(not_found)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .layer(middleware::from_fn_with_state(Arc::clone(&gateway), limits))
        .with_state(gateway)
}

/// Request-target and header sizes (414, 431), before anything else looks at the request;
/// `nosniff` on every answer.
async fn limits(State(gw): State<Arc<Gateway>>, request: Request, next: Next) -> Response {
    let start = Instant::now();
    let target = request
        .uri()
        .path_and_query()
        .map_or(0, |pq| pq.as_str().len());
    let header_bytes: usize = request
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum();
    let refused = if target > gw.limits.max_uri_bytes {
        Some(ApiError::new(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            format!(
                "the request target is longer than {} bytes",
                gw.limits.max_uri_bytes
            ),
        ))
    } else if header_bytes > gw.limits.max_header_bytes {
        Some(ApiError::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "headers_too_large",
            format!(
                "the headers are larger than {} bytes",
                gw.limits.max_header_bytes
            ),
        ))
    } else {
        None
    };
    let mut response = match refused {
        Some(e) => {
            let r = e.into_response();
            gw.metrics
                .request("limits", r.status().as_u16(), start.elapsed());
            r
        }
        None => next.run(request).await,
    };
    response
        .headers_mut()
        .insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

async fn not_found(State(gw): State<Arc<Gateway>>) -> Response {
    let start = Instant::now();
    let mut r =
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such endpoint").into_response();
    r.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    gw.metrics.request("not_found", 404, start.elapsed());
    r
}
