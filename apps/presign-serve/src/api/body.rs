//! Reading a JSON body within the size limit, after authentication.

use axum::body::Body;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use super::respond::ApiError;

/// The body as `T`: `413` beyond `limit` bytes, `400` when it is not that JSON.
pub(crate) async fn read_json<T: DeserializeOwned>(
    body: Body,
    limit: usize,
) -> Result<T, ApiError> {
    let bytes = axum::body::to_bytes(body, limit).await.map_err(|_| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("the body is larger than {limit} bytes (or could not be read)"),
        )
    })?;
    serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_input",
            format!("the body is not the expected JSON: {e}"),
        )
    })
}
