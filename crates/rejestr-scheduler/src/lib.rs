//! Deadlines and the escalation ladder, as pure functions of `now`.
//!
//! The database keeps, for each open obligation, when its next step is due (`next_step_at`,
//! indexed), so a tick reads only what is due: its cost follows the number of due steps, not
//! the number of cases. [`due`] names the steps that have come due for one obligation;
//! [`next_step_at`] says when to look at it again. Exactly-once delivery comes from the outbox's
//! unique key `(obligation, step)`, not from these functions: they may be asked twice.

use chrono::{DateTime, Duration, Months, TimeZone, Utc};
use chrono_tz::Europe::Warsaw;

/// What must be done, and by when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ObligationKind {
    /// A new report waits for the IOD's assessment: a reminder 4 hours after reporting.
    Assess,
    /// Art. 33(1): notify Prezes UODO within 72 hours of awareness.
    NotifySa,
    /// Art. 34(1): communicate to the data subjects without undue delay.
    NotifySubjects,
    /// Art. 34(3)(c): a public communication instead.
    PublicCommunication,
    /// KSC/NIS2: early warning to the CSIRT within 24 hours of detection.
    CsirtEarlyWarning,
    /// KSC/NIS2: incident notification within 72 hours.
    CsirtNotification,
    /// KSC/NIS2: final report within one month.
    CsirtFinalReport,
}

impl ObligationKind {
    pub const ALL: [ObligationKind; 7] = [
        ObligationKind::Assess,
        ObligationKind::NotifySa,
        ObligationKind::NotifySubjects,
        ObligationKind::PublicCommunication,
        ObligationKind::CsirtEarlyWarning,
        ObligationKind::CsirtNotification,
        ObligationKind::CsirtFinalReport,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ObligationKind::Assess => "assess",
            ObligationKind::NotifySa => "notify_sa",
            ObligationKind::NotifySubjects => "notify_subjects",
            ObligationKind::PublicCommunication => "public_communication",
            ObligationKind::CsirtEarlyWarning => "csirt_early_warning",
            ObligationKind::CsirtNotification => "csirt_notification",
            ObligationKind::CsirtFinalReport => "csirt_final_report",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    pub fn label_pl(self) -> &'static str {
        match self {
            ObligationKind::Assess => "ocena nowego zgłoszenia (przypomnienie po 4 godzinach)",
            ObligationKind::NotifySa => "zgłoszenie naruszenia Prezesowi UODO (art. 33)",
            ObligationKind::NotifySubjects => "zawiadomienie osób, których dane dotyczą (art. 34)",
            ObligationKind::PublicCommunication => "komunikat publiczny (art. 34 ust. 3 lit. c)",
            ObligationKind::CsirtEarlyWarning => "wczesne ostrzeżenie do CSIRT (24 h)",
            ObligationKind::CsirtNotification => "zgłoszenie incydentu do CSIRT (72 h)",
            ObligationKind::CsirtFinalReport => "sprawozdanie końcowe do CSIRT (1 miesiąc)",
        }
    }

    /// The deadline counted from `start` (awareness or detection). Hours are elapsed hours;
    /// the month is a calendar month in Polish time.
    pub fn deadline(self, start: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            ObligationKind::Assess => start + Duration::hours(4),
            ObligationKind::CsirtEarlyWarning => start + Duration::hours(24),
            ObligationKind::CsirtFinalReport => {
                let local = start.with_timezone(&Warsaw);
                local
                    .checked_add_months(Months::new(1))
                    .map_or(start + Duration::days(30), |t| t.with_timezone(&Utc))
            }
            _ => start + Duration::hours(72),
        }
    }
}

/// Who a step tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Audience {
    /// The person working on the case (the IOD when nobody is assigned).
    Assignee,
    /// The IOD and the head of the office.
    IodAndHead,
    /// Everyone with a role in the case's organisation who may act.
    All,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Assignee => "assignee",
            Audience::IodAndHead => "iod_and_head",
            Audience::All => "all",
        }
    }
}

/// The escalation ladder of an organisation: percentages of the time between start and
/// deadline, then the deadline itself, then daily reminders while overdue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ladder {
    pub rungs: Vec<(u8, Audience)>,
    /// Daily reminders after the deadline, at most this many.
    pub overdue_days: u32,
}

impl Default for Ladder {
    /// design.md §5: 50 % the assignee, 75 % the IOD and the head, 90 % everyone, 100 % overdue,
    /// then daily.
    fn default() -> Self {
        Self {
            rungs: vec![
                (50, Audience::Assignee),
                (75, Audience::IodAndHead),
                (90, Audience::All),
            ],
            overdue_days: 30,
        }
    }
}

/// An obligation the scheduler watches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watched {
    pub id: i64,
    pub kind: ObligationKind,
    pub start: DateTime<Utc>,
    pub deadline: DateTime<Utc>,
}

/// One rung that has come due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub obligation: i64,
    /// Stable within an obligation: `50%`, `75%`, `90%`, `100%`, `overdue+1d`, …
    pub key: String,
    pub due_at: DateTime<Utc>,
    pub audience: Audience,
    /// Past the deadline: the case must carry the reasons for delay (art. 33(1)).
    pub overdue: bool,
}

/// Every step of the ladder, in time order.
pub fn steps(obligation: &Watched, ladder: &Ladder) -> Vec<Step> {
    if obligation.kind == ObligationKind::Assess {
        // design.md §5: an unassessed report reminds the IOD once, 4 hours after reporting,
        // then daily.
        let mut steps = vec![Step {
            obligation: obligation.id,
            key: "100%".to_owned(),
            due_at: obligation.deadline,
            audience: Audience::Assignee,
            overdue: false,
        }];
        steps.extend((1..=ladder.overdue_days).map(|day| Step {
            obligation: obligation.id,
            key: format!("overdue+{day}d"),
            due_at: obligation.deadline + Duration::days(i64::from(day)),
            audience: Audience::Assignee,
            overdue: false,
        }));
        return steps;
    }
    let span = obligation.deadline - obligation.start;
    let mut steps: Vec<Step> = ladder
        .rungs
        .iter()
        .map(|(percent, audience)| Step {
            obligation: obligation.id,
            key: format!("{percent}%"),
            due_at: obligation.start + span * i32::from(*percent) / 100,
            audience: *audience,
            overdue: false,
        })
        .collect();
    steps.push(Step {
        obligation: obligation.id,
        key: "100%".to_owned(),
        due_at: obligation.deadline,
        audience: Audience::All,
        overdue: true,
    });
    for day in 1..=ladder.overdue_days {
        steps.push(Step {
            obligation: obligation.id,
            key: format!("overdue+{day}d"),
            due_at: obligation.deadline + Duration::days(i64::from(day)),
            audience: Audience::All,
            overdue: true,
        });
    }
    steps.sort_by_key(|s| s.due_at);
    steps
}

/// The steps due at `now` (all of them; missed ones after downtime included). Only the last
/// overdue reminder of a run of missed days is worth sending, so older `overdue+Nd` steps are
/// folded into the newest one.
pub fn due(now: DateTime<Utc>, obligation: &Watched, ladder: &Ladder) -> Vec<Step> {
    let mut due: Vec<Step> = steps(obligation, ladder)
        .into_iter()
        .filter(|s| s.due_at <= now)
        .collect();
    if let Some(last_daily) = due.iter().rposition(|s| s.key.starts_with("overdue+")) {
        let mut index = 0;
        due.retain(|s| {
            let keep = !s.key.starts_with("overdue+") || index == last_daily;
            index += 1;
            keep
        });
    }
    due
}

/// When to look at the obligation again after `now`; `None` when the ladder is exhausted.
pub fn next_step_at(
    now: DateTime<Utc>,
    obligation: &Watched,
    ladder: &Ladder,
) -> Option<DateTime<Utc>> {
    steps(obligation, ladder)
        .into_iter()
        .map(|s| s.due_at)
        .find(|t| *t > now)
}

/// Time left (negative when overdue) in Polish, for pages without JavaScript.
pub fn time_left_pl(now: DateTime<Utc>, deadline: DateTime<Utc>) -> String {
    let left = deadline - now;
    let minutes = left.num_minutes().abs();
    let (days, hours, mins) = (minutes / (24 * 60), (minutes / 60) % 24, minutes % 60);
    let amount = if days > 0 {
        format!("{days} d {hours} h")
    } else if hours > 0 {
        format!("{hours} h {mins} min")
    } else {
        format!("{mins} min")
    };
    if left < Duration::zero() {
        format!("po terminie o {amount}")
    } else {
        format!("zostało {amount}")
    }
}

/// A local Warsaw time, for tests and for callers that build instants from the wall clock.
pub fn warsaw(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> Option<DateTime<Utc>> {
    Warsaw
        .with_ymd_and_hms(year, month, day, hour, minute, 0)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn watched(start: DateTime<Utc>) -> Watched {
        Watched {
            id: 7,
            kind: ObligationKind::NotifySa,
            start,
            deadline: ObligationKind::NotifySa.deadline(start),
        }
    }

    #[test]
    fn the_72_hours_are_elapsed_hours_across_the_autumn_change() {
        // Friday 23 October 2026, 10:00 in Warsaw (CEST); clocks go back on Sunday 25 October.
        let start = warsaw(2026, 10, 23, 10, 0).unwrap();
        let deadline = ObligationKind::NotifySa.deadline(start);
        assert_eq!(deadline - start, Duration::hours(72));
        // …which on the wall clock is 09:00 on Monday, not 10:00.
        assert_eq!(deadline, warsaw(2026, 10, 26, 9, 0).unwrap());
    }

    #[test]
    fn the_ladder_fires_in_order_and_each_step_has_a_stable_key() {
        let start = warsaw(2026, 3, 27, 12, 0).unwrap(); // across the spring change
        let o = watched(start);
        let keys = |now: DateTime<Utc>| {
            due(now, &o, &Ladder::default())
                .into_iter()
                .map(|s| s.key)
                .collect::<Vec<_>>()
        };
        assert!(keys(start + Duration::hours(35)).is_empty());
        assert_eq!(keys(start + Duration::hours(36)), ["50%"]);
        assert_eq!(keys(start + Duration::hours(54)), ["50%", "75%"]);
        assert_eq!(
            keys(start + Duration::minutes(64 * 60 + 48)),
            ["50%", "75%", "90%"]
        );
        assert_eq!(
            keys(start + Duration::hours(72)),
            ["50%", "75%", "90%", "100%"]
        );
        // After downtime, only the newest daily reminder is due.
        assert_eq!(
            keys(start + Duration::hours(72 + 24 * 3 + 1)),
            ["50%", "75%", "90%", "100%", "overdue+3d"]
        );
        let late = due(start + Duration::hours(80), &o, &Ladder::default());
        assert!(late.iter().find(|s| s.key == "100%").unwrap().overdue);
        assert!(!late.iter().find(|s| s.key == "90%").unwrap().overdue);
    }

    #[test]
    fn the_next_look_is_the_next_rung() {
        let start = warsaw(2026, 11, 23, 8, 0).unwrap();
        let o = watched(start);
        assert_eq!(
            next_step_at(start, &o, &Ladder::default()),
            Some(start + Duration::hours(36))
        );
        assert_eq!(
            next_step_at(start + Duration::hours(36), &o, &Ladder::default()),
            Some(start + Duration::hours(54))
        );
        let ladder = Ladder {
            overdue_days: 0,
            ..Ladder::default()
        };
        assert_eq!(next_step_at(start + Duration::hours(72), &o, &ladder), None);
    }

    #[test]
    fn an_unassessed_report_reminds_the_iod_after_4_hours() {
        let start = warsaw(2026, 11, 23, 8, 0).unwrap();
        let o = Watched {
            id: 1,
            kind: ObligationKind::Assess,
            start,
            deadline: ObligationKind::Assess.deadline(start),
        };
        assert!(due(start + Duration::minutes(239), &o, &Ladder::default()).is_empty());
        let steps = due(start + Duration::hours(4), &o, &Ladder::default());
        assert_eq!(steps.len(), 1);
        assert_eq!(
            (steps[0].key.as_str(), steps[0].audience),
            ("100%", Audience::Assignee)
        );
    }

    #[test]
    fn csirt_deadlines() {
        let start = warsaw(2026, 1, 31, 9, 0).unwrap();
        assert_eq!(
            ObligationKind::CsirtEarlyWarning.deadline(start) - start,
            Duration::hours(24)
        );
        // One calendar month from 31 January is the end of February.
        assert_eq!(
            ObligationKind::CsirtFinalReport.deadline(start),
            warsaw(2026, 2, 28, 9, 0).unwrap()
        );
    }

    #[test]
    fn time_left_reads_naturally() {
        let now = warsaw(2026, 11, 23, 8, 0).unwrap();
        assert_eq!(
            time_left_pl(now, now + Duration::minutes(90)),
            "zostało 1 h 30 min"
        );
        assert_eq!(
            time_left_pl(now, now + Duration::hours(50)),
            "zostało 2 d 2 h"
        );
        assert_eq!(
            time_left_pl(now, now - Duration::minutes(5)),
            "po terminie o 5 min"
        );
    }

    proptest::proptest! {
        #[test]
        fn due_steps_grow_with_time_and_never_repeat(offset_a in 0i64..400_000, offset_b in 0i64..400_000) {
            let start = warsaw(2026, 10, 20, 12, 0).unwrap();
            let o = watched(start);
            let (a, b) = (offset_a.min(offset_b), offset_a.max(offset_b));
            let earlier: Vec<String> = due(start + Duration::seconds(a), &o, &Ladder::default()).into_iter().map(|s| s.key).collect();
            let later: Vec<String> = due(start + Duration::seconds(b), &o, &Ladder::default()).into_iter().map(|s| s.key).collect();
            for key in earlier.iter().filter(|k| !k.starts_with("overdue+")) {
                proptest::prop_assert!(later.contains(key));
            }
            let mut unique = later.clone();
            unique.dedup();
            proptest::prop_assert_eq!(unique.len(), later.len());
        }
    }
}
