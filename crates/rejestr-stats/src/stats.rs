//! Counting: [`compute`] turns the cases of a period into [`Statistics`].

use std::cmp::Reverse;
use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, Utc};

use crate::input::{Period, StatCase};
use crate::polish;

/// Art. 33(1): the notification is due within 72 elapsed hours of awareness.
pub const PUODO_DEADLINE: Duration = Duration::hours(72);

/// One line of a breakdown: a stable key (the stored id, or the free text itself), its Polish
/// label and how many cases it counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub key: String,
    pub label: String,
    pub count: u64,
}

/// The cases reported in one calendar month (Warsaw time).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthCount {
    pub year: i32,
    /// 1–12.
    pub month: u32,
    pub count: u64,
}

impl MonthCount {
    /// "2026-01".
    pub fn key(&self) -> String {
        format!("{}-{:02}", self.year, self.month)
    }

    /// "sty 2026", for axes.
    pub fn short_label(&self) -> String {
        format!("{} {}", polish::month_short(self.month), self.year)
    }

    /// "styczeń 2026", for tables and text.
    pub fn full_label(&self) -> String {
        format!("{} {}", polish::month_full(self.month), self.year)
    }
}

/// The PUODO notifications (art. 33) of the cases in the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Notifications {
    /// Cases for which a notification is required.
    pub required: u64,
    /// Notifications filed (required or not).
    pub filed: u64,
    /// Filed at most 72 elapsed hours after awareness (exactly 72 h is in time).
    pub in_time: u64,
    /// Filed later than that. `in_time + late == filed`.
    pub late: u64,
    /// Required and not filed.
    pub pending: u64,
    /// Pending, and more than 72 hours have passed at `as_of`.
    pub overdue: u64,
}

impl Notifications {
    /// The share (0–1) of filed notifications that were in time; `None` when none was filed.
    pub fn in_time_share(&self) -> Option<f64> {
        (self.filed > 0).then(|| self.in_time as f64 / self.filed as f64)
    }
}

/// How long something took, over the cases where both instants are known. An end before its
/// start is a data error and is left out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Timing {
    pub samples: u64,
    /// The middle value; the mean of the two middle values for an even count.
    pub median: Option<Duration>,
    /// The 90th percentile by the nearest-rank method: the smallest value that at least 90%
    /// of the samples do not exceed.
    pub p90: Option<Duration>,
}

impl Timing {
    fn of(mut spans: Vec<Duration>) -> Self {
        spans.retain(|d| *d >= Duration::zero());
        spans.sort();
        let n = spans.len();
        let median = match n {
            0 => None,
            _ if n % 2 == 1 => spans.get(n / 2).copied(),
            _ => match (spans.get(n / 2 - 1), spans.get(n / 2)) {
                (Some(lo), Some(hi)) => hi
                    .checked_sub(lo)
                    .and_then(|gap| lo.checked_add(&(gap / 2))),
                _ => None,
            },
        };
        // Nearest rank: ceil(0.9 n), counted from 1.
        let p90 = (n * 9)
            .div_ceil(10)
            .checked_sub(1)
            .and_then(|i| spans.get(i).copied());
        Self {
            samples: n as u64,
            median,
            p90,
        }
    }
}

/// The statistics of the cases reported in a period.
#[derive(Debug, Clone, PartialEq)]
pub struct Statistics {
    pub period: Period,
    /// The moment "pending" and "overdue" are judged at.
    pub as_of: DateTime<Utc>,
    pub total: u64,
    /// Every month of the period, in order, including months with no cases.
    pub by_month: Vec<MonthCount>,
    /// Fixed order: breaches, security incidents, not incidents, unassessed; then unknown ids.
    pub by_classification: Vec<Row>,
    /// Fixed order: high, risk, none, not assessed; then unknown ids.
    pub by_risk: Vec<Row>,
    /// Fixed order: confidentiality, integrity, availability; then unknown ids. A case may have
    /// several types, so the counts may add up to more than the number of breaches.
    pub by_breach_type: Vec<Row>,
    /// Most frequent first; "not established" last.
    pub by_cause: Vec<Row>,
    /// Most frequent first.
    pub by_organisation: Vec<Row>,
    /// Most frequent first; "not given" (key "") last.
    pub by_unit: Vec<Row>,
    pub puodo: Notifications,
    /// From the report to the first assessment.
    pub time_to_assessment: Timing,
    /// From awareness to the PUODO notification.
    pub time_to_puodo: Timing,
}

impl Statistics {
    /// The count of one key of a breakdown (0 when absent).
    pub fn count(rows: &[Row], key: &str) -> u64 {
        rows.iter().find(|r| r.key == key).map_or(0, |r| r.count)
    }
}

/// Keys and labels of the closed sets. The keys are the ids stored by the register.
pub const CLASSIFICATIONS: &[(&str, &str)] = &[
    (
        "personal_data_breach",
        "naruszenie ochrony danych osobowych",
    ),
    ("security_incident", "incydent bezpieczeństwa"),
    ("not_an_incident", "nie jest incydentem"),
    (UNCLASSIFIED, "nieocenione"),
];
pub const UNCLASSIFIED: &str = "unclassified";

pub const RISKS: &[(&str, &str)] = &[
    ("high", "wysokie ryzyko"),
    ("risk", "ryzyko"),
    ("none", "brak ryzyka"),
    (RISK_UNASSESSED, "nie oceniono"),
];
pub const RISK_UNASSESSED: &str = "unassessed";

pub const BREACH_TYPES: &[(&str, &str)] = &[
    ("confidentiality", "naruszenie poufności"),
    ("integrity", "naruszenie integralności"),
    ("availability", "naruszenie dostępności"),
];

/// Cause categories the register knows a label for; any other id is shown as it is.
pub const CAUSES: &[(&str, &str)] = &[
    ("malicious_external", "atak z zewnątrz"),
    ("human_error", "błąd ludzki"),
    ("ransomware", "ransomware"),
    ("phishing", "phishing"),
    ("lost_device", "utrata lub kradzież urządzenia"),
    ("misdirected", "błędnie zaadresowana przesyłka"),
    ("other", "inna przyczyna"),
    // The cause categories of the PUODO form (drafting's `Cause`).
    (
        "internal_unintentional",
        "wewnętrzne działanie niezamierzone",
    ),
    (
        "external_unintentional",
        "zewnętrzne działanie niezamierzone",
    ),
    ("internal_intentional", "wewnętrzne działanie zamierzone"),
    ("external_intentional", "zewnętrzne działanie zamierzone"),
];
pub const CAUSE_UNKNOWN: &str = "unknown";
const CAUSE_UNKNOWN_LABEL: &str = "nie ustalono";
const UNIT_NONE_LABEL: &str = "nie wskazano";

/// The statistics of the cases reported in `period` (by their date in Warsaw), with pending
/// notifications judged at `now`.
pub fn compute(cases: &[StatCase], period: &Period, now: DateTime<Utc>) -> Statistics {
    let in_period: Vec<&StatCase> = cases
        .iter()
        .filter(|c| period.contains(c.reported_at))
        .collect();

    let mut months: BTreeMap<(i32, u32), u64> =
        period.months().into_iter().map(|m| (m, 0)).collect();
    let mut classification = Counter::default();
    let mut risk = Counter::default();
    let mut breach_type = Counter::default();
    let mut cause = Counter::default();
    let mut organisation = Counter::default();
    let mut unit = Counter::default();
    let mut puodo = Notifications::default();
    let mut to_assessment = Vec::new();
    let mut to_puodo = Vec::new();

    for case in &in_period {
        let day = polish::warsaw_date(case.reported_at);
        *months.entry((day.year(), day.month())).or_default() += 1;
        classification.add(case.classification.as_deref().unwrap_or(UNCLASSIFIED));
        risk.add(case.risk.as_deref().unwrap_or(RISK_UNASSESSED));
        for kind in &case.breach_types {
            breach_type.add(kind);
        }
        cause.add(case.cause.as_deref().unwrap_or(CAUSE_UNKNOWN));
        organisation.add(&case.organisation);
        unit.add(case.unit.as_deref().unwrap_or(""));

        if let Some(assessed) = case.assessed_at {
            to_assessment.push(assessed.signed_duration_since(case.reported_at));
        }
        // Elapsed time, not wall-clock time: 72 hours across a DST change are still 72 hours.
        let start = case.aware_at.unwrap_or(case.reported_at);
        if case.sa_required {
            puodo.required += 1;
        }
        match case.sa_notified_at {
            Some(filed) => {
                let took = filed.signed_duration_since(start);
                puodo.filed += 1;
                if took <= PUODO_DEADLINE {
                    puodo.in_time += 1;
                } else {
                    puodo.late += 1;
                }
                to_puodo.push(took);
            }
            None if case.sa_required => {
                puodo.pending += 1;
                if now.signed_duration_since(start) > PUODO_DEADLINE {
                    puodo.overdue += 1;
                }
            }
            None => {}
        }
    }

    Statistics {
        period: *period,
        as_of: now,
        total: in_period.len() as u64,
        by_month: months
            .into_iter()
            .map(|((year, month), count)| MonthCount { year, month, count })
            .collect(),
        by_classification: classification.fixed(CLASSIFICATIONS),
        by_risk: risk.fixed(RISKS),
        by_breach_type: breach_type.fixed(BREACH_TYPES),
        by_cause: cause.by_count(
            |id| label_of(CAUSES, id),
            Some((CAUSE_UNKNOWN, CAUSE_UNKNOWN_LABEL)),
        ),
        by_organisation: organisation.by_count(str::to_owned, None),
        by_unit: unit.by_count(str::to_owned, Some(("", UNIT_NONE_LABEL))),
        puodo,
        time_to_assessment: Timing::of(to_assessment),
        time_to_puodo: Timing::of(to_puodo),
    }
}

fn label_of(known: &[(&str, &str)], id: &str) -> String {
    known
        .iter()
        .find(|(k, _)| *k == id)
        .map_or(id, |(_, label)| *label)
        .to_owned()
}

#[derive(Default)]
struct Counter(BTreeMap<String, u64>);

impl Counter {
    fn add(&mut self, key: &str) {
        *self.0.entry(key.to_owned()).or_default() += 1;
    }

    /// A closed set: every known key in its fixed order (zeros included), then any unknown
    /// ids, most frequent first.
    fn fixed(mut self, known: &[(&str, &str)]) -> Vec<Row> {
        let mut rows: Vec<Row> = known
            .iter()
            .map(|(key, label)| Row {
                key: (*key).to_owned(),
                label: (*label).to_owned(),
                count: self.0.remove(*key).unwrap_or(0),
            })
            .collect();
        rows.extend(Self(self.0).by_count(str::to_owned, None));
        rows
    }

    /// Free keys: most frequent first, ties by label; the `last` key (the "not given" bucket)
    /// after all the others whatever its count.
    fn by_count(mut self, label: impl Fn(&str) -> String, last: Option<(&str, &str)>) -> Vec<Row> {
        let tail = last.and_then(|(key, text)| {
            self.0.remove(key).map(|count| Row {
                key: key.to_owned(),
                label: text.to_owned(),
                count,
            })
        });
        let mut rows: Vec<Row> = self
            .0
            .into_iter()
            .map(|(key, count)| Row {
                label: label(&key),
                key,
                count,
            })
            .collect();
        rows.sort_by_cached_key(|r| (Reverse(r.count), r.label.to_lowercase(), r.key.clone()));
        rows.extend(tail);
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hours(list: &[i64]) -> Timing {
        Timing::of(list.iter().map(|h| Duration::hours(*h)).collect())
    }

    #[test]
    fn median_and_p90_by_nearest_rank() {
        let none = hours(&[]);
        assert_eq!((none.median, none.p90, none.samples), (None, None, 0));
        let one = hours(&[5]);
        assert_eq!(
            (one.median, one.p90),
            (Some(Duration::hours(5)), Some(Duration::hours(5)))
        );
        let even = hours(&[10, 1, 4, 2]);
        assert_eq!(even.median, Some(Duration::hours(3)));
        assert_eq!(even.p90, Some(Duration::hours(10)));
        let ten = hours(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(ten.p90, Some(Duration::hours(9)));
        assert_eq!(ten.median, Some(Duration::minutes(330)));
    }

    #[test]
    fn negative_spans_are_left_out() {
        let t = hours(&[-3, 2]);
        assert_eq!((t.samples, t.median), (1, Some(Duration::hours(2))));
    }

    #[test]
    fn no_filed_notification_has_no_share() {
        assert_eq!(Notifications::default().in_time_share(), None);
    }
}
