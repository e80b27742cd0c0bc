//! The MISP instance of an organisation (settings → MISP): its address, the API key (never
//! shown back, only its last four characters), whether its TLS certificate is checked, and a
//! connection check before the first push.

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use rejestr_store::{MispChange, MispInstance, OrgScope, Session, StoreError};
use serde::Deserialize;
use serde_json::json;

use crate::AppState;
use crate::auth::SignedIn;
use crate::error::storage_unavailable_page;
use crate::pages::render;
use crate::settings::managing_scope;
use crate::time::warsaw;

#[derive(Debug, Default, Clone, Deserialize)]
pub(crate) struct MispForm {
    #[serde(default)]
    url: String,
    #[serde(default)]
    api_key: String,
    /// A checkbox: present when ticked.
    verify_tls: Option<String>,
    /// `save`, `check` or `remove`.
    #[serde(default)]
    action: String,
}

/// `(field, Polish message)` of each bad field.
type FieldErrors = Vec<(&'static str, String)>;

/// Validated form: the URL without a trailing slash and the new key, if one was typed.
pub(crate) fn parse_form(
    form: &MispForm,
    has_key: bool,
) -> Result<(String, Option<String>), FieldErrors> {
    let mut errors = Vec::new();
    let url = form.url.trim().trim_end_matches('/').to_owned();
    let scheme_ok = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .is_some_and(|rest| !rest.is_empty() && !rest.starts_with('/'));
    if url.is_empty() {
        errors.push(("url", "Podaj adres instancji MISP.".to_owned()));
    } else if !scheme_ok || url.contains(char::is_whitespace) || url.chars().count() > 500 {
        errors.push((
            "url",
            "Adres musi zaczynać się od https:// (lub http:// w sieci wewnętrznej), np. https://misp.csirt.example.pl."
                .to_owned(),
        ));
    }
    let key = form.api_key.trim();
    let api_key = if key.is_empty() {
        if !has_key {
            errors.push(("api_key", "Podaj klucz API użytkownika MISP.".to_owned()));
        }
        None
    } else if key.chars().count() < 20
        || key.chars().count() > 200
        || !key.chars().all(|c| c.is_ascii_graphic())
    {
        errors.push((
            "api_key",
            "Klucz API MISP to ciąg 40 liter i cyfr (Moje konto → Auth keys w MISP).".to_owned(),
        ));
        None
    } else {
        Some(key.to_owned())
    };
    if errors.is_empty() {
        Ok((url, api_key))
    } else {
        Err(errors)
    }
}

struct View<'a> {
    form: &'a MispForm,
    errors: &'a [(&'static str, String)],
    notice: Option<String>,
    check_error: Option<String>,
}

async fn render_page(
    state: &AppState,
    session: &Session,
    scope: &OrgScope,
    status: StatusCode,
    view: View<'_>,
) -> Response {
    let current = match state.store.misp_instance(scope).await {
        Ok(current) => current,
        Err(error) => return storage_unavailable_page(&state.templates, &error),
    };
    let error_of = |field: &str| {
        view.errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.clone())
    };
    let org = scope.organisation();
    let data = json!({
        "title": format!("MISP — {}", org.name),
        "org": {"name": org.name, "slug": org.slug.as_str()},
        "user": {"name": session.user.display_name},
        "current": current.as_ref().map(|c| json!({
            "url": c.url, "key_hint": c.key_hint(), "verify_tls": c.verify_tls,
            "updated_by": c.updated_by, "updated_at": warsaw(c.updated_at),
        })),
        "fields": {
            "url": {"value": view.form.url, "error": error_of("url")},
            "api_key": {"value": "", "error": error_of("api_key")},
        },
        "verify_tls": view.form.verify_tls.is_some(),
        "errors": view.errors.iter().map(|(f, m)| json!({"anchor": f, "message": m})).collect::<Vec<_>>(),
        "notice": view.notice,
        "check_error": view.check_error,
    });
    render(state, status, "pages/misp_settings", &data)
}

fn form_of(current: Option<&MispInstance>) -> MispForm {
    MispForm {
        url: current.map(|c| c.url.clone()).unwrap_or_default(),
        api_key: String::new(),
        verify_tls: current
            .is_none_or(|c| c.verify_tls)
            .then(|| "on".to_owned()),
        action: String::new(),
    }
}

pub(crate) async fn page(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path(slug): Path<String>,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response {
    let scope = match managing_scope(&state, &session, &slug).await {
        Ok(scope) => scope,
        Err(response) => return response,
    };
    let current = match state.store.misp_instance(&scope).await {
        Ok(current) => current,
        Err(error) => return storage_unavailable_page(&state.templates, &error),
    };
    let notice = if query.contains_key("zapisano") {
        Some("Zapisano. Zmiana jest odnotowana w dzienniku zdarzeń (bez klucza API).".to_owned())
    } else if query.contains_key("usunieto") {
        Some("Usunięto konfigurację MISP i klucz API.".to_owned())
    } else {
        None
    };
    let form = form_of(current.as_ref());
    render_page(
        &state,
        &session,
        &scope,
        StatusCode::OK,
        View {
            form: &form,
            errors: &[],
            notice,
            check_error: None,
        },
    )
    .await
}

pub(crate) async fn save(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path(slug): Path<String>,
    Form(form): Form<MispForm>,
) -> Response {
    let scope = match managing_scope(&state, &session, &slug).await {
        Ok(scope) => scope,
        Err(response) => return response,
    };
    let current = match state.store.misp_instance(&scope).await {
        Ok(current) => current,
        Err(error) => return storage_unavailable_page(&state.templates, &error),
    };
    if form.action == "remove" {
        return match state
            .store
            .change_misp_instance(&scope, &MispChange::Remove, Utc::now())
            .await
        {
            Ok(()) => {
                Redirect::to(&format!("/rejestr/{slug}/ustawienia/misp?usunieto=1")).into_response()
            }
            Err(error) => storage_unavailable_page(&state.templates, &error),
        };
    }
    let (url, api_key) = match parse_form(&form, current.is_some()) {
        Ok(parsed) => parsed,
        Err(errors) => {
            return render_page(
                &state,
                &session,
                &scope,
                StatusCode::UNPROCESSABLE_ENTITY,
                View {
                    form: &form,
                    errors: &errors,
                    notice: None,
                    check_error: None,
                },
            )
            .await;
        }
    };
    let verify_tls = form.verify_tls.is_some();
    if form.action == "check" {
        let Some(key) = api_key.or_else(|| current.as_ref().map(|c| c.api_key.clone())) else {
            return StatusCode::UNPROCESSABLE_ENTITY.into_response();
        };
        let probe = MispInstance {
            url: url.clone(),
            api_key: key,
            verify_tls,
            updated_by: String::new(),
            updated_at: Utc::now(),
        };
        let (notice, check_error) = match state.misp.check(&probe).await {
            Ok(version) => (
                Some(format!(
                    "Połączenie działa: {url} odpowiada (MISP {version}) i przyjmuje klucz. Ustawienia nie zostały jeszcze zapisane."
                )),
                None,
            ),
            Err(error) => (None, Some(error.message_pl())),
        };
        let status = if check_error.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        };
        let kept = MispForm {
            api_key: String::new(),
            ..form.clone()
        };
        return render_page(
            &state,
            &session,
            &scope,
            status,
            View {
                form: &kept,
                errors: &[],
                notice,
                check_error,
            },
        )
        .await;
    }
    let change = MispChange::Set {
        url,
        api_key,
        verify_tls,
    };
    match state
        .store
        .change_misp_instance(&scope, &change, Utc::now())
        .await
    {
        Ok(()) => {
            Redirect::to(&format!("/rejestr/{slug}/ustawienia/misp?zapisano=1")).into_response()
        }
        Err(StoreError::Forbidden) => (StatusCode::FORBIDDEN, "forbidden").into_response(),
        Err(error) => storage_unavailable_page(&state.templates, &error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(url: &str, key: &str) -> MispForm {
        MispForm {
            url: url.to_owned(),
            api_key: key.to_owned(),
            verify_tls: Some("on".to_owned()),
            action: "save".to_owned(),
        }
    }

    const KEY: &str = "abcdefghijklmnopqrstuvwxyz0123456789ABCD";

    #[test]
    fn a_valid_form_keeps_the_url_without_its_trailing_slash() {
        assert_eq!(
            parse_form(&form(" https://misp.example.pl/ ", KEY), false),
            Ok(("https://misp.example.pl".to_owned(), Some(KEY.to_owned())))
        );
    }

    #[test]
    fn an_empty_key_keeps_the_stored_one_but_a_new_instance_needs_one() {
        assert_eq!(
            parse_form(&form("https://misp.example.pl", ""), true),
            Ok(("https://misp.example.pl".to_owned(), None))
        );
        let fields: Vec<&str> = parse_form(&form("https://misp.example.pl", ""), false)
            .err()
            .unwrap_or_default()
            .iter()
            .map(|(f, _)| *f)
            .collect();
        assert_eq!(fields, ["api_key"]);
    }

    #[test]
    fn bad_urls_and_keys_are_named() {
        for url in [
            "misp.example.pl",
            "ftp://misp",
            "https://",
            "https:///x",
            "https://a b",
        ] {
            let errors = parse_form(&form(url, KEY), false).err().unwrap_or_default();
            assert_eq!(errors.first().map(|e| e.0), Some("url"), "{url}");
        }
        let errors = parse_form(&form("https://misp.example.pl", "short"), false)
            .err()
            .unwrap_or_default();
        assert_eq!(errors.first().map(|e| e.0), Some("api_key"));
    }
}
