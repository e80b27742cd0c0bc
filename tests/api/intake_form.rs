#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rejestr_intake::AttachmentLimits;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::helpers::{number, spawn_app, spawn_app_with};

fn filled_form() -> Form {
    Form::new()
        .text(
            "description",
            "Na korytarzu znaleziono wydruk listy płac działu kadr.",
        )
        .text("occurred", "unknown")
        .text("discovered_at", "2026-01-07T10:30")
        .text("location", "II piętro, korytarz przy sekretariacie")
        .text("data_categories", "identity")
        .text("data_categories", "financial")
        .text("subjects_estimate", "25")
        .text("reporter_name", "Piotr Wójcik")
        .text("reporter_email", "p.wojcik@test.example.pl")
}

#[tokio::test]
async fn the_form_is_polish_and_labelled() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(format!("{}/o/starostwo/zglos", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    let html = response.text().await.unwrap();
    assert!(html.contains("<html lang=\"pl\">"));
    assert!(html.contains("Wyślij zgłoszenie"));
    // Every input has a label pointing at it.
    for id in [
        "description",
        "discovered_at",
        "occurred_at",
        "reporter_name",
        "subjects_estimate",
        "attachments-input",
    ] {
        assert!(
            html.contains(&format!("<label for=\"{id}\">")),
            "no label for {id}"
        );
        assert!(html.contains(&format!("id=\"{id}\"")), "no input {id}");
    }
    let landing = app
        .client
        .get(&app.url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(landing.contains("/o/starostwo/zglos"));
    let missing = app
        .client
        .get(format!("{}/o/nie-ma/zglos", app.url))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_form_report_redirects_to_the_confirmation_with_its_number() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(format!("{}/o/starostwo/zglos", app.url))
        .multipart(filled_form().part(
            "attachments",
            Part::bytes(b"%PDF-1.4\nzdjecie wydruku".to_vec()).file_name("wydruk.pdf"),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        location.starts_with("/s/") && location.ends_with("?nowe=1"),
        "{location}"
    );
    let html = app
        .client
        .get(format!("{}{location}", app.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("zgłoszenie przyjęte"), "{html}");
    assert!(html.contains(&number(1)));
    assert!(html.contains("<dt>Załączniki</dt><dd>1</dd>"));
    assert_eq!(app.cases(&app.named_org).await, 1);
}

#[tokio::test]
async fn a_bad_form_is_shown_again_with_polish_messages_beside_the_fields() {
    let app = spawn_app().await;
    let form = Form::new()
        .text("description", "")
        .text("discovered_at", "")
        .text("reporter_email", "nie-email")
        .text("location", "Wydział Komunikacji");
    let response = app
        .client
        .post(format!("{}/o/starostwo/zglos", app.url))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("class=\"error-summary\""));
    assert!(html.contains("id=\"description-error\""));
    assert!(html.contains("Opisz, co się stało."));
    assert!(html.contains("id=\"discovered_at-error\""));
    assert!(html.contains("Podaj, kiedy zauważono zdarzenie."));
    assert!(html.contains("id=\"reporter_email-error\""));
    assert!(html.contains("id=\"reporter_name-error\""));
    // What was typed is kept.
    assert!(html.contains("value=\"Wydział Komunikacji\""));
    assert!(html.contains("aria-invalid=\"true\""));
    assert_eq!(app.cases(&app.named_org).await, 0);
}

#[tokio::test]
async fn too_large_or_refused_attachments_reject_the_report_and_store_nothing() {
    let limits = AttachmentLimits {
        max_bytes: 64 * 1024,
        max_files: 2,
    };
    let app = spawn_app_with(limits).await;
    let attempts = [
        ("duzy.txt", vec![b'a'; 64 * 1024 + 1], "jest za duży"),
        (
            "program.exe",
            b"MZ\x90\0\x03\0\0\0".to_vec(),
            "ma niedozwolony typ",
        ),
        (
            "zdjecie.png",
            b"%PDF-1.4 not a png".to_vec(),
            "nie zgadza się z jego rozszerzeniem",
        ),
    ];
    for (name, content, message) in attempts {
        let form = filled_form().part("attachments", Part::bytes(content).file_name(name));
        let response = app
            .client
            .post(format!("{}/o/starostwo/zglos", app.url))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}"
        );
        let html = response.text().await.unwrap();
        assert!(html.contains("id=\"attachments-error\""), "{name}");
        assert!(html.contains(message), "{name}: {message}");
        assert!(html.contains("dołącz je ponownie"), "{name}");
    }
    let three = filled_form()
        .part("attachments", Part::bytes(b"a".to_vec()).file_name("1.txt"))
        .part("attachments", Part::bytes(b"b".to_vec()).file_name("2.txt"))
        .part("attachments", Part::bytes(b"c".to_vec()).file_name("3.txt"));
    let response = app
        .client
        .post(format!("{}/o/starostwo/zglos", app.url))
        .multipart(three)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().await.unwrap().contains("Za dużo plików"));
    assert_eq!(app.cases(&app.named_org).await, 0);
}

#[tokio::test]
async fn a_cross_site_form_post_is_refused() {
    let app = spawn_app().await;
    let response = app
        .client
        .post(format!("{}/o/starostwo/zglos", app.url))
        .header("sec-fetch-site", "cross-site")
        .header("origin", "https://evil.example")
        .multipart(filled_form())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.cases(&app.named_org).await, 0);
}
