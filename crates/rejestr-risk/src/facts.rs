//! Facts v1: what the IOD established about an incident (design.md §10).
//!
//! Only `personal_data` is required. Where a fact is unknown the engine takes the cautious
//! reading and says so in a reason. Unknown fields are refused: a typo must not silently
//! change a legal conclusion.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facts {
    pub personal_data: bool,
    #[serde(default)]
    pub attempt_only: bool,
    #[serde(default)]
    pub confidentiality: Confidentiality,
    #[serde(default)]
    pub recipient_trusted_and_data_returned_or_deleted: bool,
    #[serde(default)]
    pub integrity: Integrity,
    #[serde(default)]
    pub availability: Availability,
    #[serde(default)]
    pub restored_within_hours: Option<f64>,
    /// Unknown (absent) is read as malicious: the cautious reading.
    #[serde(default)]
    pub malicious: Option<bool>,
    #[serde(default)]
    pub data_categories: Vec<DataCategory>,
    #[serde(default)]
    pub subjects_count: Option<u64>,
    #[serde(default)]
    pub vulnerable_subjects: bool,
    /// Unknown: `maximum` when names, identifiers, documents, contacts or images are involved,
    /// otherwise `significant`.
    #[serde(default)]
    pub identifiability: Option<Identifiability>,
    #[serde(default)]
    pub encryption: Encryption,
    #[serde(default)]
    pub publicly_available_before: bool,
    #[serde(default)]
    pub measures_remove_high_risk: bool,
    #[serde(default)]
    pub individual_contact_disproportionate: bool,
    #[serde(default)]
    pub dpc_override: Option<DpcOverride>,
    /// The organisation's status under the KSC act; absent: not assessed here (the
    /// organisation's profile in the register decides the CSIRT reports).
    #[serde(default)]
    pub ksc_status: Option<KscStatus>,
    /// For essential and important entities (KSC after the NIS2 amendment): whether the incident
    /// is significant (*poważny*). Unknown is read as significant: the cautious reading.
    #[serde(default)]
    pub significant_incident: Option<bool>,
    /// The office acts as processor in this case (e.g. it runs a system for another unit):
    /// it notifies the controller without undue delay (art. 33(2)); the notification to
    /// Prezes UODO and the communication to the subjects are the controller's to decide.
    #[serde(default)]
    pub acting_as_processor: bool,
    /// The controller the office processes for, when it acts as processor.
    #[serde(default)]
    pub controller_name: Option<String>,
    /// The processing contract's target for notifying the controller, in hours (1–168);
    /// absent: 24 hours.
    #[serde(default)]
    pub controller_deadline_hours: Option<u32>,
}

/// The processor's target for notifying the controller when the contract names none, in hours.
pub const DEFAULT_CONTROLLER_DEADLINE_HOURS: u32 = 24;
/// The longest target a contract may set here, in hours (a week).
pub const MAX_CONTROLLER_DEADLINE_HOURS: u32 = 168;

impl Facts {
    /// The hours the processor has to notify the controller (the contract's, or 24).
    pub fn controller_deadline_hours(&self) -> u32 {
        self.controller_deadline_hours
            .unwrap_or(DEFAULT_CONTROLLER_DEADLINE_HOURS)
    }
}

/// The organisation's status under the KSC act (domain.md §5), the same ids as the
/// organisation profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KscStatus {
    /// Not covered: no CSIRT reporting duty (voluntary reports remain possible).
    NotCovered,
    /// A public entity under KSC art. 21–22: every incident to CSIRT NASK / GOV / MON within
    /// 24 hours of detection.
    PublicEntity,
    /// An essential entity (*podmiot kluczowy*) under the NIS2 amendment.
    Essential,
    /// An important entity (*podmiot ważny*) under the NIS2 amendment.
    Important,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidentiality {
    #[default]
    None,
    KnownRecipients,
    UnknownRecipients,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Integrity {
    #[default]
    None,
    Recoverable,
    Unrecoverable,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    #[default]
    None,
    Temporary,
    Permanent,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Identifiability {
    Negligible,
    Limited,
    Significant,
    Maximum,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Encryption {
    #[default]
    None,
    StateOfTheArtKeySafe,
    WeakOrKeyCompromised,
}

/// The data categories of Facts v1 (the report form's checkboxes use the same ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DataCategory {
    Identity,
    Contact,
    NationalId,
    IdDocument,
    Credentials,
    Financial,
    PaymentCard,
    Location,
    Behavioural,
    CommunicationsContent,
    Employment,
    Education,
    Image,
    SocialWelfare,
    Health,
    SpecialCategory,
    Criminal,
}

impl DataCategory {
    pub const ALL: [DataCategory; 17] = [
        DataCategory::Identity,
        DataCategory::Contact,
        DataCategory::NationalId,
        DataCategory::IdDocument,
        DataCategory::Credentials,
        DataCategory::Financial,
        DataCategory::PaymentCard,
        DataCategory::Location,
        DataCategory::Behavioural,
        DataCategory::CommunicationsContent,
        DataCategory::Employment,
        DataCategory::Education,
        DataCategory::Image,
        DataCategory::SocialWelfare,
        DataCategory::Health,
        DataCategory::SpecialCategory,
        DataCategory::Criminal,
    ];

    pub fn id(self) -> &'static str {
        match self {
            DataCategory::Identity => "identity",
            DataCategory::Contact => "contact",
            DataCategory::NationalId => "national_id",
            DataCategory::IdDocument => "id_document",
            DataCategory::Credentials => "credentials",
            DataCategory::Financial => "financial",
            DataCategory::PaymentCard => "payment_card",
            DataCategory::Location => "location",
            DataCategory::Behavioural => "behavioural",
            DataCategory::CommunicationsContent => "communications_content",
            DataCategory::Employment => "employment",
            DataCategory::Education => "education",
            DataCategory::Image => "image",
            DataCategory::SocialWelfare => "social_welfare",
            DataCategory::Health => "health",
            DataCategory::SpecialCategory => "special_category",
            DataCategory::Criminal => "criminal",
        }
    }

    /// Art. 9 special categories and art. 10 criminal data: damage "should be considered likely".
    pub fn is_special(self) -> bool {
        matches!(
            self,
            DataCategory::Health | DataCategory::SpecialCategory | DataCategory::Criminal
        )
    }

    /// PESEL, identity documents and payment cards: disclosure enables identity theft or fraud.
    pub fn enables_identity_theft(self) -> bool {
        matches!(
            self,
            DataCategory::NationalId | DataCategory::IdDocument | DataCategory::PaymentCard
        )
    }
}

/// The IOD's own DPC score, replacing the engine's, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DpcOverride {
    pub score: u8,
    pub justification: String,
}

/// Why a Facts document was refused: one line that names the field (e.g.
/// `invalid Facts: data_categories[2]: unknown variant ...`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{0}")]
pub struct FactsError(pub String);

impl FactsError {
    fn at(path: &str, message: impl std::fmt::Display) -> Self {
        let line = message.to_string().replace(['\n', '\r'], " ");
        FactsError(format!("invalid Facts: {path}: {line}"))
    }
}

/// The fields of Facts v1, in the order of design.md §10 (then the later additions).
pub const FIELDS: [&str; 22] = [
    "personal_data",
    "attempt_only",
    "confidentiality",
    "recipient_trusted_and_data_returned_or_deleted",
    "integrity",
    "availability",
    "restored_within_hours",
    "malicious",
    "data_categories",
    "subjects_count",
    "vulnerable_subjects",
    "identifiability",
    "encryption",
    "publicly_available_before",
    "measures_remove_high_risk",
    "individual_contact_disproportionate",
    "dpc_override",
    "ksc_status",
    "significant_incident",
    "acting_as_processor",
    "controller_name",
    "controller_deadline_hours",
];

const DPC_OVERRIDE_FIELDS: [&str; 2] = ["score", "justification"];

/// Reads and checks a Facts v1 document. The error is one line and names the offending field,
/// with its path inside arrays and objects where it has one.
pub fn parse_facts(json: &str) -> Result<Facts, FactsError> {
    let value: Value = serde_json::from_str(json)
        .map_err(|e| FactsError(format!("invalid Facts: not a JSON document: {e}")))?;
    let Value::Object(fields) = &value else {
        return Err(FactsError(
            "invalid Facts: expected a JSON object such as {\"personal_data\": true}".to_owned(),
        ));
    };
    if !fields.contains_key("personal_data") {
        return Err(FactsError::at(
            "personal_data",
            "missing; it is the only required field (true or false)",
        ));
    }
    // Each field alone, so that the error names the field rather than a column number.
    for (name, field) in fields {
        check_field(name, field)?;
    }
    let facts: Facts =
        serde_json::from_value(value).map_err(|e| FactsError::at("(document)", e))?;
    validate(&facts)?;
    Ok(facts)
}

fn check_field(name: &str, field: &Value) -> Result<(), FactsError> {
    if !FIELDS.contains(&name) {
        return Err(FactsError::at(
            name,
            format!("unknown field{}", suggestion(name, &FIELDS)),
        ));
    }
    let mut alone = Map::new();
    if name != "personal_data" {
        alone.insert("personal_data".to_owned(), Value::Bool(true));
    }
    alone.insert(name.to_owned(), field.clone());
    let Err(error) = serde_json::from_value::<Facts>(Value::Object(alone)) else {
        return Ok(());
    };
    match (name, field) {
        ("data_categories", Value::Array(items)) => {
            for (index, item) in items.iter().enumerate() {
                if let Err(e) = serde_json::from_value::<DataCategory>(item.clone()) {
                    return Err(FactsError::at(&format!("data_categories[{index}]"), e));
                }
            }
        }
        ("dpc_override", Value::Object(inner)) => {
            for key in inner.keys() {
                if !DPC_OVERRIDE_FIELDS.contains(&key.as_str()) {
                    return Err(FactsError::at(
                        &format!("dpc_override.{key}"),
                        format!("unknown field{}", suggestion(key, &DPC_OVERRIDE_FIELDS)),
                    ));
                }
            }
            for key in DPC_OVERRIDE_FIELDS {
                match inner.get(key) {
                    None => {
                        return Err(FactsError::at(&format!("dpc_override.{key}"), "missing"));
                    }
                    Some(v)
                        if key == "score" && serde_json::from_value::<u8>(v.clone()).is_err() =>
                    {
                        return Err(FactsError::at(
                            "dpc_override.score",
                            format!("expected 1, 2, 3 or 4, found {v}"),
                        ));
                    }
                    Some(v) if key == "justification" && !v.is_string() => {
                        return Err(FactsError::at(
                            "dpc_override.justification",
                            format!("expected a text, found {v}"),
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
        _ => {}
    }
    Err(FactsError::at(name, error))
}

/// ` (did you mean `x`?)` when a known name is within two edits of a misspelt one.
fn suggestion(name: &str, known: &[&str]) -> String {
    known
        .iter()
        .map(|k| (edit_distance(name, k), *k))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map_or_else(String::new, |(_, k)| format!(" (did you mean `{k}`?)"))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

/// Checks what the types cannot (also for Facts built without [`parse_facts`]).
pub fn validate(facts: &Facts) -> Result<(), FactsError> {
    if let Some(hours) = facts.restored_within_hours
        && !(hours.is_finite() && hours >= 0.0)
    {
        return Err(FactsError::at(
            "restored_within_hours",
            "must be a number of hours, 0 or more",
        ));
    }
    if let Some(hours) = facts.controller_deadline_hours
        && !(1..=MAX_CONTROLLER_DEADLINE_HOURS).contains(&hours)
    {
        return Err(FactsError::at(
            "controller_deadline_hours",
            format!("must be 1 to {MAX_CONTROLLER_DEADLINE_HOURS} hours, found {hours}"),
        ));
    }
    if facts
        .controller_name
        .as_deref()
        .is_some_and(|name| name.trim().is_empty() || name.chars().count() > 300)
    {
        return Err(FactsError::at(
            "controller_name",
            "must name the controller (1 to 300 characters)",
        ));
    }
    if let Some(dpc) = &facts.dpc_override {
        if !(1..=4).contains(&dpc.score) {
            return Err(FactsError::at(
                "dpc_override.score",
                format!("must be 1, 2, 3 or 4, found {}", dpc.score),
            ));
        }
        if dpc.justification.trim().is_empty() {
            return Err(FactsError::at(
                "dpc_override.justification",
                "must explain the score",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(json: &str) -> String {
        match parse_facts(json) {
            Ok(facts) => format!("accepted: {facts:?}"),
            Err(e) => e.0,
        }
    }

    #[test]
    fn the_field_list_matches_the_type() -> Result<(), serde_json::Error> {
        let facts = parse_facts(r#"{"personal_data": true}"#).map_err(serde::de::Error::custom)?;
        let value = serde_json::to_value(facts)?;
        let keys: Vec<&str> = value
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let mut expected = FIELDS.to_vec();
        expected.sort_unstable();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(keys, expected);
        Ok(())
    }

    #[test]
    fn only_personal_data_is_required_and_defaults_are_cautious() {
        let facts = parse_facts(r#"{"personal_data": false}"#);
        assert!(facts.is_ok(), "{facts:?}");
        if let Ok(facts) = facts {
            assert_eq!(facts.encryption, Encryption::None);
            assert_eq!(facts.malicious, None);
            assert_eq!(facts.identifiability, None);
            assert_eq!(facts.ksc_status, None);
        }
        assert!(error("{}").starts_with("invalid Facts: personal_data: missing"));
    }

    #[test]
    fn errors_name_the_field_on_one_line() {
        let cases = [
            (
                r#"{"personal_data": true, "confidentialty": "none"}"#,
                "confidentialty: unknown field (did you mean `confidentiality`?)",
            ),
            (
                r#"{"personal_data": true, "integrity": "broken"}"#,
                "integrity: unknown variant `broken`",
            ),
            (r#"{"personal_data": "yes"}"#, "personal_data: invalid type"),
            (
                r#"{"personal_data": true, "data_categories": ["identity", "helth"]}"#,
                "data_categories[1]: unknown variant `helth`",
            ),
            (
                r#"{"personal_data": true, "data_categories": "health"}"#,
                "data_categories: invalid type",
            ),
            (
                r#"{"personal_data": true, "subjects_count": -3}"#,
                "subjects_count: invalid value",
            ),
            (
                r#"{"personal_data": true, "dpc_override": {"score": 3}}"#,
                "dpc_override.justification: missing",
            ),
            (
                r#"{"personal_data": true, "dpc_override": {"score": 300, "justification": "x"}}"#,
                "dpc_override.score: expected 1, 2, 3 or 4",
            ),
            (
                r#"{"personal_data": true, "dpc_override": {"score": 5, "justification": "x"}}"#,
                "dpc_override.score: must be 1, 2, 3 or 4",
            ),
            (
                r#"{"personal_data": true, "dpc_override": {"score": 3, "justification": " "}}"#,
                "dpc_override.justification: must explain",
            ),
            (
                r#"{"personal_data": true, "dpc_override": {"scor": 3, "justification": "x"}}"#,
                "dpc_override.scor: unknown field (did you mean `score`?)",
            ),
            (
                r#"{"personal_data": true, "restored_within_hours": -1}"#,
                "restored_within_hours: must be",
            ),
            (
                r#"{"personal_data": true, "ksc_status": "kluczowy"}"#,
                "ksc_status: unknown variant",
            ),
            (
                r#"{"personal_data": true, "controller_deadline_hours": 0}"#,
                "controller_deadline_hours: must be 1 to 168 hours, found 0",
            ),
            (
                r#"{"personal_data": true, "controller_deadline_hours": "24h"}"#,
                "controller_deadline_hours: invalid type",
            ),
            (
                r#"{"personal_data": true, "controller_name": "  "}"#,
                "controller_name: must name the controller",
            ),
            (
                r#"{"personal_data": true, "acting_as_procesor": true}"#,
                "acting_as_procesor: unknown field (did you mean `acting_as_processor`?)",
            ),
            (r#"[1, 2]"#, "expected a JSON object"),
            ("{\"personal_data\": tru", "not a JSON document"),
        ];
        for (json, wanted) in cases {
            let message = error(json);
            assert!(
                message.contains(wanted),
                "{json}\n  gave {message}\n  wanted {wanted}"
            );
            assert!(!message.contains('\n'), "{message}");
        }
    }

    #[test]
    fn a_complete_document_is_accepted() {
        let json = r#"{
            "personal_data": true, "attempt_only": false, "confidentiality": "known_recipients",
            "recipient_trusted_and_data_returned_or_deleted": false, "integrity": "recoverable",
            "availability": "temporary", "restored_within_hours": 6, "malicious": true,
            "data_categories": ["identity", "contact", "national_id", "id_document", "credentials",
                "financial", "payment_card", "location", "behavioural", "communications_content",
                "employment", "education", "image", "social_welfare", "health", "special_category",
                "criminal"],
            "subjects_count": 1200, "vulnerable_subjects": false, "identifiability": "significant",
            "encryption": "weak_or_key_compromised", "publicly_available_before": false,
            "measures_remove_high_risk": false, "individual_contact_disproportionate": false,
            "dpc_override": {"score": 3, "justification": "wyciąg z ewidencji"},
            "ksc_status": "public_entity", "significant_incident": true,
            "acting_as_processor": true, "controller_name": "Gminny Ośrodek Pomocy Społecznej",
            "controller_deadline_hours": 12
        }"#;
        let facts = parse_facts(json);
        assert!(facts.is_ok(), "{facts:?}");
        if let Ok(facts) = facts {
            assert_eq!(facts.data_categories, DataCategory::ALL.to_vec());
            assert_eq!(facts.controller_deadline_hours(), 12);
        }
    }

    #[test]
    fn a_document_written_before_the_processor_facts_still_parses() {
        let old = r#"{"personal_data": true, "confidentiality": "known_recipients",
            "ksc_status": "public_entity", "significant_incident": true}"#;
        let facts = parse_facts(old);
        assert!(facts.is_ok(), "{facts:?}");
        if let Ok(facts) = facts {
            assert!(!facts.acting_as_processor);
            assert_eq!(facts.controller_name, None);
            assert_eq!(facts.controller_deadline_hours(), 24);
        }
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("malicous", "malicious"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
        assert_eq!(suggestion("zzzzzz", &FIELDS), "");
    }
}
