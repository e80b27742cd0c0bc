//! Assessment v1: the engine's output (design.md §10).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub rule_set: String,
    pub classification: Classification,
    pub breach_types: Vec<BreachType>,
    /// The ENISA severity; absent when no personal data is affected.
    pub enisa: Option<Enisa>,
    pub risk: Risk,
    /// The EDPB 9/2022 factors present in the facts, aggravating or mitigating, in a fixed
    /// order (added to v1; absent in assessments recorded before it).
    #[serde(default)]
    pub edpb_factors: Vec<EdpbFactor>,
    pub obligations: Obligations,
    /// Every conclusion with the rule and the facts behind it.
    pub reasons: Vec<Reason>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    NotAnIncident,
    SecurityIncident,
    PersonalDataBreach,
}

impl Classification {
    pub fn as_str(self) -> &'static str {
        match self {
            Classification::NotAnIncident => "not_an_incident",
            Classification::SecurityIncident => "security_incident",
            Classification::PersonalDataBreach => "personal_data_breach",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreachType {
    Confidentiality,
    Integrity,
    Availability,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Enisa {
    pub dpc: u8,
    pub ei: f64,
    pub cb: f64,
    pub score: f64,
    pub band: Band,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    Low,
    Medium,
    High,
    VeryHigh,
}

/// Ordered: `None < Risk < High`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Risk {
    None,
    Risk,
    High,
}

impl Risk {
    pub fn as_str(self) -> &'static str {
        match self {
            Risk::None => "none",
            Risk::Risk => "risk",
            Risk::High => "high",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Obligations {
    /// Art. 33(5): every incident and breach is documented in the register.
    pub document: bool,
    /// Art. 33(1): notify Prezes UODO within 72 hours of awareness.
    pub notify_sa: bool,
    /// Art. 34(1): communicate to the data subjects without undue delay.
    pub notify_subjects: bool,
    /// Art. 34(3)(c): a public communication instead of individual letters.
    pub public_communication: bool,
    /// KSC act: report the incident to the competent CSIRT (NASK, GOV or MON). Only decided when
    /// the facts carry `ksc_status`; otherwise the organisation's profile decides (added to v1).
    #[serde(default)]
    pub report_csirt: bool,
    /// Art. 33(2): the office acts as processor and notifies the controller without undue
    /// delay, by the contract's target (added to v1; false in assessments recorded before it).
    #[serde(default)]
    pub notify_controller: bool,
}

/// The risk factors of EDPB Guidelines 9/2022 §IV.B that the engine weighs (domain.md §2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EdpbFactor {
    /// Art. 9 or 10 data exposed: damage "should be considered likely" (raises to high).
    SpecialCategories,
    /// PESEL, identity-document or payment-card data disclosed (raises to high).
    IdentityTheft,
    /// Children, welfare clients, patients, victims (at least a risk).
    VulnerableSubjects,
    /// 1,000 people or more (at least a risk).
    ManySubjects,
    /// The data are in the hands of a malicious actor (at least a risk).
    MaliciousActor,
    /// A known, trusted recipient returned or deleted the data (mitigating, through CB).
    TrustedRecipient,
    /// The data were publicly available before the breach (mitigating, through DPC).
    PubliclyAvailable,
    /// Only data unintelligible to others (state-of-the-art encryption, key safe) were
    /// disclosed: unlikely to result in a risk.
    Unintelligible,
}

impl EdpbFactor {
    /// Whether the factor can only raise the risk.
    pub fn is_aggravating(self) -> bool {
        matches!(
            self,
            EdpbFactor::SpecialCategories
                | EdpbFactor::IdentityTheft
                | EdpbFactor::VulnerableSubjects
                | EdpbFactor::ManySubjects
                | EdpbFactor::MaliciousActor
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    /// A stable rule id, e.g. `R-ENISA-BAND`.
    pub rule: String,
    /// The Facts fields that triggered it.
    pub facts: Vec<String>,
    pub pl: String,
    pub en: String,
    /// The legal provision or method the rule applies, e.g. `GDPR art. 34(3)(a)` or
    /// `ENISA 2013: CB` (added to v1; empty in assessments recorded before it).
    #[serde(default)]
    pub basis: String,
}
