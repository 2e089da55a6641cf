//! The HTTP handlers: the page, sign-in, the POST policy and the download redirect.

use std::sync::Arc;

use axum::extract::{Form, Path, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, LOCATION, REFERRER_POLICY, SET_COOKIE,
    X_CONTENT_TYPE_OPTIONS,
};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use presign_core::{
    Constraints, Error, Method, ObjectKey, PostPolicyRequest, PostPresigner, PresignRequest,
    Presigner,
};
use presign_policy::Policied;
use presign_s3::S3Presigner;
use serde::Deserialize;

use crate::auth::{User, session_cookie, sign_in, user_of};
use crate::config::Config;
use crate::page::Page;

/// What every handler shares.
#[derive(Debug)]
pub(crate) struct AppState {
    pub(crate) presigner: Policied<S3Presigner>,
    pub(crate) config: Config,
    pub(crate) page: Page,
}

pub(crate) type Shared = Arc<AppState>;

/// An error answer: a status and a short text; never cached.
#[derive(Debug)]
pub(crate) struct Refusal {
    status: StatusCode,
    message: String,
}

impl Refusal {
    fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Refusal {
            status,
            message: message.into(),
        }
    }

    fn unauthorized() -> Self {
        Refusal::new(
            StatusCode::UNAUTHORIZED,
            "sign in first (session cookie or Authorization: Bearer)",
        )
    }

    /// A signing error: the client's fault when the policy refused the key, ours otherwise.
    /// presign's errors never contain a secret or a signed URL, so the text can be shown.
    fn signing(e: &Error) -> Self {
        let status = match e.kind() {
            "key_not_allowed" | "invalid_key" => StatusCode::BAD_REQUEST,
            _ => StatusCode::INTERNAL_SERVER_ERROR,
        };
        Refusal::new(status, format!("{}: {e}", e.kind()))
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let body = serde_json::json!({ "error": self.message });
        (self.status, [(CACHE_CONTROL, "no-store")], axum::Json(body)).into_response()
    }
}

fn require_user(state: &AppState, headers: &HeaderMap) -> Result<User, Refusal> {
    user_of(headers, &state.config.demo_token).ok_or_else(Refusal::unauthorized)
}

/// `GET /`: the page.
pub(crate) async fn index(State(state): State<Shared>) -> Response {
    (
        [
            (CONTENT_TYPE, "text/html; charset=utf-8"),
            (CONTENT_SECURITY_POLICY, state.page.csp.as_str()),
            (REFERRER_POLICY, "no-referrer"),
            (X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        state.page.html.clone(),
    )
        .into_response()
}

/// The sign-in form.
#[derive(Debug, Deserialize)]
pub(crate) struct SignIn {
    token: String,
}

/// `POST /login`: a session cookie for the right token, then back to the page.
pub(crate) async fn login(
    State(state): State<Shared>,
    Form(form): Form<SignIn>,
) -> Result<Response, Refusal> {
    sign_in(&form.token, &state.config.demo_token).ok_or_else(Refusal::unauthorized)?;
    Ok((
        StatusCode::SEE_OTHER,
        [
            (LOCATION, "/".to_owned()),
            (SET_COOKIE, session_cookie(&state.config.demo_token)),
            (CACHE_CONTROL, "no-store".to_owned()),
        ],
    )
        .into_response())
}

/// `GET /me`: who the session belongs to.
pub(crate) async fn me(
    State(state): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    let user = require_user(&state, &headers)?;
    let body = serde_json::json!({ "user": user.name(), "prefix": user.prefix() });
    Ok(([(CACHE_CONTROL, "no-store")], axum::Json(body)).into_response())
}

/// `GET /policy`: a POST policy for `uploads/USER/`, as JSON:
/// `{"url", "fields": [[name, value], ...], "key_prefix", "max_bytes", "expires_at"}`.
///
/// The fields hold a signature: the answer is `no-store`.
pub(crate) async fn policy(
    State(state): State<Shared>,
    headers: HeaderMap,
) -> Result<Response, Refusal> {
    let user = require_user(&state, &headers)?;
    let prefix = user.prefix();
    let request = PostPolicyRequest::starts_with(prefix.clone())
        .with_ttl(state.config.ttl)
        .content_length_range(1, state.config.max_upload_bytes)
        // 201 and an XML body naming the key: the page reads it through CORS.
        .success_action_status(201);
    let post = state
        .presigner
        .presign_post(&request)
        .await
        .map_err(|e| Refusal::signing(&e))?;
    let max_bytes = post
        .conditions()
        .iter()
        .find_map(|c| match c {
            presign_core::post_policy::Condition::ContentLengthRange { max, .. } => Some(*max),
            _ => None,
        })
        .unwrap_or(state.config.max_upload_bytes);
    let body = serde_json::json!({
        "url": post.url(),
        "fields": post.expose_fields(),
        "key_prefix": prefix,
        "max_bytes": max_bytes,
        "expires_at": post.expires_at().to_rfc3339(),
    });
    Ok(([(CACHE_CONTROL, "no-store")], axum::Json(body)).into_response())
}

/// The longest file name the download endpoint accepts (S3 keys are at most 1024 bytes; file
/// systems allow 255).
const MAX_NAME_BYTES: usize = 255;

/// Checks a file name taken from the URL: one path segment, nothing that could step out of
/// the user's prefix.
fn check_name(name: &str) -> Result<(), Refusal> {
    let bad = |why: &str| Refusal::new(StatusCode::BAD_REQUEST, format!("file name {why}"));
    if name.is_empty() || name == "." || name == ".." {
        return Err(bad("must be a plain file name"));
    }
    if name.len() > MAX_NAME_BYTES {
        return Err(bad("is too long"));
    }
    if name.contains(['/', '\\']) || name.chars().any(char::is_control) {
        return Err(bad("must not contain '/', '\\' or control characters"));
    }
    Ok(())
}

/// `Content-Disposition: attachment`, with the name when it is plain ASCII: the browser saves
/// the file instead of rendering it on the storage origin.
fn attachment(name: &str) -> String {
    let plain = name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b' '));
    if plain {
        format!("attachment; filename=\"{name}\"")
    } else {
        "attachment".to_owned()
    }
}

/// `GET /download/{name}`: `303 See Other` to a presigned GET for `uploads/USER/name`, with
/// `Referrer-Policy: no-referrer` and `Cache-Control: no-store`.
pub(crate) async fn download(
    State(state): State<Shared>,
    headers: HeaderMap,
    Path(name): Path<String>,
) -> Result<Response, Refusal> {
    let user = require_user(&state, &headers)?;
    check_name(&name)?;
    let key = ObjectKey::new(format!("{}{name}", user.prefix()))
        .map_err(|e| Refusal::new(StatusCode::BAD_REQUEST, format!("{}: {e}", e.kind())))?;
    let mut constraints = Constraints::default();
    constraints.response.content_disposition = Some(attachment(&name));
    let request = PresignRequest::new(Method::Get, key)
        .with_ttl(state.config.ttl)
        .with_constraints(constraints);
    let signed = state
        .presigner
        .presign(&request)
        .await
        .map_err(|e| Refusal::signing(&e))?;
    Ok((
        StatusCode::SEE_OTHER,
        [
            (LOCATION, signed.expose_url().to_owned()),
            // The redirect holds a bearer URL: no cache may keep it...
            (CACHE_CONTROL, "no-store".to_owned()),
            // ...and the storage service is not told which page sent the user.
            (REFERRER_POLICY, "no-referrer".to_owned()),
        ],
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_stay_inside_the_prefix() {
        for bad in ["", ".", "..", "a/b", "..\\x", "a\nb", &"n".repeat(256)] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        for ok in ["a.txt", "..a", "résumé 2.pdf", "x y+z"] {
            assert!(check_name(ok).is_ok(), "{ok:?}");
        }
    }

    #[test]
    fn attachment_names_only_when_plain() {
        assert_eq!(attachment("a b.txt"), "attachment; filename=\"a b.txt\"");
        assert_eq!(attachment("a\"b"), "attachment");
        assert_eq!(attachment("é.txt"), "attachment");
    }
}
