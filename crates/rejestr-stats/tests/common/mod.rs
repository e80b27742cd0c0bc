//! The fixture shared by the tests and the `svg` example: twelve cases reported between
//! January and April 2026 (Warsaw time), plus two just outside. Every expectation in
//! `tests/stats.rs` is counted by hand from this table.
//!
//! | case | reported (UTC)          | Warsaw month | class. | risk | PUODO                           |
//! |------|-------------------------|--------------|--------|------|---------------------------------|
//! | 0001 | 2025-12-31 23:30        | Jan          | breach | risk | 48 h                            |
//! | 0002 | 2026-01-15 09:00        | Jan          | incid. | –    | –                               |
//! | 0003 | 2026-01-31 23:30        | **Feb**      | breach | high | exactly 72 h                    |
//! | 0004 | 2026-02-10 08:00        | Feb          | not    | –    | –                               |
//! | 0005 | 2026-02-20 12:00        | Feb          | –      | –    | –                               |
//! | 0014 | 2026-02-25 10:00        | Feb          | breach | risk | 48 h from awareness a day before |
//! | 0006 | 2026-03-27 10:00        | Mar          | breach | risk | 72 h across the DST change      |
//! | 0007 | 2026-03-27 10:00        | Mar          | breach | risk | 72 h + 1 s: late                |
//! | 0008 | 2026-03-10 07:00        | Mar          | incid. | –    | –                               |
//! | 0009 | 2026-04-01 06:00        | Apr          | breach | none | not required                    |
//! | 0010 | 2026-04-28 08:00        | Apr          | breach | high | pending, overdue at `now`       |
//! | 0011 | 2026-04-30 21:30        | Apr (23:30)  | breach | risk | pending, not yet due at `now`   |
//! | 0012 | 2026-04-30 22:30        | May: outside | breach | risk | –                               |
//! | 0013 | 2025-12-31 22:30        | Dec: outside | incid. | –    | –                               |
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rejestr_stats::{Period, StatCase};

pub const ALFA: &str = "Urząd Gminy Alfa";
pub const BETA: &str = "Starostwo Powiatowe Beta";
pub const FINANCE: &str = "Wydział Finansów";
pub const ORGANISATION: &str = "Wydział Organizacyjny";
/// A unit name with a comma and quotes, for CSV quoting.
pub const TRANSPORT: &str = "Wydział Komunikacji, Transportu i \"Dróg\"";
/// A unit name that must be escaped in SVG.
pub const SCRIPT: &str = "<script>alert(1)</script>";

pub fn at(text: &str) -> DateTime<Utc> {
    text.parse().expect("an RFC 3339 instant")
}

pub fn period() -> Period {
    Period::new(
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 4, 30).unwrap(),
    )
}

/// The moment pending notifications are judged: 0010's deadline (1 May 08:00 UTC) has
/// passed, 0011's (3 May 21:30 UTC) has not.
pub fn now() -> DateTime<Utc> {
    at("2026-05-03T12:00:00Z")
}

struct Case<'a> {
    number: &'a str,
    reported: &'a str,
    organisation: &'a str,
    unit: Option<&'a str>,
    assessed_after: Option<Duration>,
    classification: Option<&'a str>,
    risk: Option<&'a str>,
    breach_types: &'a [&'a str],
    cause: Option<&'a str>,
    sa_required: bool,
    aware: Option<&'a str>,
    notified: Option<&'a str>,
}

impl Case<'_> {
    fn build(self) -> StatCase {
        let reported_at = at(self.reported);
        StatCase {
            number: self.number.to_owned(),
            organisation: self.organisation.to_owned(),
            unit: self.unit.map(str::to_owned),
            reported_at,
            aware_at: self.aware.map(at),
            assessed_at: self.assessed_after.map(|d| reported_at + d),
            classification: self.classification.map(str::to_owned),
            risk: self.risk.map(str::to_owned),
            breach_types: self.breach_types.iter().map(|s| (*s).to_owned()).collect(),
            cause: self.cause.map(str::to_owned),
            sa_required: self.sa_required,
            sa_notified_at: self.notified.map(at),
            subjects_notified_at: None,
            closed: self.notified.is_some(),
        }
    }
}

const BASE: Case<'static> = Case {
    number: "",
    reported: "",
    organisation: ALFA,
    unit: None,
    assessed_after: None,
    classification: None,
    risk: None,
    breach_types: &[],
    cause: None,
    sa_required: false,
    aware: None,
    notified: None,
};

pub fn cases() -> Vec<StatCase> {
    let breach = Some("personal_data_breach");
    let incident = Some("security_incident");
    let h = Duration::hours;
    let m = Duration::minutes;
    vec![
        Case {
            number: "0001/2026",
            reported: "2025-12-31T23:30:00Z",
            unit: Some(FINANCE),
            assessed_after: Some(h(2)),
            classification: breach,
            risk: Some("risk"),
            breach_types: &["confidentiality"],
            cause: Some("misdirected"),
            sa_required: true,
            aware: Some("2025-12-31T23:30:00Z"),
            notified: Some("2026-01-02T23:30:00Z"),
            ..BASE
        },
        Case {
            number: "0002/2026",
            reported: "2026-01-15T09:00:00Z",
            unit: Some(ORGANISATION),
            assessed_after: Some(h(1)),
            classification: incident,
            cause: Some("phishing"),
            ..BASE
        },
        Case {
            number: "0003/2026",
            reported: "2026-01-31T23:30:00Z",
            unit: Some(ORGANISATION),
            assessed_after: Some(m(30)),
            classification: breach,
            risk: Some("high"),
            breach_types: &["confidentiality", "availability"],
            cause: Some("ransomware"),
            sa_required: true,
            aware: Some("2026-01-31T23:30:00Z"),
            notified: Some("2026-02-03T23:30:00Z"),
            ..BASE
        },
        Case {
            number: "0004/2026",
            reported: "2026-02-10T08:00:00Z",
            assessed_after: Some(h(4)),
            classification: Some("not_an_incident"),
            cause: Some("other"),
            ..BASE
        },
        Case {
            number: "0005/2026",
            reported: "2026-02-20T12:00:00Z",
            ..BASE
        },
        Case {
            number: "0014/2026",
            reported: "2026-02-25T10:00:00Z",
            organisation: BETA,
            unit: Some(FINANCE),
            assessed_after: Some(h(6)),
            classification: breach,
            risk: Some("risk"),
            breach_types: &["confidentiality"],
            cause: Some("human_error"),
            sa_required: true,
            aware: Some("2026-02-24T10:00:00Z"),
            notified: Some("2026-02-26T10:00:00Z"),
        },
        // Summer time begins on 29 March 2026: 11:00 CET on the 27th to 12:00 CEST on the
        // 30th reads as 73 hours on the wall clock but is 72 elapsed hours.
        Case {
            number: "0006/2026",
            reported: "2026-03-27T10:00:00Z",
            unit: Some(FINANCE),
            assessed_after: Some(h(3) + m(20)),
            classification: breach,
            risk: Some("risk"),
            breach_types: &["integrity"],
            cause: Some("human_error"),
            sa_required: true,
            aware: Some("2026-03-27T10:00:00Z"),
            notified: Some("2026-03-30T10:00:00Z"),
            ..BASE
        },
        Case {
            number: "0007/2026",
            reported: "2026-03-27T10:00:00Z",
            unit: Some(FINANCE),
            assessed_after: Some(h(52)),
            classification: breach,
            risk: Some("risk"),
            breach_types: &["confidentiality"],
            cause: Some("lost_device"),
            sa_required: true,
            aware: Some("2026-03-27T10:00:00Z"),
            notified: Some("2026-03-30T10:00:01Z"),
            ..BASE
        },
        Case {
            number: "0008/2026",
            reported: "2026-03-10T07:00:00Z",
            organisation: BETA,
            unit: Some(TRANSPORT),
            assessed_after: Some(h(5)),
            classification: incident,
            cause: Some("malicious_external"),
            ..BASE
        },
        Case {
            number: "0009/2026",
            reported: "2026-04-01T06:00:00Z",
            organisation: BETA,
            unit: Some(SCRIPT),
            assessed_after: Some(h(1)),
            classification: breach,
            risk: Some("none"),
            breach_types: &["availability"],
            cause: Some("power_outage"),
            ..BASE
        },
        Case {
            number: "0010/2026",
            reported: "2026-04-28T08:00:00Z",
            unit: Some(ORGANISATION),
            assessed_after: Some(m(45)),
            classification: breach,
            risk: Some("high"),
            breach_types: &["confidentiality"],
            cause: Some("phishing"),
            sa_required: true,
            aware: Some("2026-04-28T08:00:00Z"),
            ..BASE
        },
        Case {
            number: "0011/2026",
            reported: "2026-04-30T21:30:00Z",
            unit: Some(ORGANISATION),
            assessed_after: Some(m(90)),
            classification: breach,
            risk: Some("risk"),
            breach_types: &["confidentiality"],
            cause: Some("misdirected"),
            sa_required: true,
            ..BASE
        },
        Case {
            number: "0012/2026",
            reported: "2026-04-30T22:30:00Z",
            classification: breach,
            risk: Some("risk"),
            sa_required: true,
            ..BASE
        },
        Case {
            number: "0013/2025",
            reported: "2025-12-31T22:30:00Z",
            classification: incident,
            ..BASE
        },
    ]
    .into_iter()
    .map(Case::build)
    .collect()
}
