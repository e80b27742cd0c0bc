//! Sharing a case with a CSIRT or ISAC-JST (indicators, TLP, released fields, audited), the
//! register as CSV and JSON, and the statistics page.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rejestr_domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, spawn_app, valid_report};

const NAME: &str = "Katarzyna Przykładowa";
const EMAIL: &str = "k.przykladowa@poczta.example.pl";
const PHONE: &str = "+48 601 234 567";
const PESEL: &str = "85010112345";
const DESCRIPTION: &str = "Pani Katarzyna Przykładowa zgubiła pendrive z listą stypendystów";

#[tokio::test]
async fn a_default_export_carries_no_personal_data_and_every_share_is_audited() {
    let app = spawn_app().await;
    let org = app.named_org.clone();
    app.user("iod@t.pl", &org, Role::Iod).await;
    app.user("audytor@t.pl", &org, Role::Auditor).await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    let mut report = valid_report("starostwo");
    report["description"] = json!(format!("{DESCRIPTION} (PESEL {PESEL}, tel. {PHONE})."));
    report["reporter_name"] = json!(NAME);
    report["reporter_email"] = json!(EMAIL);
    report["reporter_phone"] = json!(PHONE);
    report["data_categories"] = json!(["identity", "national_id"]);
    let body: Value = app.post_report(&report).await.json().await.unwrap();
    let (seq, year) = body["number"].as_str().unwrap().split_once('/').unwrap();
    let case = format!(
        "/rejestr/starostwo/sprawy/{year}/{}",
        seq.trim_start_matches('0')
    );
    let assessed = app
        .post_form_as(
            &cookie,
            &format!("{case}/ocena"),
            &[
                ("personal_data", "tak"),
                ("confidentiality", "unknown_recipients"),
                ("malicious", "tak"),
                ("data_categories", "identity"),
                ("data_categories", "national_id"),
                ("final_classification", "personal_data_breach"),
                ("final_risk", "high"),
                ("final_notify_sa", "on"),
                ("final_notify_subjects", "on"),
                ("action", "zapisz"),
            ],
        )
        .await;
    assert_eq!(assessed.status(), StatusCode::SEE_OTHER);

    // Indicators: a bad one is refused with the reason, a defanged one is accepted.
    let share = format!("{case}/udostepnianie");
    let bad = app
        .post_form_as(
            &cookie,
            &format!("{case}/wskazniki"),
            &[("kind", "ipv4"), ("value", "300.1.2.3")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.unwrap().contains("300.1.2.3"));
    for (kind, value) in [("ipv4", "203.0.113[.]7"), ("domain", "zly-serwer.example")] {
        let added = app
            .post_form_as(
                &cookie,
                &format!("{case}/wskazniki"),
                &[("kind", kind), ("value", value)],
            )
            .await;
        assert_eq!(added.status(), StatusCode::SEE_OTHER, "{kind}");
    }
    let again = app
        .post_form_as(
            &cookie,
            &format!("{case}/wskazniki"),
            &[("kind", "ipv4"), ("value", "203.0.113.7")],
        )
        .await;
    assert_eq!(
        again.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "no duplicates"
    );
    let page = app
        .get_as(Some(&cookie), &share)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("203[.]0[.]113[.]7"), "shown defanged");

    // An export needs a recipient; nothing is recorded without one.
    let refused = app
        .post_form_as(&cookie, &share, &[("format", "stix"), ("tlp", "amber")])
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Sprawy jeszcze nie udostępniono.")
    );

    let secrets = [
        NAME,
        "Przykładowa",
        EMAIL,
        PHONE,
        PESEL,
        "pendrive",
        "Anna",
        "starostwo.example",
    ];
    for (format, tlp) in [("stix", "amber"), ("misp", "green"), ("stix", "clear")] {
        let response = app
            .post_form_as(
                &cookie,
                &share,
                &[
                    ("format", format),
                    ("tlp", tlp),
                    ("recipient", "CSIRT NASK"),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::OK, "{format}");
        let text = response.text().await.unwrap();
        for secret in secrets {
            assert!(
                !text.contains(secret),
                "{secret} leaked in {format}: {text}"
            );
        }
        assert!(text.contains("203.0.113.7"), "indicators are shared");
        let parsed: Value = serde_json::from_str(&text).unwrap();
        if format == "stix" {
            assert_eq!(parsed["type"], "bundle");
        } else {
            assert_eq!(parsed["Event"]["Tag"][0]["name"], "tlp:green");
        }
    }
    // Released on purpose, the description does go out — and the record says so.
    let released = app
        .post_form_as(
            &cookie,
            &share,
            &[
                ("format", "stix"),
                ("tlp", "red"),
                ("recipient", "ISAC-JST"),
                ("release", "description"),
            ],
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(released.contains("pendrive"));
    let page = app
        .get_as(Some(&cookie), &share)
        .await
        .text()
        .await
        .unwrap();
    let downloaded = "<br><span class=\"hint\">pobrano plik</span></td>";
    assert_eq!(
        page.matches(&format!("<td>CSIRT NASK{downloaded}")).count(),
        3,
        "{page}"
    );
    assert!(page.contains(&format!("<td>ISAC-JST{downloaded}")) && page.contains("description"));

    // An auditor reads the page but exports nothing.
    let auditor = app.sign_in("audytor@t.pl", PASSWORD).await.unwrap();
    assert_eq!(
        app.get_as(Some(&auditor), &share).await.status(),
        StatusCode::OK
    );
    let forbidden = app
        .post_form_as(
            &auditor,
            &share,
            &[("format", "stix"), ("tlp", "amber"), ("recipient", "X")],
        )
        .await;
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);

    // The register for an inspection: CSV with the Polish header, JSON with the decision.
    let csv = app
        .get_as(
            Some(&auditor),
            "/rejestr/starostwo/eksport/rejestr.csv?stan=wszystkie",
        )
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("\u{feff}numer,stan,kwalifikacja"), "{csv}");
    assert_eq!(csv.lines().count(), 2, "{csv}");
    assert!(
        !csv.contains(EMAIL),
        "no reporter contact (the description is the register's own)"
    );
    let json: Value = app
        .get_as(
            Some(&auditor),
            "/rejestr/starostwo/eksport/rejestr.json?stan=wszystkie",
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json["count"], 1);
    assert_eq!(json["cases"][0]["decision"]["risk"], "high");
    let bad_filter = app
        .get_as(
            Some(&auditor),
            "/rejestr/starostwo/eksport/rejestr.csv?od=wczoraj",
        )
        .await;
    assert_eq!(bad_filter.status(), StatusCode::BAD_REQUEST);
    assert!(bad_filter.text().await.unwrap().contains("RRRR-MM-DD"));

    // Statistics of this year.
    let year: i32 = year.parse().unwrap();
    let stats = app
        .get_as(
            Some(&auditor),
            &format!("/rejestr/starostwo/statystyki?rok={year}"),
        )
        .await;
    assert_eq!(stats.status(), StatusCode::OK);
    let html = stats.text().await.unwrap();
    assert!(html.contains("zarejestrowano 1 zdarzenie"), "{html}");
    assert!(html.contains("<svg"));
    let stats_csv = app
        .get_as(
            Some(&auditor),
            &format!("/rejestr/starostwo/statystyki.csv?rok={year}"),
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(stats_csv.contains("section,key,label,value"), "{stats_csv}");
    assert_eq!(
        app.get_as(Some(&auditor), "/rejestr/starostwo/statystyki?rok=dwa")
            .await
            .status(),
        StatusCode::BAD_REQUEST
    );
}
