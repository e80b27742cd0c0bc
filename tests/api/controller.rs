//! The office as processor (art. 33(2) GDPR): the questionnaire's processor facts, the
//! engine's proposal to notify the controller, the obligation with the contract's deadline, and
//! its escalation through the ladder.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{Duration, Utc};
use chrono_tz::Europe::Warsaw;
use rejestr_domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, spawn_app, valid_report};

#[tokio::test]
async fn a_processor_notifies_the_controller_by_the_contracts_deadline() {
    let app = spawn_app().await;
    app.user("iod@t.pl", &app.named_org.clone(), Role::Iod)
        .await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();

    // The engine alone, over the API.
    let response = app
        .client
        .post(format!("{}/api/v1/assess", app.url))
        .json(
            &json!({"personal_data": true, "confidentiality": "unknown_recipients",
                       "data_categories": ["identity", "national_id"], "acting_as_processor": true,
                       "controller_name": "GOPS w Przykładowie", "controller_deadline_hours": 12}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["obligations"]["notify_controller"], true);
    assert_eq!(body["obligations"]["notify_sa"], false);

    let mut report = valid_report("starostwo");
    report["data_categories"] = json!(["identity", "national_id"]);
    let body: Value = app.post_report(&report).await.json().await.unwrap();
    let aware_at = chrono::DateTime::parse_from_rfc3339(body["reported_at"].as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc);
    let (seq, year) = body["number"].as_str().unwrap().split_once('/').unwrap();
    let case = format!(
        "/rejestr/starostwo/sprawy/{year}/{}",
        seq.trim_start_matches('0')
    );
    let path = format!("{case}/ocena");
    let facts = |name: &'static str, hours: &'static str| {
        vec![
            ("personal_data", "tak"),
            ("confidentiality", "unknown_recipients"),
            ("malicious", "nie"),
            ("data_categories", "identity"),
            ("data_categories", "national_id"),
            ("acting_as_processor", "on"),
            ("controller_name", name),
            ("controller_deadline_hours", hours),
        ]
    };

    // The controller must be named, and the contract's hours must be hours.
    let mut form = facts("", "12");
    form.push(("action", "ocen"));
    let response = app.post_form_as(&cookie, &path, &form).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Podaj nazwę administratora")
    );
    let mut form = facts("GOPS w Przykładowie", "0");
    form.push(("action", "ocen"));
    let response = app.post_form_as(&cookie, &path, &form).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Termin z umowy powierzenia podaj w pełnych godzinach, od 1 do 168.")
    );

    // The proposal: notify the controller, not Prezes UODO; the decision starts as proposed.
    let mut form = facts("GOPS w Przykładowie", "12");
    form.push(("action", "ocen"));
    let response = app.post_form_as(&cookie, &path, &form).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("Zgłoszenie administratorowi (art. 33 ust. 2)"));
    assert!(html.contains("jednostka działa w tej sprawie jako podmiot przetwarzający"));
    assert!(html.contains(
        r#"id="final_notify_controller" name="final_notify_controller" value="on" checked"#
    ));
    assert!(!html.contains(r#"name="final_notify_sa" value="on" checked"#));
    assert!(html.contains(r#"value="GOPS w Przykładowie""#));

    let mut form = facts("GOPS w Przykładowie", "12");
    form.extend([
        ("final_classification", "personal_data_breach"),
        ("final_risk", "high"),
        ("final_notify_controller", "on"),
        ("action", "zapisz"),
    ]);
    let response = app.post_form_as(&cookie, &path, &form).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let page = app.get_as(Some(&cookie), &case).await.text().await.unwrap();
    assert!(page.contains("zgłoszenie naruszenia administratorowi (art. 33 ust. 2)"));
    assert!(page.contains("tak — termin z umowy: 12 h"));
    assert!(
        !page.contains("zgłoszenie naruszenia Prezesowi UODO (art. 33)"),
        "the controller notifies Prezes UODO, not the processor"
    );
    let deadline = (aware_at + Duration::hours(12))
        .with_timezone(&Warsaw)
        .format("%d.%m.%Y, %H:%M")
        .to_string();
    assert!(page.contains(&deadline), "deadline {deadline}");
    // The questionnaire remembers the processor facts.
    let again = app.get_as(Some(&cookie), &path).await.text().await.unwrap();
    assert!(
        again.contains(r#"id="acting_as_processor" name="acting_as_processor" value="on" checked"#)
    );
    assert!(again.contains(r#"value="12""#));

    // It escalates through the ladder over its 12 hours.
    let steps = |fired: Vec<rejestr_store::FiredStep>| {
        fired
            .into_iter()
            .filter(|s| s.obligation == "notify_controller")
            .map(|s| s.step)
            .collect::<Vec<_>>()
    };
    let tick = |hours: i64, minutes: i64| {
        app.store.tick(
            aware_at + Duration::hours(hours) + Duration::minutes(minutes) + Duration::seconds(1),
            false,
        )
    };
    assert!(steps(tick(5, 59).await.unwrap()).is_empty());
    assert_eq!(steps(tick(6, 0).await.unwrap()), ["50%"]);
    assert_eq!(steps(tick(9, 0).await.unwrap()), ["75%"]);
    assert_eq!(steps(tick(12, 0).await.unwrap()), ["90%", "100%"]);
    let dashboard = app
        .get_as(Some(&cookie), "/terminy")
        .await
        .text()
        .await
        .unwrap();
    assert!(dashboard.contains("zgłoszenie naruszenia administratorowi (art. 33 ust. 2)"));
}
