#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rejestr_domain::role::Role;
use reqwest::StatusCode;
use totp_rs::{Builder, Secret};

use crate::helpers::{PASSWORD, TestApp, spawn_app};

fn code(secret: &str, offset_steps: i64) -> String {
    let totp = Builder::new()
        .with_secret(Secret::try_from_base32(secret).unwrap())
        .build()
        .unwrap();
    let now = chrono::Utc::now().timestamp() + offset_steps * 30;
    totp.generate(u64::try_from(now).unwrap()).to_string()
}

/// Enables the second factor; returns the secret and the code that was used.
async fn enable(app: &TestApp, cookie: &str) -> (String, String) {
    let page = app
        .get_as(Some(cookie), "/konto")
        .await
        .text()
        .await
        .unwrap();
    let marker = "name=\"secret\" value=\"";
    let start = page.find(marker).unwrap() + marker.len();
    let secret = page[start..].split('"').next().unwrap().to_owned();
    let response = app
        .post_form_as(
            cookie,
            "/konto/2fa/wlacz",
            &[("secret", &secret), ("code", "000000")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let used = code(&secret, 0);
    let response = app
        .post_form_as(
            cookie,
            "/konto/2fa/wlacz",
            &[("secret", &secret), ("code", &used)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Weryfikacja dwuetapowa jest włączona")
    );
    (secret, used)
}

/// Signs in with the password only; returns the cookie of the pending session.
async fn password_step(app: &TestApp, email: &str) -> String {
    let response = app
        .client
        .post(format!("{}/logowanie", app.url))
        .form(&[
            ("email", email),
            ("password", PASSWORD),
            ("dalej", "/rejestr/starostwo"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        response.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/logowanie/kod")
    );
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    cookie.split(';').next().unwrap().to_owned()
}

#[tokio::test]
async fn a_second_factor_is_enrolled_and_then_required_at_sign_in() {
    let app = spawn_app().await;
    app.user("iod@t.pl", &app.named_org.clone(), Role::Iod)
        .await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    let (secret, used) = enable(&app, &cookie).await;

    let pending = password_step(&app, "iod@t.pl").await;
    // The password alone opens nothing.
    let response = app.get_as(Some(&pending), "/rejestr/starostwo").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        response.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/logowanie/kod")
    );
    let response = app
        .post_form_as(
            &pending,
            "/logowanie/kod",
            &[("code", "123456"), ("dalej", "/rejestr/starostwo")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    // The code used to enrol cannot be replayed; the next one works.
    let response = app
        .post_form_as(
            &pending,
            "/logowanie/kod",
            &[("code", &used), ("dalej", "/rejestr/starostwo")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = app
        .post_form_as(
            &pending,
            "/logowanie/kod",
            &[("code", &code(&secret, 1)), ("dalej", "/rejestr/starostwo")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/rejestr/starostwo");
    assert_eq!(
        app.get_as(Some(&pending), "/rejestr/starostwo")
            .await
            .status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn an_organisation_can_require_the_second_factor_of_its_iods() {
    let app = spawn_app().await;
    let org = app.named_org.clone();
    app.user("iod@t.pl", &org, Role::Iod).await;
    app.user("iod2@t.pl", &org, Role::Iod).await;
    app.user("auditor@t.pl", &org, Role::Auditor).await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    enable(&app, &cookie).await;
    let form = [
        ("name", "Jednostka starostwo"),
        ("unit_type", "gmina"),
        ("regon", ""),
        ("address", "ul. Testowa 1, 00-001 Warszawa"),
        ("iod_name", "Jan Testowy"),
        ("iod_email", "iod@test.example.pl"),
        ("iod_phone", ""),
        ("ksc_status", "public_entity"),
        ("csirt", "nask"),
        ("require_second_factor", "on"),
    ];
    let response = app
        .post_form_as(&cookie, "/rejestr/starostwo/ustawienia", &form)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let without = app.sign_in("iod2@t.pl", PASSWORD).await.unwrap();
    let response = app.get_as(Some(&without), "/rejestr/starostwo").await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("Wymagana weryfikacja dwuetapowa")
    );
    let user = app.store.user_by_email("iod2@t.pl").await.unwrap().unwrap();
    let token = app
        .store
        .create_api_token(&user, "t", chrono::Utc::now())
        .await
        .unwrap();
    let response = app
        .client
        .get(format!("{}/api/v1/organisations/starostwo/cases", app.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    // The requirement is for the IOD and admin roles; an auditor still reads.
    let auditor = app.sign_in("auditor@t.pl", PASSWORD).await.unwrap();
    assert_eq!(
        app.get_as(Some(&auditor), "/rejestr/starostwo")
            .await
            .status(),
        StatusCode::OK
    );
}
