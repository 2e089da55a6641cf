//! The OpenAPI 3.1 document, generated from the handlers' annotations (utoipa), served at
//! `GET /openapi.json`.

use axum::Json;
use axum::response::{IntoResponse, Response};
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{health, object, post_policy, respond, sign};

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "presign serve",
        description = "The signing gateway: authenticates the caller, applies per-principal rules on top of each provider's policy, and answers with a short-lived signed URL.",
        license(name = "MIT OR Apache-2.0")
    ),
    paths(
        object::object,
        sign::sign,
        post_policy::post_policy,
        health::healthz,
        health::readyz,
        health::metrics,
        openapi_json,
    ),
    components(schemas(
        respond::ErrorBody,
        respond::ErrorDetail,
        object::SignedRequest,
        object::Format,
        object::UrlMethod,
        sign::SignItem,
        sign::SignResult,
        sign::NumOrText,
        sign::ItemId,
        post_policy::PostPolicyBody,
        post_policy::SignedPost,
        post_policy::FormField,
        post_policy::ClientField,
        health::Health,
        health::Readiness,
        health::ProviderReadiness,
    )),
    modifiers(&Security),
    tags(
        (name = "sign", description = "Signed URLs and POST policies"),
        (name = "operations", description = "Health, readiness, metrics, this document"),
    )
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("X-Api-Key"))),
        );
        components.add_security_scheme(
            "cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "presign_token",
                "The JWT in the cookie named by serve.auth.cookie (GET/HEAD redirects only)",
            ))),
        );
    }
}

/// This document.
#[utoipa::path(get, path = "/openapi.json", tag = "operations",
    responses((status = 200, description = "The OpenAPI 3.1 document", body = Object)))]
pub(crate) async fn openapi_json() -> Response {
    Json(ApiDoc::openapi()).into_response()
}
