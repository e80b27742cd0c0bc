#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rejestr_domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, spawn_app, valid_report};

#[tokio::test]
async fn the_assess_endpoint_runs_the_engine() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(format!("{}/api/v1/assess", app.url))
        .json(&json!({"personal_data": true, "confidentiality": "known_recipients", "malicious": false,
                       "data_categories": ["identity", "health"], "subjects_count": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["classification"], "personal_data_breach");
    assert_eq!(body["enisa"]["score"], 4.25);
    assert_eq!(body["risk"], "high");
    assert!(body["reasons"].as_array().unwrap().len() > 3);

    let response = app
        .client
        .post(format!("{}/api/v1/assess", app.url))
        .json(&json!({"personal_data": true, "encrypted": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid_facts");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("encrypted")
    );
}

async fn case_with_pesel(app: &TestApp) -> String {
    let mut report = valid_report("starostwo");
    report["data_categories"] = json!(["identity", "national_id"]);
    report["subjects_estimate"] = json!(300);
    let body: Value = app.post_report(&report).await.json().await.unwrap();
    let (seq, year) = body["number"]
        .as_str()
        .unwrap()
        .split_once('/')
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
        .unwrap();
    format!(
        "/rejestr/starostwo/sprawy/{year}/{}",
        seq.trim_start_matches('0')
    )
}

const FACTS: [(&str, &str); 7] = [
    ("personal_data", "tak"),
    ("confidentiality", "unknown_recipients"),
    ("integrity", "none"),
    ("availability", "none"),
    ("malicious", "nie"),
    ("data_categories", "identity"),
    ("data_categories", "national_id"),
];

#[tokio::test]
async fn the_iod_assesses_a_case_and_the_decision_is_recorded_with_the_proposal() {
    let app = spawn_app().await;
    app.user("iod@t.pl", &app.named_org.clone(), Role::Iod)
        .await;
    let case = case_with_pesel(&app).await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();

    let page = app
        .get_as(Some(&cookie), &format!("{case}/ocena"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(
            "id=\"cat-national_id\" name=\"data_categories\" value=\"national_id\" checked"
        ),
        "prefilled from the report"
    );
    assert!(page.contains("value=\"300\""));

    let mut form: Vec<(&str, &str)> = FACTS.to_vec();
    form.extend([("subjects_count", "300"), ("action", "ocen")]);
    let response = app
        .post_form_as(&cookie, &format!("{case}/ocena"), &form)
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("Propozycja silnika"));
    assert!(
        html.contains("SE = 3 × 1.00 + 0.50 = <strong>3.50</strong>"),
        "{html}"
    );
    assert!(html.contains("R-33-1") && html.contains("R-34-1"));

    // A decision that differs from the proposal needs a justification.
    let mut decision = FACTS.to_vec();
    decision.extend([
        ("subjects_count", "300"),
        ("final_classification", "personal_data_breach"),
        ("final_risk", "risk"),
        ("final_notify_sa", "on"),
        ("action", "zapisz"),
    ]);
    let response = app
        .post_form_as(&cookie, &format!("{case}/ocena"), &decision)
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("wpisz uzasadnienie")
    );

    let why = "Lista z PESEL trafiła do innego urzędu gminy, który potwierdził usunięcie; zawiadomienie osób zbędne.";
    decision.push(("justification", why));
    let response = app
        .post_form_as(&cookie, &format!("{case}/ocena"), &decision)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let html = app.get_as(Some(&cookie), &case).await.text().await.unwrap();
    assert!(html.contains("<dd><strong>oceniona</strong></dd>"));
    assert!(html.contains("Odstępstwo od propozycji silnika") && html.contains(why));
    assert!(html.contains("naruszenie ochrony danych osobowych"));

    // The API shows the classification and the trail records the proposal beside the decision.
    let user = app.store.user_by_email("iod@t.pl").await.unwrap().unwrap();
    let token = app
        .store
        .create_api_token(&user, "t", chrono::Utc::now())
        .await
        .unwrap();
    let api_path = case.replace(
        "/rejestr/starostwo/sprawy/",
        "/api/v1/organisations/starostwo/cases/",
    );
    let body: Value = app
        .client
        .get(format!("{}{api_path}", app.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["classification"], "personal_data_breach");
    let assessed = body["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "case.assessed")
        .unwrap();
    assert_eq!(assessed["data"]["engine"]["risk"], "high");
    assert_eq!(assessed["data"]["decision"]["risk"], "risk");
    assert_eq!(assessed["data"]["overridden"], true);
    app.assert_audit_intact().await;
}

#[tokio::test]
async fn only_case_workers_assess() {
    let app = spawn_app().await;
    app.user("auditor@t.pl", &app.named_org.clone(), Role::Auditor)
        .await;
    app.user("stranger@t.pl", &app.open_org.clone(), Role::Iod)
        .await;
    let case = case_with_pesel(&app).await;
    for (email, status) in [
        ("auditor@t.pl", StatusCode::FORBIDDEN),
        ("stranger@t.pl", StatusCode::NOT_FOUND),
    ] {
        let cookie = app.sign_in(email, PASSWORD).await.unwrap();
        assert_eq!(
            app.get_as(Some(&cookie), &format!("{case}/ocena"))
                .await
                .status(),
            status,
            "{email}"
        );
        let mut form = FACTS.to_vec();
        form.push(("action", "zapisz"));
        let response = app
            .post_form_as(&cookie, &format!("{case}/ocena"), &form)
            .await;
        assert_eq!(response.status(), status, "{email}");
    }
}
