//! Deterministic identifiers and timestamps.

use chrono::{DateTime, Utc};
use uuid::Uuid;

/// The Rejestr72 export namespace for UUIDv5 ids. Chosen once; changing it would give every
/// exported object a new id and break updates at the recipients.
pub const NAMESPACE: Uuid = Uuid::from_u128(0x7a3e_4c51_2b8d_5f06_9e1c_d4a2_72b0_e5c8);

/// `<type>--<uuidv5(namespace, "<case>/<type>/<what>")>`.
pub(crate) fn case_object(stix_type: &str, case: Uuid, what: &str) -> String {
    format!(
        "{stix_type}--{}",
        case_uuid(case, &format!("{stix_type}/{what}"))
    )
}

/// A UUIDv5 for something belonging to a case.
pub(crate) fn case_uuid(case: Uuid, what: &str) -> Uuid {
    Uuid::new_v5(&NAMESPACE, format!("{case}/{what}").as_bytes())
}

/// A UUIDv5 for something that belongs to no case (a bundle, the anonymous identity).
pub(crate) fn fixed_uuid(what: &str) -> Uuid {
    Uuid::new_v5(&NAMESPACE, what.as_bytes())
}

/// STIX timestamps: UTC, millisecond precision, `Z`.
pub(crate) fn timestamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}
