//! Answers: the JSON error body, the status of each refusal, and the per-request bookkeeping
//! (audit line, metrics, request id) every signing endpoint shares.

use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::http::header::{CACHE_CONTROL, REFERRER_POLICY, RETRY_AFTER, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use presign_core::{Error, Timestamp};
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::{AuditRecord, now_rfc3339};
use crate::auth::{AuthFailure, CookieUse, Principal};
use crate::gateway::{Gateway, Refusal};
use crate::rate_limit::retry_after_secs;

/// The request-id response header.
pub(crate) const REQUEST_ID: &str = "x-request-id";

/// What went wrong, for the caller.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable snake_case name (`unauthenticated`, `forbidden`, `key_not_allowed`, ...).
    pub kind: String,
    /// A sentence; it names the rule that refused, never a secret or the allow-list.
    pub message: String,
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
    /// The request id (also in `x-request-id`), to find the audit line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// An error response.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) kind: &'static str,
    pub(crate) message: String,
    pub(crate) retry_after: Option<u64>,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            kind,
            message: message.into(),
            retry_after: None,
        }
    }

    /// The response, with `request_id` in the body and header when there is one.
    pub(crate) fn into_response_with(self, request_id: Option<&str>) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                kind: self.kind.to_owned(),
                message: self.message,
            },
            request_id: request_id.map(str::to_owned),
        };
        let mut response = (self.status, Json(body)).into_response();
        let h = response.headers_mut();
        h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(id) = request_id.and_then(|id| HeaderValue::from_str(id).ok()) {
            h.insert(REQUEST_ID, id);
        }
        if self.status == StatusCode::UNAUTHORIZED {
            h.insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if let Some(secs) = self.retry_after {
            h.insert(RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.into_response_with(None)
    }
}

/// `414`: the key is longer than `limit` bytes.
pub(crate) fn key_too_long(limit: usize) -> ApiError {
    ApiError::new(
        StatusCode::URI_TOO_LONG,
        "key_too_long",
        format!("the key is longer than {limit} bytes"),
    )
}

/// Marks an answer that carries a signed URL: no cache keeps it, no `Referer` carries it on.
pub(crate) fn not_for_caches(response: &mut Response) {
    let h = response.headers_mut();
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    h.insert(REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
}

/// The status, kind and message of a refusal.
pub(crate) fn refusal_error(refusal: &Refusal) -> ApiError {
    match refusal {
        Refusal::NoRule => ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "no rule of this gateway grants the request",
        ),
        Refusal::ClaimUnusable => ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "the rule's key prefix cannot be filled from this token's claims",
        ),
        Refusal::Refused(e) => ApiError::new(error_status(e), error_kind(e), e.to_string()),
        Refusal::Unavailable(e) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "provider_unavailable",
            format!(
                "the provider cannot sign now ({}); try again later",
                error_kind(e)
            ),
        ),
    }
}

/// The HTTP status of a policy or input error.
fn error_status(e: &Error) -> StatusCode {
    match e {
        Error::InvalidInput { .. } | Error::InvalidConstraint { .. } | Error::InvalidKey { .. } => {
            StatusCode::BAD_REQUEST
        }
        _ => StatusCode::FORBIDDEN,
    }
}

/// `e.kind()` as a `'static` name (for metric labels).
pub(crate) fn error_kind(e: &Error) -> &'static str {
    e.kind()
}

/// The reason a refusal is counted under.
pub(crate) fn refusal_reason(refusal: &Refusal) -> &'static str {
    match refusal {
        Refusal::NoRule => "no_rule",
        Refusal::ClaimUnusable => "claim_not_usable",
        Refusal::Refused(e) => error_kind(e),
        Refusal::Unavailable(_) => "provider_unavailable",
    }
}

/// One request's bookkeeping: its id, start time and endpoint.
pub(crate) struct Ctx {
    pub(crate) gw: Arc<Gateway>,
    pub(crate) id: String,
    pub(crate) start: Instant,
    pub(crate) endpoint: &'static str,
}

/// What a decision was about, for the audit line.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Subject<'a> {
    pub(crate) provider: Option<&'a str>,
    pub(crate) method: Option<&'a str>,
    pub(crate) key: Option<&'a str>,
}

/// What was granted, for the audit line.
pub(crate) struct Grant<'a> {
    pub(crate) rule: &'a str,
    pub(crate) expires_at: Timestamp,
    pub(crate) url: &'a str,
}

impl Ctx {
    pub(crate) fn new(gw: &Arc<Gateway>, endpoint: &'static str) -> Ctx {
        Ctx {
            gw: Arc::clone(gw),
            id: gw.request_id(),
            start: Instant::now(),
            endpoint,
        }
    }

    /// Authenticates and rate-limits (`cost` tokens); a refusal is audited and answered.
    pub(crate) fn admit(
        &self,
        headers: &HeaderMap,
        cookie: CookieUse,
        cost: u32,
        subject: Subject<'_>,
    ) -> Result<Arc<Principal>, Box<Response>> {
        let principal = match self.gw.auth.authenticate(headers, cookie) {
            Ok(p) => p,
            Err(why) => return Err(Box::new(self.unauthenticated(why, subject))),
        };
        if let Err(wait) = self.gw.limiter.take(&principal.id, cost, self.start) {
            let mut e = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "rate_limited",
                "too many requests for this principal; retry later",
            );
            e.retry_after = Some(retry_after_secs(wait));
            self.deny(Some(&principal), subject, "rate_limited", e.status);
            return Err(Box::new(self.finish(e.into_response_with(Some(&self.id)))));
        }
        Ok(principal)
    }

    fn unauthenticated(&self, why: AuthFailure, subject: Subject<'_>) -> Response {
        self.deny(None, subject, why.as_str(), StatusCode::UNAUTHORIZED);
        let e = ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthenticated",
            "a valid bearer token or API key is required",
        );
        self.finish(e.into_response_with(Some(&self.id)))
    }

    /// Audits and counts a denial.
    pub(crate) fn deny(
        &self,
        principal: Option<&Principal>,
        subject: Subject<'_>,
        reason: &'static str,
        status: StatusCode,
    ) {
        self.gw.metrics.decision(false, reason);
        let record = self.record(principal, subject, "deny", reason, status);
        if self.gw.audit.record(&record).is_err() {
            self.gw.metrics.audit_refused();
        }
    }

    /// Audits and counts a grant; `Err` (answer 503) when the audit log cannot keep up: no
    /// URL leaves without its line.
    pub(crate) fn allow(
        &self,
        principal: &Principal,
        subject: Subject<'_>,
        grant: Grant<'_>,
        status: StatusCode,
    ) -> Result<(), ApiError> {
        let mut record = self.record(Some(principal), subject, "allow", "signed", status);
        record.rule = Some(grant.rule);
        record.expires_at = Some(grant.expires_at.to_rfc3339());
        record.url = Some(self.gw.audit.redact(grant.url));
        if self.gw.audit.record(&record).is_err() {
            self.gw.metrics.audit_refused();
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "audit_unavailable",
                "the audit log cannot keep up; try again later",
            ));
        }
        self.gw.metrics.decision(true, "signed");
        Ok(())
    }

    fn record<'a>(
        &'a self,
        principal: Option<&'a Principal>,
        subject: Subject<'a>,
        decision: &'a str,
        reason: &'a str,
        status: StatusCode,
    ) -> AuditRecord<'a> {
        AuditRecord {
            time: now_rfc3339(),
            request_id: &self.id,
            auth: principal.map(|p| p.kind.as_str()),
            principal: principal.map(|p| &*p.name),
            endpoint: self.endpoint,
            provider: subject.provider,
            method: subject.method,
            key: subject.key,
            decision,
            reason,
            status: status.as_u16(),
            ..AuditRecord::default()
        }
    }

    /// Answers a grant: audited first (a `503` instead when the audit log cannot keep up),
    /// then `make`'s response, not for caches, counted.
    pub(crate) fn granted(
        &self,
        principal: &Principal,
        subject: Subject<'_>,
        grant: Grant<'_>,
        status: StatusCode,
        make: impl FnOnce() -> Response,
    ) -> Response {
        if let Err(e) = self.allow(principal, subject, grant, status) {
            return self.finish(e.into_response_with(Some(&self.id)));
        }
        let mut response = make();
        not_for_caches(&mut response);
        self.finish(response)
    }

    /// Refuses with `refusal`: audited, counted, answered.
    pub(crate) fn refuse(
        &self,
        principal: &Principal,
        subject: Subject<'_>,
        refusal: &Refusal,
    ) -> Response {
        let e = refusal_error(refusal);
        self.deny(Some(principal), subject, refusal_reason(refusal), e.status);
        self.finish(e.into_response_with(Some(&self.id)))
    }

    /// An error answer for a request that is refused before any decision (bad input).
    pub(crate) fn reject(
        &self,
        principal: &Principal,
        subject: Subject<'_>,
        e: ApiError,
    ) -> Response {
        self.deny(Some(principal), subject, e.kind, e.status);
        self.finish(e.into_response_with(Some(&self.id)))
    }

    /// Counts the response and adds the request id.
    pub(crate) fn finish(&self, mut response: Response) -> Response {
        if let Ok(id) = HeaderValue::from_str(&self.id) {
            response.headers_mut().insert(REQUEST_ID, id);
        }
        self.gw.metrics.request(
            self.endpoint,
            response.status().as_u16(),
            self.start.elapsed(),
        );
        response
    }
}
