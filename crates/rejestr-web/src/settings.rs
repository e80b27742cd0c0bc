//! The organisation's settings page (IOD and admin).

use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use rejestr_domain::org::{Csirt, KscStatus, Regon, UnitType};
use rejestr_domain::role::Permission;
use rejestr_store::{OrgScope, OrganisationSettings, Session, StoreError};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::AppState;
use crate::auth::SignedIn;
use crate::error::{error_page, storage_unavailable_page};
use crate::pages::render;

#[derive(Debug, Default, Clone, Deserialize)]
pub(crate) struct SettingsForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    unit_type: String,
    #[serde(default)]
    regon: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    iod_name: String,
    #[serde(default)]
    iod_email: String,
    #[serde(default)]
    iod_phone: String,
    #[serde(default)]
    ksc_status: String,
    #[serde(default)]
    csirt: String,
    /// A checkbox: present when ticked.
    allow_anonymous: Option<String>,
    require_second_factor: Option<String>,
    #[serde(default)]
    webhook_url: String,
}

/// Validates the form; errors are `(field, Polish message)`.
pub(crate) fn parse_settings(
    form: &SettingsForm,
) -> Result<OrganisationSettings, Vec<(&'static str, String)>> {
    let mut errors = Vec::new();
    let mut text =
        |field: &'static str, value: &str, required: bool, max: usize| -> Option<String> {
            let value = value.trim();
            if value.is_empty() {
                if required {
                    errors.push((field, "To pole jest wymagane.".to_owned()));
                }
                return None;
            }
            if value.chars().count() > max {
                errors.push((field, format!("Najwyżej {max} znaków.")));
                return None;
            }
            Some(value.to_owned())
        };
    let name = text("name", &form.name, true, 200);
    let address = text("address", &form.address, true, 500);
    let iod_name = text("iod_name", &form.iod_name, true, 200);
    let iod_email = text("iod_email", &form.iod_email, true, 254);
    let iod_phone = text("iod_phone", &form.iod_phone, false, 30);
    let regon_text = text("regon", &form.regon, false, 20);
    let webhook_url = text("webhook_url", &form.webhook_url, false, 500);
    let iod_email = iod_email.filter(|email| {
        let ok = email
            .split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && d.contains('.'))
            && !email.contains(' ');
        if !ok {
            errors.push(("iod_email", "To nie wygląda na adres e-mail.".to_owned()));
        }
        ok
    });
    let webhook_url = webhook_url.filter(|url| {
        let ok = (url.starts_with("https://") || url.starts_with("http://"))
            && !url.contains(char::is_whitespace);
        if !ok {
            errors.push((
                "webhook_url",
                "Adres webhooka musi zaczynać się od https:// (lub http:// w sieci wewnętrznej)."
                    .to_owned(),
            ));
        }
        ok
    });
    let regon = match regon_text.as_deref().map(Regon::parse) {
        None => None,
        Some(Ok(regon)) => Some(regon.as_str().to_owned()),
        Some(Err(_)) => {
            errors.push((
                "regon",
                "Nieprawidłowy REGON (9 lub 14 cyfr z poprawną cyfrą kontrolną).".to_owned(),
            ));
            None
        }
    };
    let unit_type = form
        .unit_type
        .parse::<UnitType>()
        .map_err(|_| errors.push(("unit_type", "Wybierz rodzaj jednostki.".to_owned())))
        .ok();
    let ksc_status = form
        .ksc_status
        .parse::<KscStatus>()
        .map_err(|_| errors.push(("ksc_status", "Wybierz status w KSC.".to_owned())))
        .ok();
    let csirt = match form.csirt.as_str() {
        "" => None,
        other => match other.parse::<Csirt>() {
            Ok(csirt) => Some(csirt),
            Err(_) => {
                errors.push(("csirt", "Wybierz CSIRT.".to_owned()));
                None
            }
        },
    };
    if ksc_status.is_some_and(KscStatus::csirt_reporting)
        && csirt.is_none()
        && !errors.iter().any(|(f, _)| *f == "csirt")
    {
        errors.push((
            "csirt",
            "Jednostka objęta KSC musi wskazać właściwy CSIRT.".to_owned(),
        ));
    }
    match (name, unit_type, address, iod_name, iod_email, ksc_status) {
        (
            Some(name),
            Some(unit_type),
            Some(address),
            Some(iod_name),
            Some(iod_email),
            Some(ksc_status),
        ) if errors.is_empty() => Ok(OrganisationSettings {
            name,
            unit_type,
            regon,
            address,
            iod_name,
            iod_email,
            iod_phone,
            ksc_status,
            csirt,
            allow_anonymous: form.allow_anonymous.is_some(),
            require_second_factor: form.require_second_factor.is_some(),
            webhook_url,
        }),
        _ => Err(errors),
    }
}

pub(crate) async fn managing_scope(
    state: &AppState,
    session: &Session,
    slug: &str,
) -> Result<OrgScope, Response> {
    match state.store.scope(session, slug).await {
        Ok(Some(scope)) if scope.can(Permission::ManageOrganisation) => Ok(scope),
        Ok(Some(_)) => Err(error_page(
            &state.templates,
            StatusCode::FORBIDDEN,
            "Brak uprawnień",
            "Ustawienia jednostki zmienia inspektor ochrony danych lub administrator.",
        )),
        Ok(None) => Err(error_page(
            &state.templates,
            StatusCode::NOT_FOUND,
            "Nie znaleziono",
            "Nie ma takiej jednostki albo nie masz do niej dostępu.",
        )),
        Err(error) => Err(storage_unavailable_page(&state.templates, &error)),
    }
}

fn form_of(scope: &OrgScope) -> SettingsForm {
    let org = scope.organisation();
    SettingsForm {
        name: org.name.clone(),
        unit_type: org.unit_type.as_str().to_owned(),
        regon: org.regon.clone().unwrap_or_default(),
        address: org.address.clone(),
        iod_name: org.iod_name.clone(),
        iod_email: org.iod_email.clone(),
        iod_phone: org.iod_phone.clone().unwrap_or_default(),
        ksc_status: org.ksc_status.as_str().to_owned(),
        csirt: org.csirt.map(|c| c.as_str().to_owned()).unwrap_or_default(),
        allow_anonymous: org.allow_anonymous.then(|| "on".to_owned()),
        require_second_factor: org.require_second_factor.then(|| "on".to_owned()),
        webhook_url: org.webhook_url.clone().unwrap_or_default(),
    }
}

async fn render_settings(
    state: &AppState,
    session: &Session,
    scope: &OrgScope,
    form: &SettingsForm,
    errors: &[(&'static str, String)],
    saved: bool,
    status: StatusCode,
) -> Response {
    let members = match state.store.members(scope).await {
        Ok(members) => members,
        Err(error) => return storage_unavailable_page(&state.templates, &error),
    };
    let error_of = |field: &str| {
        errors
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.clone())
    };
    let mut fields = Map::new();
    for (field, value) in [
        ("name", &form.name),
        ("regon", &form.regon),
        ("address", &form.address),
        ("iod_name", &form.iod_name),
        ("iod_email", &form.iod_email),
        ("iod_phone", &form.iod_phone),
        ("webhook_url", &form.webhook_url),
    ] {
        fields.insert(
            field.to_owned(),
            json!({"value": value, "error": error_of(field)}),
        );
    }
    let options = |all: Vec<(&'static str, &'static str)>, selected: &str| -> Vec<Value> {
        all.into_iter()
            .map(|(value, label)| json!({"value": value, "label": label, "selected": value == selected}))
            .collect()
    };
    let mut csirts = vec![("", "nie dotyczy")];
    csirts.extend(Csirt::ALL.iter().map(|c| (c.as_str(), c.label())));
    let view = json!({
        "title": format!("Ustawienia — {}", scope.organisation().name),
        "org": {"name": scope.organisation().name, "slug": scope.organisation().slug.as_str()},
        "user": {"name": session.user.display_name},
        "fields": fields,
        "unit_types": options(UnitType::ALL.iter().map(|u| (u.as_str(), u.label_pl())).collect(), &form.unit_type),
        "ksc_statuses": options(KscStatus::ALL.iter().map(|k| (k.as_str(), k.label_pl())).collect(), &form.ksc_status),
        "csirts": options(csirts, &form.csirt),
        "unit_type_error": error_of("unit_type"),
        "ksc_status_error": error_of("ksc_status"),
        "csirt_error": error_of("csirt"),
        "allow_anonymous": form.allow_anonymous.is_some(),
        "require_second_factor": form.require_second_factor.is_some(),
        "errors": errors.iter().map(|(field, message)| json!({"anchor": field, "message": message})).collect::<Vec<_>>(),
        "saved": saved,
        "members": members.iter().map(|m| json!({
            "name": m.display_name,
            "email": m.email,
            "roles": m.roles.iter().map(|r| r.label_pl()).collect::<Vec<_>>().join(", "),
        })).collect::<Vec<_>>(),
    });
    render(state, status, "pages/settings", &view)
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
    let saved = query.contains_key("zapisano");
    render_settings(
        &state,
        &session,
        &scope,
        &form_of(&scope),
        &[],
        saved,
        StatusCode::OK,
    )
    .await
}

pub(crate) async fn save(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path(slug): Path<String>,
    Form(form): Form<SettingsForm>,
) -> Response {
    let scope = match managing_scope(&state, &session, &slug).await {
        Ok(scope) => scope,
        Err(response) => return response,
    };
    match parse_settings(&form) {
        Err(errors) => {
            render_settings(
                &state,
                &session,
                &scope,
                &form,
                &errors,
                false,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Ok(settings) => match state
            .store
            .update_settings(&scope, &settings, Utc::now())
            .await
        {
            Ok(_) => {
                Redirect::to(&format!("/rejestr/{slug}/ustawienia?zapisano=1")).into_response()
            }
            Err(StoreError::Forbidden) => (StatusCode::FORBIDDEN, "forbidden").into_response(),
            Err(error) => storage_unavailable_page(&state.templates, &error),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> SettingsForm {
        SettingsForm {
            name: "Urząd Gminy Przykładowo".into(),
            unit_type: "gmina".into(),
            regon: "311019674".into(),
            address: "ul. Rynek 1".into(),
            iod_name: "Katarzyna Wiśniewska".into(),
            iod_email: "iod@gmina.pl".into(),
            iod_phone: String::new(),
            ksc_status: "public_entity".into(),
            csirt: "nask".into(),
            allow_anonymous: Some("on".into()),
            require_second_factor: None,
            webhook_url: String::new(),
        }
    }

    #[test]
    fn valid_settings_parse() {
        let settings = parse_settings(&valid()).ok();
        assert!(
            settings
                .as_ref()
                .is_some_and(|s| s.allow_anonymous && s.csirt == Some(Csirt::Nask))
        );
    }

    #[test]
    fn every_bad_field_is_named() {
        let form = SettingsForm {
            name: " ".into(),
            regon: "123456789".into(),
            iod_email: "nie-email".into(),
            csirt: String::new(),
            ..valid()
        };
        let fields: Vec<&str> = parse_settings(&form)
            .err()
            .unwrap_or_default()
            .iter()
            .map(|(f, _)| *f)
            .collect();
        assert_eq!(fields, ["name", "iod_email", "regon", "csirt"]);
    }
}
