//! The statistics as CSV: one row per (section, key, label, value).
//!
//! Format choices, so that whoever reads the file knows what to expect:
//! - comma-separated, CRLF line ends and RFC 4180 quoting (a field with a comma, a quote or a
//!   line break is quoted, and a quote inside it doubled);
//! - UTF-8 **without** a byte-order mark; the web layer may prepend [`BOM`] for a download
//!   meant for Excel, which otherwise guesses the code page and garbles "ą" and "ł";
//! - a text field that a spreadsheet would take for a formula (it begins with `=`, `+`, `-`,
//!   `@`, a tab or a carriage return) is prefixed with `'`: unit names are typed by users;
//! - values are plain integers (counts, durations in whole seconds) or a decimal with a dot
//!   (the share, 0–1, four places); a value that does not exist (a median with no data, the
//!   share with no notification filed) is an empty field, never 0.

use chrono::Duration;

use crate::polish;
use crate::stats::{Row, Statistics, Timing};

/// The UTF-8 byte-order mark, for callers who want Excel to recognise the encoding.
pub const BOM: &str = "\u{feff}";

/// The header row, as written.
pub const HEADER: [&str; 4] = ["section", "key", "label", "value"];

/// Every number of [`Statistics`] as CSV. See the module documentation for the format.
pub fn to_csv(stats: &Statistics) -> String {
    let mut out = String::new();
    line(&mut out, HEADER);
    let mut put = |section: &str, key: &str, label: &str, value: String| {
        line(&mut out, [section, key, label, &value]);
    };

    put("total", "total", "Liczba zdarzeń", stats.total.to_string());
    for m in &stats.by_month {
        put("month", &m.key(), &m.full_label(), m.count.to_string());
    }
    let sections: [(&str, &[Row]); 6] = [
        ("classification", &stats.by_classification),
        ("risk", &stats.by_risk),
        ("breach_type", &stats.by_breach_type),
        ("cause", &stats.by_cause),
        ("organisation", &stats.by_organisation),
        ("unit", &stats.by_unit),
    ];
    for (section, rows) in sections {
        for row in rows {
            put(section, &row.key, &row.label, row.count.to_string());
        }
    }

    let p = &stats.puodo;
    let as_of = polish::date(polish::warsaw_date(stats.as_of));
    let puodo = [
        ("required", "Zawiadomienie wymagane".to_owned(), p.required),
        ("filed", "Zawiadomienia złożone".to_owned(), p.filed),
        (
            "in_time",
            "Złożone w terminie 72 godzin".to_owned(),
            p.in_time,
        ),
        ("late", "Złożone po terminie".to_owned(), p.late),
        ("pending", format!("Niezłożone na dzień {as_of}"), p.pending),
        (
            "overdue",
            format!("Niezłożone po terminie na dzień {as_of}"),
            p.overdue,
        ),
    ];
    for (key, label, value) in puodo {
        put("puodo", key, &label, value.to_string());
    }
    put(
        "puodo",
        "in_time_share",
        "Udział zawiadomień złożonych w terminie (0–1)",
        p.in_time_share()
            .map(|s| format!("{s:.4}"))
            .unwrap_or_default(),
    );

    let timings: [(&str, &str, &Timing); 2] = [
        (
            "assessment",
            "od zgłoszenia do pierwszej oceny",
            &stats.time_to_assessment,
        ),
        (
            "puodo",
            "od stwierdzenia naruszenia do zawiadomienia Prezesa UODO",
            &stats.time_to_puodo,
        ),
    ];
    for (key, what, timing) in timings {
        put(
            "timing",
            &format!("{key}_samples"),
            &format!("Liczba pomiarów: {what}"),
            timing.samples.to_string(),
        );
        put(
            "timing",
            &format!("{key}_median_seconds"),
            &format!("Mediana (sekundy): {what}"),
            seconds(timing.median),
        );
        put(
            "timing",
            &format!("{key}_p90_seconds"),
            &format!("90. percentyl (sekundy): {what}"),
            seconds(timing.p90),
        );
    }
    out
}

fn seconds(span: Option<Duration>) -> String {
    span.map(|d| d.num_seconds().to_string())
        .unwrap_or_default()
}

fn line<const N: usize>(out: &mut String, fields: [&str; N]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&field_text(field));
    }
    out.push_str("\r\n");
}

/// One field, defused and quoted as needed.
pub fn field_text(field: &str) -> String {
    let defused = if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{field}")
    } else {
        field.to_owned()
    };
    if defused.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_defused() {
        assert_eq!(field_text("plain"), "plain");
        assert_eq!(field_text(""), "");
        assert_eq!(field_text("a, \"b\""), "\"a, \"\"b\"\"\"");
        assert_eq!(field_text("two\nlines"), "\"two\nlines\"");
        assert_eq!(field_text("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(field_text("-1,5"), "\"'-1,5\"");
    }
}
