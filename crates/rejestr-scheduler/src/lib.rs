//! Deadlines and the escalation ladder, as pure functions of `now`.
//!
//! The database keeps, for each open obligation, when its next step is due (`next_step_at`,
//! indexed), so a tick reads only what is due: its cost follows the number of due steps, not
//! the number of cases. [`due`] names the steps that have come due for one obligation;
//! [`next_step_at`] says when to look at it again. Exactly-once delivery comes from the outbox's
//! unique key `(obligation, step)`, not from these functions: they may be asked twice.
//!
//! Each organisation has its own [`Ladder`] (rungs as percentages of the time to the deadline,
//! each with its audience; the number of daily reminders once overdue; the hours after which an
//! unassessed report reminds the IOD). A ladder exists only in a valid shape: [`Ladder::new`]
//! checks it and names every problem.

use chrono::{DateTime, Duration, Months, NaiveDate, TimeZone, Timelike, Utc};
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
    /// Art. 33(2): the office acts as processor and notifies the controller without undue
    /// delay; the processing contract sets the target in hours (24 by default).
    NotifyController,
}

/// The target of an unassessed report's reminder when the organisation has not set its own.
pub const DEFAULT_ASSESS_HOURS: u32 = 4;
/// The processor's target for notifying the controller when the contract names none.
pub const DEFAULT_CONTROLLER_HOURS: u32 = 24;

impl ObligationKind {
    pub const ALL: [ObligationKind; 8] = [
        ObligationKind::Assess,
        ObligationKind::NotifySa,
        ObligationKind::NotifySubjects,
        ObligationKind::PublicCommunication,
        ObligationKind::CsirtEarlyWarning,
        ObligationKind::CsirtNotification,
        ObligationKind::CsirtFinalReport,
        ObligationKind::NotifyController,
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
            ObligationKind::NotifyController => "notify_controller",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == value)
    }

    pub fn label_pl(self) -> &'static str {
        match self {
            ObligationKind::Assess => "ocena nowego zgłoszenia (przypomnienie dla IOD)",
            ObligationKind::NotifySa => "zgłoszenie naruszenia Prezesowi UODO (art. 33)",
            ObligationKind::NotifySubjects => "zawiadomienie osób, których dane dotyczą (art. 34)",
            ObligationKind::PublicCommunication => "komunikat publiczny (art. 34 ust. 3 lit. c)",
            ObligationKind::CsirtEarlyWarning => "wczesne ostrzeżenie do CSIRT (24 h)",
            ObligationKind::CsirtNotification => "zgłoszenie incydentu do CSIRT (72 h)",
            ObligationKind::CsirtFinalReport => "sprawozdanie końcowe do CSIRT (1 miesiąc)",
            ObligationKind::NotifyController => {
                "zgłoszenie naruszenia administratorowi (art. 33 ust. 2)"
            }
        }
    }

    /// Whether the deadline is a target someone chose (the organisation for the assessment
    /// reminder, the processing contract for the controller) rather than one fixed by law.
    pub fn has_target(self) -> bool {
        matches!(
            self,
            ObligationKind::Assess | ObligationKind::NotifyController
        )
    }

    /// The deadline counted from `start` (awareness or detection). Hours are elapsed hours;
    /// the month is a calendar month in Polish time. `target_hours` is the chosen target of
    /// the kinds that have one ([`ObligationKind::has_target`]) and is ignored by the others.
    pub fn deadline(self, start: DateTime<Utc>, target_hours: Option<u32>) -> DateTime<Utc> {
        match self {
            ObligationKind::Assess => {
                start + Duration::hours(i64::from(target_hours.unwrap_or(DEFAULT_ASSESS_HOURS)))
            }
            ObligationKind::NotifyController => {
                start + Duration::hours(i64::from(target_hours.unwrap_or(DEFAULT_CONTROLLER_HOURS)))
            }
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

    pub const ALL: [Audience; 3] = [Audience::Assignee, Audience::IodAndHead, Audience::All];

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == value)
    }

    pub fn label_pl(self) -> &'static str {
        match self {
            Audience::Assignee => "osoba prowadząca sprawę",
            Audience::IodAndHead => "IOD i kierownik jednostki",
            Audience::All => "wszyscy w jednostce",
        }
    }
}

/// The escalation ladder of an organisation: percentages of the time between start and
/// deadline, then the deadline itself, then daily reminders while overdue; and when an
/// unassessed report reminds the IOD. Only [`Ladder::new`] builds one, so a ladder in hand is
/// valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ladder {
    rungs: Vec<(u8, Audience)>,
    overdue_days: u32,
    assess_after_hours: u32,
}

/// Limits of a ladder.
pub const MAX_RUNGS: usize = 6;
pub const MAX_OVERDUE_DAYS: u32 = 90;
pub const ASSESS_HOURS: std::ops::RangeInclusive<u32> = 1..=72;

/// What is wrong with a proposed ladder (each problem once, in the order of the fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LadderError {
    TooManyRungs,
    /// The rung at this position (0-based) is not between 1 and 99.
    PercentOutOfRange(usize),
    /// The rung at this position is not above the one before it.
    NotIncreasing(usize),
    OverdueDaysOutOfRange,
    AssessHoursOutOfRange,
}

impl LadderError {
    /// The message for the settings page.
    pub fn message_pl(self) -> String {
        match self {
            LadderError::TooManyRungs => format!("Drabina może mieć najwyżej {MAX_RUNGS} progów."),
            LadderError::PercentOutOfRange(i) => {
                format!("Próg {}: podaj procent od 1 do 99.", i + 1)
            }
            LadderError::NotIncreasing(i) => format!(
                "Próg {}: procenty muszą rosnąć (każdy próg większy od poprzedniego).",
                i + 1
            ),
            LadderError::OverdueDaysOutOfRange => {
                format!("Liczba codziennych przypomnień po terminie: od 0 do {MAX_OVERDUE_DAYS}.")
            }
            LadderError::AssessHoursOutOfRange => format!(
                "Przypomnienie o nieocenionym zgłoszeniu: od {} do {} godzin.",
                ASSESS_HOURS.start(),
                ASSESS_HOURS.end()
            ),
        }
    }
}

impl Ladder {
    /// Checks a proposed ladder: at most [`MAX_RUNGS`] rungs, each 1–99 % and above the one
    /// before it, 0–[`MAX_OVERDUE_DAYS`] daily reminders, the assessment reminder after 1–72
    /// hours. Every problem is returned.
    pub fn new(
        rungs: Vec<(u8, Audience)>,
        overdue_days: u32,
        assess_after_hours: u32,
    ) -> Result<Self, Vec<LadderError>> {
        let mut errors = Vec::new();
        if rungs.len() > MAX_RUNGS {
            errors.push(LadderError::TooManyRungs);
        }
        for (i, (percent, _)) in rungs.iter().enumerate() {
            if !(1..=99).contains(percent) {
                errors.push(LadderError::PercentOutOfRange(i));
            } else if i > 0 && rungs[i - 1].0 >= *percent && (1..=99).contains(&rungs[i - 1].0) {
                errors.push(LadderError::NotIncreasing(i));
            }
        }
        if overdue_days > MAX_OVERDUE_DAYS {
            errors.push(LadderError::OverdueDaysOutOfRange);
        }
        if !ASSESS_HOURS.contains(&assess_after_hours) {
            errors.push(LadderError::AssessHoursOutOfRange);
        }
        if errors.is_empty() {
            Ok(Self {
                rungs,
                overdue_days,
                assess_after_hours,
            })
        } else {
            Err(errors)
        }
    }

    pub fn rungs(&self) -> &[(u8, Audience)] {
        &self.rungs
    }

    /// Daily reminders after the deadline, at most this many.
    pub fn overdue_days(&self) -> u32 {
        self.overdue_days
    }

    /// Hours after reporting when an unassessed report reminds the IOD.
    pub fn assess_after_hours(&self) -> u32 {
        self.assess_after_hours
    }

    /// The rungs as stored: `50:assignee,75:iod_and_head,90:all` (empty: no rungs).
    pub fn encode_rungs(&self) -> String {
        self.rungs
            .iter()
            .map(|(percent, audience)| format!("{percent}:{}", audience.as_str()))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Reads the stored form of [`Ladder::encode_rungs`] with the other two settings; `None`
    /// when the text is not a valid ladder.
    pub fn decode(rungs: &str, overdue_days: u32, assess_after_hours: u32) -> Option<Self> {
        let rungs = if rungs.trim().is_empty() {
            Vec::new()
        } else {
            rungs
                .split(',')
                .map(|rung| {
                    let (percent, audience) = rung.split_once(':')?;
                    Some((
                        percent.trim().parse().ok()?,
                        Audience::parse(audience.trim())?,
                    ))
                })
                .collect::<Option<Vec<_>>>()?
        };
        Self::new(rungs, overdue_days, assess_after_hours).ok()
    }
}

impl Default for Ladder {
    /// design.md §5: 50 % the assignee, 75 % the IOD and the head, 90 % everyone, 100 % overdue,
    /// then daily (30 days); an unassessed report reminds the IOD after 4 hours.
    fn default() -> Self {
        Self {
            rungs: vec![
                (50, Audience::Assignee),
                (75, Audience::IodAndHead),
                (90, Audience::All),
            ],
            overdue_days: 30,
            assess_after_hours: DEFAULT_ASSESS_HOURS,
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
    /// Steps due at or before this instant were decided under an earlier ladder of the
    /// organisation and are never due under the current one (`None`: no ladder change).
    pub decided_until: Option<DateTime<Utc>>,
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
        steps.extend((1..=ladder.overdue_days()).map(|day| Step {
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
        .rungs()
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
    for day in 1..=ladder.overdue_days() {
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
        .filter(|s| {
            obligation
                .decided_until
                .is_none_or(|until| s.due_at > until)
        })
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

/// What a step means, in Polish, for notices: "minęło 75% czasu", "termin właśnie minął"…
/// `start` and `deadline` are the obligation's (the assessment reminder names its hours).
pub fn step_phrase_pl(
    kind: ObligationKind,
    step: &str,
    start: DateTime<Utc>,
    deadline: DateTime<Utc>,
) -> String {
    match step {
        "100%" if kind == ObligationKind::Assess => {
            let hours = (deadline - start).num_hours();
            let unit = if hours == 1 { "godziny" } else { "godzin" };
            format!("zgłoszenie czeka na ocenę od {hours} {unit}")
        }
        "100%" => "termin właśnie minął".to_owned(),
        step if step.starts_with("overdue+") => {
            let days = step.trim_start_matches("overdue+").trim_end_matches('d');
            if kind == ObligationKind::Assess {
                format!("zgłoszenie wciąż czeka na ocenę ({days}. przypomnienie dzienne)")
            } else if days == "1" {
                "termin minął 1 dzień temu".to_owned()
            } else {
                format!("termin minął {days} dni temu")
            }
        }
        percent => format!("minęło {percent} czasu"),
    }
}

/// The Warsaw calendar day whose daily digest is due at `now`, once the local time has reached
/// `hour`:00 (0–23); `None` earlier in the day. Kept in Warsaw time so the digest follows the
/// office's morning across the DST changes.
pub fn digest_day(now: DateTime<Utc>, hour: u32) -> Option<NaiveDate> {
    let local = now.with_timezone(&Warsaw);
    (local.hour() >= hour).then(|| local.date_naive())
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
            deadline: ObligationKind::NotifySa.deadline(start, None),
            decided_until: None,
        }
    }

    #[test]
    fn the_72_hours_are_elapsed_hours_across_the_autumn_change() {
        // Friday 23 October 2026, 10:00 in Warsaw (CEST); clocks go back on Sunday 25 October.
        let start = warsaw(2026, 10, 23, 10, 0).unwrap();
        let deadline = ObligationKind::NotifySa.deadline(start, None);
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
        let ladder = Ladder::new(Ladder::default().rungs().to_vec(), 0, 4).unwrap();
        assert_eq!(next_step_at(start + Duration::hours(72), &o, &ladder), None);
    }

    #[test]
    fn an_unassessed_report_reminds_the_iod_after_4_hours() {
        let start = warsaw(2026, 11, 23, 8, 0).unwrap();
        let o = Watched {
            id: 1,
            kind: ObligationKind::Assess,
            start,
            deadline: ObligationKind::Assess.deadline(start, None),
            decided_until: None,
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
            ObligationKind::CsirtEarlyWarning.deadline(start, None) - start,
            Duration::hours(24)
        );
        // One calendar month from 31 January is the end of February.
        assert_eq!(
            ObligationKind::CsirtFinalReport.deadline(start, Some(5)),
            warsaw(2026, 2, 28, 9, 0).unwrap()
        );
    }

    #[test]
    fn chosen_targets_set_the_deadlines_that_have_one() {
        let start = warsaw(2026, 11, 23, 8, 0).unwrap();
        assert_eq!(
            ObligationKind::Assess.deadline(start, None) - start,
            Duration::hours(4)
        );
        assert_eq!(
            ObligationKind::Assess.deadline(start, Some(2)) - start,
            Duration::hours(2)
        );
        assert_eq!(
            ObligationKind::NotifyController.deadline(start, None) - start,
            Duration::hours(24)
        );
        assert_eq!(
            ObligationKind::NotifyController.deadline(start, Some(36)) - start,
            Duration::hours(36)
        );
        // A target never moves a deadline the law fixes.
        assert_eq!(
            ObligationKind::NotifySa.deadline(start, Some(5)) - start,
            Duration::hours(72)
        );
        assert!(ObligationKind::NotifyController.has_target());
        assert!(!ObligationKind::NotifySa.has_target());
        assert_eq!(
            ObligationKind::parse("notify_controller"),
            Some(ObligationKind::NotifyController)
        );
    }

    #[test]
    fn a_ladder_is_checked_and_every_problem_named() {
        use Audience::*;
        assert!(Ladder::new(vec![(10, Assignee), (20, All)], 0, 1).is_ok());
        assert!(
            Ladder::new(Vec::new(), 90, 72).is_ok(),
            "no rungs: only the deadline"
        );
        assert_eq!(
            Ladder::new(vec![(0, Assignee), (100, All)], 91, 0).unwrap_err(),
            [
                LadderError::PercentOutOfRange(0),
                LadderError::PercentOutOfRange(1),
                LadderError::OverdueDaysOutOfRange,
                LadderError::AssessHoursOutOfRange,
            ]
        );
        assert_eq!(
            Ladder::new(vec![(50, Assignee), (50, All), (40, All)], 3, 73).unwrap_err(),
            [
                LadderError::NotIncreasing(1),
                LadderError::NotIncreasing(2),
                LadderError::AssessHoursOutOfRange,
            ]
        );
        let seven = (1..=7).map(|p| (p * 10, All)).collect();
        assert_eq!(
            Ladder::new(seven, 3, 4).unwrap_err(),
            [LadderError::TooManyRungs]
        );
        assert_eq!(
            LadderError::NotIncreasing(1).message_pl(),
            "Próg 2: procenty muszą rosnąć (każdy próg większy od poprzedniego)."
        );
    }

    #[test]
    fn a_ladder_is_stored_as_text_and_read_back() {
        let ladder = Ladder::default();
        assert_eq!(ladder.encode_rungs(), "50:assignee,75:iod_and_head,90:all");
        assert_eq!(
            Ladder::decode(&ladder.encode_rungs(), 30, 4),
            Some(ladder.clone())
        );
        let none = Ladder::new(Vec::new(), 0, 8).unwrap();
        assert_eq!(Ladder::decode(&none.encode_rungs(), 0, 8), Some(none));
        assert_eq!(Ladder::decode("50:boss", 30, 4), None);
        assert_eq!(Ladder::decode("75:all,50:all", 30, 4), None);
        assert_eq!(Ladder::decode("50:all", 30, 0), None);
    }

    #[test]
    fn a_changed_ladder_never_brings_back_what_the_old_one_decided() {
        use Audience::*;
        let start = warsaw(2026, 11, 23, 8, 0).unwrap();
        let changed_at = start + Duration::hours(40); // 55 % of 72 h
        let o = Watched {
            decided_until: Some(changed_at),
            ..watched(start)
        };
        let ladder = Ladder::new(vec![(25, Assignee), (60, IodAndHead), (80, All)], 2, 4).unwrap();
        let keys = |now| {
            due(now, &o, &ladder)
                .into_iter()
                .map(|s| s.key)
                .collect::<Vec<_>>()
        };
        // 25 % fell before the change: it is not due under the new ladder.
        assert!(keys(changed_at + Duration::minutes(1)).is_empty());
        assert_eq!(
            next_step_at(changed_at, &o, &ladder),
            Some(start + Duration::minutes(72 * 60 * 60 / 100))
        );
        assert_eq!(keys(start + Duration::hours(44)), ["60%"]);
        assert_eq!(
            keys(start + Duration::hours(72 + 49)),
            ["60%", "80%", "100%", "overdue+2d"]
        );
        // Two daily reminders, then the ladder is exhausted.
        assert_eq!(
            next_step_at(start + Duration::hours(72 + 49), &o, &ladder),
            None
        );
    }

    #[test]
    fn the_assessment_reminder_follows_the_organisations_hours() {
        let start = warsaw(2026, 11, 23, 8, 0).unwrap();
        let ladder = Ladder::new(Ladder::default().rungs().to_vec(), 30, 2).unwrap();
        let o = Watched {
            id: 1,
            kind: ObligationKind::Assess,
            start,
            deadline: ObligationKind::Assess.deadline(start, Some(ladder.assess_after_hours())),
            decided_until: None,
        };
        assert!(due(start + Duration::minutes(119), &o, &ladder).is_empty());
        assert_eq!(due(start + Duration::hours(2), &o, &ladder).len(), 1);
        assert_eq!(
            step_phrase_pl(ObligationKind::Assess, "100%", start, o.deadline),
            "zgłoszenie czeka na ocenę od 2 godzin"
        );
        assert_eq!(
            step_phrase_pl(
                ObligationKind::Assess,
                "100%",
                start,
                start + Duration::hours(1)
            ),
            "zgłoszenie czeka na ocenę od 1 godziny"
        );
    }

    #[test]
    fn steps_read_naturally() {
        let start = warsaw(2026, 11, 23, 8, 0).unwrap();
        let deadline = start + Duration::hours(72);
        let phrase = |step| step_phrase_pl(ObligationKind::NotifySa, step, start, deadline);
        assert_eq!(phrase("75%"), "minęło 75% czasu");
        assert_eq!(phrase("100%"), "termin właśnie minął");
        assert_eq!(phrase("overdue+1d"), "termin minął 1 dzień temu");
        assert_eq!(phrase("overdue+3d"), "termin minął 3 dni temu");
    }

    #[test]
    fn the_digest_day_is_a_warsaw_day_from_the_configured_hour() {
        // Winter: 07:00 in Warsaw is 06:00 UTC.
        let before = "2026-11-24T05:59:59Z".parse::<DateTime<Utc>>().unwrap();
        let at = "2026-11-24T06:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(digest_day(before, 7), None);
        assert_eq!(digest_day(at, 7), NaiveDate::from_ymd_opt(2026, 11, 24));
        // Summer: 07:00 is 05:00 UTC; 23:30 UTC is already the next day in Warsaw.
        let summer = "2026-07-01T05:00:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(digest_day(summer, 7), NaiveDate::from_ymd_opt(2026, 7, 1));
        let late = "2026-07-01T23:30:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(digest_day(late, 0), NaiveDate::from_ymd_opt(2026, 7, 2));
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
        fn a_valid_ladder_round_trips_and_fires_in_order(
            percents in proptest::collection::btree_set(1u8..=99, 0..=6),
            audiences in proptest::collection::vec(0usize..3, 6),
            overdue in 0u32..=90,
            hours in 1u32..=72,
        ) {
            let rungs: Vec<(u8, Audience)> = percents
                .iter()
                .zip(&audiences)
                .map(|(p, a)| (*p, Audience::ALL[*a]))
                .collect();
            let ladder = Ladder::new(rungs, overdue, hours).unwrap();
            proptest::prop_assert_eq!(
                Ladder::decode(&ladder.encode_rungs(), overdue, hours),
                Some(ladder.clone())
            );
            let all = steps(&watched(warsaw(2026, 3, 27, 12, 0).unwrap()), &ladder);
            proptest::prop_assert_eq!(all.len(), percents.len() + 1 + overdue as usize);
            proptest::prop_assert!(all.windows(2).all(|w| w[0].due_at <= w[1].due_at));
        }

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
