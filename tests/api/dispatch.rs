#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{Duration, Utc};
use rejestr_domain::role::Role;
use rejestr_notify::{Dispatcher, Mailer};
use rejestr_store::CLAIM_FOR;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, spawn_app, valid_report};

fn mails(dir: &std::path::Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    files.sort();
    files
}

#[tokio::test]
async fn due_steps_are_mailed_once_even_when_the_dispatcher_dies_after_claiming() {
    let app = spawn_app().await;
    app.user("iod@t.pl", &app.named_org.clone(), Role::Iod)
        .await;
    app.user("head@t.pl", &app.named_org.clone(), Role::Head)
        .await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
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
        ("final_risk", "risk"),
        ("final_notify_sa", "on"),
        (
            "justification",
            "Ryzyko, nie wysokie: adresat to inny urząd.",
        ),
        ("action", "zapisz"),
    ];
    assert_eq!(
        app.post_form_as(&cookie, &format!("{case}/ocena"), &form)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    // Only the PUODO obligation and the CSIRT ones; the 75 % step of the 72 hours is due.
    let now = aware_at + Duration::hours(55);
    let fired = app.store.tick(now, false).await.unwrap();
    let sa: Vec<_> = fired
        .iter()
        .filter(|s| s.obligation == "notify_sa")
        .map(|s| s.step.as_str())
        .collect();
    assert_eq!(sa, ["50%", "75%"]);

    let dir = tempfile::tempdir().unwrap();
    // A dispatcher claims the rows and dies before sending (as after kill -9).
    let claimed = app.store.claim_deliveries(now, 100).await.unwrap();
    assert_eq!(claimed.len(), fired.len());
    let dispatcher = Dispatcher::new(
        app.store.clone(),
        Mailer::new(None, dir.path()).unwrap(),
        "Rejestr72 <r@t.pl>",
        &app.url,
    )
    .unwrap();
    // While the claim holds, nobody else sends them…
    assert_eq!(dispatcher.run_once(now).await.unwrap().sent, 0);
    assert!(mails(dir.path()).is_empty());
    // …and when it expires, the next dispatcher does, once.
    let later = now + CLAIM_FOR + Duration::seconds(1);
    assert_eq!(dispatcher.run_once(later).await.unwrap().sent, fired.len());
    assert_eq!(dispatcher.run_once(later).await.unwrap().sent, 0);
    let sent = mails(dir.path());
    assert_eq!(sent.len(), fired.len());
    let seventy_five = sent
        .iter()
        .find(|m| m.contains("75%") && m.contains("Prezesowi UODO"))
        .unwrap();
    assert!(
        seventy_five.contains("iod@t.pl") && seventy_five.contains("head@t.pl"),
        "75 %: the IOD and the head"
    );
    assert!(seventy_five.contains("Message-ID: <outbox-"));
    let fifty = sent
        .iter()
        .find(|m| m.contains("50%") && m.contains("Prezesowi UODO"))
        .unwrap();
    assert!(
        fifty.contains("iod@t.pl") && !fifty.contains("head@t.pl"),
        "50 %: the person on the case"
    );
    assert_eq!(
        app.store.outbox_counts().await.unwrap(),
        (fired.len() as u64, 0)
    );
}

#[tokio::test]
async fn notices_are_posted_to_the_organisations_webhook_and_retried_after_a_failure() {
    use std::sync::{Arc, Mutex};
    let app = spawn_app().await;
    app.user("iod@t.pl", &app.named_org.clone(), Role::Iod)
        .await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();

    // A team chat's incoming webhook that fails its first call.
    let received: Arc<Mutex<Vec<(String, Value)>>> = Arc::default();
    let calls = Arc::new(Mutex::new(0u32));
    let (store_received, store_calls) = (received.clone(), calls.clone());
    let hook = axum::Router::new().route(
        "/hook",
        axum::routing::post(
            move |headers: axum::http::HeaderMap, axum::Json(body): axum::Json<Value>| {
                let (received, calls) = (store_received.clone(), store_calls.clone());
                async move {
                    let mut calls = calls.lock().unwrap();
                    *calls += 1;
                    if *calls == 1 {
                        return StatusCode::INTERNAL_SERVER_ERROR;
                    }
                    let key = headers["idempotency-key"].to_str().unwrap().to_owned();
                    received.lock().unwrap().push((key, body));
                    StatusCode::OK
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let hook_url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, hook).await.unwrap() });

    let settings = [
        ("name", "Jednostka starostwo"),
        ("unit_type", "powiat"),
        ("regon", ""),
        ("address", "ul. Testowa 1, 00-001 Warszawa"),
        ("iod_name", "Jan Testowy"),
        ("iod_email", "iod@test.example.pl"),
        ("iod_phone", ""),
        ("ksc_status", "not_covered"),
        ("csirt", ""),
        ("webhook_url", "ftp://nie"),
    ];
    let response = app
        .post_form_as(&cookie, "/rejestr/starostwo/ustawienia", &settings)
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let mut settings = settings.to_vec();
    settings[9] = ("webhook_url", &hook_url);
    assert_eq!(
        app.post_form_as(&cookie, "/rejestr/starostwo/ustawienia", &settings)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );

    let body: Value = app
        .post_report(&valid_report("starostwo"))
        .await
        .json()
        .await
        .unwrap();
    let reported = chrono::DateTime::parse_from_rfc3339(body["reported_at"].as_str().unwrap())
        .unwrap()
        .with_timezone(&Utc);
    let now = reported + Duration::hours(4) + Duration::seconds(1);
    let fired = app.store.tick(now, false).await.unwrap();
    assert_eq!(
        fired.len(),
        1,
        "the 4-hour reminder of the unassessed report"
    );

    let dir = tempfile::tempdir().unwrap();
    let dispatcher = Dispatcher::new(
        app.store.clone(),
        Mailer::new(None, dir.path()).unwrap(),
        "r@t.pl",
        &app.url,
    )
    .unwrap();
    let first = dispatcher.run_once(now).await.unwrap();
    assert_eq!((first.sent, first.failed), (0, 1));
    // Retried after the back-off, delivered once.
    let later = now + Duration::minutes(3);
    assert_eq!(dispatcher.run_once(later).await.unwrap().sent, 1);
    assert_eq!(
        dispatcher
            .run_once(later + Duration::hours(1))
            .await
            .unwrap()
            .sent,
        0
    );
    let received = received.lock().unwrap();
    assert_eq!(received.len(), 1);
    let (key, body) = &received[0];
    assert!(key.starts_with("rejestr72-outbox-"));
    assert!(
        body["text"]
            .as_str()
            .unwrap()
            .contains("czeka na ocenę od 4 godzin"),
        "{body}"
    );
    assert_eq!(body["rejestr72"]["obligation"], "assess");
    assert_eq!(mails(dir.path()).len(), 1);
}
