//! Writes every fixture case as a STIX bundle and a MISP event under every TLP, plus one bundle
//! of all the cases per TLP, and a manifest of what a reader should find. Used by
//! `tests/export/validate.sh`.
//!
//! `cargo run -p rejestr-export --example generate -- <outdir>`

use std::error::Error;
use std::fs;
use std::path::Path;

use chrono::{TimeZone, Utc};
use rejestr_export::{ExportOptions, Tlp, fixtures, misp_attribute_count, misp_event, stix_bundle};
use serde_json::{Value, json};

fn write(path: &Path, value: &Value) -> Result<(), Box<dyn Error>> {
    fs::write(path, serde_json::to_string_pretty(value)? + "\n")?;
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    let out = std::env::args().nth(1).ok_or("usage: generate <outdir>")?;
    let out = Path::new(&out);
    fs::create_dir_all(out.join("stix"))?;
    fs::create_dir_all(out.join("misp"))?;
    let created = Utc
        .with_ymd_and_hms(2026, 3, 21, 10, 0, 0)
        .single()
        .ok_or("bad date")?;
    let cases = fixtures::sample_cases();
    let all: Vec<_> = cases.iter().map(|(_, c)| c.clone()).collect();
    let mut stix = Vec::new();
    let mut misp = Vec::new();
    for tlp in Tlp::ALL {
        let opts = ExportOptions { tlp, created };
        for (name, case) in &cases {
            let file = format!("stix/{name}.{tlp}.json");
            let bundle = stix_bundle(std::slice::from_ref(case), &opts);
            write(&out.join(&file), &bundle)?;
            stix.push(json!({ "file": file, "tlp": tlp.id(), "marking": tlp.stix_marking_id() }));

            let file = format!("misp/{name}.{tlp}.json");
            write(&out.join(&file), &misp_event(case, &opts))?;
            misp.push(json!({
                "file": file,
                "tag": tlp.misp_tag(),
                "attributes": misp_attribute_count(case),
            }));
        }
        let file = format!("stix/all.{tlp}.json");
        write(&out.join(&file), &stix_bundle(&all, &opts))?;
        stix.push(json!({ "file": file, "tlp": tlp.id(), "marking": tlp.stix_marking_id() }));
    }
    write(
        &out.join("manifest.json"),
        &json!({ "cases": cases.len(), "stix": stix, "misp": misp }),
    )?;
    println!(
        "{} STIX bundles and {} MISP events written to {}",
        stix.len(),
        misp.len(),
        out.display()
    );
    Ok(())
}
