//! The documents of a case: drafting (a form beside a live preview and the list of what is
//! missing), versions, the text, PDF and print renderings, and marking a version sent.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use chrono_tz::Europe::Warsaw;
use rejestr_domain::case::CaseNumber;
use rejestr_domain::role::Permission;
use rejestr_drafting::{
    CaseContext, Cause, Communication, Consequence, Controller, CsirtPhase, Decision, DocumentKind,
    DraftFields, Format, Locale, Processor, PuodoPhase, SubjectCategory, WhatHappened, blocks,
    build,
};
use rejestr_scheduler::ObligationKind;
use rejestr_store::{Dispatch, DocumentRecord, NewDraft, OrgScope, Session, StoreError};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::SignedIn;
use crate::error::{error_page, storage_unavailable_page};
use crate::pages::{file_response, render};
use crate::register::reading_scope;
use crate::time::warsaw;

/// The obligation a document serves.
pub(crate) fn serves(kind: DocumentKind) -> ObligationKind {
    match kind {
        DocumentKind::Puodo(_) => ObligationKind::NotifySa,
        DocumentKind::SubjectLetter => ObligationKind::NotifySubjects,
        DocumentKind::PublicNotice => ObligationKind::PublicCommunication,
        DocumentKind::Csirt(CsirtPhase::EarlyWarning) => ObligationKind::CsirtEarlyWarning,
        DocumentKind::Csirt(CsirtPhase::Notification) => ObligationKind::CsirtNotification,
        DocumentKind::Csirt(CsirtPhase::FinalReport) => ObligationKind::CsirtFinalReport,
    }
}

pub(crate) fn failure(state: &AppState, error: &StoreError) -> Response {
    match error {
        StoreError::Forbidden => error_page(
            &state.templates,
            StatusCode::FORBIDDEN,
            "Brak uprawnień",
            "Twoja rola w tej jednostce nie pozwala przygotowywać dokumentów.",
        ),
        StoreError::NotFound => not_found(state),
        other => storage_unavailable_page(&state.templates, other),
    }
}

pub(crate) fn not_found(state: &AppState) -> Response {
    error_page(
        &state.templates,
        StatusCode::NOT_FOUND,
        "Nie znaleziono",
        "Nie ma takiej sprawy, dokumentu lub wersji albo nie masz do nich dostępu.",
    )
}

/// What the register knows about the case, for the drafting code.
async fn case_context(
    state: &AppState,
    scope: &OrgScope,
    number: CaseNumber,
    now: DateTime<Utc>,
) -> Result<CaseContext, StoreError> {
    let detail = state
        .store
        .case_detail(scope, number)
        .await?
        .ok_or(StoreError::NotFound)?;
    let recorded = state.store.latest_assessment(scope, number).await?;
    let obligations = state.store.obligations_of_case(scope, number).await?;
    let decision = recorded.and_then(|r| {
        let facts = rejestr_risk::parse_facts(&r.facts).ok()?;
        let assessment = serde_json::from_str(&r.assessment).ok()?;
        Some(Decision {
            facts,
            assessment,
            risk: r.decision.risk.clone(),
            notify_sa: r.decision.notify_sa,
            notify_subjects: r.decision.notify_subjects,
            justification: r.justification.clone(),
        })
    });
    let org = scope.organisation();
    let occurred_at = detail.occurred.bounds().0;
    Ok(CaseContext {
        controller: Controller {
            name: org.name.clone(),
            regon: org.regon.clone(),
            address: org.address.clone(),
            iod_name: org.iod_name.clone(),
            iod_email: org.iod_email.clone(),
            iod_phone: org.iod_phone.clone(),
            ksc_status: org.ksc_status.as_str().to_owned(),
            csirt: org.csirt.map(|c| c.as_str().to_owned()),
        },
        number: detail.row.number.to_string(),
        description: detail.description.clone(),
        occurred_at,
        discovered_at: detail.discovered_at,
        aware_at: Some(detail.row.aware_at),
        processor: detail.processor_name.clone().map(|name| Processor {
            name,
            contract: detail.processor_contract.clone(),
            notified_at: detail.processor_aware_at,
        }),
        subjects_estimate: detail.subjects_estimate.and_then(|n| u64::try_from(n).ok()),
        decision,
        sa_deadline: obligations
            .iter()
            .find(|o| o.kind == ObligationKind::NotifySa)
            .map(|o| o.deadline),
        now,
    })
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct DocumentQuery {
    wersja: Option<i32>,
    jezyk: Option<String>,
}

/// The form of the draft. Every field arrives as text; checkboxes repeat their name.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct DraftForm {
    #[serde(default)]
    jezyk: String,
    #[serde(default)]
    supplement_expected_on: String,
    #[serde(default)]
    previous_notification_on: String,
    #[serde(default)]
    uodo_reference: String,
    #[serde(default)]
    other_authority: String,
    #[serde(default)]
    representatives: String,
    #[serde(default)]
    discovery_method: String,
    #[serde(default)]
    delay_reasons: String,
    #[serde(default)]
    ended_at: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    what_happened: Vec<String>,
    #[serde(default)]
    malware_confidentiality: String,
    #[serde(default)]
    malware_ransom: String,
    #[serde(default)]
    malware_backup: String,
    #[serde(default)]
    cause: String,
    #[serde(default)]
    children: String,
    #[serde(default)]
    records_count: String,
    #[serde(default)]
    other_data: String,
    #[serde(default)]
    subject_categories: Vec<String>,
    #[serde(default)]
    subjects_description: String,
    #[serde(default)]
    consequences: Vec<String>,
    #[serde(default)]
    consequences_other: String,
    #[serde(default)]
    high_risk_justification: String,
    #[serde(default)]
    measures_before: String,
    #[serde(default)]
    measures_recurrence: String,
    #[serde(default)]
    measures_mitigation: String,
    #[serde(default)]
    communication: String,
    #[serde(default)]
    communication_individual: String,
    #[serde(default)]
    communication_on: String,
    #[serde(default)]
    communication_count: String,
    #[serde(default)]
    communication_channels: String,
    #[serde(default)]
    cross_border: String,
    #[serde(default)]
    countries: String,
    #[serde(default)]
    plain_description: String,
    #[serde(default)]
    extra_advice: String,
    #[serde(default)]
    public_task_affected: String,
    #[serde(default)]
    geographic_scope: String,
    #[serde(default)]
    systems_effects: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    other_information: String,
}

fn opt(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

fn yes_no(text: &str) -> Option<bool> {
    match text {
        "tak" => Some(true),
        "nie" => Some(false),
        _ => None,
    }
}

/// Reads the form. An unreadable date or number is left empty and named in the errors (in
/// Polish), so that the form can be shown again with everything else as it was typed.
fn parse_form(form: &DraftForm) -> (DraftFields, Vec<(&'static str, &'static str)>) {
    let mut errors = Vec::new();
    let mut day = |field: &'static str, raw: &str| -> Option<NaiveDate> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .map_err(|_| errors.push((field, "Podaj datę w formacie RRRR-MM-DD.")))
            .ok()
    };
    let supplement_expected_on = day("supplement_expected_on", &form.supplement_expected_on);
    let previous_notification_on = day("previous_notification_on", &form.previous_notification_on);
    let communication_on = day("communication_on", &form.communication_on);
    let count = |raw: &str| -> Result<Option<u64>, ()> {
        let raw: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if raw.is_empty() {
            return Ok(None);
        }
        raw.parse::<u64>().map(Some).map_err(|_| ())
    };
    let records_count = count(&form.records_count).unwrap_or_else(|()| {
        errors.push(("records_count", "Podaj liczbę całkowitą (np. 1500)."));
        None
    });
    let communication_count = count(&form.communication_count).unwrap_or_else(|()| {
        errors.push(("communication_count", "Podaj liczbę całkowitą."));
        None
    });
    let ended_at = match form.ended_at.trim() {
        "" => None,
        raw => match NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
            .ok()
            .and_then(|local| local.and_local_timezone(Warsaw).earliest())
        {
            Some(at) => Some(at.with_timezone(&Utc)),
            None => {
                errors.push(("ended_at", "Podaj datę i godzinę (czas polski)."));
                None
            }
        },
    };
    let fields = DraftFields {
        supplement_expected_on,
        previous_notification_on,
        uodo_reference: opt(&form.uodo_reference),
        other_authority: opt(&form.other_authority),
        representatives: opt(&form.representatives),
        discovery_method: opt(&form.discovery_method),
        delay_reasons: opt(&form.delay_reasons),
        ended_at,
        description: opt(&form.description),
        what_happened: form
            .what_happened
            .iter()
            .filter_map(|id| WhatHappened::from_id(id))
            .collect(),
        malware_confidentiality: opt(&form.malware_confidentiality),
        malware_ransom: opt(&form.malware_ransom),
        malware_backup: opt(&form.malware_backup),
        cause: Cause::from_id(&form.cause),
        children: yes_no(&form.children),
        records_count,
        other_data: opt(&form.other_data),
        subject_categories: form
            .subject_categories
            .iter()
            .filter_map(|id| SubjectCategory::from_id(id))
            .collect(),
        subjects_description: opt(&form.subjects_description),
        consequences: form
            .consequences
            .iter()
            .filter_map(|id| Consequence::from_id(id))
            .collect(),
        consequences_other: opt(&form.consequences_other),
        high_risk_justification: opt(&form.high_risk_justification),
        measures_before: opt(&form.measures_before),
        measures_recurrence: opt(&form.measures_recurrence),
        measures_mitigation: opt(&form.measures_mitigation),
        communication: Communication::from_id(&form.communication),
        communication_individual: yes_no(&form.communication_individual),
        communication_on,
        communication_count,
        communication_channels: opt(&form.communication_channels),
        cross_border: yes_no(&form.cross_border),
        countries: opt(&form.countries),
        plain_description: opt(&form.plain_description),
        extra_advice: opt(&form.extra_advice),
        public_task_affected: opt(&form.public_task_affected),
        geographic_scope: opt(&form.geographic_scope),
        systems_effects: opt(&form.systems_effects),
        source: opt(&form.source),
        other_information: opt(&form.other_information),
    };
    (fields, errors)
}

/// The form's values for the page: text fields as they are, choices as sets of ticked ids.
fn form_values(f: &DraftFields) -> Value {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let day = |v: Option<NaiveDate>| {
        v.map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    let tri = |v: Option<bool>| match v {
        Some(true) => "tak",
        Some(false) => "nie",
        None => "",
    };
    let texts = json!({
        "supplement_expected_on": day(f.supplement_expected_on),
        "previous_notification_on": day(f.previous_notification_on),
        "uodo_reference": text(&f.uodo_reference),
        "other_authority": text(&f.other_authority),
        "representatives": text(&f.representatives),
        "discovery_method": text(&f.discovery_method),
        "delay_reasons": text(&f.delay_reasons),
        "ended_at": f.ended_at.map(|t| t.with_timezone(&Warsaw).format("%Y-%m-%dT%H:%M").to_string()).unwrap_or_default(),
        "description": text(&f.description),
        "malware_confidentiality": text(&f.malware_confidentiality),
        "malware_ransom": text(&f.malware_ransom),
        "malware_backup": text(&f.malware_backup),
        "records_count": f.records_count.map(|n| n.to_string()).unwrap_or_default(),
        "other_data": text(&f.other_data),
        "subjects_description": text(&f.subjects_description),
        "consequences_other": text(&f.consequences_other),
        "high_risk_justification": text(&f.high_risk_justification),
        "measures_before": text(&f.measures_before),
        "measures_recurrence": text(&f.measures_recurrence),
        "measures_mitigation": text(&f.measures_mitigation),
        "communication_on": day(f.communication_on),
        "communication_count": f.communication_count.map(|n| n.to_string()).unwrap_or_default(),
        "communication_channels": text(&f.communication_channels),
        "countries": text(&f.countries),
        "plain_description": text(&f.plain_description),
        "extra_advice": text(&f.extra_advice),
        "public_task_affected": text(&f.public_task_affected),
        "geographic_scope": text(&f.geographic_scope),
        "systems_effects": text(&f.systems_effects),
        "source": text(&f.source),
        "other_information": text(&f.other_information),
    });
    let choices = json!({
        "children": tri(f.children),
        "communication_individual": tri(f.communication_individual),
        "cross_border": tri(f.cross_border),
        "what_happened": WhatHappened::ALL.iter().map(|w| json!({"id": w.id(), "label": w.label().pl, "checked": f.what_happened.contains(w)})).collect::<Vec<_>>(),
        "subject_categories": SubjectCategory::ALL.iter().map(|w| json!({"id": w.id(), "label": w.label().pl, "checked": f.subject_categories.contains(w)})).collect::<Vec<_>>(),
        "consequences": Consequence::ALL.iter().map(|w| json!({"id": w.id(), "label": w.label().pl, "checked": f.consequences.contains(w)})).collect::<Vec<_>>(),
        "causes": Cause::ALL.iter().map(|w| json!({"id": w.id(), "label": w.label().pl, "selected": f.cause == Some(*w)})).collect::<Vec<_>>(),
        "communications": Communication::ALL.iter().map(|w| json!({"id": w.id(), "label": w.label().pl, "selected": f.communication == Some(*w)})).collect::<Vec<_>>(),
    });
    if let (Value::Object(mut all), Value::Object(more)) = (texts, choices) {
        all.extend(more);
        Value::Object(all)
    } else {
        Value::Null
    }
}

/// Puts each text value beside its error, as the `pages/field` partial reads them.
fn with_errors(mut values: Value, errors: &serde_json::Map<String, Value>) -> Value {
    if let Value::Object(map) = &mut values {
        for (key, value) in map.iter_mut() {
            if value.is_string() {
                *value = json!({"value": value.take(), "error": errors.get(key)});
            }
        }
    }
    values
}

pub(crate) fn kind_and_number(
    slug: &str,
    year: i32,
    seq: u32,
) -> Option<(DocumentKind, CaseNumber)> {
    Some((
        DocumentKind::from_slug(slug)?,
        CaseNumber::new(seq, year).ok()?,
    ))
}

fn versions_of(records: &[DocumentRecord], kind: DocumentKind) -> Vec<&DocumentRecord> {
    records
        .iter()
        .filter(|r| r.kind == kind.id() && r.phase == kind.phase_id())
        .collect()
}

/// The fields to start from: the chosen version, else the newest version of any document of
/// the case (the documents share their facts), else nothing.
fn starting_fields(records: &[DocumentRecord], chosen: Option<&DocumentRecord>) -> DraftFields {
    chosen
        .or_else(|| records.first())
        .and_then(|r| serde_json::from_str(&r.fields).ok())
        .unwrap_or_default()
}

struct Page<'a> {
    scope: &'a OrgScope,
    session: &'a Session,
    number: CaseNumber,
    kind: DocumentKind,
    locale: Locale,
}

#[allow(clippy::too_many_arguments)]
async fn render_page(
    state: &AppState,
    page: Page<'_>,
    fields: &DraftFields,
    chosen: Option<&DocumentRecord>,
    records: &[DocumentRecord],
    status: StatusCode,
    errors: &[(&'static str, &'static str)],
    message: Option<String>,
) -> Response {
    let Page {
        scope,
        session,
        number,
        kind,
        locale,
    } = page;
    let now = Utc::now();
    let ctx = match case_context(state, scope, number, now).await {
        Ok(ctx) => ctx,
        Err(error) => return failure(state, &error),
    };
    let versions = versions_of(records, kind);
    let next_version = versions.first().map_or(1, |r| r.version + 1);
    let (version, draft) = match chosen {
        Some(r) => (u32::try_from(r.version).unwrap_or(0), r.sent.is_none()),
        None => (u32::try_from(next_version).unwrap_or(0), true),
    };
    let view = build(kind, &ctx, fields, None, locale, version, draft);
    let preview = match rendering(state, chosen, &view, Format::Html) {
        Ok(html) => html,
        Err(error) => return template_failure(state, &error),
    };
    let org = scope.organisation();
    let base = format!(
        "/rejestr/{}/sprawy/{}/{}",
        org.slug, number.year, number.seq
    );
    let doc_base = format!("{base}/dokumenty/{}", kind.slug());
    let documents: Vec<Value> = DocumentKind::all()
        .into_iter()
        .map(|k| {
            json!({
                "slug": k.slug(),
                "name": k.title().pl,
                "phase": k.phase_label().map(|p| p.pl),
                "current": k == kind,
                "versions": versions_of(records, k).len(),
                "sent": versions_of(records, k).iter().any(|r| r.sent.is_some()),
            })
        })
        .collect();
    let version_rows: Vec<Value> = versions
        .iter()
        .map(|r| {
            json!({
                "version": r.version,
                "locale": r.locale,
                "created_by": r.created_by,
                "created_at": warsaw(r.created_at),
                "chosen": chosen.is_some_and(|c| c.version == r.version),
                "sent": r.sent.as_ref().map(|s| json!({
                    "at": warsaw(s.at), "channel": s.channel, "reference": s.reference,
                    "sha256": s.sha256,
                    "supplements": s.supplements.as_ref().map(|(phase, v)| format!("{phase} v{v}")),
                })),
            })
        })
        .collect();
    let error_map: serde_json::Map<String, Value> = errors
        .iter()
        .map(|(field, message)| ((*field).to_owned(), json!(message)))
        .collect();
    let is_puodo = matches!(kind, DocumentKind::Puodo(_));
    let is_letter = matches!(
        kind,
        DocumentKind::SubjectLetter | DocumentKind::PublicNotice
    );
    let is_csirt = matches!(kind, DocumentKind::Csirt(_));
    let data = json!({
        "title": format!("{} — sprawa {}", kind.title().pl, number),
        "org": {"name": org.name, "slug": org.slug.as_str()},
        "user": {"name": session.user.display_name, "email": session.user.email},
        "base": base,
        "doc_base": doc_base,
        "number": number.to_string(),
        "doc_title": kind.title().pl,
        "phase": kind.phase_label().map(|p| p.pl),
        "documents": documents,
        "versions": version_rows,
        "chosen": chosen.map(|r| json!({"version": r.version, "sent": r.sent.is_some()})),
        "locale": locale.id(),
        "english": locale == Locale::En,
        "preview": preview,
        "missing": view.missing,
        "complete": view.complete,
        "late": ctx.sa_deadline.is_some_and(|d| now > d),
        "form": with_errors(form_values(fields), &error_map),
        "errors": error_map,
        "has_errors": !errors.is_empty(),
        "message": message,
        "can_change": scope.can(Permission::ChangeCases),
        "is_puodo": is_puodo,
        "is_initial": kind == DocumentKind::Puodo(PuodoPhase::Initial),
        "is_supplementary": kind == DocumentKind::Puodo(PuodoPhase::Supplementary),
        "is_letter": is_letter,
        "is_subject_letter": kind == DocumentKind::SubjectLetter,
        "is_csirt": is_csirt,
        "wide": true,
    });
    render(state, status, "pages/document", &data)
}

pub(crate) async fn page(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path((slug, year, seq, doc)): Path<(String, i32, u32, String)>,
    Query(query): Query<DocumentQuery>,
) -> Response {
    let scope = match reading_scope(&state, &session, &slug).await {
        Ok(scope) => scope,
        Err(response) => return response,
    };
    let Some((kind, number)) = kind_and_number(&doc, year, seq) else {
        return not_found(&state);
    };
    let records = match state.store.documents(&scope, number).await {
        Ok(records) => records,
        Err(error) => return failure(&state, &error),
    };
    let chosen = match query.wersja {
        Some(v) => match versions_of(&records, kind)
            .into_iter()
            .find(|r| r.version == v)
        {
            Some(r) => Some(r.clone()),
            None => return not_found(&state),
        },
        None => versions_of(&records, kind).first().map(|r| (*r).clone()),
    };
    let locale = query
        .jezyk
        .as_deref()
        .and_then(Locale::from_id)
        .or_else(|| chosen.as_ref().and_then(|r| Locale::from_id(&r.locale)))
        .unwrap_or(Locale::Pl);
    let fields = starting_fields(&records, chosen.as_ref());
    render_page(
        &state,
        Page {
            scope: &scope,
            session: &session,
            number,
            kind,
            locale,
        },
        &fields,
        chosen.as_ref(),
        &records,
        StatusCode::OK,
        &[],
        None,
    )
    .await
}

pub(crate) async fn save(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path((slug, year, seq, doc)): Path<(String, i32, u32, String)>,
    Form(form): Form<DraftForm>,
) -> Response {
    let scope = match reading_scope(&state, &session, &slug).await {
        Ok(scope) => scope,
        Err(response) => return response,
    };
    let Some((kind, number)) = kind_and_number(&doc, year, seq) else {
        return not_found(&state);
    };
    let locale = Locale::from_id(&form.jezyk).unwrap_or(Locale::Pl);
    let (fields, errors) = parse_form(&form);
    if !errors.is_empty() {
        let records = match state.store.documents(&scope, number).await {
            Ok(records) => records,
            Err(error) => return failure(&state, &error),
        };
        return render_page(
            &state,
            Page {
                scope: &scope,
                session: &session,
                number,
                kind,
                locale,
            },
            &fields,
            None,
            &records,
            StatusCode::UNPROCESSABLE_ENTITY,
            &errors,
            None,
        )
        .await;
    }
    let draft = NewDraft {
        kind: kind.id().to_owned(),
        phase: kind.phase_id().to_owned(),
        locale: locale.id().to_owned(),
        fields: serde_json::to_string(&fields).unwrap_or_else(|_| "{}".to_owned()),
    };
    match state
        .store
        .save_draft(&scope, number, &draft, Some(serves(kind)), Utc::now())
        .await
    {
        Ok(version) => Redirect::to(&format!(
            "/rejestr/{slug}/sprawy/{year}/{seq}/dokumenty/{}?wersja={version}#podglad",
            kind.slug()
        ))
        .into_response(),
        Err(error) => failure(&state, &error),
    }
}

/// How a version reads: a sent version always shows its frozen text, a draft is rendered.
fn rendering(
    state: &AppState,
    record: Option<&DocumentRecord>,
    view: &rejestr_drafting::DocumentView,
    format: Format,
) -> Result<String, rejestr_drafting::DraftingError> {
    match (record.and_then(|r| r.sent.as_ref()), format) {
        (Some(sent), Format::Text) => Ok(sent.text.clone()),
        (Some(sent), Format::Html) => state.drafting.render_blocks(view, &blocks(&sent.text)),
        (None, format) => state.drafting.render(view, format),
    }
}

pub(crate) fn template_failure(
    state: &AppState,
    error: &rejestr_drafting::DraftingError,
) -> Response {
    tracing::error!(%error, "a document template failed");
    error_page(
        &state.templates,
        StatusCode::SERVICE_UNAVAILABLE,
        "Szablon dokumentu nie działa",
        "Szablon tego dokumentu zawiera błąd. Administrator powinien sprawdzić szablony urzędu.",
    )
}

/// A saved version, what the register knows about its case, and its fields.
pub(crate) struct Loaded {
    pub(crate) record: DocumentRecord,
    pub(crate) ctx: CaseContext,
    pub(crate) fields: DraftFields,
    pub(crate) locale: Locale,
}

impl Loaded {
    /// The view of the version, addressed to `recipient` when given (mail merge).
    pub(crate) fn view(
        &self,
        kind: DocumentKind,
        recipient: Option<&rejestr_drafting::Recipient>,
    ) -> rejestr_drafting::DocumentView {
        build(
            kind,
            &self.ctx,
            &self.fields,
            recipient,
            self.locale,
            u32::try_from(self.record.version).unwrap_or(0),
            self.record.sent.is_none(),
        )
    }
}

pub(crate) async fn load(
    state: &AppState,
    scope: &OrgScope,
    number: CaseNumber,
    kind: DocumentKind,
    version: i32,
) -> Result<Loaded, Response> {
    let records = state
        .store
        .documents(scope, number)
        .await
        .map_err(|e| failure(state, &e))?;
    let record = versions_of(&records, kind)
        .into_iter()
        .find(|r| r.version == version)
        .cloned()
        .ok_or_else(|| not_found(state))?;
    let ctx = case_context(state, scope, number, Utc::now())
        .await
        .map_err(|e| failure(state, &e))?;
    let fields: DraftFields = serde_json::from_str(&record.fields).unwrap_or_default();
    let locale = Locale::from_id(&record.locale).unwrap_or(Locale::Pl);
    Ok(Loaded {
        record,
        ctx,
        fields,
        locale,
    })
}

/// A saved version and its view.
async fn load_version(
    state: &AppState,
    scope: &OrgScope,
    number: CaseNumber,
    kind: DocumentKind,
    version: i32,
) -> Result<(DocumentRecord, rejestr_drafting::DocumentView), Response> {
    let loaded = load(state, scope, number, kind, version).await?;
    let view = loaded.view(kind, None);
    Ok((loaded.record, view))
}

/// The version, its view, and the text that was (or would be) sent.
async fn version_text(
    state: &AppState,
    scope: &OrgScope,
    number: CaseNumber,
    kind: DocumentKind,
    version: i32,
    format: Format,
) -> Result<(DocumentRecord, rejestr_drafting::DocumentView, String), Response> {
    let (record, view) = load_version(state, scope, number, kind, version).await?;
    let text = rendering(state, Some(&record), &view, format)
        .map_err(|error| template_failure(state, &error))?;
    Ok((record, view, text))
}

pub(crate) fn filename(kind: DocumentKind, number: CaseNumber, version: i32, ext: &str) -> String {
    format!(
        "{}-{}-{}-v{version}.{ext}",
        kind.slug(),
        number.seq,
        number.year
    )
}

pub(crate) async fn text(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path((slug, year, seq, doc, version)): Path<(String, i32, u32, String, i32)>,
) -> Response {
    let scope = match reading_scope(&state, &session, &slug).await {
        Ok(scope) => scope,
        Err(response) => return response,
    };
    let Some((kind, number)) = kind_and_number(&doc, year, seq) else {
        return not_found(&state);
    };
    match version_text(&state, &scope, number, kind, version, Format::Text).await {
        Ok((_, _, text)) => file_response(
            "text/plain; charset=utf-8",
            "inline",
            &filename(kind, number, version, "txt"),
            text,
        ),
        Err(response) => response,
    }
}

pub(crate) async fn print(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path((slug, year, seq, doc, version)): Path<(String, i32, u32, String, i32)>,
) -> Response {
    let scope = match reading_scope(&state, &session, &slug).await {
        Ok(scope) => scope,
        Err(response) => return response,
    };
    let Some((kind, number)) = kind_and_number(&doc, year, seq) else {
        return not_found(&state);
    };
    match version_text(&state, &scope, number, kind, version, Format::Html).await {
        Ok((record, view, html)) => render(
            &state,
            StatusCode::OK,
            "pages/document_print",
            &json!({"title": view.title, "lang": record.locale, "document": html}),
        ),
        Err(response) => response,
    }
}

pub(crate) async fn pdf(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path((slug, year, seq, doc, version)): Path<(String, i32, u32, String, i32)>,
) -> Response {
    let scope = match reading_scope(&state, &session, &slug).await {
        Ok(scope) => scope,
        Err(response) => return response,
    };
    let Some((kind, number)) = kind_and_number(&doc, year, seq) else {
        return not_found(&state);
    };
    let (_, view, text) =
        match version_text(&state, &scope, number, kind, version, Format::Text).await {
            Ok(found) => found,
            Err(response) => return response,
        };
    typeset(
        &state,
        filename(kind, number, version, "pdf"),
        move |drafting| drafting.pdf_of_text(&view, &text),
    )
    .await
}

/// Runs a typesetting job off the async workers and answers with the PDF as a download.
pub(crate) async fn typeset<F>(state: &AppState, filename: String, job: F) -> Response
where
    F: FnOnce(&rejestr_drafting::Drafting) -> Result<Vec<u8>, rejestr_drafting::DraftingError>
        + Send
        + 'static,
{
    let drafting = state.drafting.clone();
    match tokio::task::spawn_blocking(move || job(&drafting)).await {
        Ok(Ok(bytes)) => file_response("application/pdf", "attachment", &filename, bytes),
        Ok(Err(error)) => {
            tracing::error!(%error, "PDF typesetting failed");
            error_page(
                &state.templates,
                StatusCode::SERVICE_UNAVAILABLE,
                "Nie udało się przygotować PDF",
                "Pobierz wersję tekstową lub wydrukuj dokument z przeglądarki.",
            )
        }
        Err(error) => {
            tracing::error!(%error, "PDF task failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct SentForm {
    #[serde(default)]
    channel: String,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    delay_reasons: String,
}

pub(crate) async fn mark_sent(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path((slug, year, seq, doc, version)): Path<(String, i32, u32, String, i32)>,
    Form(form): Form<SentForm>,
) -> Response {
    let scope = match reading_scope(&state, &session, &slug).await {
        Ok(scope) => scope,
        Err(response) => return response,
    };
    let Some((kind, number)) = kind_and_number(&doc, year, seq) else {
        return not_found(&state);
    };
    let (record, view) = match load_version(&state, &scope, number, kind, version).await {
        Ok(found) => found,
        Err(response) => return response,
    };
    // What is frozen is the final text, without the draft mark.
    let final_view = rejestr_drafting::DocumentView {
        draft: false,
        ..view
    };
    let text = match state.drafting.render(&final_view, Format::Text) {
        Ok(text) => text,
        Err(error) => return template_failure(&state, &error),
    };
    let fields: DraftFields = serde_json::from_str(&record.fields).unwrap_or_default();
    let dispatch = Dispatch {
        channel: form.channel.clone(),
        reference: opt(&form.reference),
        delay_reasons: opt(&form.delay_reasons).or(fields.delay_reasons.clone()),
        text,
        supplements_kind: (kind == DocumentKind::Puodo(PuodoPhase::Supplementary))
            .then(|| "puodo".to_owned()),
    };
    let result = state
        .store
        .mark_document_sent(
            &scope,
            number,
            kind.id(),
            kind.phase_id(),
            version,
            &dispatch,
            Some(serves(kind)),
            Utc::now(),
        )
        .await;
    match result {
        Ok(_) => Redirect::to(&format!(
            "/rejestr/{slug}/sprawy/{year}/{seq}/dokumenty/{}?wersja={version}#wersje",
            kind.slug()
        ))
        .into_response(),
        Err(StoreError::InvalidInput(message)) => {
            let message = if message.contains("delay") {
                "Termin minął: art. 33 ust. 1 RODO wymaga podania przyczyn opóźnienia (pole 3A lub pole poniżej)."
            } else if message.contains("already") {
                "Ta wersja została już oznaczona jako wysłana."
            } else {
                "Podaj sposób wysyłki (np. formularz biznes.gov.pl, ePUAP, list polecony)."
            };
            let records = match state.store.documents(&scope, number).await {
                Ok(records) => records,
                Err(error) => return failure(&state, &error),
            };
            render_page(
                &state,
                Page {
                    scope: &scope,
                    session: &session,
                    number,
                    kind,
                    locale: Locale::from_id(&record.locale).unwrap_or(Locale::Pl),
                },
                &fields,
                Some(&record),
                &records,
                StatusCode::UNPROCESSABLE_ENTITY,
                &[],
                Some(message.to_owned()),
            )
            .await
        }
        Err(error) => failure(&state, &error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_date_or_number_names_its_field() {
        let form = DraftForm {
            records_count: "dużo".to_owned(),
            communication_on: "31.02.2026".to_owned(),
            measures_before: "  Zapora  ".to_owned(),
            what_happened: vec!["malware".to_owned(), "nonsense".to_owned()],
            ..DraftForm::default()
        };
        let (kept, errors) = parse_form(&form);
        let fields: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["communication_on", "records_count"]);
        assert_eq!(
            kept.measures_before.as_deref(),
            Some("Zapora"),
            "the rest is kept"
        );
        let (_, errors) = parse_form(&DraftForm {
            records_count: "1 500".to_owned(),
            ..form
        });
        assert!(!errors.is_empty(), "the date is still wrong");
    }

    #[test]
    fn the_form_round_trips_the_fields() {
        let fields = rejestr_drafting::fixture_fields();
        let values = form_values(&fields);
        let form: DraftForm = serde_json::from_value(json!({
            "measures_before": values["measures_before"],
            "records_count": values["records_count"],
            "cross_border": values["cross_border"],
            "what_happened": ["malware", "hacking"],
            "cause": "external_intentional",
        }))
        .unwrap_or_default();
        let (parsed, errors) = parse_form(&form);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(parsed.measures_before, fields.measures_before);
        assert_eq!(parsed.records_count, fields.records_count);
        assert_eq!(parsed.cross_border, fields.cross_border);
        assert_eq!(parsed.what_happened, fields.what_happened);
        assert_eq!(parsed.cause, fields.cause);
    }
}
