//! Pushing a shared case to a MISP instance (settings, connection check, create then update,
//! a refused key recorded on the case) and the PDF register report for a period.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode as AxumStatus};
use axum::response::IntoResponse;
use rejestr_domain::role::Role;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, spawn_app, valid_report};

const KEY: &str = "a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8WXYZ";
const NAME: &str = "Katarzyna Przykładowa";
const EMAIL: &str = "k.przykladowa@poczta.example.pl";

/// What the fake MISP instance received: (path, body).
type Received = Arc<Mutex<Vec<(String, Value)>>>;

/// A MISP instance as far as Rejestr72 talks to it: the key is checked, an event uuid seen
/// before is answered as MISP answers it (404 "already exists"), and edits are accepted.
async fn fake_misp() -> (String, Received) {
    let received: Received = Arc::default();
    fn authorised(headers: &HeaderMap) -> bool {
        headers.get("authorization").and_then(|v| v.to_str().ok()) == Some(KEY)
    }
    fn refused() -> axum::response::Response {
        (
            AxumStatus::FORBIDDEN,
            axum::Json(json!({
                "name": "Authentication failed. Please make sure you pass the API key of an API enabled user along in the Authorization header.",
                "message": "Authentication failed. Please make sure you pass the API key of an API enabled user along in the Authorization header.",
                "url": "/events/add"
            })),
        )
            .into_response()
    }
    let app = axum::Router::new()
        .route(
            "/servers/getVersion",
            axum::routing::get(|headers: HeaderMap| async move {
                if authorised(&headers) {
                    axum::Json(json!({"version": "2.5.2", "perm_sync": false})).into_response()
                } else {
                    refused()
                }
            }),
        )
        .route(
            "/events/add",
            axum::routing::post(
                |State(received): State<Received>,
                 headers: HeaderMap,
                 axum::Json(body): axum::Json<Value>| async move {
                    if !authorised(&headers) {
                        return refused();
                    }
                    let mut log = received.lock().unwrap();
                    let uuid = body["Event"]["uuid"].clone();
                    let known = log.iter().any(|(_, b)| b["Event"]["uuid"] == uuid);
                    log.push(("/events/add".to_owned(), body));
                    if known {
                        return (
                            AxumStatus::NOT_FOUND,
                            axum::Json(json!({
                                "name": "Event already exists, if you would like to edit it, use the url in the location header.",
                                "message": "Event already exists, if you would like to edit it, use the url in the location header.",
                                "url": "/events/add"
                            })),
                        )
                            .into_response();
                    }
                    axum::Json(json!({"Event": {"id": "17", "uuid": uuid}})).into_response()
                },
            ),
        )
        .route(
            "/events/edit/{uuid}",
            axum::routing::post(
                |State(received): State<Received>,
                 Path(uuid): Path<String>,
                 headers: HeaderMap,
                 axum::Json(body): axum::Json<Value>| async move {
                    if !authorised(&headers) {
                        return refused();
                    }
                    received
                        .lock()
                        .unwrap()
                        .push((format!("/events/edit/{uuid}"), body));
                    axum::Json(json!({"Event": {"id": 17, "uuid": uuid}})).into_response()
                },
            ),
        )
        .with_state(received.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, received)
}

async fn audit_data(app: &TestApp, action: &str) -> Vec<Value> {
    let backend = app.raw.get_database_backend();
    app.raw
        .query_all_raw(Statement::from_string(
            backend,
            format!("SELECT data FROM audit_events WHERE action = '{action}' ORDER BY seq"),
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| serde_json::from_str(&row.try_get::<String>("", "data").unwrap()).unwrap())
        .collect()
}

/// A reported and assessed breach of the named organisation; returns the case path.
async fn assessed_case(app: &TestApp, cookie: &str) -> (String, String) {
    let mut report = valid_report("starostwo");
    report["reporter_name"] = json!(NAME);
    report["reporter_email"] = json!(EMAIL);
    report["data_categories"] = json!(["identity"]);
    let body: Value = app.post_report(&report).await.json().await.unwrap();
    let number = body["number"].as_str().unwrap().to_owned();
    let (seq, year) = number.split_once('/').unwrap();
    let case = format!(
        "/rejestr/starostwo/sprawy/{year}/{}",
        seq.trim_start_matches('0')
    );
    let assessed = app
        .post_form_as(
            cookie,
            &format!("{case}/ocena"),
            &[
                ("personal_data", "tak"),
                ("confidentiality", "unknown_recipients"),
                ("malicious", "tak"),
                ("data_categories", "identity"),
                ("final_classification", "personal_data_breach"),
                ("final_risk", "high"),
                ("final_notify_sa", "on"),
                ("final_notify_subjects", "on"),
                (
                    "justification",
                    "Wysokie ryzyko: dane trafiły do nieznanych osób w wyniku włamania.",
                ),
                ("action", "zapisz"),
            ],
        )
        .await;
    assert_eq!(assessed.status(), StatusCode::SEE_OTHER);
    (case, number)
}

#[tokio::test]
async fn a_case_is_pushed_to_misp_created_then_updated_and_a_refusal_is_recorded() {
    let app = spawn_app().await;
    let org = app.named_org.clone();
    app.user("iod@t.pl", &org, Role::Iod).await;
    app.user("audytor@t.pl", &org, Role::Auditor).await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    let auditor = app.sign_in("audytor@t.pl", PASSWORD).await.unwrap();
    let (misp_url, received) = fake_misp().await;
    let settings = "/rejestr/starostwo/ustawienia/misp";

    // Not configured: the share page offers no push, only the way to the settings.
    let (case, _) = assessed_case(&app, &cookie).await;
    let share = format!("{case}/udostepnianie");
    let page = app
        .get_as(Some(&cookie), &share)
        .await
        .text()
        .await
        .unwrap();
    assert!(!page.contains("Wyślij do MISP</button>"));
    assert!(page.contains(settings));
    let push_form = [
        ("recipient", "ISAC-JST"),
        ("tlp", "green"),
        ("cause", ""),
        ("notes", ""),
    ];
    let unconfigured = app
        .post_form_as(&cookie, &format!("{case}/misp"), &push_form)
        .await;
    assert_eq!(unconfigured.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unconfigured
            .text()
            .await
            .unwrap()
            .contains("nie ma skonfigurowanej instancji MISP")
    );

    // Settings: bad input is named; a new instance needs a key.
    let bad = app
        .post_form_as(
            &cookie,
            settings,
            &[
                ("url", "misp.example.pl"),
                ("api_key", ""),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = bad.text().await.unwrap();
    assert!(text.contains("Adres musi zaczynać się od https://"));
    assert!(text.contains("Podaj klucz API"));

    // The connection check tells a wrong key from a working one, and saves nothing.
    let wrong_key = "0000000000000000000000000000000000000000";
    let check = app
        .post_form_as(
            &cookie,
            settings,
            &[
                ("url", &misp_url),
                ("api_key", wrong_key),
                ("verify_tls", "on"),
                ("action", "check"),
            ],
        )
        .await;
    assert_eq!(check.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(check.text().await.unwrap().contains("odrzuciła klucz API"));
    let check = app
        .post_form_as(
            &cookie,
            settings,
            &[
                ("url", &misp_url),
                ("api_key", KEY),
                ("verify_tls", "on"),
                ("action", "check"),
            ],
        )
        .await;
    assert_eq!(check.status(), StatusCode::OK);
    assert!(check.text().await.unwrap().contains("MISP 2.5.2"));
    assert!(
        audit_data(&app, "organisation.misp_changed")
            .await
            .is_empty()
    );

    let saved = app
        .post_form_as(
            &cookie,
            settings,
            &[
                ("url", &format!("{misp_url}/")),
                ("api_key", KEY),
                ("verify_tls", "on"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let page = app
        .get_as(Some(&cookie), settings)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("…WXYZ"), "the key's hint is shown");
    assert!(!page.contains(KEY), "the key itself is never shown back");
    let changes = audit_data(&app, "organisation.misp_changed").await;
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0]["url"]["after"], json!(misp_url));
    assert_eq!(changes[0]["api_key_changed"], json!(true));
    assert!(
        !changes[0].to_string().contains(KEY),
        "no key in the audit trail"
    );

    // The auditor may neither configure nor push.
    assert_eq!(
        app.get_as(Some(&auditor), settings).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post_form_as(&auditor, &format!("{case}/misp"), &push_form)
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    // Push: created, then (the same case again) updated; no personal data travels.
    let page = app
        .get_as(Some(&cookie), &share)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Wyślij do MISP</button>"));
    let pushed = app
        .post_form_as(&cookie, &format!("{case}/misp"), &push_form)
        .await;
    assert_eq!(pushed.status(), StatusCode::OK);
    assert!(
        pushed
            .text()
            .await
            .unwrap()
            .contains("Utworzono zdarzenie 17")
    );
    let again = app
        .post_form_as(&cookie, &format!("{case}/misp"), &push_form)
        .await;
    assert!(
        again
            .text()
            .await
            .unwrap()
            .contains("Zaktualizowano zdarzenie 17")
    );
    {
        let log = received.lock().unwrap();
        let paths: Vec<&str> = log.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths[0], "/events/add");
        assert_eq!(paths[1], "/events/add");
        let uuid = log[0].1["Event"]["uuid"].as_str().unwrap();
        assert_eq!(paths[2], format!("/events/edit/{uuid}"));
        let sent = log[0].1.to_string();
        assert!(sent.contains("tlp:green"));
        assert!(!sent.contains(NAME) && !sent.contains(EMAIL), "{sent}");
    }
    let shared = audit_data(&app, "case.shared").await;
    assert_eq!(shared.len(), 2);
    assert_eq!(shared[0]["destination"], json!(misp_url));
    assert_eq!(shared[0]["misp_event_id"], json!("17"));
    assert_eq!(shared[0]["outcome"], json!("created"));
    assert_eq!(shared[1]["outcome"], json!("updated"));
    assert_eq!(shared[0]["recipient"], json!("ISAC-JST"));

    // A key revoked in MISP: the push is refused, said in Polish, and recorded on the case.
    let rekeyed = app
        .post_form_as(
            &cookie,
            settings,
            &[
                ("url", &misp_url),
                ("api_key", wrong_key),
                ("verify_tls", "on"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(rekeyed.status(), StatusCode::SEE_OTHER);
    let refused = app
        .post_form_as(&cookie, &format!("{case}/misp"), &push_form)
        .await;
    assert_eq!(refused.status(), StatusCode::OK);
    let text = refused.text().await.unwrap();
    assert!(text.contains("Nie udało się wysłać do MISP"));
    assert!(text.contains("odrzuciła klucz API (HTTP 403"));
    assert!(
        text.contains("nie wysłano"),
        "the history shows the failed attempt"
    );
    let failed = audit_data(&app, "case.share_failed").await;
    assert_eq!(failed.len(), 1);
    assert!(failed[0]["error"].as_str().unwrap().contains("403"));
    assert_eq!(audit_data(&app, "case.shared").await.len(), 2);

    // An unreachable instance is a clear message too, not a 500.
    let closed = "http://127.0.0.1:9";
    app.post_form_as(
        &cookie,
        settings,
        &[
            ("url", closed),
            ("api_key", ""),
            ("verify_tls", "on"),
            ("action", "save"),
        ],
    )
    .await;
    let unreachable = app
        .post_form_as(&cookie, &format!("{case}/misp"), &push_form)
        .await;
    assert_eq!(unreachable.status(), StatusCode::OK);
    assert!(
        unreachable
            .text()
            .await
            .unwrap()
            .contains("Nie udało się połączyć z instancją MISP")
    );

    // Removing the configuration forgets the key.
    let removed = app
        .post_form_as(&cookie, settings, &[("action", "remove")])
        .await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    let page = app
        .get_as(Some(&cookie), &share)
        .await
        .text()
        .await
        .unwrap();
    assert!(!page.contains("Wyślij do MISP</button>"));
    app.assert_audit_intact().await;
}

#[tokio::test]
async fn the_register_report_lists_the_cases_of_the_period_as_pdf() {
    let app = spawn_app().await;
    let org = app.named_org.clone();
    app.user("iod@t.pl", &org, Role::Iod).await;
    app.user("audytor@t.pl", &org, Role::Auditor).await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    let auditor = app.sign_in("audytor@t.pl", PASSWORD).await.unwrap();
    let (_, number) = assessed_case(&app, &cookie).await;
    let year = chrono::Utc::now()
        .with_timezone(&chrono_tz::Europe::Warsaw)
        .format("%Y")
        .to_string();

    // The auditor reads the register, so the report is theirs too.
    let pdf = app
        .get_as(
            Some(&auditor),
            &format!("/rejestr/starostwo/eksport/raport.pdf?od={year}-01-01&do={year}-12-31"),
        )
        .await;
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let disposition = pdf.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(disposition.contains(&format!("rejestr-starostwo-{year}0101-{year}1231.pdf")));
    let text = pdf_extract::extract_text_from_mem(&pdf.bytes().await.unwrap()).unwrap();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("Rejestr naruszeń ochrony danych osobowych"),
        "{flat}"
    );
    assert!(flat.contains(&number), "{flat}");
    assert!(flat.contains("wysokie ryzyko"), "{flat}");
    assert!(flat.contains("wymagane do"), "{flat}");

    // A period without cases says so.
    let empty = app
        .get_as(
            Some(&cookie),
            "/rejestr/starostwo/eksport/raport.pdf?od=2019-01-01&do=2019-12-31",
        )
        .await;
    assert_eq!(empty.status(), StatusCode::OK);
    let text = pdf_extract::extract_text_from_mem(&empty.bytes().await.unwrap()).unwrap();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(!flat.contains(&number));
    assert!(flat.contains("nie zarejestrowano żadnej sprawy"), "{flat}");

    // A bad period comes back as the statistics page with the message.
    for query in [
        "od=2026-13-01&do=2026-12-31",
        "od=2026-12-31&do=2026-01-01",
        "od=&do=",
    ] {
        let bad = app
            .get_as(
                Some(&cookie),
                &format!("/rejestr/starostwo/eksport/raport.pdf?{query}"),
            )
            .await;
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST, "{query}");
        let page = bad.text().await.unwrap();
        assert!(page.contains("Raport rejestru (PDF)"), "{query}");
        assert!(
            page.contains("role=\"alert\" id=\"report-error\""),
            "{query}"
        );
    }
}
