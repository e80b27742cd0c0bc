//! Showing instants to people: stored in UTC, shown in Polish time.

use chrono::{DateTime, SecondsFormat, Utc};
use chrono_tz::Europe::Warsaw;

/// `23.11.2026, 09:15` in Europe/Warsaw.
pub(crate) fn warsaw(t: DateTime<Utc>) -> String {
    t.with_timezone(&Warsaw)
        .format("%d.%m.%Y, %H:%M")
        .to_string()
}

pub(crate) fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summer_and_winter_time_are_shown_in_warsaw() {
        let winter: DateTime<Utc> = "2026-11-23T08:15:00Z".parse().unwrap_or_default();
        let summer: DateTime<Utc> = "2026-07-01T08:15:00Z".parse().unwrap_or_default();
        assert_eq!(warsaw(winter), "23.11.2026, 09:15");
        assert_eq!(warsaw(summer), "01.07.2026, 10:15");
    }
}
