//! From register records to what leaves the register: the STIX 2.1 / MISP exports for a
//! CSIRT or ISAC-JST (pseudonymised unless the IOD releases a field), the register as CSV and
//! JSON for auditors, and the statistics. Shared by the pages and the CLI.

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Warsaw;
use rejestr_export::{ExportOptions, Indicator, IndicatorKind, Released, ShareCase, ShareOrg, Tlp};
use rejestr_risk::{Assessment, BreachType, DataCategory, Facts};
use rejestr_stats::{StatCase, field_text};
use rejestr_store::{Organisation, RegisterRecord, ShareRecord};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

fn parse<T: DeserializeOwned>(value: &str) -> Option<T> {
    serde_json::from_value(Value::String(value.to_owned())).ok()
}

/// A stable id for a case across exports (UUIDv5 of the organisation and the number).
fn case_uuid(org: &Organisation, record: &RegisterRecord) -> uuid::Uuid {
    uuid::Uuid::new_v5(
        &rejestr_export::NAMESPACE,
        format!("case:{}:{}", org.slug.as_str(), record.number).as_bytes(),
    )
}

fn obligation_sent(record: &RegisterRecord, kind: &str) -> Option<DateTime<Utc>> {
    record.obligation(kind).and_then(|o| o.sent_at)
}

/// The case as the sharing formats see it. Free text travels only as `released` says.
pub fn share_case(
    org: &Organisation,
    record: &RegisterRecord,
    released: Released,
    cause: Option<String>,
) -> ShareCase {
    let assessment: Option<Assessment> = record
        .decision
        .as_ref()
        .and_then(|d| serde_json::from_value(d.assessment.clone()).ok());
    let facts: Option<Facts> = record
        .decision
        .as_ref()
        .and_then(|d| serde_json::from_value(d.facts.clone()).ok());
    let mut data_categories: Vec<DataCategory> = record
        .data_categories
        .iter()
        .filter_map(|c| parse(c))
        .collect();
    if let Some(facts) = &facts {
        for category in &facts.data_categories {
            if !data_categories.contains(category) {
                data_categories.push(*category);
            }
        }
    }
    let indicators = record
        .indicators
        .iter()
        .filter_map(|i| {
            let kind = IndicatorKind::from_id(&i.kind)?;
            Indicator::new(kind, &i.value)
                .ok()
                .map(|ind| ind.with_comment(i.comment.clone()))
        })
        .collect();
    ShareCase {
        case_id: case_uuid(org, record),
        number: record.number.to_string(),
        organisation: ShareOrg {
            id: uuid::Uuid::new_v5(
                &rejestr_export::NAMESPACE,
                format!("organisation:{}", org.slug.as_str()).as_bytes(),
            ),
            name: org.name.clone(),
            sector: Some("government-local".to_owned()),
        },
        reported_at: record.reported_at,
        occurred_at: record.occurred.bounds().0,
        detected_at: Some(record.discovered_at),
        aware_at: Some(record.aware_at),
        updated_at: record.updated_at,
        classification: record
            .decision
            .as_ref()
            .and_then(|d| parse(&d.classification)),
        breach_types: assessment
            .as_ref()
            .map(|a| a.breach_types.clone())
            .unwrap_or_default(),
        risk: record.decision.as_ref().and_then(|d| parse(&d.risk)),
        enisa_band: assessment
            .as_ref()
            .and_then(|a| a.enisa.as_ref().map(|e| e.band)),
        enisa_score: assessment
            .as_ref()
            .and_then(|a| a.enisa.as_ref().map(|e| e.score)),
        malicious: facts.as_ref().and_then(|f| f.malicious),
        cause,
        data_categories,
        subjects_count: facts
            .as_ref()
            .and_then(|f| f.subjects_count)
            .or_else(|| record.subjects_estimate.and_then(|n| u64::try_from(n).ok())),
        records_count: record.records_count,
        notified_sa: obligation_sent(record, "notify_sa").is_some(),
        notified_subjects: obligation_sent(record, "notify_subjects").is_some(),
        closed: !record.state.is_open(),
        indicators,
        description: record.description.clone(),
        measures: record.measures.clone(),
        released,
    }
}

/// The file that leaves the register: a STIX 2.1 bundle of the cases (`stix`) or the MISP
/// event of the first (`misp`), pretty-printed, with the record the audit trail keeps of it
/// (format, TLP, recipient, released fields, SHA-256 of the file). `None` for another format,
/// or a MISP event without a case.
pub fn share_file(
    format: &str,
    cases: &[ShareCase],
    tlp: Tlp,
    recipient: &str,
    released: Vec<String>,
) -> Option<(String, ShareRecord)> {
    let opts = ExportOptions {
        tlp,
        created: Utc::now(),
    };
    let document = match format {
        "stix" => rejestr_export::stix_bundle(cases, &opts),
        "misp" => rejestr_export::misp_event(cases.first()?, &opts),
        _ => return None,
    };
    let body = serde_json::to_string_pretty(&document).unwrap_or_else(|_| document.to_string());
    let record = ShareRecord {
        format: format.to_owned(),
        tlp: tlp.id().to_owned(),
        recipient: recipient.to_owned(),
        released,
        sha256: hex::encode(Sha256::digest(body.as_bytes())),
        pushed: None,
    };
    Some((body, record))
}

/// The case as the statistics count it.
pub fn stat_case(org: &Organisation, record: &RegisterRecord) -> StatCase {
    let breach_types = record
        .decision
        .as_ref()
        .and_then(|d| serde_json::from_value::<Assessment>(d.assessment.clone()).ok())
        .map(|a| {
            a.breach_types
                .iter()
                .map(|t| {
                    match t {
                        BreachType::Confidentiality => "confidentiality",
                        BreachType::Integrity => "integrity",
                        BreachType::Availability => "availability",
                    }
                    .to_owned()
                })
                .collect()
        })
        .unwrap_or_default();
    StatCase {
        number: record.number.to_string(),
        organisation: org.name.clone(),
        unit: record.reporter_unit.clone(),
        reported_at: record.reported_at,
        aware_at: Some(record.aware_at),
        assessed_at: record.decision.as_ref().map(|d| d.first_assessed_at),
        classification: record.decision.as_ref().map(|d| d.classification.clone()),
        risk: record.decision.as_ref().map(|d| d.risk.clone()),
        breach_types,
        cause: record.cause.clone(),
        sa_required: record.decision.as_ref().is_some_and(|d| d.notify_sa),
        sa_notified_at: obligation_sent(record, "notify_sa"),
        subjects_notified_at: obligation_sent(record, "notify_subjects"),
        closed: !record.state.is_open(),
    }
}

fn local(at: DateTime<Utc>) -> String {
    at.with_timezone(&Warsaw)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

const REGISTER_HEADER: [&str; 20] = [
    "numer",
    "stan",
    "kwalifikacja",
    "źródło",
    "zgłoszono (czas polski)",
    "stwierdzono naruszenie (początek 72 h)",
    "wystąpienie",
    "miejsce",
    "komórka",
    "kategorie danych",
    "liczba osób",
    "ryzyko",
    "zgłoszenie PUODO wymagane",
    "zgłoszono PUODO",
    "w terminie 72 h",
    "potwierdzenie (UPO)",
    "zawiadomienie osób wymagane",
    "zawiadomiono osoby",
    "opis",
    "środki zaradcze",
];

fn occurred_text(record: &RegisterRecord) -> String {
    match record.occurred {
        rejestr_domain::case::Occurred::Unknown => String::new(),
        rejestr_domain::case::Occurred::At(at) => local(at),
        rejestr_domain::case::Occurred::Between(a, b) => format!("{} – {}", local(a), local(b)),
    }
}

fn yes_no(value: bool) -> &'static str {
    if value { "tak" } else { "nie" }
}

/// The register (art. 33(5)) as CSV for an auditor or a PUODO inspection: comma-separated,
/// RFC 4180 quoting, UTF-8 with a BOM (spreadsheets read the Polish letters), times in
/// Warsaw time. Cells that a spreadsheet would run as formulas are defused.
pub fn register_csv(records: &[RegisterRecord]) -> String {
    let mut out = String::from(rejestr_stats::BOM);
    let mut line = |fields: &[String]| {
        let cells: Vec<String> = fields.iter().map(|f| field_text(f)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    line(&REGISTER_HEADER.map(str::to_owned));
    for r in records {
        let sa = r.obligation("notify_sa");
        let sa_sent = sa.and_then(|o| o.sent_at);
        let subjects_sent = obligation_sent(r, "notify_subjects");
        line(&[
            r.number.to_string(),
            r.state.label_pl().to_owned(),
            r.classification.label_pl().to_owned(),
            r.source.as_str().to_owned(),
            local(r.reported_at),
            local(r.aware_at),
            occurred_text(r),
            r.location.clone().unwrap_or_default(),
            r.reporter_unit.clone().unwrap_or_default(),
            r.data_categories.join("; "),
            r.subjects_estimate
                .map(|n| n.to_string())
                .unwrap_or_default(),
            r.decision
                .as_ref()
                .map(|d| d.risk.clone())
                .unwrap_or_default(),
            r.decision
                .as_ref()
                .map(|d| yes_no(d.notify_sa).to_owned())
                .unwrap_or_default(),
            sa_sent.map(local).unwrap_or_default(),
            sa_sent
                .map(|at| yes_no(at <= r.aware_at + chrono::Duration::hours(72)).to_owned())
                .unwrap_or_default(),
            sa.and_then(|o| o.reference.clone()).unwrap_or_default(),
            r.decision
                .as_ref()
                .map(|d| yes_no(d.notify_subjects).to_owned())
                .unwrap_or_default(),
            subjects_sent.map(local).unwrap_or_default(),
            r.description.clone(),
            r.measures.clone().unwrap_or_default(),
        ]);
    }
    out
}

/// The register as JSON: times in UTC (RFC 3339), ids as the API uses them.
pub fn register_json(org: &Organisation, records: &[RegisterRecord]) -> Value {
    let cases: Vec<Value> = records
        .iter()
        .map(|r| {
            json!({
                "number": r.number.to_string(),
                "state": r.state.as_str(),
                "classification": r.classification.as_str(),
                "source": r.source.as_str(),
                "reported_at": r.reported_at,
                "aware_at": r.aware_at,
                "notification_deadline": r.aware_at + chrono::Duration::hours(72),
                "discovered_at": r.discovered_at,
                "occurred": occurred_text(r),
                "location": r.location,
                "unit": r.reporter_unit,
                "processor": r.processor_name,
                "data_categories": r.data_categories,
                "subjects_estimate": r.subjects_estimate,
                "decision": r.decision.as_ref().map(|d| json!({
                    "classification": d.classification, "risk": d.risk,
                    "notify_sa": d.notify_sa, "notify_subjects": d.notify_subjects,
                    "decided_at": d.decided_at, "first_assessed_at": d.first_assessed_at,
                })),
                "obligations": r.obligations.iter().map(|o| json!({
                    "kind": o.kind, "state": o.state, "deadline": o.deadline,
                    "sent_at": o.sent_at, "reference": o.reference,
                })).collect::<Vec<_>>(),
                "description": r.description,
                "measures": r.measures,
                "indicators": r.indicators.iter().map(|i| json!({"kind": i.kind, "value": i.value})).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "organisation": {"slug": org.slug.as_str(), "name": org.name},
        "count": cases.len(),
        "cases": cases,
    })
}

/// Warsaw time as Polish documents write it: `23.11.2026, 14:05`.
fn polish(at: DateTime<Utc>) -> String {
    at.with_timezone(&Warsaw)
        .format("%d.%m.%Y, %H:%M")
        .to_string()
}

fn label(known: &[(&str, &str)], id: &str) -> String {
    known
        .iter()
        .find(|(k, _)| *k == id)
        .map_or_else(|| id.to_owned(), |(_, l)| (*l).to_owned())
}

/// The register report for a period: the cases reported in it (Warsaw dates), with the
/// statistics of the same period. `by` is who asked for it.
pub fn register_report(
    org: &Organisation,
    records: &[RegisterRecord],
    period: &rejestr_stats::Period,
    by: &str,
    now: DateTime<Utc>,
) -> rejestr_drafting::RegisterReport {
    let cases: Vec<StatCase> = records.iter().map(|r| stat_case(org, r)).collect();
    let stats = rejestr_stats::compute(&cases, period, now);
    let timing = |t: &rejestr_stats::Timing| {
        t.median.map(rejestr_stats::polish::duration).map_or_else(
            || "brak danych".to_owned(),
            |m| format!("{m} (spraw: {})", t.samples),
        )
    };
    let p = &stats.puodo;
    let figures = vec![
        ("Zarejestrowane sprawy".to_owned(), stats.total.to_string()),
        (
            "Naruszenia ochrony danych osobowych".to_owned(),
            rejestr_stats::Statistics::count(&stats.by_classification, "personal_data_breach")
                .to_string(),
        ),
        (
            "Incydenty bezpieczeństwa bez naruszenia".to_owned(),
            rejestr_stats::Statistics::count(&stats.by_classification, "security_incident")
                .to_string(),
        ),
        (
            "Zgłoszenia do Prezesa UODO wymagane".to_owned(),
            p.required.to_string(),
        ),
        (
            "Zgłoszenia dokonane (w tym w terminie 72 godzin)".to_owned(),
            format!(
                "{} ({}{})",
                p.filed,
                p.in_time,
                p.in_time_share()
                    .map(|s| format!(", {:.0}%", s * 100.0))
                    .unwrap_or_default()
            ),
        ),
        ("Zgłoszenia po terminie".to_owned(), p.late.to_string()),
        (
            "Zgłoszenia oczekujące (w tym po terminie)".to_owned(),
            format!("{} ({})", p.pending, p.overdue),
        ),
        (
            "Mediana: od zgłoszenia do oceny".to_owned(),
            timing(&stats.time_to_assessment),
        ),
        (
            "Mediana: od stwierdzenia do zgłoszenia PUODO".to_owned(),
            timing(&stats.time_to_puodo),
        ),
    ];
    let rows = records
        .iter()
        .filter(|r| period.contains(r.reported_at))
        .map(|r| {
            let decision = r.decision.as_ref();
            let sa = r.obligation("notify_sa");
            let authority = match (decision, sa) {
                (None, _) => "nie oceniono".to_owned(),
                (Some(d), _) if !d.notify_sa => "niewymagane".to_owned(),
                (Some(_), Some(o)) => match o.sent_at {
                    Some(at) => {
                        let in_time = at <= r.aware_at + chrono::Duration::hours(72);
                        format!(
                            "zgłoszono {} ({}){}",
                            polish(at),
                            if in_time { "w terminie" } else { "po terminie" },
                            o.reference
                                .as_ref()
                                .map(|u| format!(", potwierdzenie {u}"))
                                .unwrap_or_default()
                        )
                    }
                    None if o.state == "not_required" => "niewymagane".to_owned(),
                    None => format!("wymagane do {}, niezgłoszone", polish(o.deadline)),
                },
                (Some(_), None) => "wymagane".to_owned(),
            };
            let subjects = match (decision, r.obligation("notify_subjects")) {
                (None, _) => "nie oceniono".to_owned(),
                (Some(d), _) if !d.notify_subjects => "niewymagane".to_owned(),
                (Some(_), Some(o)) => match o.sent_at {
                    Some(at) => format!("zawiadomiono {}", polish(at)),
                    None => "wymagane, niezawiadomione".to_owned(),
                },
                (Some(_), None) => "wymagane".to_owned(),
            };
            let mut description = r.description.clone();
            if let Some(n) = r.subjects_estimate {
                description.push_str(&format!("\nLiczba osób (szacunek): {n}"));
            }
            if !r.data_categories.is_empty() {
                let names: Vec<String> = r
                    .data_categories
                    .iter()
                    .map(|id| {
                        parse::<DataCategory>(id).map_or_else(
                            || id.clone(),
                            |c| rejestr_drafting::data_category_pl(c).to_owned(),
                        )
                    })
                    .collect();
                description.push_str(&format!("\nKategorie danych: {}", names.join(", ")));
            }
            rejestr_drafting::RegisterRow {
                number: r.number.to_string(),
                dates: format!("{}\n{}", polish(r.reported_at), polish(r.aware_at)),
                classification: r.classification.label_pl().to_owned(),
                risk: decision.map_or_else(
                    || "ryzyka nie oceniono".to_owned(),
                    |d| label(rejestr_stats::RISKS, &d.risk),
                ),
                description,
                measures: r.measures.clone().unwrap_or_default(),
                authority,
                subjects,
                state: r.state.label_pl().to_owned(),
            }
        })
        .collect();
    rejestr_drafting::RegisterReport {
        office: org.name.clone(),
        period: format!(
            "{} – {}",
            period.from.format("%d.%m.%Y"),
            period.to.format("%d.%m.%Y")
        ),
        generated_at: polish(now),
        generated_by: by.to_owned(),
        summary: rejestr_stats::yearly_summary(&stats),
        figures,
        rows,
    }
}
