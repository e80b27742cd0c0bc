//! The closed vocabularies an export may contain: cause categories, sectors, and the Polish
//! phrases built only from them (never from free text).

use rejestr_risk::{Band, BreachType, Classification, Risk};

use crate::ShareCase;

/// A cause category: its id, its Polish label, and what it says in STIX terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cause {
    pub id: &'static str,
    pub label_pl: &'static str,
    /// Incident Core Extension `incident_types` (open vocabulary).
    pub incident_types: &'static [&'static str],
    /// Incident Core Extension `detection_methods`, where the cause itself tells.
    pub detection_methods: &'static [&'static str],
}

const fn cause(
    id: &'static str,
    label_pl: &'static str,
    incident_types: &'static [&'static str],
    detection_methods: &'static [&'static str],
) -> Cause {
    Cause {
        id,
        label_pl,
        incident_types,
        detection_methods,
    }
}

/// The cause categories an export knows; an unknown or free-text cause reads as `other`.
pub const CAUSES: [Cause; 12] = [
    // A ransom note is how ransomware announces itself.
    cause(
        "ransomware",
        "ransomware",
        &["compromised-system", "unauthorized-access"],
        &["message-from-attacker"],
    ),
    cause(
        "malware",
        "złośliwe oprogramowanie",
        &["compromised-system"],
        &[],
    ),
    cause("phishing", "phishing", &["unauthorized-access"], &[]),
    cause(
        "unauthorised_access",
        "nieuprawniony dostęp",
        &["unauthorized-access"],
        &[],
    ),
    cause("ddos", "atak DDoS", &["denial-of-service"], &[]),
    cause(
        "misdirected_mail",
        "błędnie zaadresowana korespondencja",
        &["unauthorized-release"],
        &[],
    ),
    cause(
        "lost_device",
        "utrata urządzenia lub nośnika",
        &["equipment-loss"],
        &[],
    ),
    cause(
        "stolen_device",
        "kradzież urządzenia lub nośnika",
        &["equipment-theft"],
        &[],
    ),
    cause("insider", "nadużycie uprawnień", &["unauthorized-use"], &[]),
    cause("human_error", "błąd ludzki", &[], &[]),
    cause("system_failure", "awaria systemu", &[], &[]),
    cause("other", "inna przyczyna", &[], &[]),
];

const OTHER: Cause = CAUSES[CAUSES.len() - 1];

impl Cause {
    /// The category of a case's cause: `None` when none is given, `other` when it is not a
    /// known id (so that free text typed into the field never leaves).
    pub fn of(cause: Option<&str>) -> Option<Cause> {
        let id = cause.map(str::trim).filter(|c| !c.is_empty())?;
        Some(
            CAUSES
                .iter()
                .copied()
                .find(|c| c.id.eq_ignore_ascii_case(id))
                .unwrap_or(OTHER),
        )
    }
}

/// The STIX industry-sector-ov values.
const SECTORS: [&str; 34] = [
    "agriculture",
    "aerospace",
    "automotive",
    "chemical",
    "commercial",
    "communications",
    "construction",
    "defense",
    "education",
    "energy",
    "entertainment",
    "financial-services",
    "government",
    "government-emergency-services",
    "government-local",
    "government-national",
    "government-public-services",
    "government-regional",
    "healthcare",
    "hospitality-leisure",
    "infrastructure",
    "dams",
    "nuclear",
    "water",
    "insurance",
    "manufacturing",
    "mining",
    "non-profit",
    "pharmaceuticals",
    "retail",
    "technology",
    "telecommunications",
    "transportation",
    "utilities",
];

/// The STIX sector of an organisation; `government-local` unless told otherwise.
pub(crate) fn sector(sector: Option<&str>) -> &'static str {
    let Some(given) = sector.map(|s| s.trim().to_lowercase()) else {
        return "government-local";
    };
    if let Some(known) = SECTORS.iter().find(|s| **s == given) {
        return known;
    }
    match given.as_str() {
        "oświata" | "oswiata" | "szkoła" | "szkola" => "education",
        "zdrowie" | "ochrona zdrowia" => "healthcare",
        "pomoc społeczna" | "pomoc spoleczna" => "government-public-services",
        "administracja rządowa" | "administracja rzadowa" => "government-national",
        "województwo" | "wojewodztwo" => "government-regional",
        _ => "government-local",
    }
}

/// The name of the anonymous identity of a sector.
pub(crate) fn anonymous_name(sector: &str) -> &'static str {
    match sector {
        "government-local" => "Jednostka samorządu terytorialnego (PL)",
        "government-regional" => "Jednostka samorządu województwa (PL)",
        "government-national" => "Jednostka administracji rządowej (PL)",
        "education" => "Jednostka oświatowa (PL)",
        "healthcare" => "Podmiot leczniczy (PL)",
        _ => "Podmiot publiczny (PL)",
    }
}

pub(crate) fn classification_pl(classification: Option<Classification>) -> &'static str {
    match classification {
        None => "zgłoszenie przed oceną",
        Some(Classification::NotAnIncident) => "zdarzenie niebędące incydentem",
        Some(Classification::SecurityIncident) => "incydent bezpieczeństwa",
        Some(Classification::PersonalDataBreach) => "naruszenie ochrony danych osobowych",
    }
}

pub(crate) fn breach_type_pl(breach_type: BreachType) -> &'static str {
    match breach_type {
        BreachType::Confidentiality => "poufność",
        BreachType::Integrity => "integralność",
        BreachType::Availability => "dostępność",
    }
}

pub(crate) fn breach_type_id(breach_type: BreachType) -> &'static str {
    match breach_type {
        BreachType::Confidentiality => "confidentiality",
        BreachType::Integrity => "integrity",
        BreachType::Availability => "availability",
    }
}

pub(crate) fn band_id(band: Band) -> &'static str {
    match band {
        Band::Low => "low",
        Band::Medium => "medium",
        Band::High => "high",
        Band::VeryHigh => "very_high",
    }
}

pub(crate) fn band_pl(band: Band) -> &'static str {
    match band {
        Band::Low => "niska",
        Band::Medium => "średnia",
        Band::High => "wysoka",
        Band::VeryHigh => "bardzo wysoka",
    }
}

pub(crate) fn risk_pl(risk: Risk) -> &'static str {
    match risk {
        Risk::None => "brak ryzyka",
        Risk::Risk => "ryzyko naruszenia praw lub wolności",
        Risk::High => "wysokie ryzyko naruszenia praw lub wolności",
    }
}

fn yes_no(value: bool) -> &'static str {
    if value { "tak" } else { "nie" }
}

/// A register number as exported: digits and `/ - .` only, or none at all (a number that
/// carries anything else is not exported).
pub(crate) fn case_number(number: &str) -> Option<&str> {
    let number = number.trim();
    let ok = !number.is_empty()
        && number.len() <= 32
        && number.chars().any(|c| c.is_ascii_digit())
        && number
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '/' | '-' | '.'));
    ok.then_some(number)
}

/// `R72 0042/2026: ransomware — naruszenie ochrony danych osobowych`: built from the number
/// and the categories only. At most 256 characters, one line.
pub(crate) fn title(case: &ShareCase) -> String {
    let number = case_number(&case.number).unwrap_or("(bez numeru)");
    let classification = classification_pl(case.classification);
    let title = match Cause::of(case.cause.as_deref()) {
        Some(cause) => format!("R72 {number}: {} — {classification}", cause.label_pl),
        None => format!("R72 {number}: {classification}"),
    };
    title.chars().take(256).collect()
}

/// The summary for the recipients: counts, categories, classification, severity and
/// obligations met; no free text.
pub(crate) fn summary(case: &ShareCase, organisation: &str) -> String {
    let mut parts = vec![
        format!("Rejestr72: {}", title(case)),
        format!("podmiot: {organisation}"),
        format!("klasyfikacja: {}", classification_pl(case.classification)),
    ];
    let types = case.breach_types();
    if !types.is_empty() {
        let types: Vec<&str> = types.into_iter().map(breach_type_pl).collect();
        parts.push(format!("naruszona: {}", types.join(", ")));
    }
    if let Some(cause) = Cause::of(case.cause.as_deref()) {
        parts.push(format!("przyczyna: {}", cause.label_pl));
    }
    if let Some(malicious) = case.malicious {
        parts.push(format!("działanie celowe: {}", yes_no(malicious)));
    }
    let categories = case.category_ids();
    if !categories.is_empty() {
        parts.push(format!("kategorie danych: {}", categories.join(", ")));
    }
    if case.special_categories() {
        parts.push("dane szczególnych kategorii (art. 9/10 RODO): tak".to_owned());
    }
    if let Some(n) = case.subjects_count {
        parts.push(format!("liczba osób: {n}"));
    }
    if let Some(n) = case.records_count {
        parts.push(format!("liczba rekordów: {n}"));
    }
    match (case.enisa_score.filter(|s| s.is_finite()), case.enisa_band) {
        (Some(score), Some(band)) => {
            parts.push(format!("ENISA SE {score:.2} ({})", band_pl(band)));
        }
        (Some(score), None) => parts.push(format!("ENISA SE {score:.2}")),
        (None, Some(band)) => parts.push(format!("ENISA: {}", band_pl(band))),
        (None, None) => {}
    }
    if let Some(risk) = case.risk {
        parts.push(format!("ryzyko: {}", risk_pl(risk)));
    }
    parts.push(format!("zgłoszono PUODO: {}", yes_no(case.notified_sa)));
    parts.push(format!(
        "zawiadomiono osoby: {}",
        yes_no(case.notified_subjects)
    ));
    parts.push(format!(
        "status: {}",
        if case.closed { "zamknięta" } else { "w toku" }
    ));
    parts.join("; ")
}
