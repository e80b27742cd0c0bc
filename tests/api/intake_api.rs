#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;

use base64::Engine;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{field_codes, number, spawn_app, valid_report};

#[tokio::test]
async fn health_answers_when_the_database_does() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(format!("{}/health", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["database"], "ok");
}

#[tokio::test]
async fn an_api_report_gets_a_number_and_a_private_status_link() {
    let app = spawn_app().await;
    let response = app.post_report(&valid_report("starostwo")).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["number"], number(1));
    assert_eq!(body["organisation"], "starostwo");
    assert_eq!(body["state"], "reported");
    assert_eq!(body["status_url"], location);
    assert_eq!(body["follow_token"].as_str().unwrap().len(), 64);

    let page = app.client.get(&location).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let html = page.text().await.unwrap();
    assert!(html.contains(&number(1)), "{html}");
    assert!(html.contains("Jednostka starostwo"));
    // The follow page shows progress, never the content of the report.
    assert!(!html.contains("pendrive"));

    let second = app.post_report(&valid_report("starostwo")).await;
    let second: Value = second.json().await.unwrap();
    assert_eq!(second["number"], number(2));
    // Numbering is per organisation.
    let other = app.post_report(&valid_report("gmina-otwarta")).await;
    let other: Value = other.json().await.unwrap();
    assert_eq!(other["number"], number(1));
}

#[tokio::test]
async fn a_wrong_follow_link_is_a_polish_404() {
    let app = spawn_app().await;
    for token in ["abc", &"0".repeat(64)] {
        let response = app
            .client
            .get(format!("{}/s/{token}", app.url))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("Nie znaleziono zgłoszenia")
        );
    }
}

#[tokio::test]
async fn each_required_field_is_named_in_a_422_and_nothing_is_stored() {
    let app = spawn_app().await;
    type Change = Box<dyn Fn(&mut Value)>;
    type Expected = Vec<(&'static str, &'static str)>;
    let cases: Vec<(&str, Change, Expected)> = vec![
        (
            "no description",
            Box::new(|r| {
                r.as_object_mut().unwrap().remove("description");
            }),
            vec![("description", "required")],
        ),
        (
            "too short a description",
            Box::new(|r| r["description"] = json!("zgubiony")),
            vec![("description", "too_short")],
        ),
        (
            "no discovery time",
            Box::new(|r| {
                r.as_object_mut().unwrap().remove("discovered_at");
            }),
            vec![("discovered_at", "required")],
        ),
        (
            "discovery in the future",
            Box::new(|r| r["discovered_at"] = json!("2999-01-01T00:00:00Z")),
            vec![("discovered_at", "in_future")],
        ),
        (
            "unreadable time",
            Box::new(|r| r["discovered_at"] = json!("wczoraj")),
            vec![("discovered_at", "invalid_time")],
        ),
        (
            "a moment without its time",
            Box::new(|r| r["occurred"] = json!("at")),
            vec![("occurred_at", "required")],
        ),
        (
            "a range without its end",
            Box::new(|r| {
                r.as_object_mut().unwrap().remove("occurred_to");
            }),
            vec![("occurred_to", "required")],
        ),
        (
            "no reporter at a named-only office",
            Box::new(|r| {
                let o = r.as_object_mut().unwrap();
                o.remove("reporter_name");
                o.remove("reporter_email");
            }),
            vec![
                ("reporter_name", "required"),
                ("reporter_email", "required"),
            ],
        ),
        (
            "a processor without its details",
            Box::new(|r| r["source"] = json!("processor")),
            vec![
                ("processor_name", "required"),
                ("processor_aware_at", "required"),
            ],
        ),
        (
            "an unknown data category",
            Box::new(|r| r["data_categories"] = json!(["identity", "blood_type"])),
            vec![("data_categories", "invalid")],
        ),
    ];
    for (name, change, expected) in cases {
        let mut report = valid_report("starostwo");
        change(&mut report);
        let response = app.post_report(&report).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}"
        );
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["error"]["code"], "validation_failed", "{name}");
        let expected: Vec<(String, String)> = expected
            .into_iter()
            .map(|(f, c)| (f.to_owned(), c.to_owned()))
            .collect();
        assert_eq!(field_codes(&body), expected, "{name}");
        for field in body["error"]["fields"].as_array().unwrap() {
            assert!(!field["message_pl"].as_str().unwrap().is_empty(), "{name}");
        }
    }
    assert_eq!(app.cases(&app.named_org).await, 0);
}

#[tokio::test]
async fn a_processor_report_records_the_processor() {
    let app = spawn_app().await;
    let mut report = valid_report("gmina-otwarta");
    report["source"] = json!("processor");
    report["processor_name"] = json!("Infosystem sp. z o.o.");
    report["processor_contract"] = json!("umowa powierzenia 7/2025");
    report["processor_aware_at"] = json!("2026-01-06T07:00:00Z");
    let response = app.post_report(&report).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    let page = app
        .client
        .get(body["status_url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("podmiotu przetwarzającego")
    );
}

#[tokio::test]
async fn malformed_requests_get_json_errors() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(format!("{}/api/v1/reports", app.url))
        .header("content-type", "application/json")
        .body("{\"organisation\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "malformed_json");

    let mut unknown_field = valid_report("starostwo");
    unknown_field["severity"] = json!("high");
    let response = app.post_report(&unknown_field).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_body");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("severity")
    );

    let response = app.post_report(&valid_report("nie-ma-takiej")).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "organisation_not_found");

    let response = app
        .client
        .post(format!("{}/api/v1/reports", app.url))
        .body("description=x")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(app.cases(&app.named_org).await, 0);
}

#[tokio::test]
async fn two_hundred_concurrent_reports_get_distinct_gap_free_numbers() {
    let app = spawn_app().await;
    let requests = (0..200).map(|_| app.post_report_owned(valid_report("gmina-otwarta")));
    let responses = futures::future::join_all(requests).await;
    let mut numbers = BTreeSet::new();
    for (status, body) in responses {
        assert_eq!(status, StatusCode::CREATED, "{body}");
        numbers.insert(body["number"].as_str().unwrap().to_owned());
    }
    let expected: BTreeSet<String> = (1..=200).map(number).collect();
    assert_eq!(numbers, expected);
    assert_eq!(app.cases(&app.open_org).await, 200);
    // The chain did not fork under the load.
    app.assert_audit_intact().await;
}

#[tokio::test]
async fn api_attachments_are_checked_and_hashed() {
    let app = spawn_app().await;
    let encode = |bytes: &[u8]| base64::engine::general_purpose::STANDARD.encode(bytes);
    let mut report = valid_report("starostwo");
    report["attachments"] =
        json!([{"filename": "skan.pdf", "content_base64": encode(b"%PDF-1.7\n1 0 obj")}]);
    assert_eq!(app.post_report(&report).await.status(), StatusCode::CREATED);

    report["attachments"] =
        json!([{"filename": "faktura.pdf", "content_base64": encode(b"MZ\x90\0\x03\0\0\0")}]);
    let response = app.post_report(&report).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        field_codes(&body),
        vec![("attachments".to_owned(), "content_mismatch".to_owned())]
    );

    report["attachments"] = json!([{"filename": "a.txt", "content_base64": "!!!"}]);
    let response = app.post_report(&report).await;
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["code"], "invalid_base64");
    assert_eq!(app.cases(&app.named_org).await, 1);
}

impl crate::helpers::TestApp {
    async fn post_report_owned(&self, body: Value) -> (StatusCode, Value) {
        let response = self.post_report(&body).await;
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

#[tokio::test]
async fn the_openapi_document_is_served() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(format!("{}/api/v1/openapi.json", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let doc: Value = response.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["paths"]["/api/v1/reports"]["post"]["responses"]["422"].is_object());
    assert_eq!(
        doc["components"]["securitySchemes"]["token"]["scheme"],
        "bearer"
    );
}

/// Reports that arrive together share one commit (the intake writer's batch). When the
/// database refuses one of them (here: an organisation that does not exist), that one report
/// fails and every other report of the batch is still stored, numbered without gaps, with its
/// own attachments and its own audit event; the two organisations' chains stay intact.
#[tokio::test]
async fn a_report_the_database_refuses_does_not_take_its_batch_down() {
    use rejestr_intake::{OrgIntakePolicy, ReportInput, validate_report};
    use rejestr_store::{NewAttachment, StoreError};

    let app = spawn_app().await;
    let now = chrono::Utc::now();
    let report = |i: usize| {
        validate_report(
            &ReportInput {
                description: format!("Zgłoszenie numer {i} w jednej paczce."),
                discovered_at: Some((now - chrono::Duration::hours(1)).to_rfc3339()),
                reporter_name: Some("Anna Nowak".to_owned()),
                reporter_email: Some("anna.nowak@example.pl".to_owned()),
                ..ReportInput::default()
            },
            OrgIntakePolicy {
                allow_anonymous: true,
            },
            now,
        )
        .unwrap()
    };
    let attachment = |i: usize| {
        let content = format!("%PDF-1.7\nzalacznik {i}").into_bytes();
        let checked = rejestr_intake::check_attachment(
            &format!("skan-{i}.pdf"),
            &content,
            0,
            rejestr_intake::AttachmentLimits::default(),
        )
        .unwrap();
        NewAttachment { checked, content }
    };
    let mut missing = app.open_org.clone();
    missing.id = 987_654;

    // 30 reports alternating between the two organisations, every third with an attachment,
    // and one (i = 15) for an organisation the database does not know, all submitted at once.
    let submissions = (0..31).map(|i| {
        let org = match i {
            15 => missing.clone(),
            _ if i % 2 == 0 => app.open_org.clone(),
            _ => app.named_org.clone(),
        };
        let files = if i % 3 == 0 {
            vec![attachment(i)]
        } else {
            Vec::new()
        };
        let store = app.store.clone();
        let report = report(i);
        async move {
            let receipt = store
                .submit_report(&org, &report, files, "reporter:test", None)
                .await;
            (i, receipt)
        }
    });
    let results = futures::future::join_all(submissions).await;

    let mut numbers: std::collections::BTreeMap<i64, BTreeSet<u32>> = Default::default();
    for (i, result) in results {
        if i == 15 {
            assert!(
                matches!(result, Err(StoreError::Db(_))),
                "the refused report fails alone: {result:?}"
            );
            continue;
        }
        let receipt = result.unwrap_or_else(|e| panic!("report {i} was not stored: {e}"));
        let org = if i % 2 == 0 {
            &app.open_org
        } else {
            &app.named_org
        };
        numbers
            .entry(org.id)
            .or_default()
            .insert(receipt.number.seq);
        // The receipt names the case that holds this report, with this report's attachment.
        let case = app
            .store
            .case_by_follow_token(&receipt.follow_token)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(case.number, receipt.number);
        assert_eq!(case.organisation_slug, org.slug.as_str());
        assert_eq!(case.attachments, u64::from(i % 3 == 0), "report {i}");
    }
    // Even i: the open organisation (16 reports); odd i but 15: the named one (14).
    assert_eq!(numbers[&app.open_org.id], (1..=16).collect());
    assert_eq!(numbers[&app.named_org.id], (1..=14).collect());
    assert_eq!(app.cases(&app.open_org).await, 16);
    assert_eq!(app.cases(&app.named_org).await, 14);
    app.assert_audit_intact().await;
}
