//! Intake: turning what a reporter typed into a [`NewReport`] the register can trust.
//!
//! Everything here is pure: the current instant and the organisation's settings are
//! parameters, and nothing is stored. The web form and the JSON API both fill a
//! [`ReportInput`] and get back either a [`NewReport`] or *all* the field errors at once,
//! each with a stable code and a message in Polish and English, so that the form can show
//! every message beside its field and the API can return a machine-readable list.

mod attachment;
mod categories;
mod errors;
mod report;

pub use attachment::{
    AttachmentError, AttachmentLimits, CheckedAttachment, check_attachment, sanitise_filename,
};
pub use categories::{DATA_KINDS, DataKind, data_kind};
pub use errors::{FieldError, FieldErrors};
pub use report::{
    NewReport, OrgIntakePolicy, Processor, ReportInput, Reporter, parse_instant, validate_report,
};
