//! Pages and downloads of what leaves the register: sharing a case with a CSIRT or ISAC-JST
//! (indicators, TLP, released fields, audited), the register as CSV or JSON, and statistics.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use chrono::{Datelike, Utc};
use rejestr_domain::case::CaseNumber;
use rejestr_domain::role::Permission;
use rejestr_export::{Indicator, IndicatorKind, Released, Tlp};
use rejestr_store::{CaseFilter, OrgScope, Pushed, Session, ShareRecord, StoreError};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::SignedIn;
use crate::documents::typeset;
use crate::documents::{failure, not_found};
use crate::pages::{file_response, render};
use crate::register::{InboxQuery, case_filter, reading_scope};
use crate::sharing::{
    register_csv, register_json, register_report, share_case, share_file, stat_case,
};
use crate::time::warsaw;

fn download(content_type: &str, filename: &str, body: impl IntoResponse) -> Response {
    file_response(content_type, "attachment", filename, body)
}

fn bad_request(message: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        axum::Json(json!({"error": "invalid_filter", "message": message})),
    )
        .into_response()
}

/// The register as CSV or JSON, with the inbox's filters (`stan=wszystkie` for every case).
pub(crate) async fn register_export(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path((slug, file)): Path<(String, String)>,
    query: Result<Query<InboxQuery>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let scope = match reading_scope(&state, &session, &slug).await {
        Ok(scope) => scope,
        Err(response) => return response,
    };
    let Ok(Query(query)) = query else {
        return bad_request("Nieprawidłowe parametry filtru.");
    };
    let (filter, problems) = case_filter(&query);
    if !problems.is_empty() {
        return bad_request(&problems.join(" "));
    }
    let records = match state.store.register_records(&scope, &filter).await {
        Ok(records) => records,
        Err(error) => return failure(&state, &error),
    };
    let org = scope.organisation();
    let stem = format!(
        "rejestr-{}-{}",
        org.slug.as_str(),
        Utc::now().format("%Y%m%d")
    );
    match file.as_str() {
        "rejestr.csv" => download(
            "text/csv; charset=utf-8",
            &format!("{stem}.csv"),
            register_csv(&records),
        ),
        "rejestr.json" => download(
            "application/json",
            &format!("{stem}.json"),
            axum::Json(register_json(org, &records)),
        ),
        _ => not_found(&state),
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct StatsQuery {
    rok: Option<String>,
}

/// The period asked for: a calendar year (default: this year in Warsaw).
fn stats_period(query: &StatsQuery) -> Result<(i32, rejestr_stats::Period), &'static str> {
    let year = match query
        .rok
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => Utc::now().with_timezone(&chrono_tz::Europe::Warsaw).year(),
        Some(text) => text
            .parse::<i32>()
            .ok()
            .filter(|y| (2018..=2100).contains(y))
            .ok_or("Podaj rok jako liczbę, np. 2026.")?,
    };
    let period = rejestr_stats::Period::year(year).ok_or("Nieprawidłowy rok.")?;
    Ok((year, period))
}

async fn statistics_of(
    state: &AppState,
    scope: &OrgScope,
    period: &rejestr_stats::Period,
) -> Result<rejestr_stats::Statistics, StoreError> {
    let filter = CaseFilter {
        include_closed: true,
        ..CaseFilter::default()
    };
    let records = state.store.register_records(scope, &filter).await?;
    let cases: Vec<rejestr_stats::StatCase> = records
        .iter()
        .map(|r| stat_case(scope.organisation(), r))
        .collect();
    Ok(rejestr_stats::compute(&cases, period, Utc::now()))
}

pub(crate) async fn statistics(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path(slug): Path<String>,
    Query(query): Query<StatsQuery>,
) -> Response {
    let scope = match reading_scope(&state, &session, &slug).await {
        Ok(scope) => scope,
        Err(response) => return response,
    };
    render_statistics(&state, &session, &scope, &query, None).await
}

/// The statistics page of a year; `report` is a problem with the period asked for the PDF
/// register report (shown at its form, with 400).
async fn render_statistics(
    state: &AppState,
    session: &Session,
    scope: &OrgScope,
    query: &StatsQuery,
    report: Option<(&ReportQuery, &str)>,
) -> Response {
    let this_year = Utc::now().with_timezone(&chrono_tz::Europe::Warsaw).year();
    let ((year, period), error) = match stats_period(query) {
        Ok(found) => (found, None),
        Err(message) => match rejestr_stats::Period::year(this_year) {
            Some(period) => ((this_year, period), Some(message)),
            None => return StatusCode::BAD_REQUEST.into_response(),
        },
    };
    let stats = match statistics_of(state, scope, &period).await {
        Ok(stats) => stats,
        Err(error) => return failure(state, &error),
    };
    let org = scope.organisation();
    let charts: Vec<Value> = rejestr_stats::charts(&stats)
        .into_iter()
        .map(|c| json!({"id": c.id, "title": c.title, "svg": c.svg}))
        .collect();
    let share = stats
        .puodo
        .in_time_share()
        .map(|s| format!("{:.0}%", s * 100.0));
    let timing = |t: &rejestr_stats::Timing| {
        json!({
            "samples": t.samples,
            "median": t.median.map(rejestr_stats::polish::duration),
            "p90": t.p90.map(rejestr_stats::polish::duration),
        })
    };
    let (report_form, report_error) = match report {
        Some((form, message)) => (
            json!({"od": form.od, "do": form.r#do}),
            Some(message.to_owned()),
        ),
        None => (
            json!({"od": format!("{year}-01-01"), "do": format!("{year}-12-31")}),
            None,
        ),
    };
    let data = json!({
        "title": format!("Statystyki {year} — {}", org.name),
        "org": {"name": org.name, "slug": org.slug.as_str()},
        "user": {"name": session.user.display_name, "email": session.user.email},
        "year": year,
        "years": ((this_year - 4)..=this_year).rev().map(|y| json!({"year": y, "selected": y == year})).collect::<Vec<_>>(),
        "error": error,
        "report_form": report_form,
        "report_error": report_error,
        "summary": rejestr_stats::yearly_summary(&stats),
        "total": stats.total,
        "puodo": {
            "required": stats.puodo.required, "filed": stats.puodo.filed,
            "in_time": stats.puodo.in_time, "late": stats.puodo.late,
            "pending": stats.puodo.pending, "overdue": stats.puodo.overdue,
            "share": share,
        },
        "to_assessment": timing(&stats.time_to_assessment),
        "to_puodo": timing(&stats.time_to_puodo),
        "charts": charts,
        "wide": true,
    });
    let status = if error.is_some() || report_error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    render(state, status, "pages/statistics", &data)
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ReportQuery {
    #[serde(default)]
    od: String,
    #[serde(default)]
    r#do: String,
}

/// The period of the register report: two dates, in order, at most ten years apart.
fn report_period(query: &ReportQuery) -> Result<rejestr_stats::Period, &'static str> {
    let date = |text: &str| chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
    let (Some(from), Some(to)) = (date(&query.od), date(&query.r#do)) else {
        return Err("Podaj obie daty okresu raportu w postaci RRRR-MM-DD, np. 2026-01-01.");
    };
    if from > to {
        return Err("Początek okresu raportu jest późniejszy niż jego koniec.");
    }
    if (to - from).num_days() > 3660 {
        return Err("Raport obejmuje najwyżej 10 lat.");
    }
    Ok(rejestr_stats::Period::new(from, to))
}

/// The register report for a period as PDF (art. 33(5) documentation for an auditor or a
/// PUODO inspection). A bad period brings back the statistics page with the message.
pub(crate) async fn register_report_pdf(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path(slug): Path<String>,
    Query(query): Query<ReportQuery>,
) -> Response {
    let scope = match reading_scope(&state, &session, &slug).await {
        Ok(scope) => scope,
        Err(response) => return response,
    };
    let period = match report_period(&query) {
        Ok(period) => period,
        Err(message) => {
            return render_statistics(
                &state,
                &session,
                &scope,
                &StatsQuery::default(),
                Some((&query, message)),
            )
            .await;
        }
    };
    let filter = CaseFilter {
        include_closed: true,
        ..CaseFilter::default()
    };
    let records = match state.store.register_records(&scope, &filter).await {
        Ok(records) => records,
        Err(error) => return failure(&state, &error),
    };
    let org = scope.organisation();
    let by = format!("{} ({})", session.user.display_name, session.user.email);
    let report = register_report(org, &records, &period, &by, Utc::now());
    let filename = format!(
        "rejestr-{}-{}-{}.pdf",
        org.slug.as_str(),
        period.from.format("%Y%m%d"),
        period.to.format("%Y%m%d")
    );
    typeset(&state, filename, move |drafting| {
        drafting.register_pdf(&report)
    })
    .await
}

pub(crate) async fn statistics_csv(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path(slug): Path<String>,
    Query(query): Query<StatsQuery>,
) -> Response {
    let scope = match reading_scope(&state, &session, &slug).await {
        Ok(scope) => scope,
        Err(response) => return response,
    };
    let (year, period) = match stats_period(&query) {
        Ok(found) => found,
        Err(message) => return bad_request(message),
    };
    match statistics_of(&state, &scope, &period).await {
        Ok(stats) => download(
            "text/csv; charset=utf-8",
            &format!(
                "statystyki-{}-{year}.csv",
                scope.organisation().slug.as_str()
            ),
            format!("{}{}", rejestr_stats::BOM, rejestr_stats::to_csv(&stats)),
        ),
        Err(error) => failure(&state, &error),
    }
}

type CasePath = Path<(String, i32, u32)>;

async fn case_scope(
    state: &AppState,
    session: &Session,
    (slug, year, seq): (String, i32, u32),
) -> Result<(OrgScope, CaseNumber), Response> {
    let scope = reading_scope(state, session, &slug).await?;
    let number = CaseNumber::new(seq, year).map_err(|_| not_found(state))?;
    Ok((scope, number))
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct IndicatorForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    comment: String,
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct ShareForm {
    #[serde(default)]
    format: String,
    #[serde(default)]
    tlp: String,
    #[serde(default)]
    recipient: String,
    #[serde(default)]
    cause: String,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    release: Vec<String>,
}

/// What the share page shows besides the case: a form to correct, or a push's outcome.
#[derive(Default)]
struct Problem<'a> {
    indicator: Option<(&'a IndicatorForm, String)>,
    share: Option<(&'a ShareForm, String)>,
    pushed: Option<Result<String, String>>,
}

async fn render_share(
    state: &AppState,
    session: &Session,
    scope: &OrgScope,
    number: CaseNumber,
    status: StatusCode,
    problem: Problem<'_>,
) -> Response {
    let record = match state.store.register_record(scope, number).await {
        Ok(record) => record,
        Err(error) => return failure(state, &error),
    };
    let detail = match state.store.case_detail(scope, number).await {
        Ok(Some(detail)) => detail,
        Ok(None) => return not_found(state),
        Err(error) => return failure(state, &error),
    };
    let org = scope.organisation();
    let base = format!(
        "/rejestr/{}/sprawy/{}/{}",
        org.slug.as_str(),
        number.year,
        number.seq
    );
    let indicators: Vec<Value> = record
        .indicators
        .iter()
        .map(|i| {
            let kind = IndicatorKind::from_id(&i.kind);
            json!({
                "id": i.id,
                "kind": kind.map_or(i.kind.as_str(), |k| k.label_pl()),
                "value": kind
                    .and_then(|k| Indicator::new(k, &i.value).ok())
                    .map_or_else(|| i.value.clone(), |ind| ind.defanged()),
                "comment": i.comment,
                "by": i.created_by,
                "at": warsaw(i.created_at),
            })
        })
        .collect();
    let shares: Vec<Value> = detail
        .timeline
        .iter()
        .filter(|e| e.action == "case.shared" || e.action == "case.share_failed")
        .map(|e| {
            json!({
                "at": warsaw(e.at), "actor": e.actor,
                "format": e.data["format"], "tlp": e.data["tlp"],
                "recipient": e.data["recipient"], "released": e.data["released"],
                "sha256": e.data["sha256"],
                "destination": e.data["destination"],
                "misp_event_id": e.data["misp_event_id"],
                "updated": e.data["outcome"] == "updated",
                "failed": e.action == "case.share_failed",
                "error": e.data["error"],
            })
        })
        .collect();
    // Only those who may share see the instance (and only its address).
    let misp_url = if scope.can(Permission::ChangeCases) {
        match state.store.misp_instance(scope).await {
            Ok(instance) => instance.map(|i| i.url),
            Err(error) => return failure(state, &error),
        }
    } else {
        None
    };
    let (pushed, push_error) = match problem.pushed {
        Some(Ok(message)) => (Some(message), None),
        Some(Err(message)) => (None, Some(message)),
        None => (None, None),
    };
    let (indicator_form, indicator_error) = match problem.indicator {
        Some((form, message)) => (
            json!({"kind": form.kind, "value": form.value, "comment": form.comment}),
            Some(message),
        ),
        None => (json!({}), None),
    };
    let (share_form, share_error) = match problem.share {
        Some((form, message)) => (
            json!({"tlp": form.tlp, "recipient": form.recipient, "notes": form.notes, "cause": form.cause}),
            Some(message),
        ),
        None => (json!({"tlp": "amber"}), None),
    };
    let chosen_tlp = share_form["tlp"].as_str().unwrap_or("amber").to_owned();
    let chosen_kind = indicator_form["kind"].as_str().unwrap_or("").to_owned();
    let chosen_cause = share_form["cause"].as_str().unwrap_or("").to_owned();
    let data = json!({
        "title": format!("Udostępnianie — sprawa {number}"),
        "org": {"name": org.name, "slug": org.slug.as_str()},
        "user": {"name": session.user.display_name, "email": session.user.email},
        "base": base,
        "number": number.to_string(),
        "indicators": indicators,
        "kinds": IndicatorKind::ALL.iter().map(|k| json!({"id": k.id(), "label": k.label_pl(), "selected": k.id() == chosen_kind})).collect::<Vec<_>>(),
        "tlps": Tlp::ALL.iter().map(|t| json!({"id": t.id(), "label": t.label_pl(), "selected": t.id() == chosen_tlp})).collect::<Vec<_>>(),
        "causes": rejestr_export::CAUSES.iter().map(|c| json!({"id": c.id, "label": c.label_pl, "selected": c.id == chosen_cause})).collect::<Vec<_>>(),
        "indicator_form": indicator_form,
        "indicator_error": indicator_error,
        "share_form": share_form,
        "share_error": share_error,
        "shares": shares,
        "misp_url": misp_url,
        "pushed": pushed,
        "push_error": push_error,
        "can_manage": scope.can(Permission::ManageOrganisation),
        "assessed": record.decision.is_some(),
        "can_change": scope.can(Permission::ChangeCases),
    });
    render(state, status, "pages/share", &data)
}

pub(crate) async fn share_page(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path(path): CasePath,
) -> Response {
    let (scope, number) = match case_scope(&state, &session, path).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    render_share(
        &state,
        &session,
        &scope,
        number,
        StatusCode::OK,
        Problem::default(),
    )
    .await
}

pub(crate) async fn add_indicator(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path(path): CasePath,
    Form(form): Form<IndicatorForm>,
) -> Response {
    let (scope, number) = match case_scope(&state, &session, path.clone()).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let parsed = match IndicatorKind::from_id(&form.kind) {
        None => Err("Wybierz rodzaj wskaźnika.".to_owned()),
        Some(kind) => Indicator::new(kind, &form.value).map_err(|e| e.message_pl()),
    };
    let comment = Some(form.comment.trim())
        .filter(|c| !c.is_empty())
        .map(|c| c.chars().take(500).collect::<String>());
    let result = match &parsed {
        Ok(indicator) => state
            .store
            .add_indicator(
                &scope,
                number,
                (indicator.kind().id(), indicator.value(), comment.as_deref()),
                Utc::now(),
            )
            .await
            .map_err(|error| match error {
                StoreError::InvalidInput(_) => {
                    Ok("Ten wskaźnik jest już zapisany w sprawie.".to_owned())
                }
                other => Err(other),
            }),
        Err(message) => Err(Ok(message.clone())),
    };
    match result {
        Ok(()) => Redirect::to(&format!(
            "/rejestr/{}/sprawy/{}/{}/udostepnianie#wskazniki",
            path.0, path.1, path.2
        ))
        .into_response(),
        Err(Ok(message)) => {
            render_share(
                &state,
                &session,
                &scope,
                number,
                StatusCode::UNPROCESSABLE_ENTITY,
                Problem {
                    indicator: Some((&form, message)),
                    ..Problem::default()
                },
            )
            .await
        }
        Err(Err(error)) => failure(&state, &error),
    }
}

pub(crate) async fn remove_indicator(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path((slug, year, seq, id)): Path<(String, i32, u32, i64)>,
) -> Response {
    let (scope, number) = match case_scope(&state, &session, (slug.clone(), year, seq)).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    match state
        .store
        .remove_indicator(&scope, number, id, Utc::now())
        .await
    {
        Ok(()) => Redirect::to(&format!(
            "/rejestr/{slug}/sprawy/{year}/{seq}/udostepnianie#wskazniki"
        ))
        .into_response(),
        Err(error) => failure(&state, &error),
    }
}

/// Checks the share form and builds the file with its audit record, or answers with the
/// share page showing what to correct.
async fn prepare_share(
    state: &AppState,
    session: &Session,
    scope: &OrgScope,
    number: CaseNumber,
    form: &ShareForm,
    format: &str,
) -> Result<(String, ShareRecord), Response> {
    if !scope.can(Permission::ChangeCases) {
        return Err(failure(state, &StoreError::Forbidden));
    }
    let checked = (|| {
        let tlp: Tlp = form
            .tlp
            .parse()
            .map_err(|_| "Wybierz oznaczenie TLP.".to_owned())?;
        if !matches!(format, "stix" | "misp") {
            return Err("Wybierz format: STIX 2.1 albo MISP.".to_owned());
        }
        let recipient = form.recipient.trim();
        if recipient.is_empty() {
            return Err(
                "Podaj, komu przekazujesz dane (np. CSIRT NASK, ISAC-JST) — to trafia do dziennika zdarzeń."
                    .to_owned(),
            );
        }
        Ok((tlp, recipient.chars().take(200).collect::<String>()))
    })();
    let (tlp, recipient) = match checked {
        Ok(found) => found,
        Err(message) => {
            return Err(render_share(
                state,
                session,
                scope,
                number,
                StatusCode::UNPROCESSABLE_ENTITY,
                Problem {
                    share: Some((form, message)),
                    ..Problem::default()
                },
            )
            .await);
        }
    };
    let record = state
        .store
        .register_record(scope, number)
        .await
        .map_err(|error| failure(state, &error))?;
    let released = Released {
        description: form.release.iter().any(|r| r == "description"),
        measures: form.release.iter().any(|r| r == "measures"),
        organisation: form.release.iter().any(|r| r == "organisation"),
        notes: Some(form.notes.trim())
            .filter(|n| !n.is_empty())
            .map(str::to_owned),
    };
    let mut released_fields: Vec<String> = form.release.clone();
    if released.notes.is_some() {
        released_fields.push("notes".to_owned());
    }
    let cause = Some(form.cause.trim())
        .filter(|c| !c.is_empty())
        .map(str::to_owned);
    let case = share_case(scope.organisation(), &record, released, cause);
    share_file(format, &[case], tlp, &recipient, released_fields).ok_or_else(|| not_found(state))
}

/// Produces the export the IOD asked for, records it in the audit trail and downloads it.
pub(crate) async fn export(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path(path): CasePath,
    Form(form): Form<ShareForm>,
) -> Response {
    let (scope, number) = match case_scope(&state, &session, path).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (body, share) =
        match prepare_share(&state, &session, &scope, number, &form, &form.format).await {
            Ok(found) => found,
            Err(response) => return response,
        };
    if let Err(error) = state
        .store
        .record_share(&scope, number, &share, Utc::now())
        .await
    {
        return failure(&state, &error);
    }
    download(
        "application/json",
        &format!(
            "sprawa-{}-{}-{}.json",
            number.seq, number.year, share.format
        ),
        body,
    )
}

/// Pushes the case's MISP event to the organisation's MISP instance and records the outcome on
/// the case: `case.shared` with the instance's event id, or `case.share_failed` with its answer.
pub(crate) async fn push_to_misp(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path(path): CasePath,
    Form(form): Form<ShareForm>,
) -> Response {
    let (scope, number) = match case_scope(&state, &session, path).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    let (body, mut share) =
        match prepare_share(&state, &session, &scope, number, &form, "misp").await {
            Ok(found) => found,
            Err(response) => return response,
        };
    let instance = match state.store.misp_instance(&scope).await {
        Ok(Some(instance)) => instance,
        Ok(None) => {
            return render_share(
                &state,
                &session,
                &scope,
                number,
                StatusCode::UNPROCESSABLE_ENTITY,
                Problem {
                    share: Some((
                        &form,
                        "Jednostka nie ma skonfigurowanej instancji MISP — ustaw adres i klucz API w ustawieniach."
                            .to_owned(),
                    )),
                    ..Problem::default()
                },
            )
            .await;
        }
        Err(error) => return failure(&state, &error),
    };
    let event: Value = match serde_json::from_str(&body) {
        Ok(event) => event,
        Err(_) => return not_found(&state),
    };
    let outcome = state.misp.push(&instance, &event).await;
    let now = Utc::now();
    let (recorded, pushed) = match outcome {
        Ok(outcome) => {
            share.pushed = Some(Pushed {
                url: instance.url.clone(),
                event_id: outcome.event_id.clone(),
                outcome: if outcome.updated {
                    "updated"
                } else {
                    "created"
                }
                .to_owned(),
            });
            let message = if outcome.updated {
                format!(
                    "Zaktualizowano zdarzenie {} w instancji MISP {}.",
                    outcome.event_id, instance.url
                )
            } else {
                format!(
                    "Utworzono zdarzenie {} w instancji MISP {} (nieopublikowane — opublikuj je w MISP, gdy będzie kompletne).",
                    outcome.event_id, instance.url
                )
            };
            (
                state.store.record_share(&scope, number, &share, now).await,
                Ok(message),
            )
        }
        Err(error) => {
            tracing::warn!(%error, url = %instance.url, "MISP push refused");
            (
                state
                    .store
                    .record_share_failure(
                        &scope,
                        number,
                        &share,
                        &instance.url,
                        &error.to_string(),
                        now,
                    )
                    .await,
                Err(error.message_pl()),
            )
        }
    };
    if let Err(error) = recorded {
        return failure(&state, &error);
    }
    render_share(
        &state,
        &session,
        &scope,
        number,
        StatusCode::OK,
        Problem {
            pushed: Some(pushed),
            share: None,
            indicator: None,
        },
    )
    .await
}
