//! The binary itself: configuration errors, `demo`, `verify-audit`, and durability under
//! `kill -9`. These run on a SQLite file whatever `TEST_DATABASE_URL` says: they test the
//! command line, the storage paths are covered by the other modules on both databases.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use rejestr_store::Store;
use sea_orm::{ConnectionTrait, Database};

use crate::helpers::valid_report;

fn rejestr(dir: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rejestr"));
    command
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn");
    for (key, _) in std::env::vars() {
        if key.starts_with("REJESTR_") {
            command.env_remove(key);
        }
    }
    command
}

#[test]
fn invalid_configuration_stops_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let output = rejestr(dir.path())
        .args(["serve", "--bind", "localhost"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("bind \"localhost\""), "{stderr}");

    std::fs::write(dir.path().join("rejestr.toml"), "log_format = \"xml\"\n").unwrap();
    let output = rejestr(dir.path()).arg("migrate").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("log_format"));

    std::fs::write(dir.path().join("rejestr.toml"), "databse_url = \"x\"\n").unwrap();
    let output = rejestr(dir.path()).arg("migrate").output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("databse_url"));
}

#[tokio::test]
async fn verify_audit_passes_and_then_names_the_broken_link() {
    let dir = tempfile::tempdir().unwrap();
    let output = rejestr(dir.path()).arg("demo").output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("spraw: 2"));

    let output = rejestr(dir.path()).arg("verify-audit").output().unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("demo: OK, 5 events"), "{stdout}");

    let db = Database::connect(format!(
        "sqlite://{}/data/rejestr.db?mode=rw",
        dir.path().display()
    ))
    .await
    .unwrap();
    db.execute_unprepared("UPDATE audit_events SET actor = 'someone-else' WHERE seq = 2 AND organisation_id = (SELECT id FROM organisations WHERE slug = 'demo')")
        .await
        .unwrap();
    db.close().await.unwrap();

    let output = rejestr(dir.path()).arg("verify-audit").output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("demo: BROKEN at event 2"), "{stdout}");
    assert!(stdout.contains("sp1-przykladowo: OK"), "{stdout}");
}

/// An acknowledged report survives the server being killed without warning.
#[tokio::test]
async fn an_acknowledged_report_survives_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = rejestr(dir.path())
        .args(["serve", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let first_line = tokio::task::spawn_blocking(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        // Keep draining so the server never writes into a closed pipe.
        std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
        line
    })
    .await
    .unwrap();
    let base = first_line
        .trim()
        .strip_prefix("Rejestr72 działa: ")
        .unwrap_or_else(|| panic!("unexpected first line {first_line:?}"))
        .trim_end_matches('/')
        .to_owned();

    let response = reqwest::Client::new()
        .post(format!("{base}/api/v1/reports"))
        .json(&{
            let mut r = valid_report("demo");
            r["description"] = serde_json::json!("Raport wysłany tuż przed awarią serwera.");
            r
        })
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::CREATED);
    let body: serde_json::Value = response.json().await.unwrap();
    child.kill().unwrap(); // SIGKILL: no shutdown, no flush
    child.wait().unwrap();

    let store = Store::connect(
        &format!("sqlite://{}/data/rejestr.db", dir.path().display()),
        None,
    )
    .await
    .unwrap();
    let status = store
        .case_by_follow_token(body["follow_token"].as_str().unwrap())
        .await
        .unwrap()
        .expect("the acknowledged report is in the database");
    assert_eq!(status.number.to_string(), body["number"].as_str().unwrap());
}

#[test]
fn users_and_tokens_are_managed_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        rejestr(dir.path())
            .arg("demo")
            .output()
            .unwrap()
            .status
            .success()
    );
    let output = rejestr(dir.path())
        .args([
            "user",
            "add",
            "--email",
            "asi@przykladowo.example.pl",
            "--name",
            "Adam Informatyk",
            "--org",
            "demo",
            "--role",
            "asi",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("Hasło (pokazywane tylko teraz): "),
        "{stdout}"
    );

    let output = rejestr(dir.path())
        .args([
            "user", "add", "--email", "x@y.pl", "--name", "X", "--org", "demo", "--role", "king",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown role"));

    let output = rejestr(dir.path())
        .args([
            "token",
            "create",
            "--email",
            "asi@przykladowo.example.pl",
            "--name",
            "skrypt",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let secret = stdout.lines().find(|l| l.starts_with("r72_")).unwrap();
    assert_eq!(secret.len(), 68);
}

#[test]
fn assess_reads_facts_and_prints_the_assessment() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let run = |input: &str| {
        let mut child = rejestr(dir.path())
            .arg("assess")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    };
    let output = run(
        r#"{"personal_data": true, "confidentiality": "unknown_recipients", "malicious": false,
                        "data_categories": ["identity", "national_id"], "subjects_count": 300}"#,
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let assessment: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(assessment["classification"], "personal_data_breach");
    assert_eq!(assessment["enisa"]["score"], 3.5);
    assert_eq!(assessment["risk"], "high");
    assert_eq!(assessment["obligations"]["notify_sa"], true);

    let output = run(r#"{"personal_data": true, "subject_count": 3}"#);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("subject_count") && stderr.lines().count() == 1,
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn cases_are_exported_from_the_command_line_and_sharing_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    assert!(
        rejestr(dir.path())
            .arg("demo")
            .output()
            .unwrap()
            .status
            .success()
    );
    let year = chrono::Utc::now().format("%Y").to_string();
    let case = format!("0001/{year}");
    let export = |args: &[&str]| {
        rejestr(dir.path())
            .args(["export", "--org", "demo"])
            .args(args)
            .output()
            .unwrap()
    };
    // Sharing needs a recipient; a MISP event is one case; unknown cases are named.
    let refused = export(&["--format", "stix", "--case", &case]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--recipient"));
    assert_eq!(
        export(&["--format", "misp", "--recipient", "X"])
            .status
            .code(),
        Some(2)
    );
    let missing = export(&["--format", "csv", "--case", "0999/2020"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("0999/2020"));

    let stix = export(&[
        "--format",
        "stix",
        "--case",
        &case,
        "--tlp",
        "green",
        "--recipient",
        "CSIRT NASK",
    ]);
    assert!(
        stix.status.success(),
        "{}",
        String::from_utf8_lossy(&stix.stderr)
    );
    let bundle: serde_json::Value = serde_json::from_slice(&stix.stdout).unwrap();
    assert_eq!(bundle["type"], "bundle");
    assert!(
        bundle["objects"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["name"] == "TLP:GREEN")
    );
    let csv = export(&["--format", "csv"]);
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(csv.starts_with("\u{feff}numer,"), "{csv}");
    assert!(csv.lines().count() > 1);

    // The register report for a period, as PDF on standard output.
    let year = chrono::Utc::now().format("%Y").to_string();
    let pdf = export(&[
        "--format",
        "pdf",
        "--from",
        &format!("{year}-01-01"),
        "--to",
        &format!("{year}-12-31"),
    ]);
    assert!(
        pdf.status.success(),
        "{}",
        String::from_utf8_lossy(&pdf.stderr)
    );
    assert!(pdf.stdout.starts_with(b"%PDF-"));
    let text = pdf_extract::extract_text_from_mem(&pdf.stdout).unwrap();
    assert!(text.contains(&case), "the report lists the case");
    let no_period = export(&["--format", "pdf", "--from", &format!("{year}-01-01")]);
    assert_eq!(no_period.status.code(), Some(2));
    let reversed = export(&[
        "--format",
        "pdf",
        "--from",
        "2026-12-31",
        "--to",
        "2026-01-01",
    ]);
    assert_eq!(reversed.status.code(), Some(2));

    // The export is in the audit trail, and the chain still holds.
    let verify = rejestr(dir.path()).arg("verify-audit").output().unwrap();
    assert!(verify.status.success());
    let db = dir.path().join("data").join("rejestr.db");
    let dump = std::fs::read(&db).unwrap();
    assert!(
        dump.windows(b"case.shared".len())
            .any(|w| w == b"case.shared"),
        "the share is audited"
    );
}
