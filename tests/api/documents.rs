//! Drafting documents from a case: versions, what is missing, the text and PDF renderings,
//! and the frozen, hashed text of what was sent.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rejestr_domain::role::Role;
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, spawn_app};
use crate::scheduler::assessed_breach;

const FILLED: [(&str, &str); 12] = [
    ("jezyk", "pl"),
    ("discovery_method", "Kontrola wewnętrzna"),
    ("what_happened", "wrong_recipient"),
    ("what_happened", "publication"),
    ("cause", "internal_unintentional"),
    ("records_count", "1 500"),
    ("subject_categories", "public_clients"),
    ("consequences", "identity_theft"),
    ("measures_before", "Szkolenia, procedura wysyłki."),
    ("measures_recurrence", "Podwójna kontrola adresata."),
    (
        "measures_mitigation",
        "Wezwano odbiorcę do usunięcia wiadomości.",
    ),
    ("cross_border", "nie"),
];

#[tokio::test]
async fn the_iod_drafts_files_and_supplements_the_puodo_notification() {
    let app = spawn_app().await;
    app.user("iod@t.pl", &app.named_org.clone(), Role::Iod)
        .await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    let (case, _) = assessed_breach(&app, &cookie).await;
    let doc = format!("{case}/dokumenty/puodo-complete");

    // The first look: the case's facts are in, the IOD's part is flagged missing.
    let html = app.get_as(Some(&cookie), &doc).await.text().await.unwrap();
    assert!(html.contains("Brakuje przed wysłaniem"), "{html}");
    assert!(html.contains("Numer ewidencyjny PESEL"));
    assert!(html.contains("9B") && html.contains("9C"));
    assert!(html.contains("Nie zapisano jeszcze żadnej wersji."));

    // Bad input: the form comes back with the field named, nothing is saved.
    let mut bad: Vec<(&str, &str)> = FILLED.to_vec();
    bad.retain(|(k, _)| *k != "records_count");
    bad.push(("records_count", "dużo"));
    let response = app.post_form_as(&cookie, &doc, &bad).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("Podaj liczbę całkowitą"), "{html}");
    assert!(
        html.contains("Podwójna kontrola adresata."),
        "typed text is kept"
    );
    assert!(html.contains("Nie zapisano jeszcze żadnej wersji."));

    // A version is saved; the PUODO obligation is now drafted.
    let response = app.post_form_as(&cookie, &doc, &FILLED).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        response.headers()["location"]
            .to_str()
            .unwrap()
            .ends_with("?wersja=1#podglad")
    );
    let page = app
        .get_as(Some(&cookie), &format!("{doc}?wersja=1"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!page.contains("Brakuje przed wysłaniem"), "{page}");
    assert!(
        page.contains("Można uzupełnić później") && page.contains("REGON"),
        "the test office has no REGON"
    );
    let text = app
        .get_as(Some(&cookie), &format!("{doc}/1/tekst"))
        .await
        .text()
        .await
        .unwrap();
    assert!(text.contains("PROJEKT, wersja 1"), "{text}");
    assert!(text.contains("Przybliżona liczba wpisów danych osobowych: 1500"));
    assert!(text.contains("- Dane osobowe wysłane do niewłaściwego odbiorcy"));
    let case_page = app.get_as(Some(&cookie), &case).await.text().await.unwrap();
    assert!(
        case_page.contains("Prezesowi UODO (art. 33)</strong> — przygotowane"),
        "the obligation shows it is drafted"
    );

    let pdf = app.get_as(Some(&cookie), &format!("{doc}/1/pdf")).await;
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));

    // Sent: the final text is frozen and its hash is in the audit trail and on the page.
    let response = app
        .post_form_as(
            &cookie,
            &format!("{doc}/1/wyslano"),
            &[("channel", "biznes.gov.pl"), ("reference", "UPO-77")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let frozen = app
        .get_as(Some(&cookie), &format!("{doc}/1/tekst"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!frozen.contains("PROJEKT"), "{frozen}");
    assert!(frozen.contains("Podwójna kontrola adresata."));
    let sha = rejestr_drafting::fingerprint(&frozen);
    let page = app
        .get_as(Some(&cookie), &format!("{doc}?wersja=1"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&sha),
        "the page shows the SHA-256 of the frozen text"
    );
    let case_page = app.get_as(Some(&cookie), &case).await.text().await.unwrap();
    assert!(
        case_page.contains(&format!("SHA-256 {sha}")),
        "the timeline records it"
    );
    assert!(
        case_page.contains("nr UPO-77"),
        "the PUODO obligation is closed as sent"
    );

    // Sent once only.
    let again = app
        .post_form_as(
            &cookie,
            &format!("{doc}/1/wyslano"),
            &[("channel", "ePUAP")],
        )
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again
            .text()
            .await
            .unwrap()
            .contains("już oznaczona jako wysłana")
    );

    // A supplementary notification starts from the same fields and links to the first.
    let supplement = format!("{case}/dokumenty/puodo-supplementary");
    let html = app
        .get_as(Some(&cookie), &supplement)
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Podwójna kontrola adresata."),
        "fields carry over"
    );
    let mut fields: Vec<(&str, &str)> = FILLED.to_vec();
    fields.push(("previous_notification_on", "2026-03-30"));
    fields.push(("uodo_reference", "DKN.5130.1.2026"));
    assert_eq!(
        app.post_form_as(&cookie, &supplement, &fields)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let response = app
        .post_form_as(
            &cookie,
            &format!("{supplement}/1/wyslano"),
            &[("channel", "biznes.gov.pl")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = app
        .get_as(Some(&cookie), &format!("{supplement}?wersja=1"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("uzupełnia complete v1"), "{page}");
    let text = app
        .get_as(Some(&cookie), &format!("{supplement}/1/tekst"))
        .await
        .text()
        .await
        .unwrap();
    assert!(text.contains("Sygnatura sprawy UODO: DKN.5130.1.2026"));

    app.assert_audit_intact().await;
}

#[tokio::test]
async fn an_auditor_reads_documents_but_cannot_draft_or_send() {
    let app = spawn_app().await;
    let org = app.named_org.clone();
    app.user("iod@t.pl", &org, Role::Iod).await;
    app.user("audyt@t.pl", &org, Role::Auditor).await;
    let iod = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    let auditor = app.sign_in("audyt@t.pl", PASSWORD).await.unwrap();
    let (case, _) = assessed_breach(&app, &iod).await;
    let doc = format!("{case}/dokumenty/subject_letter");
    assert_eq!(
        app.post_form_as(&iod, &doc, &FILLED).await.status(),
        StatusCode::SEE_OTHER
    );

    let page = app.get_as(Some(&auditor), &doc).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(!html.contains("Zapisz nową wersję") && !html.contains("Oznacz jako wysłane"));
    assert_eq!(
        app.post_form_as(&auditor, &doc, &FILLED).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post_form_as(
            &auditor,
            &format!("{doc}/1/wyslano"),
            &[("channel", "poczta")]
        )
        .await
        .status(),
        StatusCode::FORBIDDEN
    );
    // Unknown documents and versions are 404, not 500.
    assert_eq!(
        app.get_as(Some(&iod), &format!("{case}/dokumenty/nonsense"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get_as(Some(&iod), &format!("{doc}/9/pdf"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}
