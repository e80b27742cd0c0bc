//! The report to the CSIRT under the KSC act: the content of art. 23(1) points 1–8, phased as
//! NIS2 art. 23(4) (early warning, incident notification, final report).

use serde::Serialize;

use crate::context::CaseContext;
use crate::fields::DraftFields;
use crate::labels::{Label, Locale, instant, people, yes_no};
use crate::{CsirtPhase, Missing, text};

#[derive(Debug, Clone, Serialize)]
pub struct CsirtView {
    pub phase: String,
    pub early_warning: bool,
    pub notification: bool,
    pub final_report: bool,
    pub csirt: String,
    pub ksc_status: String,
    pub case_reference: String,
    pub entity_name: String,
    pub entity_regon: Option<String>,
    pub entity_address: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: Option<String>,
    pub public_task_affected: Option<String>,
    pub persons_affected: Option<String>,
    pub occurred_at: Option<String>,
    pub detected_at: String,
    pub aware_at: Option<String>,
    pub ended_at: Option<String>,
    pub geographic_scope: Option<String>,
    pub description: Option<String>,
    pub systems_effects: Option<String>,
    pub suspected_malicious: Option<String>,
    pub cross_border: Option<String>,
    pub source: Option<String>,
    pub preventive_actions: Option<String>,
    pub corrective_actions: Option<String>,
    pub severity: Option<String>,
    pub personal_data_breach: bool,
    pub other_information: Option<String>,
}

fn csirt_name(id: Option<&str>) -> &'static str {
    match id {
        Some("gov") => "CSIRT GOV",
        Some("mon") => "CSIRT MON",
        _ => "CSIRT NASK",
    }
}

fn ksc_label(status: &str) -> Label {
    let l = |pl, en| Label { pl, en };
    match status {
        "essential" => l("podmiot kluczowy", "essential entity"),
        "important" => l("podmiot ważny", "important entity"),
        "public_entity" => l(
            "podmiot publiczny (art. 22 ustawy o KSC)",
            "public entity (KSC act art. 22)",
        ),
        _ => l("nie objęty ustawą o KSC", "not covered by the KSC act"),
    }
}

pub(crate) fn view(
    ctx: &CaseContext,
    f: &DraftFields,
    phase: CsirtPhase,
    locale: Locale,
    missing: &mut Vec<Missing>,
) -> CsirtView {
    let l = locale;
    let mut need = |point: &'static str, pl: &'static str, en: &'static str, blocking: bool| {
        missing.push(Missing::new(point, pl, en, l, blocking));
    };
    let c = &ctx.controller;
    let decision = ctx.decision.as_ref();
    if text(&f.public_task_affected).is_none() {
        need(
            "art. 23 ust. 1 pkt 4a",
            "zadanie publiczne, na które wpłynął incydent",
            "the public task affected",
            true,
        );
    }
    let description = text(&f.description).or_else(|| {
        let d = ctx.description.trim();
        (!d.is_empty()).then(|| d.to_owned())
    });
    if phase != CsirtPhase::EarlyWarning {
        if text(&f.systems_effects).is_none() {
            need(
                "art. 23 ust. 1 pkt 4e",
                "przebieg i skutki incydentu dla systemów informacyjnych",
                "the course and effects on the information systems",
                true,
            );
        }
        if text(&f.measures_mitigation).is_none() {
            need(
                "art. 23 ust. 1 pkt 7",
                "podjęte działania naprawcze (środki z pkt 9C)",
                "corrective actions taken (the measures of point 9C)",
                true,
            );
        }
    }
    if phase == CsirtPhase::FinalReport {
        if text(&f.source).is_none() {
            need(
                "art. 23 ust. 1 pkt 5",
                "przyczyna i źródło incydentu",
                "cause and source of the incident",
                true,
            );
        }
        if text(&f.measures_recurrence).is_none() {
            need(
                "art. 23 ust. 1 pkt 6",
                "podjęte działania zapobiegawcze (środki z pkt 9B)",
                "preventive actions taken (the measures of point 9B)",
                true,
            );
        }
    }
    let persons = decision
        .and_then(|d| d.facts.subjects_count)
        .or(ctx.subjects_estimate);
    CsirtView {
        phase: phase.label().get(l).to_owned(),
        early_warning: phase == CsirtPhase::EarlyWarning,
        notification: phase == CsirtPhase::Notification,
        final_report: phase == CsirtPhase::FinalReport,
        csirt: csirt_name(c.csirt.as_deref()).to_owned(),
        ksc_status: ksc_label(&c.ksc_status).get(l).to_owned(),
        case_reference: ctx.number.clone(),
        entity_name: c.name.clone(),
        entity_regon: text(&c.regon),
        entity_address: c.address.clone(),
        contact_name: c.iod_name.clone(),
        contact_email: c.iod_email.clone(),
        contact_phone: text(&c.iod_phone),
        public_task_affected: text(&f.public_task_affected),
        persons_affected: persons.map(|n| people(n, l)),
        occurred_at: ctx.occurred_at.map(|t| instant(t, l)),
        detected_at: instant(ctx.discovered_at, l),
        aware_at: ctx.aware_at.map(|t| instant(t, l)),
        ended_at: f.ended_at.map(|t| instant(t, l)),
        geographic_scope: text(&f.geographic_scope),
        description,
        systems_effects: text(&f.systems_effects),
        suspected_malicious: decision
            .and_then(|d| d.facts.malicious)
            .map(|m| yes_no(m, l).to_owned()),
        cross_border: f.cross_border.map(|b| yes_no(b, l).to_owned()),
        source: text(&f.source),
        preventive_actions: text(&f.measures_recurrence),
        corrective_actions: text(&f.measures_mitigation),
        severity: decision.and_then(|d| {
            d.assessment.enisa.as_ref().map(|e| {
                format!(
                    "{} (ENISA {:.2})",
                    crate::band_label(e.band).get(l),
                    e.score
                )
            })
        }),
        personal_data_breach: decision.is_some_and(|d| {
            d.assessment.classification == rejestr_risk::Classification::PersonalDataBreach
        }),
        other_information: text(&f.other_information),
    }
}
