//! The register's pages: the organisations of a signed-in user, the inbox, the case page.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Warsaw;
use rejestr_domain::case::{
    CaseAction, CaseNumber, CaseState, Classification, Occurred, RejectReason, ReportSource,
    TransitionError, transition,
};
use rejestr_domain::role::Permission;
use rejestr_intake::data_kind;
use rejestr_store::{
    CaseFilter, Fulfilment, NOTE_MAX_CHARS, ObligationView, OrgScope, Session, StoreError,
    TimelineEntry,
};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::{SignedIn, urlencode};
use crate::error::{error_page, storage_unavailable_page};
use crate::pages::render;
use crate::time::{iso, warsaw};

fn user_view(session: &Session) -> Value {
    json!({"name": session.user.display_name, "email": session.user.email})
}

fn store_failure(state: &AppState, error: &StoreError) -> Response {
    match error {
        StoreError::Forbidden => forbidden(state),
        other => storage_unavailable_page(&state.templates, other),
    }
}

fn forbidden(state: &AppState) -> Response {
    error_page(
        &state.templates,
        StatusCode::FORBIDDEN,
        "Brak uprawnień",
        "Twoja rola w tej jednostce nie pozwala oglądać rejestru. Jeśli potrzebujesz dostępu, poproś inspektora ochrony danych lub administratora.",
    )
}

fn not_found(state: &AppState) -> Response {
    error_page(
        &state.templates,
        StatusCode::NOT_FOUND,
        "Nie znaleziono",
        "Nie ma takiej jednostki lub sprawy albo nie masz do niej dostępu.",
    )
}

/// The scope for `slug`, or the response to send instead (404 for non-members, 403 for
/// members whose roles do not allow reading the register).
pub(crate) async fn reading_scope(
    state: &AppState,
    session: &Session,
    slug: &str,
) -> Result<OrgScope, Response> {
    match state.store.scope(session, slug).await {
        Ok(Some(scope)) if scope.can(Permission::ReadRegister) => Ok(scope),
        Ok(Some(_)) => Err(forbidden(state)),
        Ok(None) => Err(not_found(state)),
        Err(error) => Err(store_failure(state, &error)),
    }
}

pub(crate) async fn home(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
) -> Response {
    let readable: Vec<_> = session
        .memberships
        .iter()
        .filter(|m| m.roles.iter().any(|r| r.allows(Permission::ReadRegister)))
        .collect();
    if session.memberships.len() == 1
        && let [only] = readable.as_slice()
    {
        return Redirect::to(&format!("/rejestr/{}", only.organisation_slug)).into_response();
    }
    let mut organisations = Vec::new();
    for membership in &session.memberships {
        let roles: Vec<&str> = membership.roles.iter().map(|r| r.label_pl()).collect();
        let mut row = json!({
            "slug": membership.organisation_slug,
            "name": membership.organisation_name,
            "roles": roles.join(", "),
            "readable": false,
        });
        if let Ok(Some(scope)) = state
            .store
            .scope(&session, &membership.organisation_slug)
            .await
            && scope.can(Permission::ReadRegister)
        {
            let open = state
                .store
                .list_cases(&scope, &CaseFilter::default(), 0)
                .await;
            let new = state
                .store
                .list_cases(
                    &scope,
                    &CaseFilter {
                        state: Some(CaseState::Reported),
                        ..CaseFilter::default()
                    },
                    0,
                )
                .await;
            match (open, new) {
                (Ok(open), Ok(new)) => {
                    row["readable"] = json!(true);
                    row["open"] = json!(open.total);
                    row["new"] = json!(new.total);
                }
                (Err(error), _) | (_, Err(error)) => return store_failure(&state, &error),
            }
        }
        organisations.push(row);
    }
    render(
        &state,
        StatusCode::OK,
        "pages/register_home",
        &json!({"organisations": organisations, "user": user_view(&session)}),
    )
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct InboxQuery {
    q: Option<String>,
    stan: Option<String>,
    rodzaj: Option<String>,
    od: Option<String>,
    #[serde(rename = "do")]
    to: Option<String>,
    strona: Option<u64>,
}

fn parse_day(raw: Option<&str>) -> Result<Option<NaiveDate>, ()> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| ()),
    }
}

fn start_of_day(day: NaiveDate) -> Option<chrono::DateTime<Utc>> {
    Warsaw
        .from_local_datetime(&day.and_hms_opt(0, 0, 0)?)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

/// The register filter of the inbox's query, and what in it could not be understood.
pub(crate) fn case_filter(query: &InboxQuery) -> (CaseFilter, Vec<&'static str>) {
    let mut problems = Vec::new();
    let mut filter = CaseFilter {
        text: query.q.clone(),
        ..CaseFilter::default()
    };
    match query.stan.as_deref().unwrap_or("") {
        "" => {}
        "wszystkie" => filter.include_closed = true,
        other => match other.parse::<CaseState>() {
            Ok(state) => filter.state = Some(state),
            Err(_) => problems.push("Nieznany stan sprawy w filtrze."),
        },
    }
    match query.rodzaj.as_deref().unwrap_or("") {
        "" => {}
        other => match other.parse::<Classification>() {
            Ok(classification) => filter.classification = Some(classification),
            Err(_) => problems.push("Nieznana kwalifikacja w filtrze."),
        },
    }
    match (
        parse_day(query.od.as_deref()),
        parse_day(query.to.as_deref()),
    ) {
        (Ok(from), Ok(to)) => {
            filter.reported_from = from.and_then(start_of_day);
            filter.reported_to = to.and_then(|d| d.succ_opt()).and_then(start_of_day);
        }
        _ => problems.push("Daty w filtrze podaj jako RRRR-MM-DD."),
    }
    (filter, problems)
}

pub(crate) async fn inbox(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path(slug): Path<String>,
    query: Result<Query<InboxQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let scope = match reading_scope(&state, &session, &slug).await {
        Ok(scope) => scope,
        Err(response) => return response,
    };
    let mut problems: Vec<&str> = Vec::new();
    let Query(query) = query.unwrap_or_else(|_| {
        problems.push("Nieprawidłowe parametry wyszukiwania — pokazano wszystkie otwarte sprawy.");
        Query(InboxQuery::default())
    });
    let (filter, more) = case_filter(&query);
    problems.extend(more);
    let page = query.strona.unwrap_or(1).max(1) - 1;
    let result = match state.store.list_cases(&scope, &filter, page).await {
        Ok(result) => result,
        Err(error) => return store_failure(&state, &error),
    };
    let now = Utc::now();
    let rows: Vec<Value> = result
        .rows
        .iter()
        .map(|row| {
            let deadline = row.notification_deadline();
            let open = row.state.is_open();
            json!({
                "number": row.number.to_string(),
                "year": row.number.year,
                "seq": row.number.seq,
                "state": row.state.label_pl(),
                "is_new": row.state == CaseState::Reported,
                "excerpt": row.excerpt,
                "location": row.location,
                "reported_at": warsaw(row.reported_at),
                "reported_at_iso": iso(row.reported_at),
                "open": open,
                "deadline": warsaw(deadline),
                "deadline_iso": iso(deadline),
                "overdue": open && deadline < now && row.classification != Classification::NotAnIncident,
            })
        })
        .collect();
    let selected_state = query.stan.clone().unwrap_or_default();
    let mut states = vec![
        json!({"value": "", "label": "otwarte", "selected": selected_state.is_empty()}),
        json!({"value": "wszystkie", "label": "wszystkie", "selected": selected_state == "wszystkie"}),
    ];
    states.extend(CaseState::ALL.iter().map(|s| {
        json!({"value": s.as_str(), "label": s.label_pl(), "selected": selected_state == s.as_str()})
    }));
    let selected_class = query.rodzaj.clone().unwrap_or_default();
    let mut classifications =
        vec![json!({"value": "", "label": "wszystkie", "selected": selected_class.is_empty()})];
    classifications.extend(Classification::ALL.iter().map(|c| {
        json!({"value": c.as_str(), "label": c.label_pl(), "selected": selected_class == c.as_str()})
    }));
    let link = |page: u64| {
        let mut params = vec![format!("strona={}", page + 1)];
        for (key, value) in [
            ("q", &query.q),
            ("stan", &query.stan),
            ("rodzaj", &query.rodzaj),
            ("od", &query.od),
            ("do", &query.to),
        ] {
            if let Some(value) = value.as_deref().filter(|v| !v.is_empty()) {
                params.push(format!("{key}={}", urlencode(value)));
            }
        }
        format!(
            "/rejestr/{}?{}",
            scope.organisation().slug,
            params.join("&")
        )
    };
    let export_query = {
        let link = link(0);
        let query = link.split_once('?').map_or("", |(_, q)| q);
        query
            .split('&')
            .filter(|p| !p.starts_with("strona="))
            .collect::<Vec<_>>()
            .join("&")
    };
    let view = json!({
        "export_query": export_query,
        "title": format!("Rejestr — {}", scope.organisation().name),
        "org": {"name": scope.organisation().name, "slug": scope.organisation().slug.as_str()},
        "user": user_view(&session),
        "can_manage": scope.can(Permission::ManageOrganisation),
        "filter": {"q": query.q, "from": query.od, "to": query.to},
        "filter_error": (!problems.is_empty()).then(|| problems.join(" ")),
        "states": states,
        "classifications": classifications,
        "rows": rows,
        "total": result.total,
        "page_human": result.page + 1,
        "pages": result.pages,
        "pages_many": result.pages > 1,
        "prev": (result.page > 0).then(|| link(result.page - 1)),
        "next": (result.page + 1 < result.pages).then(|| link(result.page + 1)),
    });
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    render(&state, status, "pages/inbox", &view)
}

fn occurred_text(occurred: &Occurred) -> String {
    match occurred {
        Occurred::Unknown => "nieznane".to_owned(),
        Occurred::At(t) => warsaw(*t),
        Occurred::Between(a, b) => format!("między {} a {}", warsaw(*a), warsaw(*b)),
    }
}

fn action_label(event: &TimelineEntry) -> String {
    let state = |key: &str| {
        event.data[key]
            .as_str()
            .and_then(|s| s.parse::<CaseState>().ok())
            .map_or("?", |s| s.label_pl())
    };
    match event.action.as_str() {
        "case.reported" => "zgłoszenie przyjęte".to_owned(),
        "case.note_added" => "dodano notatkę".to_owned(),
        "case.assessed" => {
            let decision = &event.data["decision"];
            let mut text = format!(
                "ocena ryzyka: {}, {}",
                crate::assessment::classification_label(
                    decision["classification"].as_str().unwrap_or_default()
                ),
                crate::assessment::risk_label(decision["risk"].as_str().unwrap_or_default())
            );
            if event.data["overridden"] == serde_json::Value::Bool(true) {
                text.push_str(" — odstępstwo od propozycji silnika");
            }
            text
        }
        "case.aware_at_changed" => {
            let at = |key: &str| {
                event.data[key]
                    .as_str()
                    .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
                    .map_or_else(|| "?".to_owned(), |t| warsaw(t.with_timezone(&Utc)))
            };
            format!(
                "zmieniono moment stwierdzenia naruszenia: {} → {} — uzasadnienie: {}",
                at("from"),
                at("to"),
                event.data["justification"].as_str().unwrap_or_default()
            )
        }
        "case.state_changed" => {
            let mut text = format!("zmiana stanu: {} → {}", state("from"), state("to"));
            if let Some(reason) = event.data["reason"].as_str() {
                text.push_str(&format!(" — uzasadnienie: {reason}"));
            }
            if let Some(original) = event.data["duplicate_of"].as_str() {
                text.push_str(&format!(" — duplikat sprawy {original}"));
            }
            text
        }
        "document.drafted" => format!(
            "zapisano projekt dokumentu {} {} (wersja {})",
            event.data["kind"].as_str().unwrap_or_default(),
            event.data["phase"].as_str().unwrap_or_default(),
            event.data["version"]
        ),
        "document.sent" => format!(
            "wysłano dokument {} {} (wersja {}) kanałem: {}{} — SHA-256 {}",
            event.data["kind"].as_str().unwrap_or_default(),
            event.data["phase"].as_str().unwrap_or_default(),
            event.data["version"],
            event.data["channel"].as_str().unwrap_or_default(),
            event.data["reference"]
                .as_str()
                .map(|r| format!(", potwierdzenie {r}"))
                .unwrap_or_default(),
            event.data["sha256"].as_str().unwrap_or_default()
        ),
        other => other.to_owned(),
    }
}

pub(crate) async fn case_page(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path((slug, year, seq)): Path<(String, i32, u32)>,
) -> Response {
    let scope = match reading_scope(&state, &session, &slug).await {
        Ok(scope) => scope,
        Err(response) => return response,
    };
    let Ok(number) = CaseNumber::new(seq, year) else {
        return not_found(&state);
    };
    render_case(&state, &session, &scope, number, StatusCode::OK, None).await
}

/// The actions the state machine allows from `from`, as the page offers them.
fn available_actions(from: CaseState) -> Vec<&'static str> {
    let reason = || "uzasadnienie".to_owned();
    let candidates: [(&str, CaseAction); 5] = [
        ("triage", CaseAction::StartTriage),
        (
            "reject",
            CaseAction::Reject {
                reason: RejectReason::NotAnIncident(reason()),
            },
        ),
        (
            "duplicate",
            CaseAction::Reject {
                reason: RejectReason::DuplicateOf(CaseNumber { seq: 1, year: 2026 }),
            },
        ),
        ("close", CaseAction::Close { reason: reason() }),
        ("reopen", CaseAction::Reopen { reason: reason() }),
    ];
    candidates
        .into_iter()
        .filter(|(_, action)| transition(from, action).is_ok())
        .map(|(name, _)| name)
        .collect()
}

async fn render_case(
    state: &AppState,
    session: &Session,
    scope: &OrgScope,
    number: CaseNumber,
    status: StatusCode,
    action_error: Option<String>,
) -> Response {
    let detail = match state.store.case_detail(scope, number).await {
        Ok(Some(detail)) => detail,
        Ok(None) => return not_found(state),
        Err(error) => return store_failure(state, &error),
    };
    let row = &detail.row;
    let categories: Vec<&str> = detail
        .data_categories
        .iter()
        .map(|id| data_kind(id).map_or(id.as_str(), |k| k.label_pl))
        .collect();
    let timeline: Vec<Value> = detail
        .timeline
        .iter()
        .map(|e| {
            json!({"seq": e.seq, "at": warsaw(e.at), "at_iso": iso(e.at), "actor": e.actor, "action": action_label(e)})
        })
        .collect();
    let attachments: Vec<Value> = detail
        .attachments
        .iter()
        .map(|a| {
            json!({"filename": a.filename, "content_type": a.content_type, "sha256": a.sha256, "size": human_size(a.size)})
        })
        .collect();
    let notes: Vec<Value> = detail
        .notes
        .iter()
        .map(|n| json!({"author": n.author, "at": warsaw(n.created_at), "at_iso": iso(n.created_at), "body": n.body}))
        .collect();
    let assessment = match state.store.latest_assessment(scope, number).await {
        Ok(recorded) => recorded.as_ref().map(crate::assessment::recorded_view),
        Err(error) => return store_failure(state, &error),
    };
    let now = Utc::now();
    let obligations: Vec<Value> = match state.store.obligations_of_case(scope, number).await {
        Ok(list) => list.iter().map(|o| obligation_json(o, now)).collect(),
        Err(error) => return store_failure(state, &error),
    };
    let can_change = scope.can(Permission::ChangeCases);
    let actions: Value = if can_change {
        available_actions(row.state)
            .into_iter()
            .map(|name| (name.to_owned(), Value::Bool(true)))
            .collect::<serde_json::Map<_, _>>()
            .into()
    } else {
        json!({})
    };
    let base = format!(
        "/rejestr/{}/sprawy/{}/{}",
        scope.organisation().slug,
        number.year,
        number.seq
    );
    let view = json!({
        "title": format!("Sprawa {}", row.number),
        "org": {"name": scope.organisation().name, "slug": scope.organisation().slug.as_str()},
        "user": user_view(session),
        "base": base,
        "number": row.number.to_string(),
        "state": row.state.label_pl(),
        "classification": row.classification.label_pl(),
        "source": match row.source {
            ReportSource::Employee => "pracownik",
            ReportSource::Processor => "podmiot przetwarzający (art. 33 ust. 2 RODO)",
        },
        "reported_at": warsaw(row.reported_at),
        "reported_at_iso": iso(row.reported_at),
        "aware_at": warsaw(row.aware_at),
        "aware_at_iso": iso(row.aware_at),
        "aware_at_local": row.aware_at.with_timezone(&Warsaw).format("%Y-%m-%dT%H:%M").to_string(),
        "deadline": warsaw(row.notification_deadline()),
        "deadline_iso": iso(row.notification_deadline()),
        "description": detail.description,
        "occurred": occurred_text(&detail.occurred),
        "discovered_at": warsaw(detail.discovered_at),
        "location": row.location,
        "categories": categories,
        "subjects": detail.subjects_estimate,
        "reporter": {
            "name": detail.reporter_name,
            "email": detail.reporter_email,
            "phone": detail.reporter_phone,
            "unit": detail.reporter_unit,
        },
        "processor": detail.processor_name.as_ref().map(|name| json!({
            "name": name,
            "contract": detail.processor_contract,
            "aware_at": detail.processor_aware_at.map(warsaw),
        })),
        "attachments": attachments,
        "notes": notes,
        "timeline": timeline,
        "can_change": can_change,
        "assessment": assessment,
        "obligations": obligations,
        "actions": actions,
        "action_error": action_error,
    });
    render(state, status, "pages/case", &view)
}

#[derive(Debug, Deserialize)]
pub(crate) struct StateForm {
    action: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    duplicate_of: String,
}

pub(crate) async fn change_state(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path((slug, year, seq)): Path<(String, i32, u32)>,
    Form(form): Form<StateForm>,
) -> Response {
    let scope = match reading_scope(&state, &session, &slug).await {
        Ok(scope) => scope,
        Err(response) => return response,
    };
    let Ok(number) = CaseNumber::new(seq, year) else {
        return not_found(&state);
    };
    let reason = form.reason.trim().to_owned();
    let action = match form.action.as_str() {
        "triage" => CaseAction::StartTriage,
        "reject" => CaseAction::Reject {
            reason: RejectReason::NotAnIncident(reason),
        },
        "close" => CaseAction::Close { reason },
        "reopen" => CaseAction::Reopen { reason },
        "duplicate" => match form.duplicate_of.trim().parse::<CaseNumber>() {
            Ok(original) => CaseAction::Reject {
                reason: RejectReason::DuplicateOf(original),
            },
            Err(_) => {
                let message = "Podaj numer sprawy, której to duplikat, np. 0012/2026.".to_owned();
                return render_case(
                    &state,
                    &session,
                    &scope,
                    number,
                    StatusCode::UNPROCESSABLE_ENTITY,
                    Some(message),
                )
                .await;
            }
        },
        _ => {
            let message = "Nieznane działanie.".to_owned();
            return render_case(
                &state,
                &session,
                &scope,
                number,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(message),
            )
            .await;
        }
    };
    match state
        .store
        .change_state(&scope, number, &action, Utc::now())
        .await
    {
        Ok(_) => Redirect::to(&format!("/rejestr/{slug}/sprawy/{year}/{seq}")).into_response(),
        Err(StoreError::Transition(TransitionError::ReasonRequired)) => {
            let message =
                "Podaj uzasadnienie — rejestr musi je zachować (zasada rozliczalności).".to_owned();
            render_case(
                &state,
                &session,
                &scope,
                number,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(message),
            )
            .await
        }
        Err(StoreError::Transition(TransitionError::NotAllowed { .. })) => {
            let message = "Tego działania nie można wykonać w obecnym stanie sprawy (ktoś mógł ją właśnie zmienić).".to_owned();
            render_case(
                &state,
                &session,
                &scope,
                number,
                StatusCode::CONFLICT,
                Some(message),
            )
            .await
        }
        Err(StoreError::InvalidInput(_)) => {
            let message = "Nie ma innej sprawy o tym numerze w tej jednostce.".to_owned();
            render_case(
                &state,
                &session,
                &scope,
                number,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(message),
            )
            .await
        }
        Err(StoreError::NotFound) => not_found(&state),
        Err(error) => store_failure(&state, &error),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct AwareForm {
    #[serde(default)]
    aware_at: String,
    #[serde(default)]
    justification: String,
}

pub(crate) async fn set_aware_at(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path((slug, year, seq)): Path<(String, i32, u32)>,
    Form(form): Form<AwareForm>,
) -> Response {
    let scope = match reading_scope(&state, &session, &slug).await {
        Ok(scope) => scope,
        Err(response) => return response,
    };
    let Ok(number) = CaseNumber::new(seq, year) else {
        return not_found(&state);
    };
    let Some(at) = rejestr_intake::parse_instant(&form.aware_at) else {
        let message = "Podaj datę i godzinę stwierdzenia naruszenia (czas polski).".to_owned();
        return render_case(
            &state,
            &session,
            &scope,
            number,
            StatusCode::UNPROCESSABLE_ENTITY,
            Some(message),
        )
        .await;
    };
    match state
        .store
        .set_aware_at(&scope, number, at, &form.justification, Utc::now())
        .await
    {
        Ok(()) => Redirect::to(&format!("/rejestr/{slug}/sprawy/{year}/{seq}")).into_response(),
        Err(StoreError::InvalidInput(_)) => {
            let message =
                "Zmiana początku 72 godzin wymaga uzasadnienia, a data nie może być w przyszłości."
                    .to_owned();
            render_case(
                &state,
                &session,
                &scope,
                number,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(message),
            )
            .await
        }
        Err(StoreError::NotFound) => not_found(&state),
        Err(error) => store_failure(&state, &error),
    }
}

#[derive(Debug, Deserialize)]
pub(crate) struct NoteForm {
    #[serde(default)]
    body: String,
}

pub(crate) async fn add_note(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path((slug, year, seq)): Path<(String, i32, u32)>,
    Form(form): Form<NoteForm>,
) -> Response {
    let scope = match reading_scope(&state, &session, &slug).await {
        Ok(scope) => scope,
        Err(response) => return response,
    };
    let Ok(number) = CaseNumber::new(seq, year) else {
        return not_found(&state);
    };
    match state
        .store
        .add_note(&scope, number, &form.body, Utc::now())
        .await
    {
        Ok(()) => {
            Redirect::to(&format!("/rejestr/{slug}/sprawy/{year}/{seq}#notatki")).into_response()
        }
        Err(StoreError::InvalidInput(_)) => {
            let message = format!("Notatka musi mieć od 1 do {NOTE_MAX_CHARS} znaków.");
            render_case(
                &state,
                &session,
                &scope,
                number,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(message),
            )
            .await
        }
        Err(StoreError::NotFound) => not_found(&state),
        Err(error) => store_failure(&state, &error),
    }
}

pub(crate) fn obligation_json(o: &ObligationView, now: chrono::DateTime<Utc>) -> Value {
    let open = o.is_open();
    json!({
        "kind": o.kind.as_str(),
        "label": o.kind.label_pl(),
        "state": match o.state.as_str() {
            "pending" => "do wykonania",
            "drafted" => "przygotowane",
            "sent" => "wysłane",
            "done" => "wykonane",
            "not_required" => "niewymagane",
            _ => "?",
        },
        "open": open,
        "deadline": warsaw(o.deadline),
        "deadline_iso": iso(o.deadline),
        "time_left": open.then(|| rejestr_scheduler::time_left_pl(now, o.deadline)),
        "overdue": open && o.deadline < now,
        "sent_at": o.sent_at.map(warsaw),
        "channel": o.channel,
        "reference": o.reference,
        "delay_reasons": o.delay_reasons,
        "not_required_reason": o.not_required_reason,
        "case_number": o.case_number.to_string(),
        "case_url": format!("/rejestr/{}/sprawy/{}/{}", o.organisation_slug, o.case_number.year, o.case_number.seq),
        "organisation": o.organisation_name,
    })
}

#[derive(Debug, Deserialize)]
pub(crate) struct FulfilForm {
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    delay_reasons: String,
    #[serde(default)]
    reason: String,
}

pub(crate) async fn fulfil_obligation(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path((slug, year, seq, kind)): Path<(String, i32, u32, String)>,
    Form(form): Form<FulfilForm>,
) -> Response {
    let scope = match reading_scope(&state, &session, &slug).await {
        Ok(scope) => scope,
        Err(response) => return response,
    };
    let (Ok(number), Some(kind)) = (
        CaseNumber::new(seq, year),
        rejestr_scheduler::ObligationKind::parse(&kind),
    ) else {
        return not_found(&state);
    };
    let optional = |text: &str| Some(text.trim().to_owned()).filter(|t| !t.is_empty());
    let fulfilment = if form.outcome == "niewymagane" {
        Fulfilment::NotRequired {
            reason: form.reason.clone(),
        }
    } else {
        Fulfilment::Sent {
            channel: form.channel.clone(),
            reference: optional(&form.reference),
            delay_reasons: optional(&form.delay_reasons),
        }
    };
    match state
        .store
        .fulfil_obligation(&scope, number, kind, &fulfilment, Utc::now())
        .await
    {
        Ok(()) => {
            Redirect::to(&format!("/rejestr/{slug}/sprawy/{year}/{seq}#obowiazki")).into_response()
        }
        Err(StoreError::InvalidInput(message)) => {
            let message = if message.contains("delay") {
                "Termin minął: art. 33 ust. 1 RODO wymaga dołączenia wyjaśnienia przyczyn opóźnienia. Wpisz je.".to_owned()
            } else if message.contains("closed") {
                "Ten obowiązek jest już zamknięty.".to_owned()
            } else {
                "Podaj sposób wysyłki albo uzasadnienie, dlaczego obowiązek nie dotyczy tej sprawy."
                    .to_owned()
            };
            render_case(
                &state,
                &session,
                &scope,
                number,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(message),
            )
            .await
        }
        Err(StoreError::NotFound) => not_found(&state),
        Err(error) => store_failure(&state, &error),
    }
}

/// The deadline dashboard: every open obligation across the user's organisations.
pub(crate) async fn deadlines(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
) -> Response {
    let now = Utc::now();
    let list = match state.store.open_obligations(&session).await {
        Ok(list) => list,
        Err(error) => return store_failure(&state, &error),
    };
    let rows: Vec<Value> = list.iter().map(|o| obligation_json(o, now)).collect();
    render(
        &state,
        StatusCode::OK,
        "pages/deadlines",
        &json!({"title": "Terminy", "user": user_view(&session), "rows": rows, "now": warsaw(now)}),
    )
}

fn human_size(bytes: i64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    } else if bytes >= 1024 {
        format!("{:.0} kB", bytes as f64 / 1024.0)
    } else {
        format!("{bytes} B")
    }
}
