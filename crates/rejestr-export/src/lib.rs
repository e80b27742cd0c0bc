//! Sharing cases with a CSIRT or an ISAC-JST: STIX 2.1 bundles and MISP events
//! (domain.md §6, design.md §7).
//!
//! The caller converts its case into a [`ShareCase`] and chooses a [`Tlp`]; [`stix_bundle`] and
//! [`misp_event`] return the JSON. Nothing here sends anything anywhere.
//!
//! **Pseudonymised by default.** An export carries categories, counts, times, the
//! classification, the risk, the ENISA score and band, the cause category, the technical
//! indicators and the TLP marking. It carries free text only when the IOD released it:
//! - `description` (and the comments on indicators) only with [`Released::description`];
//! - `measures` only with [`Released::measures`];
//! - [`Released::notes`], a note the IOD wrote for the recipients, whenever it is given.
//!
//! The organisation is named only with [`Released::organisation`]; otherwise the identity is
//! an anonymous one whose id derives from a fixed value and the sector, never from the
//! organisation, so that two offices' exports cannot be linked through it. The case number is
//! exported only when it looks like a register number (digits and `/ - .`), and the cause only
//! as one of the known category ids ([`CAUSES`]); anything else reads as `other`.
//!
//! **Deterministic.** Object ids are UUIDv5 from [`NAMESPACE`] and the case id (and what the
//! object is), so a re-export updates the same objects; the bundle id derives from the cases,
//! the TLP and [`ExportOptions::created`]. The same input gives the same bytes.
//!
//! Architecture Invariant: no IO, no clock, no randomness, no HTTP or database types; the
//! export time is a parameter.

mod ids;
mod indicator;
mod labels;
mod misp;
mod stix;
mod tlp;

pub mod fixtures;

use chrono::{DateTime, Utc};
use rejestr_risk::{Band, BreachType, Classification, DataCategory, Risk};

pub use ids::NAMESPACE;
pub use indicator::{Indicator, IndicatorError, IndicatorKind};
pub use labels::{CAUSES, Cause};
pub use misp::{misp_attribute_count, misp_event};
pub use stix::{IMPACT_EXTENSION, INCIDENT_CORE_EXTENSION, rejestr72_extension_id, stix_bundle};
pub use tlp::{TLP_2_0_CREATED, TLP_2_0_EXTENSION, Tlp, TlpError};

/// The reporting organisation.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareOrg {
    pub id: uuid::Uuid,
    pub name: String,
    /// A STIX industry sector (e.g. `government-local`, `education`, `healthcare`) or a Polish
    /// shorthand (`jst`, `oświata`, `zdrowie`); anything else reads as `government-local`.
    pub sector: Option<String>,
}

/// What the export needs of a case. Built by the caller from its own records.
#[derive(Debug, Clone, PartialEq)]
pub struct ShareCase {
    pub case_id: uuid::Uuid,
    /// The register number, e.g. `0042/2026`.
    pub number: String,
    pub organisation: ShareOrg,
    pub reported_at: DateTime<Utc>,
    pub occurred_at: Option<DateTime<Utc>>,
    pub detected_at: Option<DateTime<Utc>>,
    pub aware_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    /// `None`: not assessed yet.
    pub classification: Option<Classification>,
    pub breach_types: Vec<BreachType>,
    pub risk: Option<Risk>,
    pub enisa_band: Option<Band>,
    pub enisa_score: Option<f64>,
    pub malicious: Option<bool>,
    /// A cause category id from [`CAUSES`], e.g. `ransomware`, `phishing`.
    pub cause: Option<String>,
    pub data_categories: Vec<DataCategory>,
    pub subjects_count: Option<u64>,
    pub records_count: Option<u64>,
    pub notified_sa: bool,
    pub notified_subjects: bool,
    pub closed: bool,
    pub indicators: Vec<Indicator>,
    /// Free text: exported only with [`Released::description`].
    pub description: String,
    /// Free text: exported only with [`Released::measures`].
    pub measures: Option<String>,
    pub released: Released,
}

/// What the IOD released for sharing. The default releases nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Released {
    pub description: bool,
    pub measures: bool,
    pub organisation: bool,
    /// A note the IOD wrote for the recipients; exported whenever it is given.
    pub notes: Option<String>,
}

/// How to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportOptions {
    pub tlp: Tlp,
    /// When the export is made (the bundle id derives from it; object ids do not).
    pub created: DateTime<Utc>,
}

impl ShareCase {
    /// Whether personal data are affected, as far as the case tells.
    fn personal(&self) -> bool {
        self.classification == Some(Classification::PersonalDataBreach)
            || !self.data_categories.is_empty()
    }

    /// Whether an art. 9 or 10 category is affected.
    pub fn special_categories(&self) -> bool {
        self.data_categories.iter().any(|c| c.is_special())
    }

    /// The released free text, trimmed; `None` when not released or blank.
    fn released_description(&self) -> Option<&str> {
        released_text(self.released.description, Some(&self.description))
    }

    fn released_measures(&self) -> Option<&str> {
        released_text(self.released.measures, self.measures.as_deref())
    }

    fn released_notes(&self) -> Option<&str> {
        released_text(true, self.released.notes.as_deref())
    }

    /// The organisation name, when released and not blank.
    fn released_organisation(&self) -> Option<&str> {
        released_text(self.released.organisation, Some(&self.organisation.name))
    }

    /// Breach types without repetition, in C, I, A order.
    fn breach_types(&self) -> Vec<BreachType> {
        [
            BreachType::Confidentiality,
            BreachType::Integrity,
            BreachType::Availability,
        ]
        .into_iter()
        .filter(|t| self.breach_types.contains(t))
        .collect()
    }

    /// Data category ids without repetition, in the order of [`DataCategory::ALL`].
    fn category_ids(&self) -> Vec<&'static str> {
        DataCategory::ALL
            .into_iter()
            .filter(|c| self.data_categories.contains(c))
            .map(DataCategory::id)
            .collect()
    }
}

fn released_text(released: bool, text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| released && !t.is_empty())
}
