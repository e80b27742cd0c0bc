//! Signing in and out.

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use chrono::Utc;
use serde::Deserialize;
use serde_json::json;

use crate::AppState;
use crate::auth::{
    SESSION_COOKIE, burn_verification, removal_cookie, safe_next, session_cookie, verify_password,
};
use crate::error::storage_unavailable_page;
use crate::pages::render;
use crate::time::warsaw;

#[derive(Debug, Deserialize)]
pub(crate) struct NextQuery {
    dalej: Option<String>,
}

pub(crate) async fn form(
    State(state): State<AppState>,
    Query(query): Query<NextQuery>,
) -> Response {
    let next = safe_next(query.dalej.as_deref());
    render(
        &state,
        StatusCode::OK,
        "pages/login",
        &json!({"next": next, "email": ""}),
    )
}

#[derive(Debug, Deserialize)]
pub(crate) struct SignInForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    dalej: Option<String>,
}

pub(crate) async fn sign_in(
    State(state): State<AppState>,
    jar: CookieJar,
    Form(form): Form<SignInForm>,
) -> Response {
    let next = safe_next(form.dalej.as_deref());
    let now = Utc::now();
    let refuse = |status: StatusCode, message: String| {
        render(
            &state,
            status,
            "pages/login",
            &json!({"next": next, "email": form.email, "error": message}),
        )
    };
    let wrong = "Nieprawidłowy e-mail lub hasło. Po 5 nieudanych próbach konto zostanie zablokowane na 15 minut.";
    let record = match state.store.sign_in_record(&form.email).await {
        Ok(record) => record,
        Err(error) => return storage_unavailable_page(&state.templates, &error),
    };
    let Some(record) = record else {
        let password = form.password.clone();
        let _ = tokio::task::spawn_blocking(move || burn_verification(&password)).await;
        return refuse(StatusCode::UNAUTHORIZED, wrong.to_owned());
    };
    if let Some(until) = record.locked_until.filter(|until| *until > now) {
        return refuse(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "Konto jest zablokowane po zbyt wielu nieudanych próbach logowania. Spróbuj ponownie po {}.",
                warsaw(until)
            ),
        );
    }
    // argon2 takes tens of milliseconds of CPU: off the async workers.
    let (password, hash) = (form.password.clone(), record.password_hash.clone());
    let verified = tokio::task::spawn_blocking(move || {
        hash.as_deref()
            .is_some_and(|hash| verify_password(&password, hash))
    })
    .await
    .unwrap_or(false);
    let valid = record.active && verified;
    if !valid {
        return match state.store.record_failed_sign_in(record.user.id, now).await {
            Ok(Some(until)) => refuse(
                StatusCode::TOO_MANY_REQUESTS,
                format!(
                    "Zbyt wiele nieudanych prób: konto zablokowano do {}. Jeśli to nie Ty, zgłoś to administratorowi.",
                    warsaw(until)
                ),
            ),
            Ok(None) => refuse(StatusCode::UNAUTHORIZED, wrong.to_owned()),
            Err(error) => storage_unavailable_page(&state.templates, &error),
        };
    }
    match state.store.create_session(record.user.id, now).await {
        Ok(token) => {
            tracing::info!(user = record.user.id, "signed in");
            let secure = state.config.public_url.starts_with("https://");
            (jar.add(session_cookie(token, secure)), Redirect::to(&next)).into_response()
        }
        Err(error) => storage_unavailable_page(&state.templates, &error),
    }
}

pub(crate) async fn sign_out(State(state): State<AppState>, jar: CookieJar) -> Response {
    if let Some(cookie) = jar.get(SESSION_COOKIE)
        && let Err(error) = state.store.end_session(cookie.value()).await
    {
        return storage_unavailable_page(&state.templates, &error);
    }
    (jar.remove(removal_cookie()), Redirect::to("/")).into_response()
}
