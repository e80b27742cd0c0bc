#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rejestr_store::ChainStatus;
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;

use crate::helpers::{spawn_app, valid_report};

fn status_of(reports: &[rejestr_store::ChainReport], org: &str) -> ChainStatus {
    reports
        .iter()
        .find(|r| r.organisation == org)
        .unwrap()
        .status
        .clone()
}

#[tokio::test]
async fn the_audit_chain_verifies_and_then_names_an_altered_event() {
    let app = spawn_app().await;
    for _ in 0..3 {
        let response = app.post_report(&valid_report("starostwo")).await;
        assert_eq!(response.status(), StatusCode::CREATED);
    }
    let reports = app.store.verify_audit().await.unwrap();
    assert_eq!(reports.len(), 2);
    let named = reports
        .iter()
        .find(|r| r.organisation == "starostwo")
        .unwrap();
    // organisation.created + three case.reported
    assert_eq!(named.events, 4);
    assert_eq!(named.status, ChainStatus::Intact);

    // Someone edits the third event behind the application's back.
    app.raw
        .execute_unprepared(&format!(
            "UPDATE audit_events SET data = REPLACE(data, '\"subjects_estimate\":120', '\"subjects_estimate\":12') \
             WHERE organisation_id = {} AND seq = 3",
            app.named_org.id
        ))
        .await
        .unwrap();
    let reports = app.store.verify_audit().await.unwrap();
    match status_of(&reports, "starostwo") {
        ChainStatus::Broken { seq, reason } => {
            assert_eq!(seq, 3);
            assert!(reason.contains("altered"), "{reason}");
        }
        ChainStatus::Intact => panic!("an altered event went unnoticed"),
    }
    // The other organisation's chain is unaffected.
    assert_eq!(status_of(&reports, "gmina-otwarta"), ChainStatus::Intact);
}

#[tokio::test]
async fn a_deleted_last_event_breaks_the_chain() {
    let app = spawn_app().await;
    for _ in 0..2 {
        app.post_report(&valid_report("starostwo")).await;
    }
    app.raw
        .execute_unprepared(&format!(
            "DELETE FROM audit_events WHERE organisation_id = {} AND seq = 3",
            app.named_org.id
        ))
        .await
        .unwrap();
    let reports = app.store.verify_audit().await.unwrap();
    assert!(matches!(
        status_of(&reports, "starostwo"),
        ChainStatus::Broken { seq: 3, .. }
    ));
}

#[tokio::test]
async fn a_forked_append_is_refused_by_the_database() {
    let app = spawn_app().await;
    app.post_report(&valid_report("starostwo")).await;
    // A second event claiming the same predecessor as event 2 must not be insertable.
    let result = app
        .raw
        .execute_unprepared(&format!(
            "INSERT INTO audit_events (organisation_id, seq, case_id, at, actor, action, data, prev_hash, hash) \
             SELECT organisation_id, 99, case_id, at, actor, action, data, prev_hash, hash \
             FROM audit_events WHERE organisation_id = {} AND seq = 2",
            app.named_org.id
        ))
        .await;
    assert!(result.is_err(), "a fork of the chain was accepted");
}
