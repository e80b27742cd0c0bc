//! In-app notices: a delivered escalation step becomes a notice for each recipient with an
//! account, counted in the navigation, listed on `/powiadomienia`, marked read one by one or
//! all at once, and never doubled by a repeated delivery.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::Duration;
use rejestr_domain::role::Role;
use rejestr_notify::{Dispatcher, Mailer};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};

use crate::helpers::{PASSWORD, TestApp, spawn_app};
use crate::scheduler::assessed_breach;

/// The ids of the notices listed, in page order (from their "mark read" forms).
fn listed_ids(html: &str) -> Vec<i64> {
    html.split("action=\"/powiadomienia/")
        .skip(1)
        .filter_map(|rest| rest.split('/').next()?.parse().ok())
        .collect()
}

fn unread_badge(html: &str) -> Option<u64> {
    let rest = html.split("nieprzeczytane: </span>").nth(1)?;
    rest.split('<').next()?.trim().parse().ok()
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    let backend = app.raw.get_database_backend();
    app.raw
        .query_one_raw(Statement::from_string(backend, sql.to_owned()))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap()
}

#[tokio::test]
async fn delivered_steps_become_notices_for_each_recipient_once() {
    let app = spawn_app().await;
    let org = app.named_org.clone();
    app.user("iod@t.pl", &org, Role::Iod).await;
    app.user("head@t.pl", &org, Role::Head).await;
    app.user("audytor@t.pl", &org, Role::Auditor).await;
    app.user("obcy@t.pl", &app.open_org.clone(), Role::Iod)
        .await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    let head = app.sign_in("head@t.pl", PASSWORD).await.unwrap();
    let stranger = app.sign_in("obcy@t.pl", PASSWORD).await.unwrap();
    let (case, aware_at) = assessed_breach(&app, &cookie).await;

    // Nothing yet: no badge, and the page says where e-mail goes without SMTP.
    let page = app
        .get_as(Some(&cookie), "/powiadomienia")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(unread_badge(&page), None);
    assert!(page.contains("Nie masz powiadomień"));
    assert!(page.contains("Serwer poczty (SMTP) nie jest skonfigurowany"));
    assert!(page.contains("data/mail"));

    // 55 h: PUODO and subjects at 50 % (the IOD) and 75 % (the IOD and the head).
    let now = aware_at + Duration::hours(55);
    let fired = app.store.tick(now, false).await.unwrap();
    let gdpr: Vec<_> = fired
        .iter()
        .filter(|s| s.obligation == "notify_sa" || s.obligation == "notify_subjects")
        .collect();
    assert_eq!(gdpr.len(), 4);
    let dir = tempfile::tempdir().unwrap();
    let dispatcher = Dispatcher::new(
        app.store.clone(),
        Mailer::new(None, dir.path()).unwrap(),
        "r@t.pl",
        &app.url,
    )
    .unwrap();
    assert_eq!(dispatcher.run_once(now).await.unwrap().sent, fired.len());

    let page = app
        .get_as(Some(&cookie), "/powiadomienia")
        .await
        .text()
        .await
        .unwrap();
    let iod_notices = fired.len() as u64; // the IOD is in every audience
    assert_eq!(unread_badge(&page), Some(iod_notices));
    assert!(page.contains("zgłoszenie naruszenia Prezesowi UODO (art. 33)"));
    assert!(page.contains("minęło 75% czasu"));
    assert!(page.contains(&format!("href=\"{case}#obowiazki\"")));
    // Newest first.
    let ids = listed_ids(&page);
    assert_eq!(ids.len() as u64, iod_notices);
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
    // The head got only the steps meant for the head; the auditor none; another office none.
    let head_page = app
        .get_as(Some(&head), "/powiadomienia")
        .await
        .text()
        .await
        .unwrap();
    let head_notices = fired.iter().filter(|s| s.audience != "assignee").count() as u64;
    assert_eq!(unread_badge(&head_page), Some(head_notices));
    assert!(!head_page.contains("minęło 50% czasu"));
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM notices n JOIN users u ON u.id = n.user_id \
             WHERE u.email IN ('audytor@t.pl', 'obcy@t.pl')"
        )
        .await,
        0
    );
    // The badge is on every page of the register, not only this one.
    let other = app
        .get_as(Some(&cookie), "/terminy")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(unread_badge(&other), Some(iod_notices));

    // A delivery repeated after a crash (at least once) adds no second notice.
    let notices_before = count(&app, "SELECT COUNT(*) FROM notices").await;
    let outbox_id = count(&app, "SELECT MIN(id) FROM outbox").await;
    let iod = app.store.user_by_email("iod@t.pl").await.unwrap().unwrap();
    app.store
        .mark_delivered(outbox_id, &[iod.id], now)
        .await
        .unwrap();
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM notices").await,
        notices_before
    );

    // Mark one read: the count drops by one; someone else cannot touch it.
    let id = listed_ids(&page)[0];
    let response = app
        .post_form_as(&stranger, &format!("/powiadomienia/{id}/przeczytane"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = app
        .post_form_as(&cookie, &format!("/powiadomienia/{id}/przeczytane"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = app
        .get_as(Some(&cookie), "/powiadomienia")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(unread_badge(&page), Some(iod_notices - 1));
    let response = app
        .post_form_as(&cookie, "/powiadomienia/przeczytane", &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let page = app
        .get_as(Some(&cookie), "/powiadomienia")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(unread_badge(&page), None);
    assert!(!page.contains("Oznacz wszystkie jako przeczytane"));
    // The head's notices are the head's: still unread.
    let head_page = app
        .get_as(Some(&head), "/powiadomienia")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(unread_badge(&head_page), Some(head_notices));
    // Signed out: the page asks to sign in.
    let response = app.get_as(None, "/powiadomienia").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}
