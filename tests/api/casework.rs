#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rejestr_domain::role::Role;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{PASSWORD, TestApp, spawn_app, valid_report};

async fn new_case(app: &TestApp) -> String {
    let response = app.post_report(&valid_report("starostwo")).await;
    let body: Value = response.json().await.unwrap();
    let number = body["number"].as_str().unwrap();
    let (seq, year) = number.split_once('/').unwrap();
    format!(
        "/rejestr/starostwo/sprawy/{year}/{}",
        seq.trim_start_matches('0')
    )
}

#[tokio::test]
async fn the_iod_moves_a_case_through_its_states_with_reasons() {
    let app = spawn_app().await;
    app.user("iod@t.pl", &app.named_org.clone(), Role::Iod)
        .await;
    let case = new_case(&app).await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    let state = format!("{case}/stan");

    let response = app
        .post_form_as(&cookie, &state, &[("action", "triage")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = app.get_as(Some(&cookie), &case).await.text().await.unwrap();
    assert!(
        html.contains("<dd><strong>wstępna analiza</strong></dd>"),
        "{html}"
    );

    // Starting triage twice is not a valid transition.
    let response = app
        .post_form_as(&cookie, &state, &[("action", "triage")])
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);

    let response = app
        .post_form_as(&cookie, &state, &[("action", "reject"), ("reason", "  ")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Podaj uzasadnienie")
    );

    let reason = "Pendrive odnaleziony w sejfie, dane nie opuściły urzędu.";
    let response = app
        .post_form_as(&cookie, &state, &[("action", "reject"), ("reason", reason)])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = app.get_as(Some(&cookie), &case).await.text().await.unwrap();
    assert!(html.contains("<dd><strong>odrzucona</strong></dd>"));
    assert!(html.contains(reason), "the reason is in the timeline");
    assert!(html.contains("Wznów sprawę"));

    let response = app
        .post_form_as(
            &cookie,
            &state,
            &[("action", "reopen"), ("reason", "Nowe fakty.")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let response = app
        .post_form_as(
            &cookie,
            &format!("{case}/notatki"),
            &[("body", "Rozmowa z kierownikiem referatu.")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let response = app
        .post_form_as(&cookie, &format!("{case}/notatki"), &[("body", "")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = app.get_as(Some(&cookie), &case).await.text().await.unwrap();
    assert!(html.contains("Rozmowa z kierownikiem referatu."));
    assert!(html.contains("dodano notatkę"));

    app.assert_audit_intact().await;
}

#[tokio::test]
async fn duplicates_must_point_at_another_case() {
    let app = spawn_app().await;
    app.user("iod@t.pl", &app.named_org.clone(), Role::Iod)
        .await;
    let first = new_case(&app).await;
    let second = new_case(&app).await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    let year = first.split('/').nth(4).unwrap().to_owned();
    for (target, expected) in [
        ("0099/2026".to_owned(), StatusCode::UNPROCESSABLE_ENTITY),
        ("zły numer".to_owned(), StatusCode::UNPROCESSABLE_ENTITY),
        (format!("0002/{year}"), StatusCode::UNPROCESSABLE_ENTITY),
        (format!("0001/{year}"), StatusCode::SEE_OTHER),
    ] {
        let response = app
            .post_form_as(
                &cookie,
                &format!("{second}/stan"),
                &[("action", "duplicate"), ("duplicate_of", &target)],
            )
            .await;
        assert_eq!(response.status(), expected, "{target}");
    }
    let html = app
        .get_as(Some(&cookie), &second)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains(&format!("duplikat sprawy 0001/{year}")));
}

#[tokio::test]
async fn readers_and_strangers_cannot_change_a_case() {
    let app = spawn_app().await;
    app.user("auditor@t.pl", &app.named_org.clone(), Role::Auditor)
        .await;
    app.user("head@t.pl", &app.named_org.clone(), Role::Head)
        .await;
    app.user("stranger@t.pl", &app.open_org.clone(), Role::Iod)
        .await;
    let case = new_case(&app).await;
    for (email, expected) in [
        ("auditor@t.pl", StatusCode::FORBIDDEN),
        ("head@t.pl", StatusCode::FORBIDDEN),
        ("stranger@t.pl", StatusCode::NOT_FOUND),
    ] {
        let cookie = app.sign_in(email, PASSWORD).await.unwrap();
        let response = app
            .post_form_as(&cookie, &format!("{case}/stan"), &[("action", "triage")])
            .await;
        assert_eq!(response.status(), expected, "{email}");
        let response = app
            .post_form_as(&cookie, &format!("{case}/notatki"), &[("body", "x")])
            .await;
        assert_eq!(response.status(), expected, "{email}");
    }
    // The auditor sees no forms, and the case did not change.
    let cookie = app.sign_in("auditor@t.pl", PASSWORD).await.unwrap();
    let html = app.get_as(Some(&cookie), &case).await.text().await.unwrap();
    assert!(html.contains("<dd><strong>zgłoszona</strong></dd>"));
    assert!(!html.contains("Dodaj notatkę") && !html.contains("Rozpocznij wstępną analizę"));
    let response = app
        .post_form_as(
            &cookie,
            "/rejestr/starostwo/sprawy/2026/0/stan",
            &[("action", "triage")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn moving_the_start_of_the_72_hours_needs_a_reason_and_is_audited() {
    let app = spawn_app().await;
    app.user("iod@t.pl", &app.named_org.clone(), Role::Iod)
        .await;
    app.user("auditor@t.pl", &app.named_org.clone(), Role::Auditor)
        .await;
    let case = new_case(&app).await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    let path = format!("{case}/swiadomosc");

    let response = app
        .post_form_as(
            &cookie,
            &path,
            &[("aware_at", "2026-01-06T09:15"), ("justification", "")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = app
        .post_form_as(
            &cookie,
            &path,
            &[("aware_at", "2999-01-01T00:00"), ("justification", "x")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = app
        .post_form_as(
            &cookie,
            &path,
            &[("aware_at", "wczoraj"), ("justification", "x")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let why = "Kierownik referatu wiedział o wysyłce od rana — telefon do IOD o 9:15.";
    let response = app
        .post_form_as(
            &cookie,
            &path,
            &[("aware_at", "2026-01-06T09:15"), ("justification", why)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = app.get_as(Some(&cookie), &case).await.text().await.unwrap();
    // 09:15 in Warsaw in January; the 72 hours end three days later at the same hour.
    assert!(html.contains("06.01.2026, 09:15"), "{html}");
    assert!(html.contains("09.01.2026, 09:15"));
    assert!(html.contains(why));

    let auditor = app.sign_in("auditor@t.pl", PASSWORD).await.unwrap();
    let response = app
        .post_form_as(
            &auditor,
            &path,
            &[("aware_at", "2026-01-05T09:15"), ("justification", why)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    app.assert_audit_intact().await;
}
