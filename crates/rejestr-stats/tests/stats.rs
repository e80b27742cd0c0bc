//! The statistics of the fixture in `common/mod.rs`, every number counted by hand.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use chrono::{Duration, NaiveDate};
use common::{FINANCE, ORGANISATION, SCRIPT, TRANSPORT, cases, now, period};
use rejestr_stats::polish::{self, EVENT};
use rejestr_stats::{
    ChartOptions, Period, Row, Statistics, bar_chart_svg, charts, compute, to_csv, yearly_summary,
};

fn stats() -> Statistics {
    compute(&cases(), &period(), now())
}

fn keyed(rows: &[Row]) -> Vec<(&str, u64)> {
    rows.iter().map(|r| (r.key.as_str(), r.count)).collect()
}

fn empty_period() -> Period {
    Period::new(
        NaiveDate::from_ymd_opt(2027, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2027, 3, 31).unwrap(),
    )
}

#[test]
fn cases_are_counted_by_their_day_in_warsaw() {
    let s = stats();
    // 0001 (31 Dec 23:30 UTC) is in January and 0003 (31 Jan 23:30 UTC) in February; 0012
    // (30 Apr 22:30 UTC, 00:30 CEST) is in May and 0013 (31 Dec 22:30 UTC) in December.
    assert_eq!(s.total, 12);
    let months: Vec<(String, String, String, u64)> = s
        .by_month
        .iter()
        .map(|m| (m.key(), m.short_label(), m.full_label(), m.count))
        .collect();
    let expected = [
        ("2026-01", "sty 2026", "styczeń 2026", 2),
        ("2026-02", "lut 2026", "luty 2026", 4),
        ("2026-03", "mar 2026", "marzec 2026", 3),
        ("2026-04", "kwi 2026", "kwiecień 2026", 3),
    ];
    assert_eq!(
        months,
        expected.map(|(k, s, f, c)| (k.to_owned(), s.to_owned(), f.to_owned(), c))
    );

    let january = Period::new(
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
    );
    assert_eq!(compute(&cases(), &january, now()).total, 2);
    assert_eq!(
        compute(&cases(), &Period::year(2026).unwrap(), now()).total,
        13
    );
}

#[test]
fn closed_sets_keep_their_order_and_their_zeros() {
    let s = stats();
    assert_eq!(
        keyed(&s.by_classification),
        [
            ("personal_data_breach", 8),
            ("security_incident", 2),
            ("not_an_incident", 1),
            ("unclassified", 1)
        ]
    );
    assert_eq!(
        s.by_classification[0].label,
        "naruszenie ochrony danych osobowych"
    );
    assert_eq!(
        keyed(&s.by_risk),
        [("high", 2), ("risk", 5), ("none", 1), ("unassessed", 4)]
    );
    assert_eq!(
        keyed(&s.by_breach_type),
        [
            ("confidentiality", 6),
            ("integrity", 1),
            ("availability", 2)
        ]
    );
}

#[test]
fn free_keys_go_by_count_then_label_with_the_unknown_last() {
    let s = stats();
    assert_eq!(
        keyed(&s.by_cause),
        [
            ("human_error", 2),
            ("misdirected", 2),
            ("phishing", 2),
            ("malicious_external", 1),
            ("other", 1),
            ("power_outage", 1),
            ("ransomware", 1),
            ("lost_device", 1),
            ("unknown", 1)
        ]
    );
    // An id without a label is shown verbatim.
    let outage = s.by_cause.iter().find(|r| r.key == "power_outage").unwrap();
    assert_eq!(outage.label, "power_outage");
    assert_eq!(
        keyed(&s.by_organisation),
        [(common::ALFA, 9), (common::BETA, 3)]
    );
    assert_eq!(
        keyed(&s.by_unit),
        [
            (FINANCE, 4),
            (ORGANISATION, 4),
            (SCRIPT, 1),
            (TRANSPORT, 1),
            ("", 2)
        ]
    );
    assert_eq!(s.by_unit[4].label, "nie wskazano");
}

#[test]
fn puodo_deadline_is_72_elapsed_hours() {
    let p = stats().puodo;
    // 0006: exactly 72 h across the DST change is in time; 0007: 72 h + 1 s is late.
    assert_eq!((p.required, p.filed, p.in_time, p.late), (7, 5, 4, 1));
    // 0010's deadline passed on 1 May; 0011 (no awareness recorded: the report starts the
    // clock) is due on 3 May at 21:30 UTC, after `now`.
    assert_eq!((p.pending, p.overdue), (2, 1));
    assert_eq!(p.in_time_share(), Some(0.8));

    // A minute after 0011's deadline, it is overdue too.
    let later = common::at("2026-05-03T21:31:00Z");
    assert_eq!(compute(&cases(), &period(), later).puodo.overdue, 2);
    // At exactly its deadline it is not.
    let exactly = common::at("2026-05-03T21:30:00Z");
    assert_eq!(compute(&cases(), &period(), exactly).puodo.overdue, 1);
}

#[test]
fn medians_and_p90() {
    let s = stats();
    // Assessment, 11 samples: 30m 45m 1h 1h 1h30 2h 3h20 4h 5h 6h 52h.
    let a = s.time_to_assessment;
    assert_eq!(a.samples, 11);
    assert_eq!(a.median, Some(Duration::hours(2)));
    assert_eq!(a.p90, Some(Duration::hours(6)));
    // Notification, 5 samples: 48h 48h 72h 72h 72h+1s.
    let n = s.time_to_puodo;
    assert_eq!(n.samples, 5);
    assert_eq!(n.median, Some(Duration::hours(72)));
    assert_eq!(n.p90, Some(Duration::hours(72) + Duration::seconds(1)));

    // January alone: 2h and 1h, an even count, so the mean of the two.
    let january = Period::new(
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
    );
    let j = compute(&cases(), &january, now()).time_to_assessment;
    assert_eq!(j.median, Some(Duration::minutes(90)));
    assert_eq!(polish::duration(j.median.unwrap()), "1 godz. 30 min");
}

#[test]
fn polish_plurals() {
    let said: Vec<String> = [0, 1, 2, 4, 5, 12, 14, 21, 22, 24, 112, 122]
        .into_iter()
        .map(|n| EVENT.count(n))
        .collect();
    assert_eq!(
        said,
        [
            "0 zdarzeń",
            "1 zdarzenie",
            "2 zdarzenia",
            "4 zdarzenia",
            "5 zdarzeń",
            "12 zdarzeń",
            "14 zdarzeń",
            "21 zdarzeń",
            "22 zdarzenia",
            "24 zdarzenia",
            "112 zdarzeń",
            "122 zdarzenia"
        ]
    );
}

#[test]
fn summary_for_the_head_of_the_office() {
    assert_eq!(
        yearly_summary(&stats()),
        [
            "W okresie od 01.01.2026 do 30.04.2026 zarejestrowano 12 zdarzeń, w tym 8 naruszeń \
             ochrony danych osobowych i 2 incydenty bezpieczeństwa.",
            "Nie oceniono jeszcze 1 zdarzenia.",
            "Prezesa UODO zawiadomiono 5 razy, w tym 4 razy w terminie 72 godzin.",
            "Na dzień 03.05.2026 zawiadomienie Prezesa UODO nie zostało jeszcze złożone w 2 \
             sprawach; w 1 z nich termin 72 godzin już upłynął.",
            "Mediana czasu od zgłoszenia do pierwszej oceny wyniosła 2 godz.",
            "Mediana czasu od stwierdzenia naruszenia do zawiadomienia Prezesa UODO wyniosła \
             3 dni.",
        ]
    );
    let year = compute(&cases(), &Period::year(2026).unwrap(), now());
    assert_eq!(
        yearly_summary(&year)[0],
        "W 2026 r. zarejestrowano 13 zdarzeń, w tym 9 naruszeń ochrony danych osobowych i 2 \
         incydenty bezpieczeństwa."
    );

    // One case, notified in time.
    let one: Vec<_> = cases()
        .into_iter()
        .filter(|c| c.number == "0001/2026")
        .collect();
    let s = compute(&one, &period(), now());
    assert_eq!(
        yearly_summary(&s)[..2],
        [
            "W okresie od 01.01.2026 do 30.04.2026 zarejestrowano 1 zdarzenie, w tym 1 \
             naruszenie ochrony danych osobowych.",
            "Prezesa UODO zawiadomiono 1 raz, w terminie 72 godzin.",
        ]
    );
}

/// A minimal RFC 4180 reader, to check the CSV from the outside.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field) = (Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(
        row.is_empty() && field.is_empty(),
        "the last line ends with CRLF"
    );
    rows
}

#[test]
fn csv_quotes_labels_and_reads_back() {
    let csv = to_csv(&stats());
    assert!(csv.starts_with("section,key,label,value\r\n"));
    assert!(csv.contains(
        "unit,\"Wydział Komunikacji, Transportu i \"\"Dróg\"\"\",\"Wydział Komunikacji, \
         Transportu i \"\"Dróg\"\"\",1\r\n"
    ));
    assert!(csv.contains("month,2026-02,luty 2026,4\r\n"));
    assert!(
        csv.contains(
            "puodo,in_time_share,Udział zawiadomień złożonych w terminie (0–1),0.8000\r\n"
        )
    );
    assert!(csv.contains("timing,puodo_median_seconds,"));
    assert!(csv.contains(",259200\r\n"));

    let rows = parse_csv(&csv);
    assert_eq!(rows.len(), 46);
    assert!(rows.iter().all(|r| r.len() == 4));
    let transport = rows
        .iter()
        .find(|r| r[0] == "unit" && r[3] == "1" && r[1].contains("Dróg"));
    assert_eq!(transport.unwrap()[2], TRANSPORT);
}

fn check_svg(svg: &str) -> roxmltree::Document<'_> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("role"), Some("img"));
    assert!(root.attribute("viewBox").is_some());
    let ids: Vec<&str> = root
        .attribute("aria-labelledby")
        .unwrap()
        .split(' ')
        .collect();
    let children: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert_eq!(children[0].tag_name().name(), "title");
    assert_eq!(children[1].tag_name().name(), "desc");
    assert_eq!(
        ids,
        [
            children[0].attribute("id").unwrap(),
            children[1].attribute("id").unwrap()
        ]
    );
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
    assert!(doc.descendants().all(|n| n.tag_name().name() != "script"));
    doc
}

#[test]
fn charts_are_well_formed_accessible_and_escaped() {
    let all = charts(&stats());
    assert_eq!(all.len(), 8);
    for chart in &all {
        check_svg(&chart.svg);
    }
    let unit = all.iter().find(|c| c.id == "unit").unwrap();
    assert!(!unit.svg.contains("<script"));
    assert!(unit.svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let doc = check_svg(&unit.svg);
    assert!(
        doc.descendants()
            .any(|n| n.tag_name().name() == "text" && n.text() == Some(SCRIPT))
    );

    let classification = all.iter().find(|c| c.id == "classification").unwrap();
    let doc = check_svg(&classification.svg);
    let desc = doc.descendants().find(|n| n.has_tag_name("desc")).unwrap();
    assert_eq!(
        desc.text(),
        Some(
            "naruszenie ochrony danych osobowych: 8; incydent bezpieczeństwa: 2; nie jest \
             incydentem: 1; nieocenione: 1. Razem: 12."
        )
    );
    let months = all.iter().find(|c| c.id == "months").unwrap();
    assert_eq!(
        months.title,
        "Zdarzenia według miesięcy (01.01.2026–30.04.2026)"
    );
    let doc = check_svg(&months.svg);
    assert_eq!(
        doc.descendants().filter(|n| n.has_tag_name("rect")).count(),
        1 + 4
    );
}

#[test]
fn an_empty_period_renders_without_dividing_by_zero() {
    let s = compute(&cases(), &empty_period(), now());
    assert_eq!(s.total, 0);
    assert_eq!(
        s.by_month.iter().map(|m| m.count).collect::<Vec<_>>(),
        [0, 0, 0]
    );
    assert_eq!(keyed(&s.by_classification).len(), 4);
    assert!(s.by_cause.is_empty() && s.by_unit.is_empty() && s.by_organisation.is_empty());
    assert_eq!(s.puodo.in_time_share(), None);
    assert_eq!(s.time_to_assessment.median, None);
    assert_eq!(s.time_to_puodo.p90, None);
    assert_eq!(
        yearly_summary(&s),
        ["W okresie od 01.01.2027 do 31.03.2027 nie zarejestrowano żadnego zdarzenia."]
    );
    for chart in charts(&s) {
        let doc = check_svg(&chart.svg);
        assert!(
            doc.descendants()
                .any(|n| n.text() == Some("Brak danych w tym okresie")),
            "{}",
            chart.id
        );
    }
    let csv = to_csv(&s);
    assert!(csv.contains("puodo,in_time_share,Udział zawiadomień złożonych w terminie (0–1),\r\n"));
    assert!(csv.contains(
        "timing,assessment_median_seconds,Mediana (sekundy): od zgłoszenia do pierwszej oceny,\r\n"
    ));

    for bars in [vec![], vec![("x".to_owned(), 0)]] {
        let svg = bar_chart_svg("Pusto", &bars, &ChartOptions::vertical("empty"));
        check_svg(&svg);
        assert!(svg.contains("Brak danych w tym okresie"));
    }

    // A reversed period is empty, not an endless loop.
    let reversed = Period::new(
        NaiveDate::from_ymd_opt(2026, 5, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
    );
    let r = compute(&cases(), &reversed, now());
    assert_eq!((r.total, r.by_month.len()), (0, 0));
}
