//! Mail merge of the letter to data subjects: recipients pasted from a spreadsheet, one PDF of
//! personalised letters, and e-mails sent once per recipient with failures shown per person.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{Duration, Utc};
use rejestr_domain::role::Role;
use rejestr_notify::{Dispatcher, Mailer};
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, spawn_app};
use crate::scheduler::assessed_breach;

fn mails(dir: &std::path::Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    files.sort();
    files
}

#[tokio::test]
async fn letters_are_merged_printed_and_mailed_once_per_recipient() {
    let app = spawn_app().await;
    let org = app.named_org.clone();
    app.user("iod@t.pl", &org, Role::Iod).await;
    app.user("audytor@t.pl", &org, Role::Auditor).await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    let (case, _) = assessed_breach(&app, &cookie).await;
    let doc = format!("{case}/dokumenty/subject_letter");
    let saved = app
        .post_form_as(
            &cookie,
            &doc,
            &[
                ("jezyk", "pl"),
                (
                    "plain_description",
                    "Pracownik wysłał listę do złego adresata.",
                ),
                ("measures_mitigation", "Odbiorca usunął wiadomość."),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let recipients = format!("{doc}/1/adresaci");
    let page = app.get_as(Some(&cookie), &doc).await.text().await.unwrap();
    assert!(
        page.contains("/1/adresaci"),
        "the letter links its mail merge"
    );
    let page = app.get_as(Some(&cookie), &recipients).await;
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        page.text()
            .await
            .unwrap()
            .contains("Nie dodano jeszcze adresatów.")
    );

    // A bad list: every bad line is named, the typed text is kept, nobody is added.
    let bad = "Anna Kowalska; anna@example\n; ul. Lipowa 5";
    let response = app
        .post_form_as(&cookie, &recipients, &[("lista", bad)])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("Wiersz 1") && html.contains("Wiersz 2"),
        "{html}"
    );
    assert!(html.contains("„anna@example” nie jest poprawnym adresem e-mail"));
    assert!(html.contains("Nie dodano jeszcze adresatów."));
    assert!(
        html.contains("; ul. Lipowa 5</textarea>"),
        "the list is kept"
    );

    let list = "Anna Kowalska; ul. Lipowa 5 | 00-001 Przykładowo; anna.kowalska@example.pl\n\
                Jan Nowak; jan.nowak@example.pl\n\
                Maria Wiśniewska; ul. Polna 2 | 00-002 Przykładowo";
    let response = app
        .post_form_as(&cookie, &recipients, &[("lista", list)])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    // An auditor reads, but adds nobody and sends nothing.
    let auditor = app.sign_in("audytor@t.pl", PASSWORD).await.unwrap();
    assert_eq!(
        app.get_as(Some(&auditor), &recipients).await.status(),
        StatusCode::OK
    );
    let refused = app
        .post_form_as(&auditor, &recipients, &[("lista", "Ewa Nowak")])
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    // One PDF, a letter for each person.
    let pdf = app
        .get_as(Some(&cookie), &format!("{recipients}/listy.pdf"))
        .await;
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let text = pdf_extract::extract_text_from_mem(&pdf.bytes().await.unwrap()).unwrap();
    for name in [
        "Anna Kowalska",
        "Jan Nowak",
        "Maria Wiśniewska",
        "00-002 Przykładowo",
    ] {
        assert!(text.contains(name), "{name} in {text}");
    }
    let one = app
        .get_as(Some(&cookie), &format!("{recipients}/2/pdf"))
        .await;
    let text = pdf_extract::extract_text_from_mem(&one.bytes().await.unwrap()).unwrap();
    assert!(text.contains("Jan Nowak") && !text.contains("Anna Kowalska"));
    assert_eq!(
        app.get_as(Some(&cookie), &format!("{recipients}/9/pdf"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // E-mail only from a version marked sent.
    let send = format!("{recipients}/wyslij");
    let early = app.post_form_as(&cookie, &send, &[]).await;
    assert_eq!(early.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.text().await.unwrap().contains("Najpierw oznacz"));
    let sent = app
        .post_form_as(
            &cookie,
            &format!("{doc}/1/wyslano"),
            &[("channel", "list polecony i e-mail")],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let queued = app.post_form_as(&cookie, &send, &[]).await;
    assert_eq!(queued.status(), StatusCode::OK);
    assert!(
        queued
            .text()
            .await
            .unwrap()
            .contains("Przekazano do wysyłki: 2")
    );
    let again = app.post_form_as(&cookie, &send, &[]).await;
    assert!(
        again
            .text()
            .await
            .unwrap()
            .contains("Nie było nowych adresatów")
    );
    // A queued recipient can no longer be removed.
    let remove = app
        .post_form_as(&cookie, &format!("{recipients}/1/usun"), &[])
        .await;
    assert_eq!(remove.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let now = Utc::now();
    let dir = tempfile::tempdir().unwrap();
    let dispatcher = Dispatcher::new(
        app.store.clone(),
        Mailer::new(None, dir.path()).unwrap(),
        "Rejestr72 <r@t.pl>",
        &app.url,
    )
    .unwrap();
    assert_eq!(dispatcher.run_once(now).await.unwrap().sent, 2);
    assert_eq!(dispatcher.run_once(now).await.unwrap().sent, 0, "once");
    let sent = mails(dir.path());
    assert_eq!(sent.len(), 2);
    let anna = sent
        .iter()
        .find(|m| m.contains("anna.kowalska@example.pl"))
        .unwrap();
    assert!(anna.contains("Message-ID: <letter-"), "{anna}");
    assert!(anna.contains("Reply-To:"), "replies go to the IOD: {anna}");
    assert!(
        !anna.contains("jan.nowak@example.pl"),
        "one person per e-mail"
    );
    let html = app
        .get_as(Some(&cookie), &recipients)
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(html.matches("wysłano ").count(), 2, "{html}");
    assert!(html.contains("tylko pocztą"));

    // A recipient added later whose server refuses: the failure shows on that person only.
    let response = app
        .post_form_as(
            &cookie,
            &recipients,
            &[("lista", "Ewa Zielińska; ewa@example.pl")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let queued = app.post_form_as(&cookie, &send, &[]).await;
    assert!(
        queued
            .text()
            .await
            .unwrap()
            .contains("Przekazano do wysyłki: 1")
    );
    let refusing = Dispatcher::new(
        app.store.clone(),
        Mailer::new(Some("smtp://127.0.0.1:9"), dir.path()).unwrap(),
        "Rejestr72 <r@t.pl>",
        &app.url,
    )
    .unwrap();
    let report = refusing.run_once(now).await.unwrap();
    assert_eq!((report.sent, report.failed), (0, 1));
    let html = app
        .get_as(Some(&cookie), &recipients)
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("błąd (próba 1)"), "{html}");
    assert_eq!(html.matches("wysłano ").count(), 2);
    // After the back-off a working server delivers it, and nobody else gets a second copy.
    let report = dispatcher
        .run_once(now + Duration::minutes(5))
        .await
        .unwrap();
    assert_eq!((report.sent, report.failed), (1, 0));
    assert_eq!(mails(dir.path()).len(), 3);
}
