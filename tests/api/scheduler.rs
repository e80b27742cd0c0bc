#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{Duration, Utc};
use rejestr_domain::role::Role;
use rejestr_store::FiredStep;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, spawn_app, valid_report};

/// A reported PESEL breach, assessed as the engine proposes (notify PUODO and the subjects);
/// returns the case page path and the instant the 72 hours started.
pub(crate) async fn assessed_breach(
    app: &TestApp,
    cookie: &str,
) -> (String, chrono::DateTime<Utc>) {
    let mut report = valid_report("starostwo");
    report["data_categories"] = json!(["identity", "national_id"]);
    let body: Value = app.post_report(&report).await.json().await.unwrap();
    let aware_at = chrono::DateTime::parse_from_rfc3339(body["reported_at"].as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc);
    let (seq, year) = body["number"]
        .as_str()
        .unwrap()
        .split_once('/')
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .unwrap();
    let case = format!(
        "/rejestr/starostwo/sprawy/{year}/{}",
        seq.trim_start_matches('0')
    );
    let form = [
        ("personal_data", "tak"),
        ("confidentiality", "unknown_recipients"),
        ("malicious", "nie"),
        ("data_categories", "identity"),
        ("data_categories", "national_id"),
        ("final_classification", "personal_data_breach"),
        ("final_risk", "high"),
        ("final_notify_sa", "on"),
        ("final_notify_subjects", "on"),
        ("action", "zapisz"),
    ];
    let response = app
        .post_form_as(cookie, &format!("{case}/ocena"), &form)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    (case, aware_at)
}

fn steps_of(fired: &[FiredStep], obligation: &str) -> Vec<String> {
    fired
        .iter()
        .filter(|s| s.obligation == obligation)
        .map(|s| s.step.clone())
        .collect()
}

#[tokio::test]
async fn the_ladder_fires_each_step_once_with_a_fixed_clock() {
    let app = spawn_app().await;
    app.user("iod@t.pl", &app.named_org.clone(), Role::Iod)
        .await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    let (case, aware_at) = assessed_breach(&app, &cookie).await;

    let html = app.get_as(Some(&cookie), &case).await.text().await.unwrap();
    assert!(html.contains("zgłoszenie naruszenia Prezesowi UODO (art. 33)"));
    assert!(
        html.contains("wczesne ostrzeżenie do CSIRT (24 h)"),
        "the office is a KSC public entity"
    );

    assert!(
        steps_of(
            &app.store
                .tick(aware_at + Duration::hours(35), false)
                .await
                .unwrap(),
            "notify_sa"
        )
        .is_empty()
    );
    let at_36 = app
        .store
        .tick(aware_at + Duration::hours(36) + Duration::seconds(1), false)
        .await
        .unwrap();
    assert_eq!(steps_of(&at_36, "notify_sa"), ["50%"]);
    // The same instant again, as another replica would: nothing new.
    assert!(
        app.store
            .tick(aware_at + Duration::hours(36) + Duration::seconds(1), false)
            .await
            .unwrap()
            .is_empty()
    );
    // Downtime until after the deadline: the missed steps are caught up once, flagged late.
    let at_73 = app
        .store
        .tick(aware_at + Duration::hours(73), false)
        .await
        .unwrap();
    assert_eq!(steps_of(&at_73, "notify_sa"), ["75%", "90%", "100%"]);
    assert!(
        at_73
            .iter()
            .filter(|s| s.obligation == "notify_sa")
            .all(|s| s.late)
    );
    // A dry run shows the next daily reminder without writing it.
    let later = aware_at + Duration::hours(72 + 49);
    assert_eq!(
        steps_of(&app.store.tick(later, true).await.unwrap(), "notify_sa"),
        ["overdue+2d"]
    );
    assert_eq!(
        steps_of(&app.store.tick(later, false).await.unwrap(), "notify_sa"),
        ["overdue+2d"]
    );
    assert!(steps_of(&app.store.tick(later, false).await.unwrap(), "notify_sa").is_empty());
}

#[tokio::test]
async fn concurrent_ticks_write_each_step_exactly_once() {
    let app = spawn_app().await;
    app.user("iod@t.pl", &app.named_org.clone(), Role::Iod)
        .await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    for _ in 0..3 {
        assessed_breach(&app, &cookie).await;
    }
    let at = Utc::now() + Duration::hours(80);
    let planned = app.store.tick(at, true).await.unwrap();
    // Per case at 80 h: PUODO 4 rungs, subjects 4, CSIRT early warning 4 + the newest daily
    // reminder, CSIRT notification 4, the final report (one month) none yet.
    assert_eq!(planned.len(), 3 * (4 + 4 + 5 + 4));
    let ticks = (0..3).map(|_| app.store.tick(at, false));
    let results = futures::future::join_all(ticks).await;
    let mut fired: Vec<(String, String, String)> = results
        .into_iter()
        .flat_map(|r| r.unwrap())
        .map(|s| (s.case_number, s.obligation, s.step))
        .collect();
    let total = fired.len();
    fired.sort();
    fired.dedup();
    assert_eq!(fired.len(), total, "a step was written twice");
    assert_eq!(total, planned.len(), "every planned step was written once");
    assert!(
        app.store
            .tick(at + Duration::seconds(1), false)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_late_notification_needs_the_reasons_for_delay() {
    let app = spawn_app().await;
    app.user("iod@t.pl", &app.named_org.clone(), Role::Iod)
        .await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    let (case, _) = assessed_breach(&app, &cookie).await;
    let four_days_ago = (Utc::now() - Duration::days(4))
        .with_timezone(&chrono_tz::Europe::Warsaw)
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let response = app
        .post_form_as(
            &cookie,
            &format!("{case}/swiadomosc"),
            &[
                ("aware_at", &four_days_ago),
                ("justification", "Sekretarz wiedział od piątku."),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = app.get_as(Some(&cookie), &case).await.text().await.unwrap();
    assert!(html.contains("po terminie o"), "the moved clock is overdue");

    let path = format!("{case}/obowiazki/notify_sa");
    let response = app
        .post_form_as(
            &cookie,
            &path,
            &[
                ("outcome", "wyslane"),
                ("channel", "biznes.gov.pl"),
                ("reference", "UPO-123"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("przyczyn opóźnienia")
    );
    let response = app
        .post_form_as(
            &cookie,
            &path,
            &[
                ("outcome", "wyslane"),
                ("channel", "biznes.gov.pl"),
                ("reference", "UPO-123"),
                ("delay_reasons", "Ustalanie zakresu danych z dostawcą."),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = app
        .post_form_as(
            &cookie,
            &format!("{case}/obowiazki/notify_subjects"),
            &[("outcome", "niewymagane"), ("reason", "")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let html = app.get_as(Some(&cookie), &case).await.text().await.unwrap();
    assert!(html.contains("nr UPO-123") && html.contains("Ustalanie zakresu danych z dostawcą."));
    let dashboard = app
        .get_as(Some(&cookie), "/terminy")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        dashboard.contains("zawiadomienie osób, których dane dotyczą")
            && !dashboard.contains("zgłoszenie naruszenia Prezesowi UODO")
    );
    app.assert_audit_intact().await;
}

#[tokio::test]
async fn an_unassessed_report_reminds_the_iod_until_it_is_assessed() {
    let app = spawn_app().await;
    app.user("iod@t.pl", &app.named_org.clone(), Role::Iod)
        .await;
    let body: Value = app
        .post_report(&valid_report("starostwo"))
        .await
        .json()
        .await
        .unwrap();
    let reported = chrono::DateTime::parse_from_rfc3339(body["reported_at"].as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc);
    assert!(
        app.store
            .tick(reported + Duration::minutes(239), false)
            .await
            .unwrap()
            .is_empty()
    );
    // reported_at comes back to the second; the deadline is a fraction of it later.
    let fired = app
        .store
        .tick(reported + Duration::hours(4) + Duration::seconds(1), false)
        .await
        .unwrap();
    assert_eq!(steps_of(&fired, "assess"), ["100%"]);
    assert_eq!(fired[0].audience, "assignee");

    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    let dashboard = app
        .get_as(Some(&cookie), "/terminy")
        .await
        .text()
        .await
        .unwrap();
    assert!(dashboard.contains("ocena nowego zgłoszenia"));
    let (case, _) = assessed_breach(&app, &cookie).await;
    assert!(!case.is_empty());
    // The first case is still unassessed: its daily reminder comes; the assessed one is quiet.
    let next_day = app
        .store
        .tick(reported + Duration::hours(28) + Duration::seconds(1), false)
        .await
        .unwrap();
    assert_eq!(steps_of(&next_day, "assess"), ["overdue+1d"]);
    assert_eq!(
        next_day.iter().filter(|s| s.obligation == "assess").count(),
        1
    );
}
