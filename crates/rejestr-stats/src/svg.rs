//! Bar charts as self-contained, accessible SVG, rendered on the server.
//!
//! - `role="img"` with `aria-labelledby` pointing at a `<title>` and a `<desc>` that lists every
//!   number, so a screen reader gets the data and not just "image";
//! - every piece of text is a `<text>` element, XML-escaped (unit names are typed by users);
//! - a `viewBox` with the natural width and height, so the chart scales with its container;
//! - an opaque white background, so the text contrast holds on any page; text colours meet
//!   WCAG AA (4.5:1) on white and the bar colour meets the 3:1 of non-text contrast (tested);
//! - no scripts, no external fonts, stylesheets or images: a generic font stack only;
//! - categories are horizontal bars (long labels fit on the left), months vertical columns;
//! - no data (nothing, or only zeros) renders "Brak danych w tym okresie" instead of a chart,
//!   and no coordinate is ever computed by dividing by zero.

use std::fmt::Write as _;

use crate::stats::{Row, Statistics};

/// Body text: #1a1a1a on white is 17.4:1.
pub const TEXT_COLOUR: &str = "#1a1a1a";
/// Axis labels: #4d4d4d on white is 8.4:1.
pub const MUTED_COLOUR: &str = "#4d4d4d";
/// Bars: #1f5f99 on white is 6.6:1 (non-text needs 3:1; white text on it would pass too).
pub const BAR_COLOUR: &str = "#1f5f99";
/// Grid lines: decorative, deliberately faint.
pub const GRID_COLOUR: &str = "#d9d9d9";
pub const BACKGROUND: &str = "#ffffff";

const FONT: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', Arial, sans-serif";
const NO_DATA: &str = "Brak danych w tym okresie";

/// Which way the bars run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    /// Bars from a label column on the left: for categories.
    Horizontal,
    /// Columns over an x axis: for months.
    Vertical,
}

/// How to draw a chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartOptions {
    pub orientation: Orientation,
    /// Prefix of the element ids, unique on the page when several charts are inlined.
    /// Anything outside `[A-Za-z0-9_-]` is replaced.
    pub id: String,
    /// The natural width in pixels; vertical charts grow when there are many columns.
    pub width: u32,
}

impl ChartOptions {
    pub fn horizontal(id: &str) -> Self {
        Self {
            orientation: Orientation::Horizontal,
            id: id.to_owned(),
            width: 720,
        }
    }

    pub fn vertical(id: &str) -> Self {
        Self {
            orientation: Orientation::Vertical,
            id: id.to_owned(),
            width: 720,
        }
    }
}

/// One rendered chart of [`charts`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    /// Stable and file-name safe: "months", "classification", …
    pub id: &'static str,
    pub title: String,
    pub svg: String,
}

/// Every chart of a [`Statistics`], in the order a report shows them.
pub fn charts(stats: &Statistics) -> Vec<Chart> {
    let period = stats.period.label();
    let rows = |rows: &[Row]| -> Vec<(String, u64)> {
        rows.iter().map(|r| (r.label.clone(), r.count)).collect()
    };
    let p = &stats.puodo;
    let puodo = vec![
        ("złożone w terminie 72 godzin".to_owned(), p.in_time),
        ("złożone po terminie".to_owned(), p.late),
        (
            "niezłożone, termin nie upłynął".to_owned(),
            p.pending.saturating_sub(p.overdue),
        ),
        ("niezłożone po terminie".to_owned(), p.overdue),
    ];
    let months = stats
        .by_month
        .iter()
        .map(|m| (m.short_label(), m.count))
        .collect::<Vec<_>>();
    use Orientation::{Horizontal, Vertical};
    let chart = |id: &'static str, title: &str, bars: &[(String, u64)], orientation| {
        let title = format!("{title} ({period})");
        let opts = ChartOptions {
            orientation,
            id: format!("chart-{id}"),
            width: 720,
        };
        Chart {
            id,
            svg: bar_chart_svg(&title, bars, &opts),
            title,
        }
    };
    vec![
        chart("months", "Zdarzenia według miesięcy", &months, Vertical),
        chart(
            "classification",
            "Zdarzenia według klasyfikacji",
            &rows(&stats.by_classification),
            Horizontal,
        ),
        chart(
            "risk",
            "Zdarzenia według ryzyka dla osób",
            &rows(&stats.by_risk),
            Horizontal,
        ),
        chart(
            "breach_type",
            "Naruszenia według rodzaju",
            &rows(&stats.by_breach_type),
            Horizontal,
        ),
        chart(
            "cause",
            "Zdarzenia według przyczyny",
            &rows(&stats.by_cause),
            Horizontal,
        ),
        chart(
            "organisation",
            "Zdarzenia według urzędu",
            &rows(&stats.by_organisation),
            Horizontal,
        ),
        chart(
            "unit",
            "Zdarzenia według komórki organizacyjnej",
            &rows(&stats.by_unit),
            Horizontal,
        ),
        chart("puodo", "Zawiadomienia Prezesa UODO", &puodo, Horizontal),
    ]
}

/// A bar chart of `bars` (label, value) under `title`. See the module documentation.
pub fn bar_chart_svg(title: &str, bars: &[(String, u64)], opts: &ChartOptions) -> String {
    let id = safe_id(&opts.id);
    let max = bars.iter().map(|(_, v)| *v).max().unwrap_or(0);
    let width = f64::from(opts.width.max(320));
    let desc = if max == 0 {
        format!("{NO_DATA}.")
    } else {
        let total: u64 = bars.iter().map(|(_, v)| *v).sum();
        let listed: Vec<String> = bars.iter().map(|(l, v)| format!("{l}: {v}")).collect();
        format!("{}. Razem: {total}.", listed.join("; "))
    };

    let mut body = String::new();
    let (width, height) = if max == 0 {
        let height = 140.0;
        text(
            &mut body,
            width / 2.0,
            88.0,
            "middle",
            MUTED_COLOUR,
            15.0,
            NO_DATA,
        );
        (width, height)
    } else {
        match opts.orientation {
            Orientation::Horizontal => horizontal(&mut body, bars, max, width),
            Orientation::Vertical => vertical(&mut body, bars, max, width),
        }
    };

    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{id}-title {id}-desc" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{font}">"#,
        w = num(width),
        h = num(height),
        font = escape(FONT),
    );
    let _ = write!(
        svg,
        r#"<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(&desc)
    );
    let _ = write!(
        svg,
        r#"<rect width="{}" height="{}" fill="{BACKGROUND}"/>"#,
        num(width),
        num(height)
    );
    let _ = write!(
        svg,
        r#"<text x="16" y="28" font-size="16" font-weight="bold" fill="{TEXT_COLOUR}">{}</text>"#,
        escape(title)
    );
    svg.push_str(&body);
    svg.push_str("</svg>\n");
    svg
}

const MARGIN: f64 = 16.0;
const TOP: f64 = 52.0;

/// Labels on the left, bars to their right, the value after each bar.
fn horizontal(out: &mut String, bars: &[(String, u64)], max: u64, width: f64) -> (f64, f64) {
    const ROW: f64 = 28.0;
    const BAR: f64 = 18.0;
    const LABEL_WIDTH: f64 = 270.0;
    const VALUE_WIDTH: f64 = 48.0;
    // About 7 px a character at 13 px: what fits in the label column.
    const LABEL_CHARS: usize = 36;
    let x0 = MARGIN + LABEL_WIDTH;
    let span = (width - x0 - MARGIN - VALUE_WIDTH).max(40.0);
    let scale = span / max as f64;
    let _ = write!(
        out,
        r#"<line x1="{x}" y1="{y1}" x2="{x}" y2="{y2}" stroke="{MUTED_COLOUR}" stroke-width="1"/>"#,
        x = num(x0),
        y1 = num(TOP - 4.0),
        y2 = num(TOP + ROW * bars.len() as f64 - 4.0),
    );
    for (i, (label, value)) in bars.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let length = if *value == 0 {
            0.0
        } else {
            (*value as f64 * scale).max(2.0)
        };
        let _ = write!(out, "<g><title>{}: {value}</title>", escape(label));
        text(
            out,
            x0 - 8.0,
            y + 13.0,
            "end",
            TEXT_COLOUR,
            13.0,
            &shorten(label, LABEL_CHARS),
        );
        if length > 0.0 {
            let _ = write!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{BAR_COLOUR}"/>"#,
                num(x0),
                num(y),
                num(length),
                num(BAR)
            );
        }
        text(
            out,
            x0 + length + 6.0,
            y + 13.0,
            "start",
            TEXT_COLOUR,
            13.0,
            &value.to_string(),
        );
        out.push_str("</g>");
    }
    (width, TOP + ROW * bars.len() as f64 + 8.0)
}

/// Columns over a y axis with round ticks; a label with a space ("sty 2026") goes on two
/// lines under its column.
fn vertical(out: &mut String, bars: &[(String, u64)], max: u64, width: f64) -> (f64, f64) {
    const AXIS: f64 = 40.0;
    const PLOT: f64 = 220.0;
    const MIN_SLOT: f64 = 44.0;
    let width = width.max(2.0 * MARGIN + AXIS + MIN_SLOT * bars.len() as f64);
    let x0 = MARGIN + AXIS;
    let plot_width = width - x0 - MARGIN;
    let base = TOP + 12.0 + PLOT;
    let (step, top) = ticks(max);
    let scale = PLOT / top as f64;

    let mut tick = 0;
    while tick <= top {
        let y = base - tick as f64 * scale;
        let _ = write!(
            out,
            r#"<line x1="{}" y1="{y}" x2="{}" y2="{y}" stroke="{}" stroke-width="1"/>"#,
            num(x0),
            num(width - MARGIN),
            if tick == 0 { MUTED_COLOUR } else { GRID_COLOUR },
            y = num(y),
        );
        text(
            out,
            x0 - 6.0,
            y + 4.0,
            "end",
            MUTED_COLOUR,
            12.0,
            &tick.to_string(),
        );
        match tick.checked_add(step) {
            Some(next) => tick = next,
            None => break,
        }
    }

    let slot = plot_width / bars.len().max(1) as f64;
    let column = (slot * 0.6).min(48.0);
    for (i, (label, value)) in bars.iter().enumerate() {
        let centre = x0 + slot * (i as f64 + 0.5);
        let height = *value as f64 * scale;
        let _ = write!(out, "<g><title>{}: {value}</title>", escape(label));
        if height > 0.0 {
            let _ = write!(
                out,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{BAR_COLOUR}"/>"#,
                num(centre - column / 2.0),
                num(base - height),
                num(column),
                num(height)
            );
        }
        text(
            out,
            centre,
            base - height - 5.0,
            "middle",
            TEXT_COLOUR,
            12.0,
            &value.to_string(),
        );
        let (first, second) = label.rsplit_once(' ').unwrap_or((label.as_str(), ""));
        text(out, centre, base + 16.0, "middle", TEXT_COLOUR, 12.0, first);
        if !second.is_empty() {
            text(
                out,
                centre,
                base + 31.0,
                "middle",
                MUTED_COLOUR,
                11.0,
                second,
            );
        }
        out.push_str("</g>");
    }
    (width, base + 44.0)
}

/// A round tick step (1, 2 or 5 times a power of ten) giving at most about five ticks, and the
/// top of the axis: the first multiple of the step at or above `max`. `max` is at least 1.
fn ticks(max: u64) -> (u64, u64) {
    let wanted = max.div_ceil(5).max(1);
    let mut power: u64 = 1;
    let step = loop {
        if let Some(step) = [1, 2, 5]
            .into_iter()
            .filter_map(|m| power.checked_mul(m))
            .find(|s| *s >= wanted)
        {
            break step;
        }
        match power.checked_mul(10) {
            Some(next) => power = next,
            None => break wanted,
        }
    };
    (step, max.div_ceil(step).saturating_mul(step).max(step))
}

fn text(out: &mut String, x: f64, y: f64, anchor: &str, colour: &str, size: f64, content: &str) {
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" text-anchor="{anchor}" font-size="{}" fill="{colour}">{}</text>"#,
        num(x),
        num(y),
        num(size),
        escape(content)
    );
}

/// A coordinate with at most one decimal; a non-finite number (which the layout never
/// produces) is written as 0 rather than as "NaN".
fn num(value: f64) -> String {
    if !value.is_finite() {
        return "0".to_owned();
    }
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

fn shorten(label: &str, chars: usize) -> String {
    if label.chars().count() <= chars {
        label.to_owned()
    } else {
        let kept: String = label.chars().take(chars.saturating_sub(1)).collect();
        format!("{}…", kept.trim_end())
    }
}

/// Escapes text for XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 forbids are dropped rather than breaking the document.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn safe_id(id: &str) -> String {
    let cleaned: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if cleaned.starts_with(|c: char| c.is_ascii_alphabetic()) {
        cleaned
    } else {
        format!("chart-{cleaned}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let v =
                f64::from(u8::from_str_radix(hex.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0))
                    / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn colours_meet_wcag_aa() {
        assert!(contrast(TEXT_COLOUR, BACKGROUND) >= 4.5);
        assert!(contrast(MUTED_COLOUR, BACKGROUND) >= 4.5);
        assert!(contrast(BAR_COLOUR, BACKGROUND) >= 3.0);
        assert!(contrast(BACKGROUND, BAR_COLOUR) >= 4.5);
    }

    #[test]
    fn ticks_are_round() {
        assert_eq!(ticks(1), (1, 1));
        assert_eq!(ticks(4), (1, 4));
        assert_eq!(ticks(7), (2, 8));
        assert_eq!(ticks(10), (2, 10));
        assert_eq!(ticks(42), (10, 50));
        assert!(ticks(u64::MAX).0 > 0);
    }

    #[test]
    fn ids_and_labels_are_made_safe() {
        assert_eq!(safe_id("chart-unit"), "chart-unit");
        assert_eq!(safe_id("2 \"x\""), "chart-2--x-");
        assert_eq!(shorten("abcdef", 4), "abc…");
        assert_eq!(escape("<a & 'b'>\u{1}"), "&lt;a &amp; &apos;b&apos;&gt;");
    }
}
