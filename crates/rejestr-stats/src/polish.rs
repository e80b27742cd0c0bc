//! Polish words for numbers: grammatical number, month names, dates and durations.
//!
//! Polish has three plural forms for a count (CLDR `one`, `few`, `many`): "1 zdarzenie",
//! "2 zdarzenia" (the last digit is 2–4 but the number does not end in 12–14), and "5 zdarzeń"
//! (everything else, including 12–14, 22 taking `few` again and 112 taking `many`).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Europe::Warsaw;

/// The three forms of a Polish noun after a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Noun {
    /// After 1: "zdarzenie".
    pub one: &'static str,
    /// After 2–4, 22–24, 32–34…: "zdarzenia".
    pub few: &'static str,
    /// After 0, 5–21, 25–31…: "zdarzeń".
    pub many: &'static str,
}

impl Noun {
    /// The form that follows `count`.
    pub fn form(self, count: u64) -> &'static str {
        if count == 1 {
            self.one
        } else if (2..=4).contains(&(count % 10)) && !(12..=14).contains(&(count % 100)) {
            self.few
        } else {
            self.many
        }
    }

    /// `count` followed by its form: "22 zdarzenia".
    pub fn count(self, count: u64) -> String {
        format!("{count} {}", self.form(count))
    }
}

/// "zdarzenie": anything reported to the register (accusative, as after "zarejestrowano").
pub const EVENT: Noun = Noun {
    one: "zdarzenie",
    few: "zdarzenia",
    many: "zdarzeń",
};

/// "zdarzenie" in the genitive, as after a negated verb ("nie oceniono 2 zdarzeń").
pub const EVENT_GENITIVE: Noun = Noun {
    one: "zdarzenia",
    few: "zdarzeń",
    many: "zdarzeń",
};

/// "naruszenie" (ochrony danych osobowych).
pub const BREACH: Noun = Noun {
    one: "naruszenie",
    few: "naruszenia",
    many: "naruszeń",
};

/// "incydent" (bezpieczeństwa).
pub const INCIDENT: Noun = Noun {
    one: "incydent",
    few: "incydenty",
    many: "incydentów",
};

/// "raz": how many times something was done ("zawiadomiono 5 razy").
pub const TIMES: Noun = Noun {
    one: "raz",
    few: "razy",
    many: "razy",
};

/// "sprawa" in the locative ("w 1 sprawie", "w 2 sprawach").
pub const CASE_LOCATIVE: Noun = Noun {
    one: "sprawie",
    few: "sprawach",
    many: "sprawach",
};

const MONTHS: [(&str, &str); 12] = [
    ("sty", "styczeń"),
    ("lut", "luty"),
    ("mar", "marzec"),
    ("kwi", "kwiecień"),
    ("maj", "maj"),
    ("cze", "czerwiec"),
    ("lip", "lipiec"),
    ("sie", "sierpień"),
    ("wrz", "wrzesień"),
    ("paź", "październik"),
    ("lis", "listopad"),
    ("gru", "grudzień"),
];

/// The abbreviated name of a month (1–12), "sty"; empty for anything else.
pub fn month_short(month: u32) -> &'static str {
    month_names(month).0
}

/// The full (nominative) name of a month (1–12), "styczeń"; empty for anything else.
pub fn month_full(month: u32) -> &'static str {
    month_names(month).1
}

fn month_names(month: u32) -> (&'static str, &'static str) {
    month
        .checked_sub(1)
        .and_then(|i| MONTHS.get(i as usize))
        .copied()
        .unwrap_or(("", ""))
}

/// A calendar date as written in Polish offices: "03.05.2026".
pub fn date(on: NaiveDate) -> String {
    on.format("%d.%m.%Y").to_string()
}

/// The calendar date of an instant in Poland.
pub fn warsaw_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&Warsaw).date_naive()
}

/// A duration as a person says it: "45 min", "3 godz. 20 min", "2 dni 4 godz.", "1 dzień".
///
/// Two units at most, truncated (not rounded) to the smaller one: an hour and 59 seconds is
/// "1 godz.". Under a minute, and anything negative, is "mniej niż 1 min".
pub fn duration(span: Duration) -> String {
    let minutes = span.num_minutes();
    if minutes < 1 {
        return "mniej niż 1 min".to_owned();
    }
    let (days, hours, mins) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    if days > 0 {
        let day_word = if days == 1 { "dzień" } else { "dni" };
        if hours > 0 {
            format!("{days} {day_word} {hours} godz.")
        } else {
            format!("{days} {day_word}")
        }
    } else if hours > 0 {
        if mins > 0 {
            format!("{hours} godz. {mins} min")
        } else {
            format!("{hours} godz.")
        }
    } else {
        format!("{mins} min")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_keep_two_units_at_most() {
        let said: Vec<String> = [
            Duration::seconds(-5),
            Duration::seconds(59),
            Duration::minutes(45),
            Duration::minutes(60),
            Duration::minutes(200),
            Duration::hours(24),
            Duration::hours(52) + Duration::minutes(30),
            Duration::days(3),
        ]
        .into_iter()
        .map(duration)
        .collect();
        assert_eq!(
            said,
            [
                "mniej niż 1 min",
                "mniej niż 1 min",
                "45 min",
                "1 godz.",
                "3 godz. 20 min",
                "1 dzień",
                "2 dni 4 godz.",
                "3 dni"
            ]
        );
    }

    #[test]
    fn months_out_of_range_have_no_name() {
        assert_eq!(month_short(1), "sty");
        assert_eq!(month_full(10), "październik");
        assert_eq!(month_full(0), "");
        assert_eq!(month_short(13), "");
    }
}
