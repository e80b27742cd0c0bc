//! What the statistics are computed from: one flat row per case, filled by the storage layer,
//! and the period asked for.

use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::polish;

/// One case as the statistics see it. Plain strings for the categories, so that the storage
/// layer can fill it without this crate knowing the domain's enums; unknown ids are shown
/// verbatim rather than dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatCase {
    /// "0042/2026".
    pub number: String,
    /// The organisation's display name.
    pub organisation: String,
    /// The organisational unit (wydział), if known.
    pub unit: Option<String>,
    pub reported_at: DateTime<Utc>,
    /// When the controller became aware; the 72-hour clock starts here. When unknown, the
    /// report time is used, as the store does when it opens a case.
    pub aware_at: Option<DateTime<Utc>>,
    /// The first assessment.
    pub assessed_at: Option<DateTime<Utc>>,
    /// `personal_data_breach`, `security_incident`, `not_an_incident`; `None` when unassessed.
    pub classification: Option<String>,
    /// EDPB risk: `none`, `risk`, `high`; `None` when not assessed.
    pub risk: Option<String>,
    /// `confidentiality`, `integrity`, `availability`.
    pub breach_types: Vec<String>,
    /// A cause category id such as `human_error` or `phishing`.
    pub cause: Option<String>,
    /// Whether the PUODO notification (art. 33) is required.
    pub sa_required: bool,
    pub sa_notified_at: Option<DateTime<Utc>>,
    pub subjects_notified_at: Option<DateTime<Utc>>,
    pub closed: bool,
}

/// A period of whole days in Polish time, both ends inclusive. A period whose `from` is after
/// its `to` is empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Self {
        Self { from, to }
    }

    /// A calendar year, 1 January to 31 December. `None` outside chrono's range.
    pub fn year(year: i32) -> Option<Self> {
        Some(Self {
            from: NaiveDate::from_ymd_opt(year, 1, 1)?,
            to: NaiveDate::from_ymd_opt(year, 12, 31)?,
        })
    }

    /// Whether an instant falls in the period, by its calendar date in Warsaw: 23:30 UTC on
    /// 31 January is already 1 February in Poland.
    pub fn contains(&self, at: DateTime<Utc>) -> bool {
        let day = polish::warsaw_date(at);
        self.from <= day && day <= self.to
    }

    /// The year, when the period is exactly one calendar year.
    pub fn calendar_year(&self) -> Option<i32> {
        let year = self.from.year();
        (Self::year(year) == Some(*self)).then_some(year)
    }

    /// Every (year, month) the period touches, in order; empty for an empty period.
    pub fn months(&self) -> Vec<(i32, u32)> {
        let mut months = Vec::new();
        if self.from > self.to {
            return months;
        }
        let last = (self.to.year(), self.to.month());
        let (mut year, mut month) = (self.from.year(), self.from.month());
        loop {
            months.push((year, month));
            if (year, month) >= last {
                return months;
            }
            if month == 12 {
                (year, month) = (year + 1, 1);
            } else {
                month += 1;
            }
        }
    }

    /// "W 2026 r." or "W okresie od 01.01.2026 do 30.04.2026": how a sentence about it begins.
    pub fn sentence_opening(&self) -> String {
        match self.calendar_year() {
            Some(year) => format!("W {year} r."),
            None => format!(
                "W okresie od {} do {}",
                polish::date(self.from),
                polish::date(self.to)
            ),
        }
    }

    /// "2026 r." or "01.01.2026–30.04.2026": a short name for titles.
    pub fn label(&self) -> String {
        match self.calendar_year() {
            Some(year) => format!("{year} r."),
            None => format!("{}–{}", polish::date(self.from), polish::date(self.to)),
        }
    }
}
