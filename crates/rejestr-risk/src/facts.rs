//! Facts v1: what the IOD established about an incident (design.md §10).
//!
//! Only `personal_data` is required. Where a fact is unknown the engine takes the cautious
//! reading and says so in a reason. Unknown fields are refused: a typo must not silently
//! change a legal conclusion.

use serde::{Deserialize, Serialize};

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
}

/// The IOD's own DPC score, replacing the engine's, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DpcOverride {
    pub score: u8,
    pub justification: String,
}

/// Why a Facts document was refused, in one line naming the field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FactsError(pub String);

/// Reads and checks a Facts v1 document.
pub fn parse_facts(json: &str) -> Result<Facts, FactsError> {
    let facts: Facts =
        serde_json::from_str(json).map_err(|e| FactsError(format!("invalid Facts: {e}")))?;
    validate(&facts)?;
    Ok(facts)
}

/// Checks what the types cannot.
pub fn validate(facts: &Facts) -> Result<(), FactsError> {
    if let Some(hours) = facts.restored_within_hours
        && !(hours.is_finite() && hours >= 0.0)
    {
        return Err(FactsError(
            "invalid Facts: restored_within_hours must be a number of hours, 0 or more".to_owned(),
        ));
    }
    if let Some(dpc) = &facts.dpc_override {
        if !(1..=4).contains(&dpc.score) {
            return Err(FactsError(
                "invalid Facts: dpc_override.score must be 1, 2, 3 or 4".to_owned(),
            ));
        }
        if dpc.justification.trim().is_empty() {
            return Err(FactsError(
                "invalid Facts: dpc_override.justification must explain the score".to_owned(),
            ));
        }
    }
    Ok(())
}
