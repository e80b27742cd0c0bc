//! The scenario corpus: realistic cases of Polish public offices with the conclusions the
//! rules must reach, each worked out by hand from the method in domain.md (ENISA tables, EDPB
//! factors, art. 33–34). A failure names the scenario file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use rejestr_risk::{Facts, assess};
use serde_json::Value;

#[test]
fn every_scenario_reaches_its_expected_conclusions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(
        files.len() >= 30,
        "the corpus has {} scenarios",
        files.len()
    );
    let mut failures = Vec::new();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        let scenario: Value =
            serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let facts: Facts = serde_json::from_value(scenario["facts"].clone())
            .unwrap_or_else(|e| panic!("{name}: invalid facts: {e}"));
        let expect = &scenario["expect"];
        assert!(
            scenario["source"].as_str().is_some_and(|s| s.len() > 20),
            "{name}: every expected outcome cites where it comes from"
        );
        let got = serde_json::to_value(assess(&facts)).unwrap();
        let actual = serde_json::json!({
            "classification": got["classification"],
            "score": got["enisa"]["score"],
            "band": got["enisa"]["band"],
            "risk": got["risk"],
            "notify_authority": got["obligations"]["notify_sa"],
            "communicate_subjects": got["obligations"]["notify_subjects"],
            "public_communication": got["obligations"]["public_communication"],
        });
        if &actual != expect {
            let reasons: Vec<&str> = got["reasons"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["en"].as_str().unwrap())
                .collect();
            failures.push(format!(
                "{name}\n  expected {expect}\n  got      {actual}\n  reasons  {reasons:#?}"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} scenarios failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}
