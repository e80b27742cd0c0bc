//! The scenario corpus: realistic cases of Polish public offices (JST) with the conclusions the
//! rules must reach, each worked out by hand from the method in domain.md (ENISA tables, EDPB
//! factors, art. 33–34, KSC) and citing its source. A failure names the scenario file.
//!
//! A scenario is `{"title", "facts": Facts v1, "expect": {...}, "source"}`; the facts go through
//! `parse_facts`, the same entry point as `rejestr assess`.

use std::path::{Path, PathBuf};

use rejestr_risk::{assess, parse_facts};
use serde_json::{Value, json};

fn scenarios() -> Result<Vec<PathBuf>, std::io::Error> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// Checks one scenario; `Err` says what went wrong.
fn check(file: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read: {e}"))?;
    let scenario: Value = serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))?;
    if scenario["title"]
        .as_str()
        .is_none_or(|t| t.trim().is_empty())
    {
        return Err("no title".to_owned());
    }
    if scenario["source"].as_str().is_none_or(|s| s.len() <= 20) {
        return Err("every expected outcome cites where it comes from (source)".to_owned());
    }
    let facts = parse_facts(&scenario["facts"].to_string()).map_err(|e| e.0)?;
    let expect = &scenario["expect"];
    let got = serde_json::to_value(assess(&facts)).map_err(|e| e.to_string())?;
    let actual = json!({
        "classification": got["classification"],
        "score": got["enisa"]["score"],
        "band": got["enisa"]["band"],
        "risk": got["risk"],
        "notify_authority": got["obligations"]["notify_sa"],
        "communicate_subjects": got["obligations"]["notify_subjects"],
        "public_communication": got["obligations"]["public_communication"],
        "report_csirt": got["obligations"]["report_csirt"],
        "notify_controller": got["obligations"]["notify_controller"],
    });
    if &actual == expect {
        return Ok(());
    }
    let reasons: Vec<&str> = got["reasons"]
        .as_array()
        .map(|rs| rs.iter().filter_map(|r| r["en"].as_str()).collect())
        .unwrap_or_default();
    Err(format!(
        "\n  expected {expect}\n  got      {actual}\n  reasons  {reasons:#?}"
    ))
}

#[test]
fn every_scenario_reaches_its_expected_conclusions() -> Result<(), std::io::Error> {
    let files = scenarios()?;
    assert!(
        files.len() >= 30,
        "the corpus has {} scenarios",
        files.len()
    );
    let failures: Vec<String> = files
        .iter()
        .filter_map(|file| {
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
            check(file)
                .err()
                .map(|e| format!("{}: {e}", name.unwrap_or_default()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} scenarios failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    Ok(())
}

#[test]
fn the_corpus_covers_every_conclusion() -> Result<(), std::io::Error> {
    let mut seen = std::collections::BTreeSet::new();
    for file in scenarios()? {
        let text = std::fs::read_to_string(&file)?;
        let scenario: Value = serde_json::from_str(&text)?;
        let e = &scenario["expect"];
        for key in ["classification", "band", "risk"] {
            if let Some(v) = e[key].as_str() {
                seen.insert(format!("{key}={v}"));
            }
        }
        for key in [
            "notify_authority",
            "communicate_subjects",
            "public_communication",
            "report_csirt",
        ] {
            if e[key] == json!(true) {
                seen.insert(key.to_owned());
            }
        }
    }
    for wanted in [
        "classification=security_incident",
        "classification=personal_data_breach",
        "band=low",
        "band=medium",
        "band=high",
        "band=very_high",
        "risk=none",
        "risk=risk",
        "risk=high",
        "notify_authority",
        "communicate_subjects",
        "public_communication",
        "report_csirt",
    ] {
        assert!(seen.contains(wanted), "no scenario concludes {wanted}");
    }
    Ok(())
}
