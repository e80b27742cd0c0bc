//! Validating one report: [`ReportInput`] (what was typed) into [`NewReport`] (what is stored).

use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Europe::Warsaw;
use rejestr_domain::case::{Occurred, ReportSource};

use crate::categories::data_kind;
use crate::errors::{FieldError, FieldErrors};

pub const DESCRIPTION_MIN_CHARS: usize = 10;
pub const DESCRIPTION_MAX_CHARS: usize = 20_000;
pub const SHORT_TEXT_MAX_CHARS: usize = 500;
pub const SUBJECTS_MAX: u32 = 100_000_000;

/// How far in the future a reported time may lie before it is refused: reporters' clocks
/// and the server's disagree by a little, and a report must not bounce for that.
const CLOCK_SKEW: Duration = Duration::minutes(5);

/// What the organisation decided about who may report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrgIntakePolicy {
    /// When false, a reporter must give a name and a way to reach them (e-mail or phone).
    pub allow_anonymous: bool,
}

/// The raw report as typed into the form or sent to the API. Every field is text so that
/// nothing a person typed is lost before it is judged; empty strings count as absent.
///
/// Times are RFC 3339 with an offset (`2026-11-23T08:15:00Z`, the API) or local Polish time
/// without an offset (`2026-11-23T09:15`, the form's `datetime-local`), read in Europe/Warsaw.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportInput {
    /// `employee` (default) or `processor` (art. 33(2)).
    pub source: Option<String>,
    pub description: String,
    /// `unknown`, `at` or `range` (`between` is accepted too); when absent it follows from which times were given.
    pub occurred: Option<String>,
    pub occurred_at: Option<String>,
    pub occurred_from: Option<String>,
    pub occurred_to: Option<String>,
    pub discovered_at: Option<String>,
    pub location: Option<String>,
    pub data_categories: Vec<String>,
    pub subjects_estimate: Option<String>,
    pub reporter_name: Option<String>,
    pub reporter_email: Option<String>,
    pub reporter_phone: Option<String>,
    pub reporter_unit: Option<String>,
    pub processor_name: Option<String>,
    pub processor_contract: Option<String>,
    pub processor_aware_at: Option<String>,
}

/// Who reported and how to reach them. All optional when the organisation allows anonymity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reporter {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub unit: Option<String>,
}

/// The processor that reported a breach to the controller (art. 33(2)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Processor {
    pub name: String,
    pub contract: Option<String>,
    /// When the processor itself became aware of the breach.
    pub aware_at: DateTime<Utc>,
}

/// A report that passed validation: every field is in its final form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReport {
    pub source: ReportSource,
    pub description: String,
    pub occurred: Occurred,
    pub discovered_at: DateTime<Utc>,
    pub location: Option<String>,
    /// Facts v1 category ids, deduplicated, in the form's order.
    pub data_categories: Vec<&'static str>,
    pub subjects_estimate: Option<u32>,
    pub reporter: Reporter,
    pub processor: Option<Processor>,
    /// When the register accepted the report.
    pub reported_at: DateTime<Utc>,
    /// When the controller became aware: the 72 hours of art. 33(1) run from here. At intake
    /// this is the moment the report reached the organisation; the IOD may correct it later,
    /// with a justification, in the assessment.
    pub aware_at: DateTime<Utc>,
}

/// Validates a report received at `now`. Returns every field error at once.
pub fn validate_report(
    input: &ReportInput,
    policy: OrgIntakePolicy,
    now: DateTime<Utc>,
) -> Result<NewReport, FieldErrors> {
    let mut errors = FieldErrors::default();
    let latest = now + CLOCK_SKEW;

    let source = match present(&input.source) {
        None | Some("employee") => ReportSource::Employee,
        Some("processor") => ReportSource::Processor,
        Some(other) => {
            errors.push(FieldError::new(
                "source",
                "invalid",
                "Nieznany rodzaj zgłoszenia.",
                format!("unknown source {other:?}; expected employee or processor"),
            ));
            ReportSource::Employee
        }
    };

    let description = input.description.trim().to_owned();
    let length = description.chars().count();
    if length == 0 {
        errors.push(FieldError::new(
            "description",
            "required",
            "Opisz, co się stało.",
            "describe what happened",
        ));
    } else if length < DESCRIPTION_MIN_CHARS {
        errors.push(FieldError::new(
            "description",
            "too_short",
            format!("Opis jest za krótki — napisz co najmniej {DESCRIPTION_MIN_CHARS} znaków."),
            format!("at least {DESCRIPTION_MIN_CHARS} characters"),
        ));
    } else if length > DESCRIPTION_MAX_CHARS {
        errors.push(FieldError::new(
            "description",
            "too_long",
            format!("Opis może mieć najwyżej {DESCRIPTION_MAX_CHARS} znaków."),
            format!("at most {DESCRIPTION_MAX_CHARS} characters"),
        ));
    } else if has_control_characters(&description, true) {
        errors.push(control_characters("description"));
    }

    let discovered_at = match present(&input.discovered_at) {
        None => {
            errors.push(FieldError::new(
                "discovered_at",
                "required",
                "Podaj, kiedy zauważono zdarzenie.",
                "when was it discovered?",
            ));
            None
        }
        Some(raw) => past_time(raw, "discovered_at", latest, &mut errors),
    };

    let occurred = validate_occurred(input, discovered_at, latest, &mut errors);

    let location = short_text(&input.location, "location", &mut errors);

    let mut data_categories: Vec<&'static str> = Vec::new();
    for raw in &input.data_categories {
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        match data_kind(raw) {
            Some(kind) if !data_categories.contains(&kind.id) => data_categories.push(kind.id),
            Some(_) => {}
            None => errors.push(FieldError::new(
                "data_categories",
                "invalid",
                "Wybrano nieznany rodzaj danych.",
                format!("unknown data category {raw:?}"),
            )),
        }
    }
    data_categories.sort_by_key(|id| {
        crate::categories::DATA_KINDS
            .iter()
            .position(|k| k.id == *id)
            .unwrap_or(usize::MAX)
    });

    let subjects_estimate = match present(&input.subjects_estimate) {
        None => None,
        Some(raw) => match raw.replace([' ', '\u{a0}'], "").parse::<u32>() {
            Ok(n) if n <= SUBJECTS_MAX => Some(n),
            _ => {
                errors.push(FieldError::new(
                    "subjects_estimate",
                    "invalid",
                    "Podaj liczbę osób jako liczbę całkowitą (możesz w przybliżeniu), albo zostaw puste, jeśli nie wiesz.",
                    format!("a whole number from 0 to {SUBJECTS_MAX}, or empty when unknown"),
                ));
                None
            }
        },
    };

    let reporter = Reporter {
        name: short_text(&input.reporter_name, "reporter_name", &mut errors),
        email: validate_email(&input.reporter_email, &mut errors),
        phone: validate_phone(&input.reporter_phone, &mut errors),
        unit: short_text(&input.reporter_unit, "reporter_unit", &mut errors),
    };
    if !policy.allow_anonymous && source == ReportSource::Employee {
        if reporter.name.is_none() && errors.for_field("reporter_name").is_none() {
            errors.push(FieldError::new(
                "reporter_name",
                "required",
                "Podaj imię i nazwisko — ta jednostka nie przyjmuje zgłoszeń anonimowych.",
                "name required: this organisation does not accept anonymous reports",
            ));
        }
        if reporter.email.is_none()
            && reporter.phone.is_none()
            && errors.for_field("reporter_email").is_none()
            && errors.for_field("reporter_phone").is_none()
        {
            errors.push(FieldError::new(
                "reporter_email",
                "required",
                "Podaj e-mail lub telefon, abyśmy mogli się z Tobą skontaktować.",
                "an e-mail or a phone number is required",
            ));
        }
    }

    let processor = validate_processor(input, source, latest, &mut errors);

    if !errors.is_empty() {
        return Err(errors);
    }
    let (Some(discovered_at), Some(occurred)) = (discovered_at, occurred) else {
        // Unreachable in practice: a missing value always pushed an error above.
        return Err(errors);
    };
    Ok(NewReport {
        source,
        description,
        occurred,
        discovered_at,
        location,
        data_categories,
        subjects_estimate,
        reporter,
        processor,
        reported_at: now,
        aware_at: now,
    })
}

fn validate_occurred(
    input: &ReportInput,
    discovered_at: Option<DateTime<Utc>>,
    latest: DateTime<Utc>,
    errors: &mut FieldErrors,
) -> Option<Occurred> {
    let kind = match present(&input.occurred) {
        Some(kind) => kind,
        None if present(&input.occurred_from).is_some()
            || present(&input.occurred_to).is_some() =>
        {
            "range"
        }
        None if present(&input.occurred_at).is_some() => "at",
        None => "unknown",
    };
    let not_after_discovery = |field: &'static str, t: DateTime<Utc>, errors: &mut FieldErrors| {
        if discovered_at.is_some_and(|d| t > d) {
            errors.push(FieldError::new(
                field,
                "after_discovery",
                "Zdarzenie nie mogło nastąpić po jego zauważeniu — sprawdź daty.",
                "cannot be later than discovered_at",
            ));
        }
    };
    match kind {
        "unknown" => Some(Occurred::Unknown),
        "at" => {
            let Some(raw) = present(&input.occurred_at) else {
                errors.push(FieldError::new(
                    "occurred_at",
                    "required",
                    "Podaj, kiedy doszło do zdarzenia, albo zaznacz „nie wiem”.",
                    "required when occurred is \"at\"",
                ));
                return None;
            };
            let at = past_time(raw, "occurred_at", latest, errors)?;
            not_after_discovery("occurred_at", at, errors);
            Some(Occurred::At(at))
        }
        "range" | "between" => {
            let mut bound = |field: &'static str, value: &Option<String>| match present(value) {
                None => {
                    errors.push(FieldError::new(
                        field,
                        "required",
                        "Podaj obie granice okresu (od – do).",
                        "both ends of the period are required",
                    ));
                    None
                }
                Some(raw) => past_time(raw, field, latest, errors),
            };
            let from = bound("occurred_from", &input.occurred_from);
            let to = bound("occurred_to", &input.occurred_to);
            let (from, to) = (from?, to?);
            if from >= to {
                errors.push(FieldError::new(
                    "occurred_to",
                    "before_start",
                    "Koniec okresu musi być późniejszy niż jego początek.",
                    "the end must be later than the start",
                ));
                return None;
            }
            not_after_discovery("occurred_from", from, errors);
            Some(Occurred::Between(from, to))
        }
        other => {
            errors.push(FieldError::new(
                "occurred",
                "invalid",
                "Wybierz, czy znasz czas zdarzenia.",
                format!("unknown value {other:?}; expected unknown, at or range"),
            ));
            None
        }
    }
}

fn validate_processor(
    input: &ReportInput,
    source: ReportSource,
    latest: DateTime<Utc>,
    errors: &mut FieldErrors,
) -> Option<Processor> {
    if source != ReportSource::Processor {
        return None;
    }
    let name = short_text(&input.processor_name, "processor_name", errors);
    if name.is_none() && errors.for_field("processor_name").is_none() {
        errors.push(FieldError::new(
            "processor_name",
            "required",
            "Podaj nazwę podmiotu przetwarzającego.",
            "the processor's name is required",
        ));
    }
    let contract = short_text(&input.processor_contract, "processor_contract", errors);
    let aware_at = match present(&input.processor_aware_at) {
        None => {
            errors.push(FieldError::new(
                "processor_aware_at",
                "required",
                "Podaj, kiedy podmiot przetwarzający dowiedział się o naruszeniu.",
                "when did the processor become aware?",
            ));
            None
        }
        Some(raw) => past_time(raw, "processor_aware_at", latest, errors),
    };
    Some(Processor {
        name: name?,
        contract,
        aware_at: aware_at?,
    })
}

/// The trimmed value, or `None` when absent or blank.
fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Whether the text holds a control character a person does not type: NUL, escape and the
/// like (PostgreSQL refuses NUL, and they have no place in a register). Tabs are allowed, line
/// breaks only in `multiline` text.
fn has_control_characters(text: &str, multiline: bool) -> bool {
    text.chars()
        .any(|c| c.is_control() && c != '\t' && !(multiline && matches!(c, '\n' | '\r')))
}

fn control_characters(field: &str) -> FieldError {
    FieldError::new(
        field,
        "control_characters",
        "Tekst zawiera niedozwolone znaki sterujące — usuń je i spróbuj ponownie.",
        "contains control characters",
    )
}

fn short_text(value: &Option<String>, field: &str, errors: &mut FieldErrors) -> Option<String> {
    let text = present(value)?;
    if has_control_characters(text, false) {
        errors.push(control_characters(field));
        return None;
    }
    if text.chars().count() > SHORT_TEXT_MAX_CHARS {
        errors.push(FieldError::new(
            field,
            "too_long",
            format!("Najwyżej {SHORT_TEXT_MAX_CHARS} znaków."),
            format!("at most {SHORT_TEXT_MAX_CHARS} characters"),
        ));
        return None;
    }
    Some(text.to_owned())
}

fn validate_email(value: &Option<String>, errors: &mut FieldErrors) -> Option<String> {
    let email = present(value)?;
    let valid = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if !valid {
        errors.push(FieldError::new(
            "reporter_email",
            "invalid",
            "To nie wygląda na adres e-mail (np. jan.kowalski@gmina.pl).",
            "not an e-mail address",
        ));
        return None;
    }
    Some(email.to_owned())
}

fn validate_phone(value: &Option<String>, errors: &mut FieldErrors) -> Option<String> {
    let phone = present(value)?;
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')'));
    if !allowed || !(7..=20).contains(&digits) {
        errors.push(FieldError::new(
            "reporter_phone",
            "invalid",
            "Podaj numer telefonu samymi cyframi (np. 22 123 45 67 lub +48 600 100 200).",
            "not a phone number",
        ));
        return None;
    }
    Some(phone.to_owned())
}

/// Parses a time that must not lie in the future.
fn past_time(
    raw: &str,
    field: &str,
    latest: DateTime<Utc>,
    errors: &mut FieldErrors,
) -> Option<DateTime<Utc>> {
    match parse_time(raw) {
        Err(error) => {
            errors.push(error.into_field_error(field));
            None
        }
        Ok(t) if t > latest => {
            errors.push(FieldError::new(
                field,
                "in_future",
                "Ta data jest w przyszłości — sprawdź ją.",
                "lies in the future",
            ));
            None
        }
        Ok(t) => Some(t),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TimeError {
    Unreadable,
    /// The local time does not exist (the spring-forward hour in Poland).
    SkippedByDst,
}

impl TimeError {
    fn into_field_error(self, field: &str) -> FieldError {
        match self {
            TimeError::Unreadable => FieldError::new(
                field,
                "invalid_time",
                "Nie rozumiem tej daty — wpisz ją jako RRRR-MM-DD GG:MM.",
                "expected RFC 3339 (2026-11-23T08:15:00Z) or local time 2026-11-23T09:15",
            ),
            TimeError::SkippedByDst => FieldError::new(
                field,
                "nonexistent_time",
                "Taka godzina nie istnieje (zmiana czasu na letni) — sprawdź godzinę.",
                "this local time does not exist in Europe/Warsaw (DST gap)",
            ),
        }
    }
}

/// Reads an instant as the form or the API gives it (see [`ReportInput`]); `None` when it is
/// unreadable or falls in the spring DST gap.
pub fn parse_instant(raw: &str) -> Option<DateTime<Utc>> {
    parse_time(raw).ok()
}

/// RFC 3339 with an offset, or Warsaw local time without one. An ambiguous local time (the
/// autumn fold) is read as the earlier instant: the clock then starts sooner, never later.
fn parse_time(raw: &str) -> Result<DateTime<Utc>, TimeError> {
    let raw = raw.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(raw) {
        return Ok(t.with_timezone(&Utc));
    }
    let normalised = raw.replacen(' ', "T", 1);
    let naive = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(&normalised, format).ok())
        .ok_or(TimeError::Unreadable)?;
    match Warsaw.from_local_datetime(&naive) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(earliest, _) => Ok(earliest.with_timezone(&Utc)),
        LocalResult::None => Err(TimeError::SkippedByDst),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        "2026-11-23T10:00:00Z".parse().unwrap()
    }

    fn valid() -> ReportInput {
        ReportInput {
            description: "Wysłano e-mail z listą mieszkańców do złego adresata.".into(),
            discovered_at: Some("2026-11-23T09:30".into()),
            data_categories: vec!["contact".into(), "identity".into()],
            reporter_name: Some("Anna Nowak".into()),
            reporter_email: Some("anna.nowak@gmina.pl".into()),
            ..ReportInput::default()
        }
    }

    const OPEN: OrgIntakePolicy = OrgIntakePolicy {
        allow_anonymous: true,
    };
    const NAMED: OrgIntakePolicy = OrgIntakePolicy {
        allow_anonymous: false,
    };

    fn codes(result: Result<NewReport, FieldErrors>) -> Vec<(String, &'static str)> {
        result
            .unwrap_err()
            .iter()
            .map(|e| (e.field.clone(), e.code))
            .collect()
    }

    #[test]
    fn a_valid_report_is_normalised() {
        let report = validate_report(&valid(), NAMED, now()).unwrap();
        // 09:30 in Warsaw in November is 08:30 UTC.
        assert_eq!(
            report.discovered_at,
            "2026-11-23T08:30:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert_eq!(report.occurred, Occurred::Unknown);
        assert_eq!(report.aware_at, now());
        assert_eq!(report.source, ReportSource::Employee);
    }

    #[test]
    fn every_required_field_is_reported_at_once() {
        let input = ReportInput::default();
        assert_eq!(
            codes(validate_report(&input, NAMED, now())),
            vec![
                ("description".into(), "required"),
                ("discovered_at".into(), "required"),
                ("reporter_name".into(), "required"),
                ("reporter_email".into(), "required"),
            ]
        );
    }

    #[test]
    fn anonymous_reports_follow_the_policy() {
        let input = ReportInput {
            reporter_name: None,
            reporter_email: None,
            ..valid()
        };
        assert!(validate_report(&input, OPEN, now()).is_ok());
        assert!(validate_report(&input, NAMED, now()).is_err());
    }

    #[test]
    fn times_in_the_future_are_refused_but_small_skew_is_tolerated() {
        let mut input = valid();
        input.discovered_at = Some("2026-11-23T10:04:00Z".into());
        assert!(validate_report(&input, OPEN, now()).is_ok());
        input.discovered_at = Some("2026-11-24T10:00:00Z".into());
        assert_eq!(
            codes(validate_report(&input, OPEN, now())),
            vec![("discovered_at".into(), "in_future")]
        );
    }

    #[test]
    fn a_range_must_be_ordered_and_before_discovery() {
        let mut input = valid();
        input.occurred_from = Some("2026-11-22T12:00".into());
        input.occurred_to = Some("2026-11-22T11:00".into());
        assert_eq!(
            codes(validate_report(&input, OPEN, now())),
            vec![("occurred_to".into(), "before_start")]
        );
        input.occurred_to = Some("2026-11-22T13:00".into());
        let report = validate_report(&input, OPEN, now()).unwrap();
        assert!(matches!(report.occurred, Occurred::Between(_, _)));

        input.occurred = Some("at".into());
        input.occurred_at = Some("2026-11-23T09:45".into());
        assert_eq!(
            codes(validate_report(&input, OPEN, now())),
            vec![("occurred_at".into(), "after_discovery")]
        );
    }

    #[test]
    fn the_spring_gap_is_refused_and_the_autumn_fold_reads_early() {
        assert_eq!(parse_time("2026-03-29T02:30"), Err(TimeError::SkippedByDst));
        let fold = parse_time("2026-10-25T02:30").unwrap();
        assert_eq!(
            fold,
            "2026-10-25T00:30:00Z".parse::<DateTime<Utc>>().unwrap()
        );
    }

    #[test]
    fn processor_reports_need_the_processor_and_its_awareness() {
        let mut input = valid();
        input.source = Some("processor".into());
        assert_eq!(
            codes(validate_report(&input, OPEN, now())),
            vec![
                ("processor_name".into(), "required"),
                ("processor_aware_at".into(), "required"),
            ]
        );
        input.processor_name = Some("Infosystem sp. z o.o.".into());
        input.processor_contract = Some("umowa powierzenia nr 12/2025".into());
        input.processor_aware_at = Some("2026-11-22T16:00:00+01:00".into());
        let report = validate_report(&input, OPEN, now()).unwrap();
        let processor = report.processor.unwrap();
        assert_eq!(
            processor.aware_at,
            "2026-11-22T15:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
    }

    #[test]
    fn categories_are_checked_and_deduplicated_in_form_order() {
        let mut input = valid();
        input.data_categories = vec!["health".into(), "contact".into(), "contact".into()];
        let report = validate_report(&input, OPEN, now()).unwrap();
        assert_eq!(report.data_categories, vec!["contact", "health"]);
        input.data_categories.push("shoe_size".into());
        assert_eq!(
            codes(validate_report(&input, OPEN, now())),
            vec![("data_categories".into(), "invalid")]
        );
    }

    #[test]
    fn control_characters_are_refused_but_line_breaks_in_the_description_are_not() {
        let mut input = valid();
        input.description = "Pierwsza linia opisu.\r\n\tDruga linia opisu.".to_owned();
        assert!(validate_report(&input, OPEN, now()).is_ok());
        input.description = "Opis z bajtem zerowym \u{0} w środku.".to_owned();
        input.reporter_name = Some("Jan\nKowalski".to_owned());
        input.location = Some("Pokój\u{1b}[31m 12".to_owned());
        assert_eq!(
            codes(validate_report(&input, OPEN, now())),
            vec![
                ("description".to_owned(), "control_characters"),
                ("location".to_owned(), "control_characters"),
                ("reporter_name".to_owned(), "control_characters"),
            ]
        );
    }

    #[test]
    fn contact_details_are_checked() {
        let mut input = valid();
        input.reporter_email = Some("anna at gmina".into());
        input.reporter_phone = Some("12".into());
        input.subjects_estimate = Some("około stu".into());
        assert_eq!(
            codes(validate_report(&input, OPEN, now())),
            vec![
                ("subjects_estimate".into(), "invalid"),
                ("reporter_email".into(), "invalid"),
                ("reporter_phone".into(), "invalid"),
            ]
        );
        input.reporter_email = None;
        input.reporter_phone = Some("+48 600 100 200".into());
        input.subjects_estimate = Some("1 200".into());
        let report = validate_report(&input, OPEN, now()).unwrap();
        assert_eq!(report.subjects_estimate, Some(1200));
    }

    proptest::proptest! {
        #[test]
        fn any_input_is_judged_without_panicking(
            description in ".{0,40}",
            discovered in ".{0,25}",
            occurred in proptest::option::of("(unknown|at|between|x)"),
            from in proptest::option::of(".{0,20}"),
            email in proptest::option::of(".{0,30}"),
            subjects in proptest::option::of(".{0,12}"),
        ) {
            let input = ReportInput {
                description,
                discovered_at: Some(discovered),
                occurred,
                occurred_from: from,
                reporter_email: email,
                subjects_estimate: subjects,
                ..ReportInput::default()
            };
            match validate_report(&input, OPEN, now()) {
                Ok(report) => proptest::prop_assert!(report.discovered_at <= now() + CLOCK_SKEW),
                Err(errors) => proptest::prop_assert!(!errors.is_empty()),
            }
        }
    }
}
