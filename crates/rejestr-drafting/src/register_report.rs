//! The register report for a period (art. 33(5) GDPR documentation): what an auditor or a
//! PUODO inspector reads — the statistics of the period in sentences and figures, then every
//! case with its dates, classification and risk, what happened and what was done, and how the
//! notifications went. The web layer fills it from the register; Typst lays it out.

use serde::Serialize;

/// The whole report, already formatted as text (dates in Polish time).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RegisterReport {
    pub office: String,
    /// E.g. `1.01.2026 – 31.12.2026`.
    pub period: String,
    pub generated_at: String,
    pub generated_by: String,
    /// The summary sentences for the head of the office.
    pub summary: Vec<String>,
    /// Label and value pairs (counts, timeliness, medians).
    pub figures: Vec<(String, String)>,
    pub rows: Vec<RegisterRow>,
}

/// One case of the register.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RegisterRow {
    pub number: String,
    /// When reported and when the office became aware (the start of the 72 hours).
    pub dates: String,
    pub classification: String,
    pub risk: String,
    /// What happened and its effects (the description of the report).
    pub description: String,
    /// The remedial action taken.
    pub measures: String,
    /// Prezes UODO (art. 33): required or not, when notified, in time, UPO.
    pub authority: String,
    /// Data subjects (art. 34).
    pub subjects: String,
    pub state: String,
}

impl RegisterReport {
    /// The data Typst reads (`sys.inputs.data`).
    pub(crate) fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }
}
