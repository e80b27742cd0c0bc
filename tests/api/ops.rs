//! Operations: the liveness and readiness probes, migrations from several processes at once,
//! the figures behind the domain gauges, and the Prometheus metrics of the binary's admin
//! listener.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use chrono::{Duration, Utc};
use rejestr_domain::role::Role;
use rejestr_intake::AttachmentLimits;
use rejestr_scheduler::ObligationKind;
use rejestr_store::Store;
use rejestr_web::{AppState, WebConfig};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database};
use serde_json::Value;

use crate::helpers::{PASSWORD, spawn_app, valid_report};
use crate::scheduler::assessed_breach;

/// A store on an empty database that nobody migrated: a temporary SQLite file, or a fresh
/// schema when `TEST_DATABASE_URL` names PostgreSQL.
async fn unmigrated_store() -> (Store, Option<tempfile::TempDir>) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(url.as_str()).await.unwrap();
            admin
                .execute_unprepared(&format!("CREATE SCHEMA {schema}"))
                .await
                .unwrap();
            admin.close().await.unwrap();
            (Store::connect(&url, Some(&schema)).await.unwrap(), None)
        }
        _ => {
            let dir = tempfile::tempdir().unwrap();
            let url = format!("sqlite://{}/empty.db", dir.path().display());
            (Store::connect(&url, None).await.unwrap(), Some(dir))
        }
    }
}

/// Serves the router over `store` on a random port; returns its base URL.
async fn serve(store: Store) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let state = AppState::new(
        store,
        WebConfig {
            public_url: url.clone(),
            attachments: AttachmentLimits::default(),
            template_dir: None,
            mail_folder: None,
        },
    )
    .unwrap();
    tokio::spawn(async move {
        axum::serve(listener, rejestr_web::router(state))
            .await
            .unwrap();
    });
    url
}

async fn probe(url: &str) -> (StatusCode, Value) {
    let response = reqwest::get(url).await.unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

#[tokio::test]
async fn readiness_needs_a_migrated_database_and_liveness_does_not() {
    let app = spawn_app().await;
    let (status, body) = probe(&format!("{}/healthz/ready", app.url)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "ready");
    assert_eq!(body["pending_migrations"], serde_json::json!([]));

    let (store, _dir) = unmigrated_store().await;
    let url = serve(store.clone()).await;
    let (status, body) = probe(&format!("{url}/healthz/ready")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["database"], "not_migrated");
    let pending = body["pending_migrations"].as_array().unwrap();
    assert!(
        pending.len() > 10 && pending[0] == "m20261123_000001_foundation",
        "{body}"
    );
    let (status, body) = probe(&format!("{url}/health")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["database"], "not_migrated");
    let (status, body) = probe(&format!("{url}/healthz/live")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["status"], "ok");

    store.migrate().await.unwrap();
    let (status, _) = probe(&format!("{url}/healthz/ready")).await;
    assert_eq!(status, StatusCode::OK);

    // The database goes away: not ready, still alive, and the API says nothing was saved.
    store.clone().close().await.unwrap();
    let (status, body) = probe(&format!("{url}/healthz/ready")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["database"], "unavailable");
    let (status, _) = probe(&format!("{url}/healthz/live")).await;
    assert_eq!(status, StatusCode::OK);
    let response = reqwest::Client::new()
        .post(format!("{url}/api/v1/reports"))
        .json(&valid_report("starostwo"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "storage_unavailable");
}

/// Replicas (or an init container per pod) migrate at the same moment; each must succeed and
/// every migration must be applied once. Without the advisory lock two of them race on
/// `CREATE TABLE` and one fails.
#[tokio::test]
async fn concurrent_migrations_apply_each_migration_once() {
    let (store, _dir) = unmigrated_store().await;
    let others = match store.kind() {
        rejestr_store::DatabaseKind::Postgres => 4,
        // SQLite serves a single process; its store has one connection, so one migrator.
        rejestr_store::DatabaseKind::Sqlite => 0,
    };
    let mut runs = vec![store.clone()];
    for _ in 0..others {
        runs.push(store.clone());
    }
    let results = futures::future::join_all(runs.iter().map(|s| s.migrate())).await;
    for result in results {
        result.unwrap();
    }
    assert!(store.pending_migrations().await.unwrap().is_empty());
    // A second run finds nothing to do.
    store.migrate().await.unwrap();
    assert!(store.pending_migrations().await.unwrap().is_empty());
}

#[tokio::test]
async fn the_gauges_count_open_and_overdue_obligations_and_waiting_notices() {
    let app = spawn_app().await;
    let named = app.named_org.clone();
    app.user("iod@t.pl", &named, Role::Iod).await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    let (_, aware_at) = assessed_breach(&app, &cookie).await;
    // A second report, not assessed: it waits for the assessment.
    assert_eq!(
        app.post_report(&valid_report("starostwo")).await.status(),
        StatusCode::CREATED
    );

    let count = |list: &[(ObligationKind, u64)], kind: ObligationKind| {
        list.iter().find(|(k, _)| *k == kind).map(|(_, n)| *n)
    };
    let figures = app.store.operational_figures(aware_at).await.unwrap();
    assert_eq!(figures.open.len(), ObligationKind::ALL.len());
    assert_eq!(count(&figures.open, ObligationKind::NotifySa), Some(1));
    assert_eq!(
        count(&figures.open, ObligationKind::NotifySubjects),
        Some(1)
    );
    assert_eq!(count(&figures.open, ObligationKind::Assess), Some(1));
    assert_eq!(
        count(&figures.open, ObligationKind::CsirtFinalReport),
        Some(1)
    );
    assert_eq!(count(&figures.overdue, ObligationKind::NotifySa), Some(0));
    assert_eq!(figures.outbox_pending, 0);

    // Three days later: PUODO's 72 hours are over; the ticks wrote notices nobody sent yet.
    let later = aware_at + Duration::hours(73);
    app.store.tick(later, false).await.unwrap();
    let figures = app.store.operational_figures(later).await.unwrap();
    assert_eq!(count(&figures.overdue, ObligationKind::NotifySa), Some(1));
    assert_eq!(count(&figures.overdue, ObligationKind::Assess), Some(1));
    assert_eq!(
        count(&figures.overdue, ObligationKind::CsirtFinalReport),
        Some(0),
        "the final report has a month"
    );
    assert!(figures.outbox_pending >= 3, "{figures:?}");
    assert_eq!(figures.outbox_failed, 0);
    assert_eq!((figures.letters_pending, figures.letters_failed), (0, 0));
}

/// Reads the server's banner: the public URL (first line) and the metrics URL.
fn banner(stdout: std::process::ChildStdout) -> (String, Option<String>) {
    let mut reader = BufReader::new(stdout);
    let mut lines = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap() == 0 {
            break;
        }
        let done = line.starts_with("Zatrzymanie");
        lines.push(line);
        if done {
            break;
        }
    }
    // Keep draining so the server never writes into a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));
    let base = lines[0]
        .trim()
        .strip_prefix("Rejestr72 działa: ")
        .unwrap_or_else(|| panic!("unexpected banner {lines:?}"))
        .trim_end_matches('/')
        .to_owned();
    let metrics = lines.iter().find_map(|l| {
        l.trim()
            .strip_prefix("metryki (Prometheus): ")
            .map(str::to_owned)
    });
    (base, metrics)
}

/// The value of the sample `name{labels}` in a Prometheus text exposition.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
}

/// The binary serves the metrics on its admin listener, labelled by the matched route
/// (never the raw path), and sets the domain gauges at start. Empty optional settings in the
/// environment mean "not set".
#[tokio::test]
async fn the_admin_listener_serves_prometheus_metrics_by_route() {
    let dir = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_rejestr"));
    command.current_dir(dir.path()).env_remove("DATABASE_URL");
    for (key, _) in std::env::vars() {
        if key.starts_with("REJESTR_") {
            command.env_remove(key);
        }
    }
    let mut child = command
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("RUST_LOG", "warn")
        .env("REJESTR_ADMIN_ADDR", "127.0.0.1:0")
        .env("REJESTR_SMTP_URL", "")
        .env("REJESTR_PUBLIC_URL", "")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (base, metrics) = tokio::task::spawn_blocking(move || banner(stdout))
        .await
        .unwrap();
    let metrics = metrics.expect("the banner names the metrics address");
    assert!(metrics.starts_with("http://127.0.0.1:") && metrics.ends_with("/metrics"));

    let client = reqwest::Client::new();
    assert_eq!(
        client
            .get(format!("{base}/o/demo/zglos"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    let created = client
        .post(format!("{base}/api/v1/reports"))
        .json(&valid_report("demo"))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);
    let token = created.json::<Value>().await.unwrap()["follow_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        client
            .get(format!("{base}/s/{token}"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        client
            .get(format!("{base}/nie-ma-takiej-strony"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    // Metrics are not on the public port.
    assert_eq!(
        client
            .get(format!("{base}/metrics"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );

    let response = client.get(&metrics).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let text = response.text().await.unwrap();
    child.kill().unwrap();
    child.wait().unwrap();

    let requests = |method: &str, route: &str, status: u16| {
        sample(
            &text,
            &format!(
                "rejestr_http_requests_total{{method=\"{method}\",route=\"{route}\",status=\"{status}\"}}"
            ),
        )
    };
    assert_eq!(requests("GET", "/o/{org}/zglos", 200), Some(1.0), "{text}");
    assert_eq!(
        requests("POST", "/api/v1/reports", 201),
        Some(1.0),
        "{text}"
    );
    assert_eq!(requests("GET", "/s/{token}", 200), Some(1.0), "{text}");
    assert_eq!(requests("GET", "unmatched", 404), Some(2.0), "{text}");
    assert!(
        !text.contains(&token) && !text.contains("/o/demo/") && !text.contains("nie-ma"),
        "raw paths leaked into labels: {text}"
    );
    assert_eq!(
        sample(
            &text,
            "rejestr_http_request_duration_seconds_count{method=\"POST\",route=\"/api/v1/reports\",status=\"201\"}"
        ),
        Some(1.0),
        "{text}"
    );
    assert!(
        text.contains(
            "rejestr_http_request_duration_seconds_bucket{method=\"POST\",route=\"/api/v1/reports\",status=\"201\",le=\"0.05\"}"
        ),
        "histogram buckets: {text}"
    );
    // The demo data at start: two reports waiting for their assessment, nothing overdue yet.
    assert_eq!(
        sample(&text, "rejestr_obligations_open{kind=\"assess\"}"),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, "rejestr_obligations_open{kind=\"notify_sa\"}"),
        Some(0.0)
    );
    assert_eq!(
        sample(&text, "rejestr_obligations_overdue{kind=\"assess\"}"),
        Some(0.0)
    );
    assert_eq!(
        sample(&text, "rejestr_outbox_pending{queue=\"escalation\"}"),
        Some(0.0)
    );
    assert_eq!(
        sample(&text, "rejestr_outbox_failed{queue=\"letters\"}"),
        Some(0.0)
    );
    let last_tick = sample(&text, "rejestr_scheduler_last_tick_timestamp_seconds").unwrap();
    assert!((Utc::now().timestamp() as f64 - last_tick).abs() < 120.0);
}

/// NUL and other control characters are the sender's mistake: PostgreSQL refuses to store a
/// NUL, which used to surface as "storage unavailable" (503). Found by schemathesis on
/// PostgreSQL.
#[tokio::test]
async fn control_characters_are_refused_with_a_4xx_never_a_5xx() {
    let app = spawn_app().await;
    let mut body = valid_report("starostwo");
    body["description"] = serde_json::json!("Opis z bajtem zerowym \u{0} w środku tekstu.");
    let response = app.post_report(&body).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(
        crate::helpers::field_codes(&answer),
        vec![("description".to_owned(), "control_characters".to_owned())]
    );

    let page = app
        .client
        .get(format!("{}/o/stars%00two/zglos", app.url))
        .send()
        .await
        .unwrap();
    assert!(page.status().is_client_error(), "{}", page.status());

    let named = app.named_org.clone();
    app.user("iod@t.pl", &named, Role::Iod).await;
    let user = app.store.user_by_email("iod@t.pl").await.unwrap().unwrap();
    let token = app
        .store
        .create_api_token(&user, "test", Utc::now())
        .await
        .unwrap();
    let created: Value = app
        .post_report(&valid_report("starostwo"))
        .await
        .json()
        .await
        .unwrap();
    let (seq, year) = created["number"].as_str().unwrap().split_once('/').unwrap();
    let note = app
        .client
        .post(format!(
            "{}/api/v1/organisations/starostwo/cases/{year}/{}/notes",
            app.url,
            seq.trim_start_matches('0')
        ))
        .bearer_auth(&token)
        .json(&serde_json::json!({"body": "Notatka z bajtem \u{0} zerowym."}))
        .send()
        .await
        .unwrap();
    assert!(
        !note.status().is_server_error(),
        "a note with a NUL answered {}",
        note.status()
    );
    let sign_in = app
        .client
        .post(format!("{}/logowanie", app.url))
        .form(&[("email", "iod\u{0}@t.pl"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert!(
        sign_in.status().is_client_error() || sign_in.status().is_success(),
        "signing in with a NUL answered {}",
        sign_in.status()
    );
}
