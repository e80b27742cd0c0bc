//! The daily digest e-mail: one per person and Warsaw calendar day, decided by the tick with a
//! unique key (several replicas and repeated ticks still send one), only to people who act on
//! deadlines and have open obligations.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Europe::Warsaw;
use rejestr_domain::role::Role;
use rejestr_notify::{Dispatcher, Mailer};

use crate::helpers::{PASSWORD, spawn_app};
use crate::scheduler::assessed_breach;

fn warsaw(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    Warsaw
        .from_local_datetime(&day.and_hms_opt(hour, minute, 0).unwrap())
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
}

/// The decoded text body of an `.eml` file (lettre picks quoted-printable or base64 for
/// non-ASCII text).
fn body_of(eml: &str) -> String {
    use base64::Engine;
    let (headers, body) = eml.split_once("\r\n\r\n").unwrap();
    let bytes = if headers.contains("Content-Transfer-Encoding: base64") {
        base64::engine::general_purpose::STANDARD
            .decode(body.replace("\r\n", "").trim())
            .unwrap()
    } else if headers.contains("Content-Transfer-Encoding: quoted-printable") {
        let joined = body.replace("=\r\n", "");
        let mut out = Vec::new();
        let raw = joined.as_bytes();
        let mut i = 0;
        while i < raw.len() {
            if raw[i] == b'=' && i + 2 < raw.len() {
                let hex = std::str::from_utf8(&raw[i + 1..i + 3]).unwrap_or("");
                if let Ok(byte) = u8::from_str_radix(hex, 16) {
                    out.push(byte);
                    i += 3;
                    continue;
                }
            }
            out.push(raw[i]);
            i += 1;
        }
        out
    } else {
        body.as_bytes().to_vec()
    };
    String::from_utf8(bytes).unwrap()
}

fn emails(decided: &[rejestr_store::DigestDecision]) -> Vec<String> {
    let mut emails: Vec<String> = decided.iter().map(|d| d.email.clone()).collect();
    emails.sort();
    emails
}

#[tokio::test]
async fn one_digest_per_person_and_warsaw_day() {
    let app = spawn_app().await;
    let org = app.named_org.clone();
    app.user("iod@t.pl", &org, Role::Iod).await;
    app.user("head@t.pl", &org, Role::Head).await;
    app.user("audytor@t.pl", &org, Role::Auditor).await;
    // An IOD of the other office, where nothing is open.
    app.user("iod-gminy@t.pl", &app.open_org.clone(), Role::Iod)
        .await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    let (case, aware_at) = assessed_breach(&app, &cookie).await;
    let day1 = aware_at.with_timezone(&Warsaw).date_naive() + Duration::days(1);
    let day2 = day1 + Duration::days(1);

    // Before 07:00 Polish time: nothing.
    assert!(
        app.store
            .decide_digests(warsaw(day1, 6, 59), 7, false)
            .await
            .unwrap()
            .is_empty()
    );
    // A dry run shows who would get one, and writes nothing.
    let dry = app
        .store
        .decide_digests(warsaw(day1, 7, 0), 7, true)
        .await
        .unwrap();
    assert_eq!(emails(&dry), ["head@t.pl", "iod@t.pl"]);
    assert_eq!(app.store.digest_counts().await.unwrap(), (0, 0));
    // The first tick from 07:00 decides them; later ticks of the same day add none.
    let first = app
        .store
        .decide_digests(warsaw(day1, 7, 0), 7, false)
        .await
        .unwrap();
    assert_eq!(emails(&first), ["head@t.pl", "iod@t.pl"]);
    assert_eq!(first[0].day, day1.format("%Y-%m-%d").to_string());
    // PUODO, subjects and the three CSIRT reports of the case.
    assert!(first.iter().all(|d| d.obligations == 5), "{first:?}");
    for later in [
        warsaw(day1, 7, 0),
        warsaw(day1, 12, 0),
        warsaw(day1, 23, 59),
    ] {
        assert!(
            app.store
                .decide_digests(later, 7, false)
                .await
                .unwrap()
                .is_empty()
        );
    }
    // The next day, three replicas tick at once: still one each.
    let ticks = (0..3).map(|_| app.store.decide_digests(warsaw(day2, 7, 0), 7, false));
    let decided: Vec<_> = futures::future::join_all(ticks)
        .await
        .into_iter()
        .flat_map(|r| r.unwrap())
        .collect();
    assert_eq!(emails(&decided), ["head@t.pl", "iod@t.pl"]);
    assert_eq!(app.store.digest_counts().await.unwrap(), (0, 4));

    let dir = tempfile::tempdir().unwrap();
    let dispatcher = Dispatcher::new(
        app.store.clone(),
        Mailer::new(None, dir.path()).unwrap(),
        "Rejestr72 <r@t.pl>",
        &app.url,
    )
    .unwrap();
    let sent_at = warsaw(day2, 7, 1);
    assert_eq!(dispatcher.run_once(sent_at).await.unwrap().sent, 4);
    assert_eq!(dispatcher.run_once(sent_at).await.unwrap().sent, 0);
    assert_eq!(app.store.digest_counts().await.unwrap(), (4, 0));
    let mails: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert_eq!(mails.len(), 4);
    let to = |who: &str| {
        mails
            .iter()
            .filter(|m| m.lines().any(|l| l.starts_with("To:") && l.contains(who)))
            .count()
    };
    assert_eq!((to("iod@t.pl"), to("head@t.pl")), (2, 2));
    assert_eq!(to("audytor@t.pl") + to("iod-gminy@t.pl"), 0);
    let deadline = (aware_at + Duration::hours(72))
        .with_timezone(&Warsaw)
        .format("%d.%m.%Y, %H:%M")
        .to_string();
    let (year, seq) = case
        .rsplit_once('/')
        .map(|(a, s)| (a.rsplit_once('/').unwrap().1, s))
        .unwrap();
    let number = format!("{:0>4}/{year}", seq);
    // The body carries the case, the duty, the deadline in Polish time, the time left and the
    // link; one mail per day.
    assert!(mails.iter().all(|m| m.contains("Message-ID: <digest-")));
    let day2_heading = format!("na {} (stan z 07:01", day2.format("%d.%m.%Y"));
    let bodies: Vec<String> = mails.iter().map(|m| body_of(m)).collect();
    assert_eq!(
        bodies.iter().filter(|b| b.contains(&day2_heading)).count(),
        2,
        "{bodies:?}"
    );
    let body = bodies.iter().find(|b| b.contains(&day2_heading)).unwrap();
    assert!(
        body.contains("zgłoszenie naruszenia Prezesowi UODO (art. 33)"),
        "{body}"
    );
    assert!(body.contains(&format!("Sprawa {number}")), "{body}");
    assert!(
        body.contains(&format!("termin: {deadline} (czas polski)")),
        "{body}"
    );
    assert!(body.contains("zostało "), "{body}");
    assert!(
        body.contains(&format!("{}{case}#obowiazki", app.url)),
        "{body}"
    );
}

#[test]
fn rejestr_tick_includes_the_digest_and_a_dry_run_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let rejestr = |args: &[&str]| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_rejestr"));
        command
            .current_dir(dir.path())
            .env_remove("DATABASE_URL")
            .env("RUST_LOG", "warn");
        for (key, _) in std::env::vars() {
            if key.starts_with("REJESTR_") {
                command.env_remove(key);
            }
        }
        let output = command.args(args).output().unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    // The demo office has unassessed reports: open obligations for its IOD.
    rejestr(&["demo"]);
    let tomorrow = Utc::now().with_timezone(&Warsaw).date_naive() + Duration::days(1);
    let at = warsaw(tomorrow, 8, 0).to_rfc3339();
    let digests = |stdout: &str| -> Vec<serde_json::Value> {
        stdout
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .filter(|v| v.get("digest").is_some())
            .collect()
    };
    let dry = digests(&rejestr(&["tick", "--now", &at, "--dry-run"]));
    assert_eq!(dry.len(), 1, "{dry:?}");
    assert_eq!(dry[0]["digest"], tomorrow.format("%Y-%m-%d").to_string());
    assert_eq!(
        dry[0]["recipients"],
        serde_json::json!(["iod@przykladowo.example.pl"])
    );
    assert_eq!(digests(&rejestr(&["tick", "--now", &at, "--dry-run"])), dry);
    assert_eq!(digests(&rejestr(&["tick", "--now", &at])), dry);
    assert!(digests(&rejestr(&["tick", "--now", &at])).is_empty());
}
