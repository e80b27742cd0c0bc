#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::Utc;
use rejestr_domain::role::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, spawn_app, valid_report};

async fn token_for(app: &TestApp, email: &str) -> String {
    let user = app.store.user_by_email(email).await.unwrap().unwrap();
    app.store
        .create_api_token(&user, "test", Utc::now())
        .await
        .unwrap()
}

impl TestApp {
    async fn api(
        &self,
        method: reqwest::Method,
        token: Option<&str>,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.client.request(method, format!("{}{path}", self.url));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

#[tokio::test]
async fn the_register_api_follows_the_same_roles_and_scopes() {
    let app = spawn_app().await;
    app.user("iod@t.pl", &app.named_org.clone(), Role::Iod)
        .await;
    app.user("auditor@t.pl", &app.named_org.clone(), Role::Auditor)
        .await;
    app.user("stranger@t.pl", &app.open_org.clone(), Role::Iod)
        .await;
    app.post_report(&valid_report("starostwo")).await;
    let iod = token_for(&app, "iod@t.pl").await;
    let auditor = token_for(&app, "auditor@t.pl").await;
    let stranger = token_for(&app, "stranger@t.pl").await;
    let get = reqwest::Method::GET;
    let post = reqwest::Method::POST;

    let (status, body) = app
        .api(get.clone(), None, "/api/v1/organisations", None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "unauthorized");
    let (status, _) = app
        .api(
            get.clone(),
            Some("r72_nonsense"),
            "/api/v1/organisations",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let (status, body) = app
        .api(get.clone(), Some(&iod), "/api/v1/organisations", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["organisations"][0]["slug"], "starostwo");
    assert_eq!(body["organisations"][0]["roles"], json!(["iod"]));

    let (status, body) = app
        .api(
            get.clone(),
            Some(&auditor),
            "/api/v1/organisations/starostwo/cases",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["total"], 1);
    let year = body["cases"][0]["year"].as_i64().unwrap();
    let case = format!("/api/v1/organisations/starostwo/cases/{year}/1");

    let (status, _) = app
        .api(
            get.clone(),
            Some(&stranger),
            "/api/v1/organisations/starostwo/cases",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app.api(get.clone(), Some(&stranger), &case, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = app
        .api(
            get.clone(),
            Some(&iod),
            "/api/v1/organisations/starostwo/cases?state=nonsense",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    let triage = json!({"action": "triage"});
    let (status, _) = app
        .api(
            post.clone(),
            Some(&auditor),
            &format!("{case}/state"),
            Some(triage.clone()),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app
        .api(
            post.clone(),
            Some(&iod),
            &format!("{case}/state"),
            Some(triage.clone()),
        )
        .await;
    assert_eq!(
        (status, body["state"].as_str()),
        (StatusCode::OK, Some("triage"))
    );
    let (status, body) = app
        .api(
            post.clone(),
            Some(&iod),
            &format!("{case}/state"),
            Some(triage),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("transition_not_allowed"))
    );
    let (status, body) = app
        .api(
            post.clone(),
            Some(&iod),
            &format!("{case}/state"),
            Some(json!({"action": "reject"})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, Some("reason_required"))
    );
    let (status, _) = app
        .api(
            post.clone(),
            Some(&iod),
            &format!("{case}/state"),
            Some(json!({"action": "fly"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let (status, _) = app
        .api(
            post.clone(),
            Some(&iod),
            &format!("{case}/notes"),
            Some(json!({"body": "Telefon do ASI."})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = app
        .api(
            post.clone(),
            Some(&auditor),
            &format!("{case}/notes"),
            Some(json!({"body": "x"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app.api(get.clone(), Some(&auditor), &case, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["state"], "triage");
    assert_eq!(body["notes"][0]["body"], "Telefon do ASI.");
    let actions: Vec<&str> = body["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["case.reported", "case.state_changed", "case.note_added"]
    );

    // A revoked token stops working at once.
    let user = app.store.user_by_email("iod@t.pl").await.unwrap().unwrap();
    let id = app.store.api_tokens(&user).await.unwrap()[0].id;
    assert!(
        app.store
            .revoke_api_token(&user, id, Utc::now())
            .await
            .unwrap()
    );
    let (status, _) = app
        .api(get, Some(&iod), "/api/v1/organisations", None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn tokens_are_created_shown_once_and_revoked_on_the_account_page() {
    let app = spawn_app().await;
    app.user("iod@t.pl", &app.named_org.clone(), Role::Iod)
        .await;
    let cookie = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    let response = app
        .post_form_as(&cookie, "/konto/tokeny", &[("name", "")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let response = app
        .post_form_as(&cookie, "/konto/tokeny", &[("name", "kopia rejestru")])
        .await;
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let html = response.text().await.unwrap();
    let start = html.find("r72_").unwrap();
    let secret = html[start..start + 68].to_owned();
    let (status, _) = app
        .api(
            reqwest::Method::GET,
            Some(&secret),
            "/api/v1/organisations",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // The list never shows the secret again.
    let page = app
        .get_as(Some(&cookie), "/konto")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("kopia rejestru") && !page.contains(&secret));

    let user = app.store.user_by_email("iod@t.pl").await.unwrap().unwrap();
    let id = app.store.api_tokens(&user).await.unwrap()[0].id;
    let response = app
        .post_form_as(&cookie, &format!("/konto/tokeny/{id}/odwolaj"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let (status, _) = app
        .api(
            reqwest::Method::GET,
            Some(&secret),
            "/api/v1/organisations",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn changing_the_password_ends_the_other_sessions() {
    let app = spawn_app().await;
    app.user("iod@t.pl", &app.named_org.clone(), Role::Iod)
        .await;
    let here = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    let elsewhere = app.sign_in("iod@t.pl", PASSWORD).await.unwrap();
    let new = "nowe-haslo-bardzo-dlugie";
    for (current, fresh, repeat) in [
        ("zle-haslo-123", new, new),
        (PASSWORD, new, "inne-haslo-12345"),
        (PASSWORD, "krotkie", "krotkie"),
    ] {
        let response = app
            .post_form_as(
                &here,
                "/konto/haslo",
                &[("current", current), ("new", fresh), ("repeat", repeat)],
            )
            .await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{current} {fresh} {repeat}"
        );
    }
    let response = app
        .post_form_as(
            &here,
            "/konto/haslo",
            &[("current", PASSWORD), ("new", new), ("repeat", new)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("Hasło zmienione"));
    assert_eq!(
        app.get_as(Some(&here), "/rejestr/starostwo").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        app.get_as(Some(&elsewhere), "/rejestr/starostwo")
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.sign_in("iod@t.pl", PASSWORD).await,
        Err(StatusCode::UNAUTHORIZED)
    );
    assert!(app.sign_in("iod@t.pl", new).await.is_ok());
}
