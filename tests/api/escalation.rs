//! Each organisation's escalation ladder: edited in the settings, applied by the tick, and a
//! change applied from its instant on without repeating what was already decided.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{DateTime, Duration, Utc};
use rejestr_domain::role::Role;
use rejestr_scheduler::{Audience, Ladder};
use rejestr_store::{FiredStep, OrgScope};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;

use crate::helpers::{PASSWORD, TestApp, spawn_app, valid_report};
use crate::scheduler::assessed_breach;

fn steps_of(fired: &[FiredStep], obligation: &str) -> Vec<String> {
    fired
        .iter()
        .filter(|s| s.obligation == obligation)
        .map(|s| s.step.clone())
        .collect()
}

/// The scope of the signed-in user behind `cookie` in `slug`.
pub(crate) async fn scope_of(app: &TestApp, cookie: &str, slug: &str) -> OrgScope {
    let token = cookie.split_once('=').unwrap().1;
    let session = app.store.session(token, Utc::now()).await.unwrap().unwrap();
    app.store.scope(&session, slug).await.unwrap().unwrap()
}

/// The steps in the outbox for the obligations of kind `kind`, in the order written.
async fn outbox_steps(app: &TestApp, kind: &str) -> Vec<String> {
    let backend = app.raw.get_database_backend();
    app.raw
        .query_all_raw(Statement::from_string(
            backend,
            format!(
                "SELECT x.step AS step FROM outbox x JOIN obligations o ON o.id = x.obligation_id \
                 WHERE o.kind = '{kind}' ORDER BY x.id"
            ),
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get::<String>("", "step").unwrap())
        .collect()
}

#[tokio::test]
async fn a_changed_ladder_fires_the_new_rungs_once_and_never_the_old_ones_again() {
    let app = spawn_app().await;
    app.user("iod@t.pl", &app.named_org.clone(), Role::Iod)
        .await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    let (_, aware_at) = assessed_breach(&app, &cookie).await;
    let at = |minutes: i64| aware_at + Duration::minutes(minutes) + Duration::seconds(1);
    let scope = scope_of(&app, &cookie, "starostwo").await;

    // At 40 h (55 % of the 72 hours) the old ladder's 50 % step (36 h) is due but no tick has
    // written it yet. The office switches to 25 % / 60 % / 80 % and two daily reminders.
    let ladder = Ladder::new(
        vec![
            (25, Audience::Assignee),
            (60, Audience::IodAndHead),
            (80, Audience::All),
        ],
        2,
        4,
    )
    .unwrap();
    let changed_at = at(40 * 60);
    assert!(
        app.store
            .update_ladder(&scope, &ladder, changed_at)
            .await
            .unwrap()
    );
    // What the old ladder had made due by then was decided under it, in the same transaction.
    assert_eq!(outbox_steps(&app, "notify_sa").await, ["50%"]);
    // Saving the same ladder again changes nothing.
    assert!(
        !app.store
            .update_ladder(&scope, &ladder, changed_at)
            .await
            .unwrap()
    );

    let mut fired: Vec<String> = Vec::new();
    let mut tick = async |t: DateTime<Utc>| {
        let steps = steps_of(&app.store.tick(t, false).await.unwrap(), "notify_sa");
        fired.extend(steps.clone());
        steps
    };
    // 25 % (18 h) fell before the change: never due. 50 % is not repeated.
    assert!(tick(changed_at + Duration::seconds(1)).await.is_empty());
    assert!(tick(at(43 * 60)).await.is_empty(), "60 % is at 43 h 12 min");
    assert_eq!(tick(at(43 * 60 + 12)).await, ["60%"]);
    assert!(tick(at(43 * 60 + 12)).await.is_empty(), "a second replica");
    // 75 % (54 h) belongs to the old ladder: it never fires.
    assert!(tick(at(55 * 60)).await.is_empty());
    assert_eq!(tick(at(57 * 60 + 36)).await, ["80%"]);
    assert!(tick(at(65 * 60)).await.is_empty(), "no 90 % any more");
    assert_eq!(tick(at(72 * 60)).await, ["100%"]);
    assert_eq!(tick(at((72 + 24) * 60)).await, ["overdue+1d"]);
    assert_eq!(tick(at((72 + 48) * 60)).await, ["overdue+2d"]);
    assert!(
        tick(at((72 + 24 * 6) * 60)).await.is_empty(),
        "two daily reminders, then quiet"
    );
    assert_eq!(
        fired,
        ["60%", "80%", "100%", "overdue+1d", "overdue+2d"],
        "each new rung once"
    );
    assert_eq!(
        outbox_steps(&app, "notify_sa").await,
        ["50%", "60%", "80%", "100%", "overdue+1d", "overdue+2d"]
    );
    // The subjects' obligation of the same case followed the same ladder.
    assert_eq!(
        outbox_steps(&app, "notify_subjects").await,
        ["50%", "60%", "80%", "100%", "overdue+1d", "overdue+2d"]
    );
    app.assert_audit_intact().await;
}

#[tokio::test]
async fn each_organisation_keeps_its_own_ladder_and_assessment_reminder() {
    let app = spawn_app().await;
    app.user("iod@t.pl", &app.named_org.clone(), Role::Iod)
        .await;
    app.user("iod@t.pl", &app.open_org.clone(), Role::Iod).await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    let reported_at = |body: &Value| {
        chrono::DateTime::parse_from_rfc3339(body["reported_at"].as_str().unwrap())
            .unwrap()
            .with_timezone(&Utc)
    };
    // A report waits in each office; the starostwo shortens its reminder to 2 hours an hour in.
    let named: Value = app
        .post_report(&valid_report("starostwo"))
        .await
        .json()
        .await
        .unwrap();
    let open: Value = app
        .post_report(&valid_report("gmina-otwarta"))
        .await
        .json()
        .await
        .unwrap();
    let reported = reported_at(&named).max(reported_at(&open));
    let scope = scope_of(&app, &cookie, "starostwo").await;
    let two_hours = Ladder::new(Ladder::default().rungs().to_vec(), 30, 2).unwrap();
    assert!(
        app.store
            .update_ladder(&scope, &two_hours, reported + Duration::hours(1))
            .await
            .unwrap()
    );
    let fired = app
        .store
        .tick(reported + Duration::hours(2) + Duration::seconds(1), false)
        .await
        .unwrap();
    let offices: Vec<(&str, &str)> = fired
        .iter()
        .map(|s| (s.organisation.as_str(), s.step.as_str()))
        .collect();
    assert_eq!(offices, [("starostwo", "100%")], "the gmina keeps 4 hours");
    let fired = app
        .store
        .tick(reported + Duration::hours(4) + Duration::seconds(1), false)
        .await
        .unwrap();
    assert_eq!(
        fired
            .iter()
            .map(|s| s.organisation.as_str())
            .collect::<Vec<_>>(),
        ["gmina-otwarta"]
    );
    // A report made after the change gets the 2-hour reminder from the start.
    let later: Value = app
        .post_report(&valid_report("starostwo"))
        .await
        .json()
        .await
        .unwrap();
    let fired = app
        .store
        .tick(
            reported_at(&later) + Duration::hours(2) + Duration::seconds(1),
            false,
        )
        .await
        .unwrap();
    assert_eq!(
        fired
            .iter()
            .filter(|s| s.case_number == later["number"].as_str().unwrap())
            .map(|s| s.step.as_str())
            .collect::<Vec<_>>(),
        ["100%"]
    );
}

#[tokio::test]
async fn the_ladder_is_edited_in_the_settings_with_polish_messages_and_audited() {
    let app = spawn_app().await;
    app.user("iod@t.pl", &app.named_org.clone(), Role::Iod)
        .await;
    app.user("audytor@t.pl", &app.named_org.clone(), Role::Auditor)
        .await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    let page = app
        .get_as(Some(&cookie), "/rejestr/starostwo/ustawienia")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Eskalacja terminów"));
    assert!(page.contains(
        r#"id="rung_percent_1" name="rung_percent" type="text" inputmode="numeric" value="50""#
    ));
    assert!(page.contains(r#"id="assess_hours" name="assess_hours" type="text" value="4""#));

    let path = "/rejestr/starostwo/ustawienia/eskalacja";
    let bad = [
        ("rung_percent", "50"),
        ("rung_audience", "assignee"),
        ("rung_percent", "40"),
        ("rung_audience", "all"),
        ("rung_percent", "150"),
        ("rung_audience", "all"),
        ("overdue_days", "91"),
        ("assess_hours", "0"),
    ];
    let response = app.post_form_as(&cookie, path, &bad).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    for message in [
        "Próg 2: procenty muszą rosnąć",
        "Próg 3: podaj procent od 1 do 99.",
        "Liczba codziennych przypomnień po terminie: od 0 do 90.",
        "Przypomnienie o nieocenionym zgłoszeniu: od 1 do 72 godzin.",
    ] {
        assert!(html.contains(message), "{message}");
    }
    // The form comes back as typed, with the errors beside the fields.
    assert!(html.contains(r#"value="150" aria-invalid="true""#));
    assert!(html.contains("href=\"#rung_percent_2\""));

    let good = [
        ("rung_percent", "30"),
        ("rung_audience", "assignee"),
        ("rung_percent", ""),
        ("rung_audience", "all"),
        ("rung_percent", "70"),
        ("rung_audience", "iod_and_head"),
        ("overdue_days", "7"),
        ("assess_hours", "6"),
    ];
    let response = app.post_form_as(&cookie, path, &good).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        response.headers()["location"],
        "/rejestr/starostwo/ustawienia?zapisano=eskalacja#eskalacja"
    );
    let page = app
        .get_as(
            Some(&cookie),
            "/rejestr/starostwo/ustawienia?zapisano=eskalacja",
        )
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Zapisano eskalację."));
    assert!(page.contains(r#"value="70""#) && page.contains(r#"value="6""#));
    let org = app
        .store
        .organisation_by_slug("starostwo")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(org.ladder.encode_rungs(), "30:assignee,70:iod_and_head");
    assert_eq!(
        (org.ladder.overdue_days(), org.ladder.assess_after_hours()),
        (7, 6)
    );

    let backend = app.raw.get_database_backend();
    let audit = app
        .raw
        .query_one_raw(Statement::from_string(
            backend,
            format!(
                "SELECT data FROM audit_events WHERE organisation_id = {} \
                 AND action = 'organisation.settings_changed' ORDER BY seq DESC",
                org.id
            ),
        ))
        .await
        .unwrap()
        .unwrap()
        .try_get::<String>("", "data")
        .unwrap();
    let audit: Value = serde_json::from_str(&audit).unwrap();
    assert_eq!(
        audit["escalation_rungs"]["from"],
        "50:assignee,75:iod_and_head,90:all"
    );
    assert_eq!(
        audit["escalation_rungs"]["to"],
        "30:assignee,70:iod_and_head"
    );
    assert_eq!(audit["assess_reminder_hours"]["to"], 6);

    // Only the IOD or an admin changes it.
    let auditor = app.sign_in("audytor@t.pl", PASSWORD).await.unwrap();
    let response = app.post_form_as(&auditor, path, &good).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}
