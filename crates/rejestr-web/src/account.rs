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
use crate::time::{iso, warsaw};

struct Messages {
    password_error: Option<String>,
    password_changed: bool,
    token_error: Option<String>,
    new_token: Option<String>,
}

const NONE: Messages = Messages {
    password_error: None,
    password_changed: false,
    token_error: None,
    new_token: None,
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
    let view = json!({
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
