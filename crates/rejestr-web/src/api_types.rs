//! The JSON bodies of the API. Handlers return these types and the OpenAPI document is
//! derived from them, so the documentation cannot drift from what is sent.

use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

/// Every API error: `{"error": {"code", "message", "fields"}}`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ErrorDetail {
    /// Stable, machine-readable: `validation_failed`, `malformed_json`, `not_found`, …
    pub code: String,
    /// For developers, in English.
    pub message: String,
    /// One entry per invalid field (validation errors only).
    pub fields: Vec<FieldProblem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct FieldProblem {
    /// The field's name as in the request, e.g. `discovered_at`.
    pub field: String,
    /// `required`, `too_short`, `in_future`, `invalid_time`, …
    pub code: String,
    pub message: String,
    /// The message for people, in Polish.
    pub message_pl: String,
}

/// The answer to an accepted report.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ReportCreated {
    /// `NNNN/YYYY`, per organisation and year.
    #[schema(example = "0001/2026")]
    pub number: String,
    pub organisation: String,
    #[schema(example = "reported")]
    pub state: String,
    #[schema(example = "zgłoszona")]
    pub state_label: String,
    pub reported_at: String,
    /// The private page where the reporter follows the case.
    pub status_url: String,
    /// The secret of `status_url`; it is not stored and cannot be recovered.
    pub follow_token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OrganisationList {
    pub organisations: Vec<OrganisationEntry>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct OrganisationEntry {
    pub slug: String,
    pub name: String,
    /// `reporter`, `iod`, `asi`, `head`, `auditor`, `admin`.
    pub roles: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CaseSummary {
    #[schema(example = "0012/2026")]
    pub number: String,
    pub year: i32,
    pub seq: u32,
    /// `reported`, `triage`, `assessed`, `notifying`, `closed`, `rejected`, `reopened`.
    pub state: String,
    /// `unclassified`, `not_an_incident`, `security_incident`, `personal_data_breach`.
    pub classification: String,
    /// `employee` or `processor`.
    pub source: String,
    pub excerpt: String,
    pub location: Option<String>,
    pub reported_at: String,
    /// When the controller became aware: the 72 hours run from here.
    pub aware_at: String,
    /// `aware_at` + 72 elapsed hours (art. 33(1) GDPR).
    pub notification_deadline: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CaseList {
    pub total: u64,
    /// One-based.
    pub page: u64,
    pub pages: u64,
    pub cases: Vec<CaseSummary>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct CaseDetailBody {
    #[serde(flatten)]
    pub summary: CaseSummary,
    pub description: String,
    /// `unknown`, `at` or `range`.
    pub occurred: String,
    pub occurred_from: Option<String>,
    pub occurred_to: Option<String>,
    pub discovered_at: String,
    pub data_categories: Vec<String>,
    pub subjects_estimate: Option<i32>,
    pub reporter: ReporterBody,
    pub processor: Option<ProcessorBody>,
    pub attachments: Vec<AttachmentBody>,
    pub notes: Vec<NoteBody>,
    /// The case's events from the tamper-evident audit trail, oldest first.
    pub timeline: Vec<EventBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ReporterBody {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub unit: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ProcessorBody {
    pub name: String,
    pub contract: Option<String>,
    pub aware_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AttachmentBody {
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct NoteBody {
    pub author: String,
    pub created_at: String,
    pub body: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EventBody {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    /// `case.reported`, `case.state_changed`, `case.note_added`, …
    pub action: String,
    #[schema(value_type = Object)]
    pub data: Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct StateChanged {
    pub state: String,
    pub state_label: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct NoteCreated {
    pub created: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Health {
    /// `ok` or `unavailable`.
    pub status: String,
    pub database: String,
    pub version: String,
}

/// The answer of `/healthz/live`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Liveness {
    /// Always `ok`: the process answers.
    pub status: String,
    pub version: String,
}

/// The answer of `/healthz/ready`.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct Readiness {
    /// `ready` or `unavailable`.
    pub status: String,
    /// `ok`, `unavailable` (does not answer) or `not_migrated` (migrations pending).
    pub database: String,
    /// Migrations this version needs that the database has not applied yet.
    pub pending_migrations: Vec<String>,
    pub version: String,
}
