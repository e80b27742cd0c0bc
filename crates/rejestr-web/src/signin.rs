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
    SESSION_COOKIE, burn_verification, removal_cookie, safe_next, session_cookie, urlencode,
    verify_password,
};
use crate::error::storage_unavailable_page;
use crate::pages::render;
use crate::time::warsaw;
use rejestr_store::Session;

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
    let pending = record.totp_secret.is_some();
    match state
        .store
        .create_session(record.user.id, now, pending)
        .await
    {
        Ok(token) => {
            let secure = state.config.public_url.starts_with("https://");
            let target = if pending {
                format!("/logowanie/kod?dalej={}", urlencode(&next))
            } else {
                tracing::info!(user = record.user.id, "signed in");
                next
            };
            (
                jar.add(session_cookie(token, secure)),
                Redirect::to(&target),
            )
                .into_response()
        }
        Err(error) => storage_unavailable_page(&state.templates, &error),
    }
}

/// The session of a cookie whose password step is done and whose code is owed.
async fn pending_session(
    state: &AppState,
    jar: &CookieJar,
) -> Result<Option<(String, Session)>, Response> {
    let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()) else {
        return Ok(None);
    };
    match state.store.session(&token, Utc::now()).await {
        Ok(Some(session)) if session.second_factor_pending => Ok(Some((token, session))),
        Ok(_) => Ok(None),
        Err(error) => Err(storage_unavailable_page(&state.templates, &error)),
    }
}

pub(crate) async fn code_form(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(query): Query<NextQuery>,
) -> Response {
    let next = safe_next(query.dalej.as_deref());
    match pending_session(&state, &jar).await {
        Ok(Some(_)) => render(&state, StatusCode::OK, "pages/code", &json!({"next": next})),
        Ok(None) => Redirect::to("/logowanie").into_response(),
        Err(response) => response,
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct CodeForm {
    #[serde(default)]
    code: String,
    dalej: Option<String>,
}

pub(crate) async fn submit_code(
    State(state): State<AppState>,
    jar: CookieJar,
    Form(form): Form<CodeForm>,
) -> Response {
    let next = safe_next(form.dalej.as_deref());
    let now = Utc::now();
    let (token, session) = match pending_session(&state, &jar).await {
        Ok(Some(pending)) => pending,
        Ok(None) => return Redirect::to("/logowanie").into_response(),
        Err(response) => return response,
    };
    let record = match state.store.sign_in_record(&session.user.email).await {
        Ok(Some(record)) => record,
        Ok(None) => return Redirect::to("/logowanie").into_response(),
        Err(error) => return storage_unavailable_page(&state.templates, &error),
    };
    let step = record
        .totp_secret
        .as_deref()
        .and_then(|secret| crate::second_factor::verify(secret, &form.code, now));
    if let Some(step) = step {
        match state.store.complete_second_factor(&token, step).await {
            Ok(true) => {
                tracing::info!(user = record.user.id, "signed in with a second factor");
                return Redirect::to(&next).into_response();
            }
            Ok(false) => {}
            Err(error) => return storage_unavailable_page(&state.templates, &error),
        }
    }
    match state.store.record_failed_sign_in(record.user.id, now).await {
        Ok(Some(until)) => {
            if let Err(error) = state.store.end_session(&token).await {
                return storage_unavailable_page(&state.templates, &error);
            }
            let message = format!(
                "Zbyt wiele nieudanych prób: konto zablokowano do {}.",
                warsaw(until)
            );
            (
                jar.remove(removal_cookie()),
                render(
                    &state,
                    StatusCode::TOO_MANY_REQUESTS,
                    "pages/login",
                    &json!({"next": next, "email": "", "error": message}),
                ),
            )
                .into_response()
        }
        Ok(None) => render(
            &state,
            StatusCode::UNAUTHORIZED,
            "pages/code",
            &json!({"next": next, "error": "Nieprawidłowy lub już użyty kod. Wpisz aktualny kod z aplikacji."}),
        ),
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
