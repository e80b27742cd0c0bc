//! Signed webhooks: the IOD makes a secret in the settings (shown once), and every post to the
//! organisation's webhook carries a timestamp and an HMAC-SHA256 signature that a receiver
//! checks with that secret.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode as HookStatus};
use chrono::{Duration, Utc};
use hmac::{KeyInit, Mac};
use rejestr_domain::role::Role;
use rejestr_notify::{Dispatcher, Mailer};
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{PASSWORD, TestApp, spawn_app, valid_report};

/// What the receiver saw: (timestamp, signature, body, verified).
type Seen = Arc<Mutex<Vec<(String, String, Value, bool)>>>;

/// A team-chat webhook that verifies posts the way README tells receivers to: HMAC-SHA256 of
/// `"{timestamp}.{body}"` with the shared secret, compared in constant time; 401 otherwise.
async fn verifying_receiver(secret: Arc<Mutex<String>>, seen: Seen) -> String {
    let hook = axum::Router::new().route(
        "/hook",
        axum::routing::post(move |headers: HeaderMap, body: Bytes| {
            let (secret, seen) = (secret.clone(), seen.clone());
            async move {
                let header = |name: &str| {
                    headers
                        .get(name)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or_default()
                        .to_owned()
                };
                let (timestamp, signature) = (
                    header("x-rejestr72-timestamp"),
                    header("x-rejestr72-signature"),
                );
                let key = secret.lock().unwrap().clone();
                let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).unwrap();
                mac.update(timestamp.as_bytes());
                mac.update(b".");
                mac.update(&body);
                let verified = signature
                    .strip_prefix("sha256=")
                    .and_then(|h| hex::decode(h).ok())
                    .is_some_and(|sig| mac.verify_slice(&sig).is_ok());
                let json: Value = serde_json::from_slice(&body).unwrap_or_default();
                seen.lock()
                    .unwrap()
                    .push((timestamp, signature, json, verified));
                if verified {
                    HookStatus::OK
                } else {
                    HookStatus::UNAUTHORIZED
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, hook).await.unwrap() });
    url
}

async fn set_webhook(app: &TestApp, cookie: &str, url: &str) {
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
        ("webhook_url", url),
    ];
    let response = app
        .post_form_as(cookie, "/rejestr/starostwo/ustawienia", &settings)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

/// Asks for a new secret on the settings page; returns it and the page.
async fn rotate(app: &TestApp, cookie: &str) -> (String, String) {
    let response = app
        .post_form_as(cookie, "/rejestr/starostwo/ustawienia/sekret-webhooka", &[])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let html = response.text().await.unwrap();
    let secret = html
        .split(r#"<code id="nowy-sekret">"#)
        .nth(1)
        .and_then(|rest| rest.split('<').next())
        .unwrap()
        .to_owned();
    (secret, html)
}

#[tokio::test]
async fn webhook_posts_are_signed_with_the_secret_shown_once() {
    let app = spawn_app().await;
    app.user("iod@t.pl", &app.named_org.clone(), Role::Iod)
        .await;
    app.user("head@t.pl", &app.named_org.clone(), Role::Head)
        .await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();

    let page = app
        .get_as(Some(&cookie), "/rejestr/starostwo/ustawienia")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Wiadomości na webhook nie są podpisane"));
    let (secret, html) = rotate(&app, &cookie).await;
    assert!(
        secret.starts_with("whsec_") && secret.len() == 6 + 64,
        "{secret}"
    );
    assert!(html.contains("pokazujemy go tylko teraz"));
    let fingerprint = rejestr_store::secret_fingerprint(&secret);
    assert!(html.contains(&fingerprint));
    // Shown once: the next visit shows only the fingerprint.
    let page = app
        .get_as(Some(&cookie), "/rejestr/starostwo/ustawienia")
        .await
        .text()
        .await
        .unwrap();
    assert!(!page.contains(&secret) && page.contains(&fingerprint));
    // A head of office cannot make one.
    let head = app.sign_in("head@t.pl", PASSWORD).await.unwrap();
    let response = app
        .post_form_as(&head, "/rejestr/starostwo/ustawienia/sekret-webhooka", &[])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let key = Arc::new(Mutex::new(secret.clone()));
    let seen: Seen = Arc::default();
    let url = verifying_receiver(key.clone(), seen.clone()).await;
    set_webhook(&app, &cookie, &url).await;

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
    assert_eq!(app.store.tick(now, false).await.unwrap().len(), 1);
    let dir = tempfile::tempdir().unwrap();
    let dispatcher = Dispatcher::new(
        app.store.clone(),
        Mailer::new(None, dir.path()).unwrap(),
        "r@t.pl",
        &app.url,
    )
    .unwrap();
    assert_eq!(dispatcher.run_once(now).await.unwrap().sent, 1);
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1);
        let (timestamp, signature, json, verified) = &seen[0];
        assert!(verified, "the receiver verified {signature}");
        assert_eq!(timestamp, &now.timestamp().to_string());
        assert_eq!(
            signature,
            &rejestr_notify::signature(
                &secret,
                now.timestamp(),
                serde_json::to_vec(json).unwrap().as_slice()
            )
        );
        assert_eq!(json["rejestr72"]["obligation"], "assess");
    }

    // After a rotation the receiver still holds the old secret: it refuses the post, and the
    // dispatcher keeps the step for a retry…
    let (new_secret, _) = rotate(&app, &cookie).await;
    assert_ne!(new_secret, secret);
    let next_day = reported + Duration::hours(28) + Duration::seconds(1);
    assert_eq!(app.store.tick(next_day, false).await.unwrap().len(), 1);
    let report = dispatcher.run_once(next_day).await.unwrap();
    assert_eq!((report.sent, report.failed), (0, 1));
    assert!(!seen.lock().unwrap()[1].3);
    // …which succeeds once the receiver has the new one.
    *key.lock().unwrap() = new_secret;
    let report = dispatcher
        .run_once(next_day + Duration::minutes(3))
        .await
        .unwrap();
    assert_eq!((report.sent, report.failed), (1, 0));
    assert!(seen.lock().unwrap()[2].3);
}
