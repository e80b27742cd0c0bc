#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::{Datelike, Utc};
use rejestr_domain::org::{KscStatus, OrgSlug, UnitType};
use rejestr_intake::AttachmentLimits;
use rejestr_store::{NewOrganisation, Organisation, Store};
use rejestr_web::{AppState, WebConfig};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};

pub struct TestApp {
    pub url: String,
    pub client: reqwest::Client,
    pub store: Store,
    /// A separate connection for tampering with rows behind the application's back.
    pub raw: DatabaseConnection,
    /// Open: anonymous reports allowed.
    pub open_org: Organisation,
    /// Named: reporter's name and contact required.
    pub named_org: Organisation,
    _dir: Option<tempfile::TempDir>,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(AttachmentLimits::default()).await
}

pub async fn spawn_app_with(limits: AttachmentLimits) -> TestApp {
    let (store, raw, dir) = match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(url.as_str())
                .await
                .expect("connect to PostgreSQL");
            admin
                .execute_unprepared(&format!("CREATE SCHEMA {schema}"))
                .await
                .expect("create schema");
            admin.close().await.expect("close");
            let store = Store::connect(&url, Some(&schema))
                .await
                .expect("connect store");
            let mut options = ConnectOptions::new(url.clone());
            options
                .set_schema_search_path(schema.clone())
                .max_connections(2)
                .sqlx_logging(false);
            let raw = Database::connect(options).await.expect("raw connection");
            (store, raw, None)
        }
        _ => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!("sqlite://{}/test.db", dir.path().display());
            let store = Store::connect(&url, None).await.expect("connect store");
            // The store keeps a single SQLite connection; a second one shares the file.
            let mut options = ConnectOptions::new(format!("{url}?mode=rw"));
            options.max_connections(1).sqlx_logging(false);
            let raw = Database::connect(options).await.expect("raw connection");
            (store, raw, Some(dir))
        }
    };
    store.migrate().await.expect("migrate");
    let now = Utc::now();
    let open_org = store
        .create_organisation(&organisation("gmina-otwarta", true), "test", now)
        .await
        .expect("organisation");
    let named_org = store
        .create_organisation(&organisation("starostwo", false), "test", now)
        .await
        .expect("organisation");

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let url = format!("http://{addr}");
    let state = AppState::new(
        store.clone(),
        WebConfig {
            public_url: url.clone(),
            attachments: limits,
            template_dir: None,
            mail_folder: Some("data/mail".to_owned()),
        },
    )
    .expect("templates");
    tokio::spawn(async move {
        axum::serve(listener, rejestr_web::router(state))
            .await
            .expect("serve");
    });
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    TestApp {
        url,
        client,
        store,
        raw,
        open_org,
        named_org,
        _dir: dir,
    }
}

fn organisation(slug: &str, allow_anonymous: bool) -> NewOrganisation {
    NewOrganisation {
        slug: OrgSlug::parse(slug).unwrap(),
        name: format!("Jednostka {slug}"),
        unit_type: UnitType::Gmina,
        regon: None,
        address: "ul. Testowa 1, 00-001 Warszawa".to_owned(),
        iod_name: "Jan Testowy".to_owned(),
        iod_email: "iod@test.example.pl".to_owned(),
        iod_phone: None,
        ksc_status: KscStatus::PublicEntity,
        csirt: None,
        allow_anonymous,
    }
}

impl TestApp {
    pub async fn post_report(&self, body: &Value) -> reqwest::Response {
        self.client
            .post(format!("{}/api/v1/reports", self.url))
            .json(body)
            .send()
            .await
            .expect("request")
    }

    pub async fn cases(&self, org: &Organisation) -> u64 {
        self.store.count_cases(org.id).await.expect("count")
    }

    /// Every organisation's audit chain verifies.
    pub async fn assert_audit_intact(&self) {
        for report in self
            .store
            .verify_audit()
            .await
            .expect("verify the audit chains")
        {
            assert_eq!(
                report.status,
                rejestr_store::ChainStatus::Intact,
                "{report:?}"
            );
        }
    }
}

/// A complete, valid API report for `org`.
pub fn valid_report(org: &str) -> Value {
    json!({
        "organisation": org,
        "description": "Zgubiono służbowy pendrive z listą uczestników programu stypendialnego.",
        "occurred": "range",
        "occurred_from": "2026-01-05T08:00:00Z",
        "occurred_to": "2026-01-05T16:00:00Z",
        "discovered_at": "2026-01-06T09:00:00+01:00",
        "location": "Wydział Edukacji",
        "data_categories": ["identity", "contact", "education"],
        "subjects_estimate": 120,
        "reporter_name": "Anna Nowak",
        "reporter_email": "anna.nowak@test.example.pl",
        "reporter_unit": "Wydział Edukacji"
    })
}

/// The case number the register gives the `seq`-th report of this year.
pub fn number(seq: u32) -> String {
    let year = Utc::now().with_timezone(&chrono_tz::Europe::Warsaw).year();
    format!("{seq:04}/{year}")
}

/// The `(field, code)` pairs of a 422 body.
pub fn field_codes(body: &Value) -> Vec<(String, String)> {
    body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_owned(),
                f["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

pub const PASSWORD: &str = "haslo-testowe-123";

impl TestApp {
    /// Creates a user with `role` in `org` (and no other membership).
    pub async fn user(&self, email: &str, org: &Organisation, role: rejestr_domain::role::Role) {
        let user = match self.store.user_by_email(email).await.unwrap() {
            Some(user) => user,
            None => self
                .store
                .create_user(
                    &rejestr_store::NewUser {
                        email: email.to_owned(),
                        display_name: format!("Użytkownik {email}"),
                        password_hash: Some(rejestr_web::hash_password(PASSWORD).unwrap()),
                    },
                    Utc::now(),
                )
                .await
                .unwrap(),
        };
        self.store
            .add_membership(&user, org, role, "test", Utc::now())
            .await
            .unwrap();
    }

    /// Signs in and returns the `Cookie` header value of the session.
    pub async fn sign_in(
        &self,
        email: &str,
        password: &str,
    ) -> Result<String, reqwest::StatusCode> {
        let response = self
            .client
            .post(format!("{}/logowanie", self.url))
            .form(&[
                ("email", email),
                ("password", password),
                ("dalej", "/rejestr"),
            ])
            .send()
            .await
            .unwrap();
        if response.status() != reqwest::StatusCode::SEE_OTHER {
            return Err(response.status());
        }
        let set_cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
        assert!(set_cookie.contains("SameSite=Lax"), "{set_cookie}");
        Ok(set_cookie.split(';').next().unwrap().to_owned())
    }

    pub async fn get_as(&self, cookie: Option<&str>, path: &str) -> reqwest::Response {
        let mut request = self.client.get(format!("{}{path}", self.url));
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.unwrap()
    }
}

impl TestApp {
    pub async fn post_form_as(
        &self,
        cookie: &str,
        path: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        self.client
            .post(format!("{}{path}", self.url))
            .header("cookie", cookie)
            .form(form)
            .send()
            .await
            .unwrap()
    }
}
