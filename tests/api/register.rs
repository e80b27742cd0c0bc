#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rejestr_domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, number, spawn_app, valid_report};

async fn report(app: &TestApp, org: &str, description: &str) -> String {
    let mut body = valid_report(org);
    body["description"] = json!(description);
    let response = app.post_report(&body).await;
    assert_eq!(response.status(), StatusCode::CREATED);
    let body: Value = response.json().await.unwrap();
    body["number"].as_str().unwrap().to_owned()
}

fn case_path(org: &str, number: &str) -> String {
    let (seq, year) = number.split_once('/').unwrap();
    format!(
        "/rejestr/{org}/sprawy/{year}/{}",
        seq.trim_start_matches('0')
    )
}

/// Each role sees exactly what it should; members of another organisation see nothing.
#[tokio::test]
async fn roles_times_actions() {
    let app = spawn_app().await;
    let case = report(
        &app,
        "starostwo",
        "Wyciek listy płac starostwa przez pocztę.",
    )
    .await;
    report(
        &app,
        "gmina-otwarta",
        "Zgubiony pendrive w gminie otwartej.",
    )
    .await;
    let named = app.named_org.clone();
    let open = app.open_org.clone();
    for (email, role) in [
        ("iod@t.pl", Role::Iod),
        ("asi@t.pl", Role::Asi),
        ("head@t.pl", Role::Head),
        ("auditor@t.pl", Role::Auditor),
        ("admin@t.pl", Role::Admin),
        ("reporter@t.pl", Role::Reporter),
    ] {
        app.user(email, &named, role).await;
    }
    app.user("other-iod@t.pl", &open, Role::Iod).await;

    let inbox = "/rejestr/starostwo".to_owned();
    let case_page = case_path("starostwo", &case);
    let table: [(&str, StatusCode, StatusCode); 7] = [
        ("iod@t.pl", StatusCode::OK, StatusCode::OK),
        ("asi@t.pl", StatusCode::OK, StatusCode::OK),
        ("head@t.pl", StatusCode::OK, StatusCode::OK),
        ("auditor@t.pl", StatusCode::OK, StatusCode::OK),
        ("admin@t.pl", StatusCode::OK, StatusCode::OK),
        (
            "reporter@t.pl",
            StatusCode::FORBIDDEN,
            StatusCode::FORBIDDEN,
        ),
        (
            "other-iod@t.pl",
            StatusCode::NOT_FOUND,
            StatusCode::NOT_FOUND,
        ),
    ];
    for (email, inbox_status, case_status) in table {
        let cookie = app.sign_in(email, PASSWORD).await.unwrap();
        let response = app.get_as(Some(&cookie), &inbox).await;
        assert_eq!(response.status(), inbox_status, "{email} inbox");
        let html = response.text().await.unwrap();
        assert_eq!(
            html.contains("Wyciek listy płac"),
            inbox_status == StatusCode::OK,
            "{email}"
        );
        let response = app.get_as(Some(&cookie), &case_page).await;
        assert_eq!(response.status(), case_status, "{email} case page");
        let html = response.text().await.unwrap();
        assert_eq!(
            html.contains("Wyciek listy płac"),
            case_status == StatusCode::OK,
            "{email}"
        );
    }
    // Without a session: to the sign-in page, and back afterwards.
    let response = app.get_as(None, &case_page).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap();
    assert!(
        location.starts_with("/logowanie?dalej=/rejestr/starostwo/sprawy/"),
        "{location}"
    );
}

#[tokio::test]
async fn another_organisations_cases_cannot_be_reached_by_guessing_or_filtering() {
    let app = spawn_app().await;
    let secret = report(
        &app,
        "starostwo",
        "Tajny opis sprawy starostwa, nie dla gminy.",
    )
    .await;
    let own = report(&app, "gmina-otwarta", "Sprawa gminy otwartej, własna.").await;
    assert_eq!(secret, own, "both are number 1 of their organisation");
    app.user("gmina-iod@t.pl", &app.open_org.clone(), Role::Iod)
        .await;
    let cookie = app.sign_in("gmina-iod@t.pl", PASSWORD).await.unwrap();

    // The same number in the own organisation shows the own case only.
    let html = app
        .get_as(Some(&cookie), &case_path("gmina-otwarta", &own))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Sprawa gminy otwartej") && !html.contains("Tajny opis"));
    // Filters never cross the boundary.
    for query in ["?q=Tajny", "?q=1%2F2026&stan=wszystkie", "?stan=wszystkie"] {
        let html = app
            .get_as(Some(&cookie), &format!("/rejestr/gmina-otwarta{query}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(!html.contains("Tajny opis"), "{query}");
    }
    let response = app
        .get_as(Some(&cookie), "/rejestr/starostwo?q=Tajny")
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // The combined view lists only the own organisation.
    let html = app.get_as(Some(&cookie), "/rejestr").await;
    assert_eq!(
        html.status(),
        StatusCode::SEE_OTHER,
        "one organisation: straight to its inbox"
    );
}

#[tokio::test]
async fn the_inbox_filters_and_pages() {
    let app = spawn_app().await;
    app.user("iod@t.pl", &app.named_org.clone(), Role::Iod)
        .await;
    for i in 0..30 {
        report(
            &app,
            "starostwo",
            &format!("Zdarzenie numer {i} w wydziale komunikacji."),
        )
        .await;
    }
    report(&app, "starostwo", "Phishing podszywający się pod ePUAP.").await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    let first = app
        .get_as(Some(&cookie), "/rejestr/starostwo")
        .await
        .text()
        .await
        .unwrap();
    assert!(first.contains("Znaleziono: <strong>31</strong>"), "{first}");
    assert!(first.contains("strona 1 z 2"));
    let second = app
        .get_as(Some(&cookie), "/rejestr/starostwo?strona=2")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(second.matches("/rejestr/starostwo/sprawy/").count(), 6);
    let found = app
        .get_as(Some(&cookie), "/rejestr/starostwo?q=phishing")
        .await
        .text()
        .await
        .unwrap();
    assert!(found.contains("Znaleziono: <strong>1</strong>") && found.contains("ePUAP"));
    let by_number = app
        .get_as(
            Some(&cookie),
            &format!("/rejestr/starostwo?q={}", number(7).replace('/', "%2F")),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(by_number.contains("Znaleziono: <strong>1</strong>") && by_number.contains("numer 6 "));
    let closed = app
        .get_as(Some(&cookie), "/rejestr/starostwo?stan=closed")
        .await
        .text()
        .await
        .unwrap();
    assert!(closed.contains("Znaleziono: <strong>0</strong>"));
    let bad = app
        .get_as(Some(&cookie), "/rejestr/starostwo?od=wczoraj&stan=xyz")
        .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let html = bad.text().await.unwrap();
    assert!(html.contains("RRRR-MM-DD") && html.contains("Nieznany stan"));
}

#[tokio::test]
async fn the_case_page_shows_the_audit_timeline() {
    let app = spawn_app().await;
    app.user("iod@t.pl", &app.named_org.clone(), Role::Iod)
        .await;
    let case = report(
        &app,
        "starostwo",
        "Skradziony laptop z dokumentacją kadrową.",
    )
    .await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    let html = app
        .get_as(Some(&cookie), &case_path("starostwo", &case))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("zgłoszenie przyjęte"), "{html}");
    assert!(html.contains("reporter:api"));
    assert!(html.contains("Anna Nowak"));
}

#[tokio::test]
async fn repeated_failures_lock_the_account_and_sign_out_ends_the_session() {
    let app = spawn_app().await;
    app.user("iod@t.pl", &app.named_org.clone(), Role::Iod)
        .await;
    assert_eq!(
        app.sign_in("nobody@t.pl", PASSWORD).await,
        Err(StatusCode::UNAUTHORIZED)
    );
    for _ in 0..4 {
        assert_eq!(
            app.sign_in("iod@t.pl", "wrong-password").await,
            Err(StatusCode::UNAUTHORIZED)
        );
    }
    assert_eq!(
        app.sign_in("iod@t.pl", "wrong-password").await,
        Err(StatusCode::TOO_MANY_REQUESTS)
    );
    // Locked: even the right password is refused now.
    assert_eq!(
        app.sign_in("iod@t.pl", PASSWORD).await,
        Err(StatusCode::TOO_MANY_REQUESTS)
    );

    app.user("iod2@t.pl", &app.named_org.clone(), Role::Iod)
        .await;
    let cookie = app.sign_in("iod2@t.pl", PASSWORD).await.unwrap();
    assert_eq!(
        app.get_as(Some(&cookie), "/rejestr/starostwo")
            .await
            .status(),
        StatusCode::OK
    );
    let response = app
        .client
        .post(format!("{}/wyloguj", app.url))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.get_as(Some(&cookie), "/rejestr/starostwo")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn cross_site_sign_in_posts_are_refused() {
    let app = spawn_app().await;
    app.user("iod@t.pl", &app.named_org.clone(), Role::Iod)
        .await;
    let response = app
        .client
        .post(format!("{}/logowanie", app.url))
        .header("sec-fetch-site", "cross-site")
        .form(&[("email", "iod@t.pl"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.headers().get("set-cookie").is_none());
}

#[tokio::test]
async fn the_iod_changes_the_settings_and_the_change_is_audited() {
    let app = spawn_app().await;
    app.user("iod@t.pl", &app.named_org.clone(), Role::Iod)
        .await;
    app.user("head@t.pl", &app.named_org.clone(), Role::Head)
        .await;
    let head = app.sign_in("head@t.pl", PASSWORD).await.unwrap();
    assert_eq!(
        app.get_as(Some(&head), "/rejestr/starostwo/ustawienia")
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    let page = app
        .get_as(Some(&cookie), "/rejestr/starostwo/ustawienia")
        .await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("value=\"Jednostka starostwo\"")
    );
    let mut form = vec![
        ("name", "Starostwo Powiatowe w Testowie"),
        ("unit_type", "powiat"),
        ("regon", "311019674"),
        ("address", "ul. Testowa 1, 00-001 Warszawa"),
        ("iod_name", "Jan Testowy"),
        ("iod_email", "iod@starostwo.example.pl"),
        ("iod_phone", ""),
        ("ksc_status", "public_entity"),
        ("csirt", ""),
        ("allow_anonymous", "on"),
    ];
    let response = app
        .post_form_as(&cookie, "/rejestr/starostwo/ustawienia", &form)
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("musi wskazać właściwy CSIRT")
    );
    form[8] = ("csirt", "nask");
    let response = app
        .post_form_as(&cookie, "/rejestr/starostwo/ustawienia", &form)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let org = app
        .store
        .organisation_by_slug("starostwo")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(org.name, "Starostwo Powiatowe w Testowie");
    assert!(
        org.allow_anonymous,
        "the form now accepts anonymous reports"
    );
    let mut anonymous = valid_report("starostwo");
    anonymous.as_object_mut().unwrap().remove("reporter_name");
    anonymous.as_object_mut().unwrap().remove("reporter_email");
    assert_eq!(
        app.post_report(&anonymous).await.status(),
        StatusCode::CREATED
    );
    app.assert_audit_intact().await;
}

#[tokio::test]
async fn a_reporter_sees_only_their_own_reports() {
    let app = spawn_app().await;
    app.user("ala@t.pl", &app.named_org.clone(), Role::Reporter)
        .await;
    app.user("ola@t.pl", &app.named_org.clone(), Role::Reporter)
        .await;
    let ala = app.sign_in("ala@t.pl", PASSWORD).await.unwrap();
    let ola = app.sign_in("ola@t.pl", PASSWORD).await.unwrap();

    let form = app
        .get_as(Some(&ala), "/o/starostwo/zglos")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        form.contains("value=\"ala@t.pl\""),
        "the form is filled in for a signed-in employee"
    );

    for (cookie, description) in [
        (&ala, "Zgłoszenie Ali: zgubiony identyfikator."),
        (&ola, "Zgłoszenie Oli: otwarta szafa z aktami."),
    ] {
        let form = reqwest::multipart::Form::new()
            .text("description", description.to_owned())
            .text("discovered_at", "2026-01-07T10:30")
            .text("reporter_name", "Pracownik")
            .text("reporter_email", "pracownik@t.pl");
        let response = app
            .client
            .post(format!("{}/o/starostwo/zglos", app.url))
            .header("cookie", cookie.as_str())
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    report(
        &app,
        "starostwo",
        "Zgłoszenie anonimowe przez API, bez konta.",
    )
    .await;

    let mine = app
        .get_as(Some(&ala), "/moje-zgloszenia")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        mine.contains("Zgłoszenie Ali")
            && !mine.contains("Zgłoszenie Oli")
            && !mine.contains("anonimowe")
    );
    let theirs = app
        .get_as(Some(&ola), "/moje-zgloszenia")
        .await
        .text()
        .await
        .unwrap();
    assert!(theirs.contains("Zgłoszenie Oli") && !theirs.contains("Zgłoszenie Ali"));
    // …and the register itself stays closed to a reporter.
    assert_eq!(
        app.get_as(Some(&ala), "/rejestr/starostwo").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get_as(None, "/moje-zgloszenia").await.status(),
        StatusCode::SEE_OTHER
    );
}
