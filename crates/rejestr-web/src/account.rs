//! The signed-in user's account: password change and personal API tokens.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use rejestr_store::StoreError;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::{MIN_PASSWORD_CHARS, SignedIn, hash_password, verify_password};
use crate::error::storage_unavailable_page;
use crate::pages::render;
use crate::second_factor;
use crate::time::{iso, warsaw};

struct Messages {
    password_error: Option<String>,
    password_changed: bool,
    token_error: Option<String>,
    new_token: Option<String>,
    second_factor_error: Option<String>,
    second_factor_changed: Option<&'static str>,
    /// The secret being enrolled, kept when a code was wrong.
    enrolling_secret: Option<String>,
}

const NONE: Messages = Messages {
    password_error: None,
    password_changed: false,
    token_error: None,
    new_token: None,
    second_factor_error: None,
    second_factor_changed: None,
    enrolling_secret: None,
};

async fn render_account(
    state: &AppState,
    signed_in: &SignedIn,
    status: StatusCode,
    messages: Messages,
) -> Response {
    let tokens = match state.store.api_tokens(&signed_in.session.user).await {
        Ok(tokens) => tokens,
        Err(error) => return storage_unavailable_page(&state.templates, &error),
    };
    let tokens: Vec<Value> = tokens
        .iter()
        .map(|t| {
            json!({
                "id": t.id,
                "name": t.name,
                "created_at": warsaw(t.created_at),
                "created_at_iso": iso(t.created_at),
                "last_used_at": t.last_used_at.map(warsaw),
                "revoked_at": t.revoked_at.map(warsaw),
            })
        })
        .collect();
    let user = &signed_in.session.user;
    let enabled = match state.store.sign_in_record(&user.email).await {
        Ok(record) => record.is_some_and(|r| r.totp_secret.is_some()),
        Err(error) => return storage_unavailable_page(&state.templates, &error),
    };
    let secret = messages
        .enrolling_secret
        .clone()
        .unwrap_or_else(second_factor::new_secret);
    let view = json!({
        "second_factor": {
            "enabled": enabled,
            "secret": if enabled { None } else { Some(secret.clone()) },
            "url": if enabled { None } else { second_factor::otpauth_url(&secret, &user.email) },
            "error": messages.second_factor_error,
            "changed": messages.second_factor_changed,
        },
        "user": {"name": user.display_name, "email": user.email},
        "tokens": tokens,
        "min_password": MIN_PASSWORD_CHARS,
        "password_error": messages.password_error,
        "password_changed": messages.password_changed,
        "token_error": messages.token_error,
        "new_token": messages.new_token,
    });
    let mut response = render(state, status, "pages/account", &view);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub(crate) async fn page(State(state): State<AppState>, signed_in: SignedIn) -> Response {
    render_account(&state, &signed_in, StatusCode::OK, NONE).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    repeat: String,
}

pub(crate) async fn change_password(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Form(form): Form<PasswordForm>,
) -> Response {
    let refuse = |message: String| Messages {
        password_error: Some(message),
        ..NONE
    };
    let record = match state
        .store
        .sign_in_record(&signed_in.session.user.email)
        .await
    {
        Ok(Some(record)) => record,
        Ok(None) => return Redirect::to("/logowanie").into_response(),
        Err(error) => return storage_unavailable_page(&state.templates, &error),
    };
    let current_ok = {
        let hash = record.password_hash.clone().unwrap_or_default();
        let current = form.current.clone();
        tokio::task::spawn_blocking(move || verify_password(&current, &hash))
            .await
            .unwrap_or(false)
    };
    if !current_ok {
        let messages = refuse("Obecne hasło jest nieprawidłowe.".to_owned());
        return render_account(
            &state,
            &signed_in,
            StatusCode::UNPROCESSABLE_ENTITY,
            messages,
        )
        .await;
    }
    if form.new != form.repeat {
        let messages = refuse("Nowe hasło i jego powtórzenie różnią się.".to_owned());
        return render_account(
            &state,
            &signed_in,
            StatusCode::UNPROCESSABLE_ENTITY,
            messages,
        )
        .await;
    }
    let new = form.new.clone();
    let hashed = tokio::task::spawn_blocking(move || hash_password(&new)).await;
    let hash = match hashed {
        Ok(Ok(hash)) => hash,
        Ok(Err(_)) | Err(_) => {
            let messages = refuse(format!(
                "Nowe hasło musi mieć co najmniej {MIN_PASSWORD_CHARS} znaków."
            ));
            return render_account(
                &state,
                &signed_in,
                StatusCode::UNPROCESSABLE_ENTITY,
                messages,
            )
            .await;
        }
    };
    if let Err(error) = state
        .store
        .set_password_hash(&signed_in.session.user, &hash, Some(&signed_in.token))
        .await
    {
        return storage_unavailable_page(&state.templates, &error);
    }
    let messages = Messages {
        password_changed: true,
        ..NONE
    };
    render_account(&state, &signed_in, StatusCode::OK, messages).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct TokenForm {
    #[serde(default)]
    name: String,
}

pub(crate) async fn create_token(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Form(form): Form<TokenForm>,
) -> Response {
    match state
        .store
        .create_api_token(&signed_in.session.user, &form.name, Utc::now())
        .await
    {
        Ok(secret) => {
            let messages = Messages {
                new_token: Some(secret),
                ..NONE
            };
            render_account(&state, &signed_in, StatusCode::CREATED, messages).await
        }
        Err(StoreError::InvalidInput(_)) => {
            let messages = Messages {
                token_error: Some(
                    "Nazwij token (1–100 znaków), np. „skrypt kopii rejestru”.".to_owned(),
                ),
                ..NONE
            };
            render_account(
                &state,
                &signed_in,
                StatusCode::UNPROCESSABLE_ENTITY,
                messages,
            )
            .await
        }
        Err(error) => storage_unavailable_page(&state.templates, &error),
    }
}

pub(crate) async fn revoke_token(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Path(id): Path<i64>,
) -> Response {
    match state
        .store
        .revoke_api_token(&signed_in.session.user, id, Utc::now())
        .await
    {
        Ok(_) => Redirect::to("/konto").into_response(),
        Err(error) => storage_unavailable_page(&state.templates, &error),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct EnableForm {
    #[serde(default)]
    secret: String,
    #[serde(default)]
    code: String,
}

pub(crate) async fn enable_second_factor(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Form(form): Form<EnableForm>,
) -> Response {
    let Some(step) = second_factor::verify(&form.secret, &form.code, Utc::now()) else {
        let messages = Messages {
            second_factor_error: Some("Kod się nie zgadza. Sprawdź, czy zegar telefonu jest dokładny, i wpisz aktualny kod.".to_owned()),
            enrolling_secret: Some(form.secret),
            ..NONE
        };
        return render_account(
            &state,
            &signed_in,
            StatusCode::UNPROCESSABLE_ENTITY,
            messages,
        )
        .await;
    };
    if let Err(error) = state
        .store
        .set_totp(&signed_in.session.user, Some(&form.secret), Some(step))
        .await
    {
        return storage_unavailable_page(&state.templates, &error);
    }
    let messages = Messages {
        second_factor_changed: Some(
            "Weryfikacja dwuetapowa jest włączona. Przy następnym logowaniu podasz kod z aplikacji.",
        ),
        ..NONE
    };
    render_account(&state, &signed_in, StatusCode::OK, messages).await
}

#[derive(Debug, Deserialize)]
pub(crate) struct DisableForm {
    #[serde(default)]
    code: String,
}

pub(crate) async fn disable_second_factor(
    State(state): State<AppState>,
    signed_in: SignedIn,
    Form(form): Form<DisableForm>,
) -> Response {
    let record = match state
        .store
        .sign_in_record(&signed_in.session.user.email)
        .await
    {
        Ok(Some(record)) => record,
        Ok(None) => return Redirect::to("/logowanie").into_response(),
        Err(error) => return storage_unavailable_page(&state.templates, &error),
    };
    let verified = record
        .totp_secret
        .as_deref()
        .and_then(|secret| second_factor::verify(secret, &form.code, Utc::now()))
        .is_some();
    if !verified {
        let messages = Messages {
            second_factor_error: Some(
                "Aby wyłączyć weryfikację dwuetapową, wpisz aktualny kod z aplikacji.".to_owned(),
            ),
            ..NONE
        };
        return render_account(
            &state,
            &signed_in,
            StatusCode::UNPROCESSABLE_ENTITY,
            messages,
        )
        .await;
    }
    if let Err(error) = state
        .store
        .set_totp(&signed_in.session.user, None, None)
        .await
    {
        return storage_unavailable_page(&state.templates, &error);
    }
    let messages = Messages {
        second_factor_changed: Some("Weryfikacja dwuetapowa jest wyłączona."),
        ..NONE
    };
    render_account(&state, &signed_in, StatusCode::OK, messages).await
}
