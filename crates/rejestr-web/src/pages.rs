//! Pages for people: the landing page, the report form, the private follow page.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Utc;
use rejestr_domain::case::ReportSource;
use rejestr_intake::{DATA_KINDS, FieldErrors, OrgIntakePolicy, ReportInput};
use rejestr_store::{Organisation, Session};

use crate::auth::{MaybeSignedIn, SignedIn};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::AppState;
use crate::error::{error_page, storage_unavailable_page};
use crate::forms::{read_report_form, validate_with_files};
use crate::templates::StaticFiles;
use crate::time::{iso, warsaw};

/// A file as the answer: shown by the browser (`inline`) or saved (`attachment`).
pub(crate) fn file_response(
    content_type: &str,
    disposition: &str,
    filename: &str,
    body: impl IntoResponse,
) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("{disposition}; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

pub(crate) fn render(state: &AppState, status: StatusCode, name: &str, data: &Value) -> Response {
    // The navigation's unread count joins the signed-in user's view (see `nav`).
    let with_count;
    let data = match crate::nav::unread() {
        Some(count) if data.get("user").is_some_and(Value::is_object) => {
            let mut view = data.clone();
            view["user"]["unread"] = json!(count);
            with_count = view;
            &with_count
        }
        _ => data,
    };
    match state.templates.render(name, data) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, template = name, "rendering failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "Strona jest chwilowo niedostępna. Spróbuj ponownie za chwilę.",
            )
                .into_response()
        }
    }
}

pub(crate) async fn index(State(state): State<AppState>) -> Response {
    let orgs = match state.store.organisations().await {
        Ok(orgs) => orgs,
        Err(error) => return storage_unavailable_page(&state.templates, &error),
    };
    let organisations: Vec<Value> = orgs
        .iter()
        .map(|o| {
            json!({
                "slug": o.slug.as_str(),
                "name": o.name,
                "unit_type": o.unit_type.label_pl(),
                "address": o.address,
            })
        })
        .collect();
    render(
        &state,
        StatusCode::OK,
        "pages/index",
        &json!({"organisations": organisations}),
    )
}

pub(crate) async fn my_reports(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
) -> Response {
    let reports = match state.store.my_reports(session.user.id).await {
        Ok(reports) => reports,
        Err(error) => return storage_unavailable_page(&state.templates, &error),
    };
    let rows: Vec<Value> = reports
        .iter()
        .map(|r| {
            json!({
                "number": r.number.to_string(),
                "organisation": r.organisation_name,
                "state": r.state.label_pl(),
                "reported_at": warsaw(r.reported_at),
                "reported_at_iso": iso(r.reported_at),
                "excerpt": r.excerpt,
            })
        })
        .collect();
    let organisations: Vec<Value> = session
        .memberships
        .iter()
        .map(|m| json!({"slug": m.organisation_slug, "name": m.organisation_name}))
        .collect();
    render(
        &state,
        StatusCode::OK,
        "pages/my_reports",
        &json!({"reports": rows, "organisations": organisations, "user": user_json(Some(&session))}),
    )
}

pub(crate) async fn not_found(State(state): State<AppState>) -> Response {
    error_page(
        &state.templates,
        StatusCode::NOT_FOUND,
        "Nie ma takiej strony",
        "Sprawdź adres. Jeśli szukasz formularza zgłoszenia, zacznij od strony głównej.",
    )
}

async fn find_org(state: &AppState, slug: &str) -> Result<Organisation, Response> {
    match state.store.organisation_for_intake(slug).await {
        Ok(Some(org)) => Ok(org),
        Ok(None) => Err(error_page(
            &state.templates,
            StatusCode::NOT_FOUND,
            "Nie ma takiej jednostki",
            "Adres formularza jest niepoprawny albo jednostka nie korzysta z Rejestru72. Wybierz jednostkę na stronie głównej.",
        )),
        Err(error) => Err(storage_unavailable_page(&state.templates, &error)),
    }
}

pub(crate) async fn report_form(
    State(state): State<AppState>,
    MaybeSignedIn(session): MaybeSignedIn,
    Path(slug): Path<String>,
) -> Response {
    show_form(state, session, slug, ReportSource::Employee).await
}

pub(crate) async fn processor_form(
    State(state): State<AppState>,
    MaybeSignedIn(session): MaybeSignedIn,
    Path(slug): Path<String>,
) -> Response {
    show_form(state, session, slug, ReportSource::Processor).await
}

async fn show_form(
    state: AppState,
    session: Option<Session>,
    slug: String,
    source: ReportSource,
) -> Response {
    let org = match find_org(&state, &slug).await {
        Ok(org) => org,
        Err(response) => return response,
    };
    // A signed-in employee's name and e-mail are filled in for them.
    let input = match (&session, source) {
        (Some(session), ReportSource::Employee) => ReportInput {
            reporter_name: Some(session.user.display_name.clone()),
            reporter_email: Some(session.user.email.clone()),
            ..ReportInput::default()
        },
        _ => ReportInput::default(),
    };
    let mut view = form_view(&state, &org, source, &input, &FieldErrors::default(), false);
    view["user"] = user_json(session.as_ref());
    render(&state, StatusCode::OK, "pages/report_form", &view)
}

fn user_json(session: Option<&Session>) -> Value {
    session.map_or(
        Value::Null,
        |s| json!({"name": s.user.display_name, "email": s.user.email}),
    )
}

pub(crate) async fn submit_report(
    State(state): State<AppState>,
    MaybeSignedIn(session): MaybeSignedIn,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Response {
    accept_form(state, session, slug, ReportSource::Employee, multipart).await
}

pub(crate) async fn submit_processor_report(
    State(state): State<AppState>,
    MaybeSignedIn(session): MaybeSignedIn,
    Path(slug): Path<String>,
    multipart: Multipart,
) -> Response {
    accept_form(state, session, slug, ReportSource::Processor, multipart).await
}

async fn accept_form(
    state: AppState,
    session: Option<Session>,
    slug: String,
    source: ReportSource,
    multipart: Multipart,
) -> Response {
    let org = match find_org(&state, &slug).await {
        Ok(org) => org,
        Err(response) => return response,
    };
    let limits = state.config.attachments;
    let (mut input, files) = match read_report_form(multipart, limits).await {
        Ok(read) => read,
        Err(error) => {
            tracing::warn!(%error, "unreadable report form");
            return error_page(
                &state.templates,
                error.status(),
                "Nie udało się odczytać formularza",
                "Przesłane dane są niekompletne lub za duże (łącznie z załącznikami). Wróć do formularza i spróbuj ponownie, dołączając mniej lub mniejsze pliki. Nic nie zostało zapisane.",
            );
        }
    };
    input.source = Some(source.as_str().to_owned());
    let had_files = !files.is_empty();
    let policy = OrgIntakePolicy {
        allow_anonymous: org.allow_anonymous,
    };
    match validate_with_files(&input, files, policy, limits, Utc::now()) {
        Err(errors) => {
            let mut view = form_view(&state, &org, source, &input, &errors, had_files);
            view["user"] = user_json(session.as_ref());
            render(
                &state,
                StatusCode::UNPROCESSABLE_ENTITY,
                "pages/report_form",
                &view,
            )
        }
        Ok((report, attachments)) => {
            let actor = session.as_ref().map_or_else(
                || "reporter:web".to_owned(),
                |s| format!("user:{}", s.user.email),
            );
            let reporter_user = session.as_ref().map(|s| s.user.id);
            match state
                .store
                .submit_report(&org, &report, attachments, &actor, reporter_user)
                .await
            {
                Ok(receipt) => {
                    tracing::info!(organisation = %org.slug, number = %receipt.number, "report accepted via the form");
                    Redirect::to(&format!("/s/{}?nowe=1", receipt.follow_token)).into_response()
                }
                Err(error) => storage_unavailable_page(&state.templates, &error),
            }
        }
    }
}

/// The form's view model: every field with its value and its first error.
fn form_view(
    state: &AppState,
    org: &Organisation,
    source: ReportSource,
    input: &ReportInput,
    errors: &FieldErrors,
    had_files: bool,
) -> Value {
    let processor = source == ReportSource::Processor;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let values: [(&str, String); 16] = [
        ("description", input.description.clone()),
        ("occurred", text(&input.occurred)),
        ("occurred_at", text(&input.occurred_at)),
        ("occurred_from", text(&input.occurred_from)),
        ("occurred_to", text(&input.occurred_to)),
        ("discovered_at", text(&input.discovered_at)),
        ("location", text(&input.location)),
        ("data_categories", String::new()),
        ("subjects_estimate", text(&input.subjects_estimate)),
        ("reporter_name", text(&input.reporter_name)),
        ("reporter_email", text(&input.reporter_email)),
        ("reporter_phone", text(&input.reporter_phone)),
        ("reporter_unit", text(&input.reporter_unit)),
        ("processor_name", text(&input.processor_name)),
        ("processor_contract", text(&input.processor_contract)),
        ("processor_aware_at", text(&input.processor_aware_at)),
    ];
    let mut fields = Map::new();
    for (name, value) in values {
        fields.insert(
            name.to_owned(),
            json!({"value": value, "error": errors.for_field(name).map(|e| e.pl.clone())}),
        );
    }
    fields.insert(
        "attachments".to_owned(),
        json!({"value": "", "error": errors.for_field("attachments").map(|e| e.pl.clone())}),
    );
    let summary: Vec<Value> = errors
        .iter()
        .map(|e| {
            let anchor = match e.field.as_str() {
                "attachments" => "attachments-input".to_owned(),
                "occurred" => "occurred-unknown".to_owned(),
                "data_categories" => "data_categories".to_owned(),
                field => field.to_owned(),
            };
            json!({"anchor": anchor, "message": e.pl})
        })
        .collect();
    let categories: Vec<Value> = DATA_KINDS
        .iter()
        .map(|k| {
            json!({
                "id": k.id,
                "label": k.label_pl,
                "hint": k.hint_pl,
                "checked": input.data_categories.iter().any(|c| c == k.id),
            })
        })
        .collect();
    let occurred = match input.occurred.as_deref() {
        Some("at") => "at",
        Some("range" | "between") => "range",
        _ => "unknown",
    };
    let anonymous_allowed = org.allow_anonymous && !processor;
    let (title, action) = if processor {
        (
            "Zgłoszenie naruszenia przez podmiot przetwarzający",
            format!("/o/{}/zglos/podmiot-przetwarzajacy", org.slug),
        )
    } else {
        ("Zgłoś incydent", format!("/o/{}/zglos", org.slug))
    };
    let limits = state.config.attachments;
    json!({
        "title": title,
        "action": action,
        "org": {"name": org.name, "slug": org.slug.as_str()},
        "processor": processor,
        "fields": fields,
        "errors": summary,
        "error_count": errors.iter().count(),
        "error_word": polish_plural(errors.iter().count(), "błąd", "błędy", "błędów"),
        "had_files": had_files,
        "categories": categories,
        "occurred": occurred,
        "anonymous_allowed": anonymous_allowed,
        "name_required": !anonymous_allowed && !processor,
        "contact_required": !anonymous_allowed && !processor,
        "contact_hint": if anonymous_allowed { "Jeśli chcesz, abyśmy mogli się z Tobą skontaktować." } else { "Podaj e-mail lub telefon." },
        "max_files": limits.max_files,
        "max_mb": limits.max_bytes / (1024 * 1024),
    })
}

/// Polish has three plural forms: 1 błąd, 2–4 błędy, 5+ błędów (but 12–14 błędów, 22 błędy).
fn polish_plural(
    n: usize,
    one: &'static str,
    few: &'static str,
    many: &'static str,
) -> &'static str {
    let (units, tens) = (n % 10, n % 100);
    if n == 1 {
        one
    } else if (2..=4).contains(&units) && !(12..=14).contains(&tens) {
        few
    } else {
        many
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct StatusQuery {
    nowe: Option<String>,
}

pub(crate) async fn status(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(query): Query<StatusQuery>,
) -> Response {
    let status = match state.store.case_by_follow_token(&token).await {
        Ok(Some(status)) => status,
        Ok(None) => {
            return error_page(
                &state.templates,
                StatusCode::NOT_FOUND,
                "Nie znaleziono zgłoszenia",
                "Ten adres nie prowadzi do żadnego zgłoszenia. Sprawdź, czy skopiowano go w całości. W razie wątpliwości skontaktuj się z inspektorem ochrony danych swojej jednostki.",
            );
        }
        Err(error) => return storage_unavailable_page(&state.templates, &error),
    };
    let number = status.number.to_string();
    let view = json!({
        "title": format!("Zgłoszenie {number}"),
        "new": query.nowe.is_some(),
        "number": number,
        "organisation_name": status.organisation_name,
        "source_label": match status.source {
            ReportSource::Employee => "zgłoszenie pracownika",
            ReportSource::Processor => "zgłoszenie podmiotu przetwarzającego (art. 33 ust. 2 RODO)",
        },
        "state_label": status.state.label_pl(),
        "reported_at": warsaw(status.reported_at),
        "reported_at_iso": iso(status.reported_at),
        "updated_at": warsaw(status.updated_at),
        "updated_at_iso": iso(status.updated_at),
        "attachments": status.attachments,
        "iod_name": status.iod_name,
        "iod_email": status.iod_email,
    });
    let mut response = render(&state, StatusCode::OK, "pages/status", &view);
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}

pub(crate) async fn static_file(
    State(state): State<AppState>,
    Path(path): Path<String>,
) -> Response {
    let Some(file) = StaticFiles::get(&path) else {
        return not_found(State(state)).await;
    };
    let content_type = if path.ends_with(".css") {
        "text/css; charset=utf-8"
    } else if path.ends_with(".svg") {
        "image/svg+xml"
    } else {
        "application/octet-stream"
    };
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        file.data.into_owned(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::polish_plural;

    #[test]
    fn polish_plurals() {
        let forms: Vec<&str> = [1, 2, 4, 5, 12, 22, 25]
            .iter()
            .map(|&n| polish_plural(n, "błąd", "błędy", "błędów"))
            .collect();
        assert_eq!(
            forms,
            [
                "błąd",
                "błędy",
                "błędy",
                "błędów",
                "błędów",
                "błędy",
                "błędów"
            ]
        );
    }
}
