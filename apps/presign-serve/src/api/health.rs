//! `GET /healthz`, `GET /readyz`, `GET /metrics`: for the operator's network, not for callers.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::gateway::Gateway;

/// `/healthz`: the process answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// Always `ok`.
    pub status: String,
}

/// One provider's credential state.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderReadiness {
    /// Whether it can sign now.
    pub ready: bool,
    /// When its credentials expire (RFC 3339), if they do.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = DateTime)]
    pub credentials_expire_at: Option<String>,
    /// Why it cannot sign.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// `/readyz`: whether every provider can sign and callers can be authenticated.
#[derive(Debug, Serialize, ToSchema)]
pub struct Readiness {
    /// All of the below.
    pub ready: bool,
    /// A JWKS is loaded, or API keys are configured.
    pub auth_ready: bool,
    /// Each provider a rule names.
    pub providers: BTreeMap<String, ProviderReadiness>,
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "Up", body = Health)))]
pub(crate) async fn healthz(State(gw): State<Arc<Gateway>>) -> Response {
    let start = Instant::now();
    let r = Json(Health {
        status: "ok".into(),
    })
    .into_response();
    gw.metrics.request("healthz", 200, start.elapsed());
    r
}

/// Ready to sign: callers can be authenticated and every provider's credentials are at hand
/// and unexpired.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses(
        (status = 200, description = "Ready", body = Readiness),
        (status = 503, description = "Not ready", body = Readiness),
    ))]
pub(crate) async fn readyz(State(gw): State<Arc<Gateway>>) -> Response {
    let start = Instant::now();
    let auth_ready = gw.auth.is_ready();
    let providers: BTreeMap<String, ProviderReadiness> = gw
        .health()
        .await
        .into_iter()
        .map(|(name, h)| {
            (
                name,
                ProviderReadiness {
                    ready: h.ready,
                    credentials_expire_at: h.expires_at.map(|t| t.to_rfc3339()),
                    problem: h.problem,
                },
            )
        })
        .collect();
    let ready = auth_ready && providers.values().all(|p| p.ready);
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    let mut r = (
        status,
        Json(Readiness {
            ready,
            auth_ready,
            providers,
        }),
    )
        .into_response();
    r.headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    gw.metrics
        .request("readyz", status.as_u16(), start.elapsed());
    r
}

/// Prometheus metrics (OpenMetrics text).
#[utoipa::path(get, path = "/metrics", tag = "operations",
    responses((status = 200, description = "Metrics", content_type = "application/openmetrics-text; version=1.0.0; charset=utf-8", body = String)))]
pub(crate) async fn metrics(State(gw): State<Arc<Gateway>>) -> Response {
    let start = Instant::now();
    // Keep the credential gauges current for every scrape.
    let _ = gw.health().await;
    let mut r = gw.metrics.render().into_response();
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
    );
    gw.metrics.request("metrics", 200, start.elapsed());
    r
}
