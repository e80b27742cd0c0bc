//! Risk assessment in the web layer: `POST /api/v1/assess` (pure), the IOD's questionnaire on
//! the case page, and recording the engine's proposal with the IOD's decision.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use chrono::Utc;
use rejestr_domain::case::{CaseNumber, Classification as CaseClassification};
use rejestr_domain::role::Permission;
use rejestr_risk::{Assessment, Facts, assess};
use rejestr_store::{Conclusion, NewAssessment, OrgScope, RecordedAssessment, Session, StoreError};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::AppState;
use crate::api_types::ErrorBody;
use crate::auth::SignedIn;
use crate::error::{ApiError, error_page, storage_unavailable_page};
use crate::pages::render;
use crate::time::warsaw;

/// Assess a Facts v1 document (the engine alone; nothing is stored).
#[utoipa::path(
    post,
    path = "/api/v1/assess",
    tag = "assessment",
    request_body(content = Object, description = "Facts v1 (design.md §10); only personal_data is required; unknown fields are refused", content_type = "application/json"),
    responses(
        (status = 200, description = "Assessment v1: classification, ENISA severity, risk, obligations, reasons", body = Object),
        (status = 422, description = "Invalid facts, the field named", body = ErrorBody),
    )
)]
pub(crate) async fn api_assess(body: Bytes) -> Result<Response, ApiError> {
    let text = std::str::from_utf8(&body).map_err(|_| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "malformed_json",
            "the body is not UTF-8",
        )
    })?;
    let facts = rejestr_risk::parse_facts(text)
        .map_err(|e| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_facts", e.0))?;
    Ok(axum::Json(assess(&facts)).into_response())
}

pub(crate) fn conclusion_of(assessment: &Assessment) -> Conclusion {
    Conclusion {
        classification: assessment
            .classification
            .as_str()
            .parse()
            .unwrap_or(CaseClassification::Unclassified),
        risk: assessment.risk.as_str().to_owned(),
        notify_sa: assessment.obligations.notify_sa,
        notify_subjects: assessment.obligations.notify_subjects
            || assessment.obligations.public_communication,
        notify_controller: assessment.obligations.notify_controller,
    }
}

/// The questionnaire as posted. Checkboxes are present when ticked.
#[derive(Debug, Default, Clone, Deserialize)]
pub(crate) struct FactsForm {
    #[serde(default)]
    personal_data: String,
    attempt_only: Option<String>,
    #[serde(default)]
    confidentiality: String,
    recipient_trusted: Option<String>,
    #[serde(default)]
    integrity: String,
    #[serde(default)]
    availability: String,
    #[serde(default)]
    restored_within_hours: String,
    #[serde(default)]
    malicious: String,
    #[serde(default)]
    data_categories: Vec<String>,
    #[serde(default)]
    subjects_count: String,
    vulnerable_subjects: Option<String>,
    #[serde(default)]
    identifiability: String,
    #[serde(default)]
    encryption: String,
    publicly_available_before: Option<String>,
    measures_remove_high_risk: Option<String>,
    individual_contact_disproportionate: Option<String>,
    #[serde(default)]
    dpc_score: String,
    #[serde(default)]
    dpc_justification: String,
    acting_as_processor: Option<String>,
    #[serde(default)]
    controller_name: String,
    #[serde(default)]
    controller_deadline_hours: String,
    // The decision.
    #[serde(default)]
    final_classification: String,
    #[serde(default)]
    final_risk: String,
    final_notify_sa: Option<String>,
    final_notify_subjects: Option<String>,
    final_notify_controller: Option<String>,
    #[serde(default)]
    justification: String,
    #[serde(default)]
    action: String,
}

/// Builds Facts from the questionnaire; an error names the question in Polish.
pub(crate) fn facts_of(form: &FactsForm) -> Result<Facts, String> {
    let mut facts = Map::new();
    facts.insert("personal_data".into(), json!(form.personal_data != "nie"));
    facts.insert("attempt_only".into(), json!(form.attempt_only.is_some()));
    let choice = |value: &str, default: &str| {
        if value.is_empty() {
            default.to_owned()
        } else {
            value.to_owned()
        }
    };
    facts.insert(
        "confidentiality".into(),
        json!(choice(&form.confidentiality, "none")),
    );
    facts.insert(
        "recipient_trusted_and_data_returned_or_deleted".into(),
        json!(form.recipient_trusted.is_some()),
    );
    facts.insert("integrity".into(), json!(choice(&form.integrity, "none")));
    facts.insert(
        "availability".into(),
        json!(choice(&form.availability, "none")),
    );
    if !form.restored_within_hours.trim().is_empty() {
        let hours: f64 = form
            .restored_within_hours
            .trim()
            .replace(',', ".")
            .parse()
            .map_err(|_| "Czas przywrócenia podaj w godzinach (liczba).".to_owned())?;
        facts.insert("restored_within_hours".into(), json!(hours));
    }
    match form.malicious.as_str() {
        "tak" => {
            facts.insert("malicious".into(), json!(true));
        }
        "nie" => {
            facts.insert("malicious".into(), json!(false));
        }
        _ => {}
    }
    facts.insert("data_categories".into(), json!(form.data_categories));
    if !form.subjects_count.trim().is_empty() {
        let count: u64 = form
            .subjects_count
            .trim()
            .replace([' ', '\u{a0}'], "")
            .parse()
            .map_err(|_| "Liczbę osób podaj jako liczbę całkowitą.".to_owned())?;
        facts.insert("subjects_count".into(), json!(count));
    }
    facts.insert(
        "vulnerable_subjects".into(),
        json!(form.vulnerable_subjects.is_some()),
    );
    if !form.identifiability.is_empty() {
        facts.insert("identifiability".into(), json!(form.identifiability));
    }
    facts.insert("encryption".into(), json!(choice(&form.encryption, "none")));
    facts.insert(
        "publicly_available_before".into(),
        json!(form.publicly_available_before.is_some()),
    );
    facts.insert(
        "measures_remove_high_risk".into(),
        json!(form.measures_remove_high_risk.is_some()),
    );
    facts.insert(
        "individual_contact_disproportionate".into(),
        json!(form.individual_contact_disproportionate.is_some()),
    );
    if !form.dpc_score.is_empty() {
        let score: u8 = form
            .dpc_score
            .parse()
            .map_err(|_| "Wybierz DPC od 1 do 4.".to_owned())?;
        facts.insert(
            "dpc_override".into(),
            json!({"score": score, "justification": form.dpc_justification.trim()}),
        );
    }
    if form.acting_as_processor.is_some() {
        facts.insert("acting_as_processor".into(), json!(true));
        let name = form.controller_name.trim();
        if name.is_empty() {
            return Err(
                "Podaj nazwę administratora, dla którego jednostka przetwarza te dane.".to_owned(),
            );
        }
        if name.chars().count() > 300 {
            return Err("Nazwa administratora może mieć najwyżej 300 znaków.".to_owned());
        }
        facts.insert("controller_name".into(), json!(name));
        let hours = form.controller_deadline_hours.trim();
        if !hours.is_empty() {
            let hours: u32 = hours
                .parse()
                .ok()
                .filter(|h| (1..=rejestr_risk::MAX_CONTROLLER_DEADLINE_HOURS).contains(h))
                .ok_or_else(|| {
                    format!(
                        "Termin z umowy powierzenia podaj w pełnych godzinach, od 1 do {}.",
                        rejestr_risk::MAX_CONTROLLER_DEADLINE_HOURS
                    )
                })?;
            facts.insert("controller_deadline_hours".into(), json!(hours));
        }
    }
    let facts: Facts = serde_json::from_value(Value::Object(facts))
        .map_err(|e| format!("Nieprawidłowa odpowiedź w kwestionariuszu: {e}"))?;
    rejestr_risk::validate(&facts).map_err(|_| {
        "Własna ocena DPC wymaga wyniku od 1 do 4 i uzasadnienia; czas przywrócenia nie może być ujemny.".to_owned()
    })?;
    Ok(facts)
}

fn decision_of(form: &FactsForm) -> Result<Conclusion, String> {
    let classification = form
        .final_classification
        .parse::<CaseClassification>()
        .map_err(|_| "Wybierz kwalifikację.".to_owned())?;
    if !matches!(form.final_risk.as_str(), "none" | "risk" | "high") {
        return Err("Wybierz poziom ryzyka.".to_owned());
    }
    Ok(Conclusion {
        classification,
        risk: form.final_risk.clone(),
        notify_sa: form.final_notify_sa.is_some(),
        notify_subjects: form.final_notify_subjects.is_some(),
        notify_controller: form.final_notify_controller.is_some(),
    })
}

async fn assessing_scope(
    state: &AppState,
    session: &Session,
    slug: &str,
) -> Result<OrgScope, Response> {
    match state.store.scope(session, slug).await {
        Ok(Some(scope)) if scope.can(Permission::ChangeCases) => Ok(scope),
        Ok(Some(_)) => Err(error_page(
            &state.templates,
            StatusCode::FORBIDDEN,
            "Brak uprawnień",
            "Ocenę ryzyka przeprowadza inspektor ochrony danych lub administrator systemu informatycznego.",
        )),
        Ok(None) => Err(error_page(
            &state.templates,
            StatusCode::NOT_FOUND,
            "Nie znaleziono",
            "Nie ma takiej jednostki lub sprawy albo nie masz do niej dostępu.",
        )),
        Err(error) => Err(storage_unavailable_page(&state.templates, &error)),
    }
}

/// The reasons and conclusions of an assessment for the page.
pub(crate) fn assessment_view(assessment: &Assessment) -> Value {
    let enisa = assessment.enisa.as_ref().map(|e| {
        json!({
            "dpc": e.dpc, "ei": format!("{:.2}", e.ei), "cb": format!("{:.2}", e.cb),
            "score": format!("{:.2}", e.score),
            "band": match e.band {
                rejestr_risk::Band::Low => "niska",
                rejestr_risk::Band::Medium => "średnia",
                rejestr_risk::Band::High => "wysoka",
                rejestr_risk::Band::VeryHigh => "bardzo wysoka",
            },
        })
    });
    json!({
        "classification": classification_label(assessment.classification.as_str()),
        "risk": risk_label(assessment.risk.as_str()),
        "enisa": enisa,
        "notify_sa": assessment.obligations.notify_sa,
        "notify_subjects": assessment.obligations.notify_subjects,
        "public_communication": assessment.obligations.public_communication,
        "notify_controller": assessment.obligations.notify_controller,
        "reasons": assessment.reasons.iter().map(|r| json!({"rule": r.rule, "text": r.pl})).collect::<Vec<_>>(),
        "rule_set": assessment.rule_set,
    })
}

pub(crate) fn classification_label(value: &str) -> &'static str {
    value
        .parse::<CaseClassification>()
        .map_or("?", |c| c.label_pl())
}

pub(crate) fn risk_label(value: &str) -> &'static str {
    match value {
        "none" => "brak ryzyka (raczej nie skutkuje ryzykiem)",
        "risk" => "ryzyko",
        "high" => "wysokie ryzyko",
        _ => "?",
    }
}

pub(crate) fn recorded_view(recorded: &RecordedAssessment) -> Value {
    let engine: Option<Assessment> = serde_json::from_str(&recorded.assessment).ok();
    json!({
        "decision": {
            "classification": recorded.decision.classification.label_pl(),
            "risk": risk_label(&recorded.decision.risk),
            "notify_sa": recorded.decision.notify_sa,
            "notify_subjects": recorded.decision.notify_subjects,
            "notify_controller": recorded.decision.notify_controller,
            "controller_hours": recorded.controller_deadline_hours
                .unwrap_or(rejestr_risk::DEFAULT_CONTROLLER_DEADLINE_HOURS),
        },
        "overridden": recorded.overridden(),
        "justification": recorded.justification,
        "decided_by": recorded.decided_by,
        "at": warsaw(recorded.created_at),
        "engine": engine.as_ref().map(assessment_view),
    })
}

#[allow(clippy::too_many_arguments)]
async fn render_questionnaire(
    state: &AppState,
    session: &Session,
    scope: &OrgScope,
    number: CaseNumber,
    form: &FactsForm,
    result: Option<&Assessment>,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let categories: Vec<Value> = rejestr_intake::DATA_KINDS
        .iter()
        .map(|k| json!({"id": k.id, "label": k.label_pl, "checked": form.data_categories.iter().any(|c| c == k.id)}))
        .collect();
    let selected = |value: &str, wanted: &str| value == wanted;
    let risk_options: Vec<Value> = ["none", "risk", "high"]
        .iter()
        .map(|r| json!({"value": r, "label": risk_label(r), "selected": form.final_risk == *r}))
        .collect();
    let mut view = json!({
        "title": format!("Ocena ryzyka — sprawa {number}"),
        "org": {"name": scope.organisation().name, "slug": scope.organisation().slug.as_str()},
        "user": {"name": session.user.display_name},
        "number": number.to_string(),
        "action": format!("/rejestr/{}/sprawy/{}/{}/ocena", scope.organisation().slug, number.year, number.seq),
        "case_url": format!("/rejestr/{}/sprawy/{}/{}", scope.organisation().slug, number.year, number.seq),
        "f": {
            "pd_yes": form.personal_data != "nie",
            "attempt_only": form.attempt_only.is_some(),
            "conf_none": selected(&form.confidentiality, "none") || form.confidentiality.is_empty(),
            "conf_known": selected(&form.confidentiality, "known_recipients"),
            "conf_unknown": selected(&form.confidentiality, "unknown_recipients"),
            "recipient_trusted": form.recipient_trusted.is_some(),
            "int_none": selected(&form.integrity, "none") || form.integrity.is_empty(),
            "int_recoverable": selected(&form.integrity, "recoverable"),
            "int_unrecoverable": selected(&form.integrity, "unrecoverable"),
            "av_none": selected(&form.availability, "none") || form.availability.is_empty(),
            "av_temporary": selected(&form.availability, "temporary"),
            "av_permanent": selected(&form.availability, "permanent"),
            "restored_within_hours": form.restored_within_hours,
            "mal_yes": selected(&form.malicious, "tak"),
            "mal_no": selected(&form.malicious, "nie"),
            "mal_unknown": !matches!(form.malicious.as_str(), "tak" | "nie"),
            "subjects_count": form.subjects_count,
            "vulnerable_subjects": form.vulnerable_subjects.is_some(),
            "identifiability": form.identifiability,
            "enc_none": selected(&form.encryption, "none") || form.encryption.is_empty(),
            "enc_safe": selected(&form.encryption, "state_of_the_art_key_safe"),
            "enc_weak": selected(&form.encryption, "weak_or_key_compromised"),
            "publicly_available_before": form.publicly_available_before.is_some(),
            "measures_remove_high_risk": form.measures_remove_high_risk.is_some(),
            "individual_contact_disproportionate": form.individual_contact_disproportionate.is_some(),
            "dpc_score": form.dpc_score,
            "dpc_justification": form.dpc_justification,
            "final_classification": form.final_classification,
            "final_risk": form.final_risk,
            "final_notify_sa": form.final_notify_sa.is_some(),
            "final_notify_subjects": form.final_notify_subjects.is_some(),
            "justification": form.justification,
        },
        "identifiability_options": [
            {"value": "", "label": "nie ustalono (przyjąć ostrożnie)", "selected": form.identifiability.is_empty()},
            {"value": "negligible", "label": "znikoma", "selected": form.identifiability == "negligible"},
            {"value": "limited", "label": "ograniczona", "selected": form.identifiability == "limited"},
            {"value": "significant", "label": "znaczna", "selected": form.identifiability == "significant"},
            {"value": "maximum", "label": "maksymalna (osoby wskazane wprost)", "selected": form.identifiability == "maximum"},
        ],
        "dpc_options": [
            {"value": "", "label": "według silnika", "selected": form.dpc_score.is_empty()},
            {"value": "1", "label": "1", "selected": form.dpc_score == "1"},
            {"value": "2", "label": "2", "selected": form.dpc_score == "2"},
            {"value": "3", "label": "3", "selected": form.dpc_score == "3"},
            {"value": "4", "label": "4", "selected": form.dpc_score == "4"},
        ],
        "classification_options": CaseClassification::ALL.iter().filter(|c| **c != CaseClassification::Unclassified).map(|c| json!({
            "value": c.as_str(), "label": c.label_pl(), "selected": form.final_classification == c.as_str(),
        })).collect::<Vec<_>>(),
        "risk_options": risk_options,
        "categories": categories,
        "result": result.map(assessment_view),
        "error": error,
    });
    // The processor's facts (a second object: one `json!` of the whole view is too deep).
    if let Some(f) = view["f"].as_object_mut() {
        f.extend([
            (
                "acting_as_processor".to_owned(),
                json!(form.acting_as_processor.is_some()),
            ),
            ("controller_name".to_owned(), json!(form.controller_name)),
            (
                "controller_deadline_hours".to_owned(),
                json!(form.controller_deadline_hours),
            ),
            (
                "final_notify_controller".to_owned(),
                json!(form.final_notify_controller.is_some()),
            ),
        ]);
    }
    render(state, status, "pages/assessment", &view)
}

pub(crate) async fn questionnaire(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path((slug, year, seq)): Path<(String, i32, u32)>,
) -> Response {
    let scope = match assessing_scope(&state, &session, &slug).await {
        Ok(scope) => scope,
        Err(response) => return response,
    };
    let Ok(number) = CaseNumber::new(seq, year) else {
        return Redirect::to("/rejestr").into_response();
    };
    let detail = match state.store.case_detail(&scope, number).await {
        Ok(Some(detail)) => detail,
        Ok(None) => {
            return error_page(
                &state.templates,
                StatusCode::NOT_FOUND,
                "Nie znaleziono",
                "Nie ma takiej sprawy.",
            );
        }
        Err(error) => return storage_unavailable_page(&state.templates, &error),
    };
    // Start from the last assessment's facts, or from what the reporter said.
    let previous = state
        .store
        .latest_assessment(&scope, number)
        .await
        .ok()
        .flatten();
    let form = match previous
        .as_ref()
        .and_then(|p| serde_json::from_str::<Facts>(&p.facts).ok())
    {
        Some(facts) => form_of(&facts),
        None => FactsForm {
            personal_data: if detail.data_categories.is_empty() {
                String::new()
            } else {
                "tak".to_owned()
            },
            data_categories: detail.data_categories.clone(),
            subjects_count: detail
                .subjects_estimate
                .map(|n| n.to_string())
                .unwrap_or_default(),
            ..FactsForm::default()
        },
    };
    render_questionnaire(
        &state,
        &session,
        &scope,
        number,
        &form,
        None,
        None,
        StatusCode::OK,
    )
    .await
}

fn form_of(facts: &Facts) -> FactsForm {
    let text = |value: &Value| value.as_str().unwrap_or_default().to_owned();
    let json = serde_json::to_value(facts).unwrap_or_default();
    FactsForm {
        personal_data: if facts.personal_data { "tak" } else { "nie" }.to_owned(),
        attempt_only: facts.attempt_only.then(|| "on".to_owned()),
        confidentiality: text(&json["confidentiality"]),
        recipient_trusted: facts
            .recipient_trusted_and_data_returned_or_deleted
            .then(|| "on".to_owned()),
        integrity: text(&json["integrity"]),
        availability: text(&json["availability"]),
        restored_within_hours: facts
            .restored_within_hours
            .map(|h| h.to_string())
            .unwrap_or_default(),
        malicious: match facts.malicious {
            Some(true) => "tak",
            Some(false) => "nie",
            None => "",
        }
        .to_owned(),
        data_categories: facts
            .data_categories
            .iter()
            .map(|c| c.id().to_owned())
            .collect(),
        subjects_count: facts
            .subjects_count
            .map(|n| n.to_string())
            .unwrap_or_default(),
        vulnerable_subjects: facts.vulnerable_subjects.then(|| "on".to_owned()),
        identifiability: text(&json["identifiability"]),
        encryption: text(&json["encryption"]),
        publicly_available_before: facts.publicly_available_before.then(|| "on".to_owned()),
        measures_remove_high_risk: facts.measures_remove_high_risk.then(|| "on".to_owned()),
        individual_contact_disproportionate: facts
            .individual_contact_disproportionate
            .then(|| "on".to_owned()),
        dpc_score: facts
            .dpc_override
            .as_ref()
            .map(|d| d.score.to_string())
            .unwrap_or_default(),
        dpc_justification: facts
            .dpc_override
            .as_ref()
            .map(|d| d.justification.clone())
            .unwrap_or_default(),
        acting_as_processor: facts.acting_as_processor.then(|| "on".to_owned()),
        controller_name: facts.controller_name.clone().unwrap_or_default(),
        controller_deadline_hours: facts
            .controller_deadline_hours
            .map(|h| h.to_string())
            .unwrap_or_default(),
        ..FactsForm::default()
    }
}

pub(crate) async fn submit(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path((slug, year, seq)): Path<(String, i32, u32)>,
    Form(mut form): Form<FactsForm>,
) -> Response {
    let scope = match assessing_scope(&state, &session, &slug).await {
        Ok(scope) => scope,
        Err(response) => return response,
    };
    let Ok(number) = CaseNumber::new(seq, year) else {
        return Redirect::to("/rejestr").into_response();
    };
    let facts = match facts_of(&form) {
        Ok(facts) => facts,
        Err(message) => {
            return render_questionnaire(
                &state,
                &session,
                &scope,
                number,
                &form,
                None,
                Some(message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let result = assess(&facts);
    let engine = conclusion_of(&result);
    if form.action != "zapisz" {
        // A new proposal: the decision starts as the engine's.
        form.final_classification = engine.classification.as_str().to_owned();
        form.final_risk = engine.risk.clone();
        form.final_notify_sa = engine.notify_sa.then(|| "on".to_owned());
        form.final_notify_subjects = engine.notify_subjects.then(|| "on".to_owned());
        form.final_notify_controller = engine.notify_controller.then(|| "on".to_owned());
        return render_questionnaire(
            &state,
            &session,
            &scope,
            number,
            &form,
            Some(&result),
            None,
            StatusCode::OK,
        )
        .await;
    }
    let decision = match decision_of(&form) {
        Ok(decision) => decision,
        Err(message) => {
            return render_questionnaire(
                &state,
                &session,
                &scope,
                number,
                &form,
                Some(&result),
                Some(message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let new = NewAssessment {
        rule_set: result.rule_set.clone(),
        facts: serde_json::to_string(&facts).unwrap_or_default(),
        assessment: serde_json::to_string(&result).unwrap_or_default(),
        engine,
        decision,
        justification: Some(form.justification.clone()),
        controller_deadline_hours: facts
            .acting_as_processor
            .then(|| facts.controller_deadline_hours()),
    };
    match state
        .store
        .record_assessment(&scope, number, &new, Utc::now())
        .await
    {
        Ok(_) => {
            Redirect::to(&format!("/rejestr/{slug}/sprawy/{year}/{seq}#ocena")).into_response()
        }
        Err(StoreError::InvalidInput(_)) => {
            let message = "Twoja decyzja różni się od propozycji silnika — wpisz uzasadnienie (zasada rozliczalności).".to_owned();
            render_questionnaire(
                &state,
                &session,
                &scope,
                number,
                &form,
                Some(&result),
                Some(message),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(StoreError::Transition(_)) => {
            let message = "Sprawy w tym stanie nie można ocenić (jest zamknięta lub odrzucona — najpierw ją wznów).".to_owned();
            render_questionnaire(
                &state,
                &session,
                &scope,
                number,
                &form,
                Some(&result),
                Some(message),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(StoreError::NotFound) => error_page(
            &state.templates,
            StatusCode::NOT_FOUND,
            "Nie znaleziono",
            "Nie ma takiej sprawy.",
        ),
        Err(error) => storage_unavailable_page(&state.templates, &error),
    }
}
