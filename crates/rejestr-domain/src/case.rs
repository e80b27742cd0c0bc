//! The case (sprawa): its number, its states and the only transitions between them.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::org::UnknownValue;

/// A case number, `NNNN/YYYY`: a gap-free sequence per organisation and year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CaseNumber {
    pub year: i32,
    pub seq: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a case number looks like 0042/2026")]
pub struct CaseNumberError;

impl CaseNumber {
    pub fn new(seq: u32, year: i32) -> Result<Self, CaseNumberError> {
        if seq == 0 || !(2000..=9999).contains(&year) {
            return Err(CaseNumberError);
        }
        Ok(Self { year, seq })
    }
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}/{}", self.seq, self.year)
    }
}

impl FromStr for CaseNumber {
    type Err = CaseNumberError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (seq, year) = s.split_once('/').ok_or(CaseNumberError)?;
        if seq.len() < 4 || year.len() != 4 {
            return Err(CaseNumberError);
        }
        let seq = seq.parse().map_err(|_| CaseNumberError)?;
        let year = year.parse().map_err(|_| CaseNumberError)?;
        Self::new(seq, year)
    }
}

/// Where a case is in its life. See design.md §3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CaseState {
    Reported,
    Triage,
    Assessed,
    Notifying,
    Closed,
    Rejected,
    Reopened,
}

impl CaseState {
    pub const ALL: [CaseState; 7] = [
        CaseState::Reported,
        CaseState::Triage,
        CaseState::Assessed,
        CaseState::Notifying,
        CaseState::Closed,
        CaseState::Rejected,
        CaseState::Reopened,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CaseState::Reported => "reported",
            CaseState::Triage => "triage",
            CaseState::Assessed => "assessed",
            CaseState::Notifying => "notifying",
            CaseState::Closed => "closed",
            CaseState::Rejected => "rejected",
            CaseState::Reopened => "reopened",
        }
    }

    pub fn label_pl(self) -> &'static str {
        match self {
            CaseState::Reported => "zgłoszona",
            CaseState::Triage => "wstępna analiza",
            CaseState::Assessed => "oceniona",
            CaseState::Notifying => "w trakcie zawiadamiania",
            CaseState::Closed => "zamknięta",
            CaseState::Rejected => "odrzucona",
            CaseState::Reopened => "wznowiona",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            CaseState::Reported => "reported",
            CaseState::Triage => "triage",
            CaseState::Assessed => "assessed",
            CaseState::Notifying => "notifying",
            CaseState::Closed => "closed",
            CaseState::Rejected => "rejected",
            CaseState::Reopened => "reopened",
        }
    }

    /// Whether the case still needs work (and its deadlines still run).
    pub fn is_open(self) -> bool {
        !matches!(self, CaseState::Closed | CaseState::Rejected)
    }
}

impl FromStr for CaseState {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CaseState::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownValue::new("state", s))
    }
}

/// What may be done to a case's state. Reasons are required where the register must keep them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseAction {
    StartTriage,
    RecordAssessment,
    StartNotifying,
    Close { reason: String },
    Reject { reason: RejectReason },
    Reopen { reason: String },
}

/// Why a report is not pursued as an incident. Kept in the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RejectReason {
    NotAnIncident(String),
    DuplicateOf(CaseNumber),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("a case in state {from} cannot {action}")]
    NotAllowed {
        from: &'static str,
        action: &'static str,
    },
    #[error("a reason is required")]
    ReasonRequired,
}

impl CaseAction {
    fn name(&self) -> &'static str {
        match self {
            CaseAction::StartTriage => "start triage",
            CaseAction::RecordAssessment => "record an assessment",
            CaseAction::StartNotifying => "start notifying",
            CaseAction::Close { .. } => "be closed",
            CaseAction::Reject { .. } => "be rejected",
            CaseAction::Reopen { .. } => "be reopened",
        }
    }
}

/// The only way a case changes state: `reported -> triage -> assessed -> (notifying) -> closed`,
/// plus `rejected` (with a reason) and `reopened`. The store refuses anything this refuses.
pub fn transition(from: CaseState, action: &CaseAction) -> Result<CaseState, TransitionError> {
    use CaseState::*;
    let required = |text: &str| {
        if text.trim().is_empty() {
            Err(TransitionError::ReasonRequired)
        } else {
            Ok(())
        }
    };
    let to = match (from, action) {
        (Reported | Reopened, CaseAction::StartTriage) => Triage,
        // An assessment may be recorded (again) whenever the case is open: facts change.
        (Reported | Triage | Assessed | Notifying | Reopened, CaseAction::RecordAssessment) => {
            Assessed
        }
        (Assessed, CaseAction::StartNotifying) => Notifying,
        (Assessed | Notifying, CaseAction::Close { reason }) => {
            required(reason)?;
            Closed
        }
        (Reported | Triage | Reopened, CaseAction::Reject { reason }) => {
            if let RejectReason::NotAnIncident(text) = reason {
                required(text)?;
            }
            Rejected
        }
        (Closed | Rejected, CaseAction::Reopen { reason }) => {
            required(reason)?;
            Reopened
        }
        _ => {
            return Err(TransitionError::NotAllowed {
                from: from.as_str(),
                action: action.name(),
            });
        }
    };
    Ok(to)
}

/// The register's classification of a case (design.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Classification {
    Unclassified,
    NotAnIncident,
    SecurityIncident,
    PersonalDataBreach,
}

impl Classification {
    pub const ALL: [Classification; 4] = [
        Classification::Unclassified,
        Classification::NotAnIncident,
        Classification::SecurityIncident,
        Classification::PersonalDataBreach,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Classification::Unclassified => "unclassified",
            Classification::NotAnIncident => "not_an_incident",
            Classification::SecurityIncident => "security_incident",
            Classification::PersonalDataBreach => "personal_data_breach",
        }
    }

    pub fn label_pl(self) -> &'static str {
        match self {
            Classification::Unclassified => "nieocenione",
            Classification::NotAnIncident => "nie jest incydentem",
            Classification::SecurityIncident => "incydent bezpieczeństwa",
            Classification::PersonalDataBreach => "naruszenie ochrony danych osobowych",
        }
    }
}

impl FromStr for Classification {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Classification::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| UnknownValue::new("classification", s))
    }
}

/// Who reported: an employee of the office, or a processor (art. 33(2)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportSource {
    Employee,
    Processor,
}

impl ReportSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportSource::Employee => "employee",
            ReportSource::Processor => "processor",
        }
    }
}

impl FromStr for ReportSource {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "employee" => Ok(ReportSource::Employee),
            "processor" => Ok(ReportSource::Processor),
            _ => Err(UnknownValue::new("source", s)),
        }
    }
}

/// When the incident happened, as far as the reporter knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occurred {
    Unknown,
    At(DateTime<Utc>),
    /// Somewhere between the two instants (inclusive); `from < to`.
    Between(DateTime<Utc>, DateTime<Utc>),
}

impl Occurred {
    pub fn kind(&self) -> &'static str {
        match self {
            Occurred::Unknown => "unknown",
            Occurred::At(_) => "at",
            Occurred::Between(..) => "range",
        }
    }

    /// The stored pair (from, to). `At` stores the same instant twice.
    pub fn bounds(&self) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        match *self {
            Occurred::Unknown => (None, None),
            Occurred::At(t) => (Some(t), Some(t)),
            Occurred::Between(a, b) => (Some(a), Some(b)),
        }
    }

    /// Rebuilds the value from storage. Returns `None` for an inconsistent row.
    pub fn from_stored(
        kind: &str,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Option<Self> {
        match (kind, from, to) {
            ("unknown", _, _) => Some(Occurred::Unknown),
            ("at", Some(t), _) => Some(Occurred::At(t)),
            ("range", Some(a), Some(b)) if a < b => Some(Occurred::Between(a, b)),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn case_numbers_format_and_parse() {
        let n = CaseNumber::new(42, 2026).unwrap();
        assert_eq!(n.to_string(), "0042/2026");
        assert_eq!("0042/2026".parse::<CaseNumber>(), Ok(n));
        assert_eq!(
            "12345/2026".parse::<CaseNumber>().unwrap().to_string(),
            "12345/2026"
        );
        for bad in [
            "42/2026",
            "0042-2026",
            "0000/2026",
            "0042/26",
            "abcd/2026",
            "",
        ] {
            assert!(bad.parse::<CaseNumber>().is_err(), "{bad}");
        }
    }

    #[test]
    fn the_happy_path_is_allowed() {
        let mut s = CaseState::Reported;
        for action in [
            CaseAction::StartTriage,
            CaseAction::RecordAssessment,
            CaseAction::StartNotifying,
            CaseAction::Close {
                reason: "PUODO zawiadomiony".into(),
            },
        ] {
            s = transition(s, &action).unwrap();
        }
        assert_eq!(s, CaseState::Closed);
        let s = transition(
            s,
            &CaseAction::Reopen {
                reason: "nowe fakty".into(),
            },
        )
        .unwrap();
        assert_eq!(s, CaseState::Reopened);
    }

    #[test]
    fn reasons_are_required_and_closed_cases_are_final() {
        assert_eq!(
            transition(
                CaseState::Assessed,
                &CaseAction::Close {
                    reason: "  ".into()
                }
            ),
            Err(TransitionError::ReasonRequired)
        );
        assert_eq!(
            transition(
                CaseState::Reported,
                &CaseAction::Reject {
                    reason: RejectReason::NotAnIncident(String::new())
                }
            ),
            Err(TransitionError::ReasonRequired)
        );
        assert!(transition(CaseState::Closed, &CaseAction::StartTriage).is_err());
        assert!(transition(CaseState::Closed, &CaseAction::RecordAssessment).is_err());
        assert!(transition(CaseState::Reported, &CaseAction::StartNotifying).is_err());
        assert!(
            transition(
                CaseState::Assessed,
                &CaseAction::Reject {
                    reason: RejectReason::DuplicateOf(CaseNumber::new(1, 2026).unwrap())
                }
            )
            .is_err()
        );
    }

    #[test]
    fn every_state_round_trips() {
        for s in CaseState::ALL {
            assert_eq!(s.as_str().parse::<CaseState>(), Ok(s));
        }
        for c in Classification::ALL {
            assert_eq!(c.as_str().parse::<Classification>(), Ok(c));
        }
    }
}
