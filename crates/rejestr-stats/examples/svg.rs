//! Writes the charts, the CSV and the summary of the test fixture to a directory, to look at.
//!
//! `cargo run -p rejestr-stats --example svg -- /tmp/stats` (default: `target/stats-charts`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::path::PathBuf;

fn main() -> std::io::Result<()> {
    let dir = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/stats-charts".to_owned()),
    );
    std::fs::create_dir_all(&dir)?;
    let stats = rejestr_stats::compute(&common::cases(), &common::period(), common::now());
    let mut index =
        String::from("<!doctype html><meta charset=\"utf-8\"><title>Statystyki</title>\n");
    for chart in rejestr_stats::charts(&stats) {
        std::fs::write(dir.join(format!("{}.svg", chart.id)), &chart.svg)?;
        index.push_str(&chart.svg);
    }
    for sentence in rejestr_stats::yearly_summary(&stats) {
        index.push_str(&format!("<p>{sentence}</p>\n"));
    }
    std::fs::write(dir.join("index.html"), index)?;
    std::fs::write(dir.join("stats.csv"), rejestr_stats::to_csv(&stats))?;

    // The same charts for a period with no cases: "Brak danych w tym okresie".
    let empty = rejestr_stats::Period::year(2030).expect("a year chrono knows");
    let empty = rejestr_stats::compute(&common::cases(), &empty, common::now());
    for chart in rejestr_stats::charts(&empty) {
        std::fs::write(dir.join(format!("empty-{}.svg", chart.id)), &chart.svg)?;
    }
    println!("{}", dir.display());
    Ok(())
}
