//! What the register knows about a case, handed to the drafting code by the storage layer.

use chrono::{DateTime, Utc};
use rejestr_risk::{Assessment, Facts};
use serde::{Deserialize, Serialize};

/// The controller: the office whose register holds the case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Controller {
    pub name: String,
    pub regon: Option<String>,
    pub address: String,
    pub iod_name: String,
    pub iod_email: String,
    pub iod_phone: Option<String>,
    /// `essential`, `important`, `public_entity` or `none` (KSC act).
    pub ksc_status: String,
    /// The CSIRT the office reports to (`nask`, `gov`, `mon`), if any.
    pub csirt: Option<String>,
}

/// The processor who told the controller about the breach (GDPR art. 33(2)).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Processor {
    pub name: String,
    pub contract: Option<String>,
    pub notified_at: Option<DateTime<Utc>>,
}

/// The IOD's recorded decision, beside the engine's proposal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub facts: Facts,
    pub assessment: Assessment,
    /// `none`, `risk` or `high`: the IOD's conclusion, which may differ from the engine's.
    pub risk: String,
    pub notify_sa: bool,
    pub notify_subjects: bool,
    pub justification: Option<String>,
}

/// Everything about a case a document may state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaseContext {
    pub controller: Controller,
    /// `0042/2026`.
    pub number: String,
    pub description: String,
    pub occurred_at: Option<DateTime<Utc>>,
    pub discovered_at: DateTime<Utc>,
    pub aware_at: Option<DateTime<Utc>>,
    pub processor: Option<Processor>,
    pub subjects_estimate: Option<u64>,
    pub decision: Option<Decision>,
    /// The PUODO deadline (aware_at + 72 elapsed hours), when the obligation exists.
    pub sa_deadline: Option<DateTime<Utc>>,
    /// When the document is drafted: decides "late" and the date of a letter.
    pub now: DateTime<Utc>,
}
