//! Passwords (argon2id), the session cookie, and the `SignedIn` extractor.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use chrono::Utc;
use rejestr_store::{SESSION_TTL, Session};

use crate::AppState;
use crate::error::storage_unavailable_page;

pub const SESSION_COOKIE: &str = "r72_session";
pub const MIN_PASSWORD_CHARS: usize = 12;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("the password must have at least {MIN_PASSWORD_CHARS} characters")]
    TooShort,
    #[error("hashing failed: {0}")]
    Hash(String),
}

/// An argon2id PHC string (the crate's defaults: 19 MiB, 2 passes, 1 lane — OWASP's minimum).
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(PasswordError::TooShort);
    }
    let salt =
        SaltString::encode_b64(&rand_salt()).map_err(|e| PasswordError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

fn rand_salt() -> [u8; 16] {
    rand::random()
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Spends the time of one verification, so that an unknown e-mail answers as slowly as a
/// wrong password and does not reveal which accounts exist.
pub(crate) fn burn_verification(password: &str) {
    const DUMMY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Q4ZpC7C4q0b0sX4pBZ7bGk2pI0Qm1i0qE3oV8oUq0xU";
    let _ = verify_password(password, DUMMY);
}

pub(crate) fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(cookie_duration(SESSION_TTL.num_seconds()))
        .build()
}

fn cookie_duration(seconds: i64) -> cookie::time::Duration {
    cookie::time::Duration::seconds(seconds)
}

pub(crate) fn removal_cookie() -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, "")).path("/").build()
}

/// A signed-in user. Pages that need one redirect to the sign-in page without it.
pub(crate) struct SignedIn {
    pub session: Session,
    /// The cookie's secret, to keep this session when the others are ended.
    pub token: String,
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let token = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned());
        let next = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/rejestr".to_owned());
        let to_sign_in =
            || Redirect::to(&format!("/logowanie?dalej={}", urlencode(&next))).into_response();
        let Some(token) = token else {
            return Err(to_sign_in());
        };
        match state.store.session(&token, Utc::now()).await {
            Ok(Some(session)) if session.second_factor_pending => Err(Redirect::to(&format!(
                "/logowanie/kod?dalej={}",
                urlencode(&next)
            ))
            .into_response()),
            Ok(Some(session)) => {
                crate::nav::record(&state.store, &session).await;
                Ok(SignedIn { session, token })
            }
            Ok(None) => Err(to_sign_in()),
            Err(error) => Err(storage_unavailable_page(&state.templates, &error)),
        }
    }
}

/// The signed-in user, if any. Never refuses a request: reporting must work even when the
/// session cannot be read.
pub(crate) struct MaybeSignedIn(pub Option<Session>);

impl FromRequestParts<AppState> for MaybeSignedIn {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let jar = CookieJar::from_headers(&parts.headers);
        let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()) else {
            return Ok(MaybeSignedIn(None));
        };
        match state.store.session(&token, Utc::now()).await {
            Ok(session) => {
                let session = session.filter(|s| !s.second_factor_pending);
                if let Some(session) = &session {
                    crate::nav::record(&state.store, session).await;
                }
                Ok(MaybeSignedIn(session))
            }
            Err(error) => {
                tracing::warn!(%error, "cannot read the session; continuing without it");
                Ok(MaybeSignedIn(None))
            }
        }
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub(crate) fn urlencode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Only local paths are followed after sign-in (no open redirect).
pub(crate) fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => "/rejestr".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() -> Result<(), PasswordError> {
        let hash = hash_password("correct horse battery")?;
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterY", &hash));
        assert!(!verify_password("x", "not a hash"));
        assert!(matches!(
            hash_password("short"),
            Err(PasswordError::TooShort)
        ));
        Ok(())
    }

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next(Some("/rejestr/demo")), "/rejestr/demo");
        assert_eq!(safe_next(Some("//evil.example")), "/rejestr");
        assert_eq!(safe_next(Some("https://evil.example")), "/rejestr");
        assert_eq!(safe_next(None), "/rejestr");
    }
}
