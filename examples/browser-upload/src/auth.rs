//! Who is asking: a fixed demo user, signed in by a session cookie (the page) or a bearer
//! token (scripts). Replace this module with your application's own authentication.

use axum::http::HeaderMap;
use axum::http::header::{AUTHORIZATION, COOKIE};
use presign_core::SecretString;
use presign_core::secret::constant_time_eq;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "presign_demo_session";

/// The one user of the demo.
pub const DEMO_USER: &str = "demo";

/// A signed-in user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    name: &'static str,
}

impl User {
    /// The user's name; also the last segment of the user's upload prefix.
    pub fn name(&self) -> &str {
        self.name
    }

    /// The key prefix this user may upload to and download from: `uploads/NAME/`.
    pub fn prefix(&self) -> String {
        format!("uploads/{}/", self.name)
    }
}

/// Checks `token` against the demo user's token in constant time.
pub fn sign_in(token: &str, demo_token: &SecretString) -> Option<User> {
    let expected = demo_token.expose_secret();
    (!expected.is_empty() && constant_time_eq(token.as_bytes(), expected.as_bytes()))
        .then_some(User { name: DEMO_USER })
}

/// The user the request's session cookie or `Authorization: Bearer` header signs in, if any.
pub fn user_of(headers: &HeaderMap, demo_token: &SecretString) -> Option<User> {
    let bearer = headers
        .get_all(AUTHORIZATION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.strip_prefix("Bearer "));
    let cookies = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .filter(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value);
    bearer
        .chain(cookies)
        .find_map(|token| sign_in(token.trim(), demo_token))
}

/// The `Set-Cookie` value that keeps the demo user signed in: not readable from JavaScript,
/// never sent on cross-site requests.
pub fn session_cookie(token: &SecretString) -> String {
    format!(
        "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Strict",
        token.expose_secret()
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn cookie_or_bearer_signs_in_the_demo_user_only() {
        let token = SecretString::new("t0ken");
        let mut h = HeaderMap::new();
        assert_eq!(user_of(&h, &token), None);
        h.insert(
            COOKIE,
            HeaderValue::from_static("a=b; presign_demo_session=t0ken"),
        );
        assert_eq!(user_of(&h, &token).unwrap().prefix(), "uploads/demo/");
        h.insert(
            COOKIE,
            HeaderValue::from_static("presign_demo_session=t0ke"),
        );
        assert_eq!(user_of(&h, &token), None);
        h.insert(AUTHORIZATION, HeaderValue::from_static("Bearer t0ken"));
        assert!(user_of(&h, &token).is_some());
        assert_eq!(sign_in("", &SecretString::new("")), None);
    }
}
