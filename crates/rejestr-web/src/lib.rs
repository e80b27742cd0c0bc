//! The HTTP face of Rejestr72: the Polish report form, the private follow page, the JSON API
//! and the health check. Handlers are thin: they translate HTTP into calls of `intake` (pure
//! validation) and `store` (durable writes) and render the outcome.

mod account;
mod api;
mod api_register;
mod api_types;
mod assessment;
mod auth;
mod documents;
mod error;
mod exports;
mod forms;
mod health;
mod letters;
pub mod metrics;
mod misp;
mod nav;
mod notices;
mod openapi;
mod pages;
mod register;
mod second_factor;
mod settings;
pub mod sharing;
mod signin;
mod templates;
mod time;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, header};
use axum::routing::{get, post};
use rejestr_intake::AttachmentLimits;
use rejestr_store::Store;
use tower_http::csrf::CsrfLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use auth::{MIN_PASSWORD_CHARS, PasswordError, hash_password, verify_password};
pub use templates::Templates;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// The address people use to reach the service, for links in API responses
    /// (e.g. `https://rejestr.gmina.pl`). No trailing slash.
    pub public_url: String,
    pub attachments: AttachmentLimits,
    /// The office's own document templates, overriding the embedded ones
    /// (`notifications/<document>/<locale>/body.txt.hbs`).
    pub template_dir: Option<std::path::PathBuf>,
    /// Where e-mail goes when no SMTP server is configured (shown to the IOD); `None` with SMTP.
    pub mail_folder: Option<String>,
}

/// Why the web layer cannot start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Pages(#[from] templates::TemplateLoadError),
    #[error("document templates: {0}")]
    Documents(#[from] rejestr_drafting::DraftingError),
    #[error(transparent)]
    Http(#[from] rejestr_notify::NotifyError),
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub templates: Arc<Templates>,
    pub drafting: Arc<rejestr_drafting::Drafting>,
    pub config: Arc<WebConfig>,
    /// Pushes shared cases to MISP instances.
    pub misp: rejestr_notify::MispClient,
}

impl AppState {
    pub fn new(store: Store, config: WebConfig) -> Result<Self, StartError> {
        Ok(Self {
            store,
            templates: Arc::new(Templates::load()?),
            drafting: Arc::new(rejestr_drafting::Drafting::load(
                config.template_dir.as_deref(),
            )?),
            config: Arc::new(config),
            misp: rejestr_notify::MispClient::new()?,
        })
    }
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application.
pub fn router(state: AppState) -> Router {
    let limits = state.config.attachments;
    // Room for every permitted file plus the text fields and multipart framing.
    let upload_limit = limits.max_bytes * limits.max_files + 1024 * 1024;
    // JSON carries attachments in base64 (4/3 of the size).
    let api_limit = upload_limit / 3 * 4 + 1024 * 1024;

    let pages = Router::new()
        .route("/", get(pages::index))
        .route(
            "/o/{org}/zglos",
            get(pages::report_form).post(pages::submit_report),
        )
        .route(
            "/o/{org}/zglos/podmiot-przetwarzajacy",
            get(pages::processor_form).post(pages::submit_processor_report),
        )
        .route("/s/{token}", get(pages::status))
        .route("/logowanie", get(signin::form).post(signin::sign_in))
        .route(
            "/logowanie/kod",
            get(signin::code_form).post(signin::submit_code),
        )
        .route("/wyloguj", post(signin::sign_out))
        .route("/rejestr", get(register::home))
        .route("/konto", get(account::page))
        .route("/moje-zgloszenia", get(pages::my_reports))
        .route("/konto/haslo", post(account::change_password))
        .route("/konto/2fa/wlacz", post(account::enable_second_factor))
        .route("/konto/2fa/wylacz", post(account::disable_second_factor))
        .route("/konto/tokeny", post(account::create_token))
        .route("/konto/tokeny/{id}/odwolaj", post(account::revoke_token))
        .route("/rejestr/{org}", get(register::inbox))
        .route(
            "/rejestr/{org}/ustawienia",
            get(settings::page).post(settings::save),
        )
        .route(
            "/rejestr/{org}/ustawienia/misp",
            get(misp::page).post(misp::save),
        )
        .route(
            "/rejestr/{org}/ustawienia/eskalacja",
            post(settings::save_ladder),
        )
        .route(
            "/rejestr/{org}/ustawienia/sekret-webhooka",
            post(settings::rotate_webhook_secret),
        )
        .route("/powiadomienia", get(notices::page))
        .route("/powiadomienia/przeczytane", post(notices::mark_all_read))
        .route("/powiadomienia/{id}/przeczytane", post(notices::mark_read))
        .route(
            "/rejestr/{org}/sprawy/{year}/{seq}",
            get(register::case_page),
        )
        .route(
            "/rejestr/{org}/sprawy/{year}/{seq}/stan",
            post(register::change_state),
        )
        .route(
            "/rejestr/{org}/sprawy/{year}/{seq}/notatki",
            post(register::add_note),
        )
        .route("/terminy", get(register::deadlines))
        .route(
            "/rejestr/{org}/sprawy/{year}/{seq}/obowiazki/{kind}",
            post(register::fulfil_obligation),
        )
        .route(
            "/rejestr/{org}/sprawy/{year}/{seq}/swiadomosc",
            post(register::set_aware_at),
        )
        .route(
            "/rejestr/{org}/sprawy/{year}/{seq}/ocena",
            get(assessment::questionnaire).post(assessment::submit),
        )
        .route(
            "/rejestr/{org}/sprawy/{year}/{seq}/dokumenty/{doc}",
            get(documents::page).post(documents::save),
        )
        .route(
            "/rejestr/{org}/sprawy/{year}/{seq}/dokumenty/{doc}/{version}/tekst",
            get(documents::text),
        )
        .route(
            "/rejestr/{org}/sprawy/{year}/{seq}/dokumenty/{doc}/{version}/pdf",
            get(documents::pdf),
        )
        .route(
            "/rejestr/{org}/sprawy/{year}/{seq}/dokumenty/{doc}/{version}/druk",
            get(documents::print),
        )
        .route(
            "/rejestr/{org}/sprawy/{year}/{seq}/dokumenty/{doc}/{version}/wyslano",
            post(documents::mark_sent),
        )
        .route(
            "/rejestr/{org}/sprawy/{year}/{seq}/dokumenty/{doc}/{version}/adresaci",
            get(letters::page).post(letters::add),
        )
        .route(
            "/rejestr/{org}/sprawy/{year}/{seq}/dokumenty/{doc}/{version}/adresaci/listy.pdf",
            get(letters::pdf_all),
        )
        .route(
            "/rejestr/{org}/sprawy/{year}/{seq}/dokumenty/{doc}/{version}/adresaci/wyslij",
            post(letters::send),
        )
        .route(
            "/rejestr/{org}/sprawy/{year}/{seq}/dokumenty/{doc}/{version}/adresaci/{position}/pdf",
            get(letters::pdf_one),
        )
        .route(
            "/rejestr/{org}/sprawy/{year}/{seq}/dokumenty/{doc}/{version}/adresaci/{position}/usun",
            post(letters::remove),
        )
        .route(
            "/rejestr/{org}/sprawy/{year}/{seq}/udostepnianie",
            get(exports::share_page).post(exports::export),
        )
        .route(
            "/rejestr/{org}/sprawy/{year}/{seq}/misp",
            post(exports::push_to_misp),
        )
        .route(
            "/rejestr/{org}/sprawy/{year}/{seq}/wskazniki",
            post(exports::add_indicator),
        )
        .route(
            "/rejestr/{org}/sprawy/{year}/{seq}/wskazniki/{id}/usun",
            post(exports::remove_indicator),
        )
        .route(
            "/rejestr/{org}/eksport/{file}",
            get(exports::register_export),
        )
        .route(
            "/rejestr/{org}/eksport/raport.pdf",
            get(exports::register_report_pdf),
        )
        .route("/rejestr/{org}/statystyki", get(exports::statistics))
        .route(
            "/rejestr/{org}/statystyki.csv",
            get(exports::statistics_csv),
        )
        .route("/static/{*path}", get(pages::static_file))
        .layer(axum::middleware::from_fn(nav::scope))
        .layer(DefaultBodyLimit::max(upload_limit));

    let api = Router::new()
        .route("/api/v1/reports", post(api::create_report))
        .route("/api/v1/openapi.json", get(openapi::document))
        .route("/api/v1/assess", post(assessment::api_assess))
        .route("/api/v1/organisations", get(api_register::organisations))
        .route(
            "/api/v1/organisations/{org}/cases",
            get(api_register::list_cases),
        )
        .route(
            "/api/v1/organisations/{org}/cases/{year}/{seq}",
            get(api_register::get_case),
        )
        .route(
            "/api/v1/organisations/{org}/cases/{year}/{seq}/state",
            post(api_register::change_state),
        )
        .route(
            "/api/v1/organisations/{org}/cases/{year}/{seq}/notes",
            post(api_register::add_note),
        )
        .layer(DefaultBodyLimit::max(api_limit));

    Router::new()
        .merge(pages)
        .merge(api)
        .route("/health", get(health::health))
        .route("/healthz/live", get(health::live))
        .route("/healthz/ready", get(health::ready))
        .fallback(pages::not_found)
        .layer(CsrfLayer::new())
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                 form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            ),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(60),
        ))
        .layer(TraceLayer::new_for_http())
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        // Outermost, so that timeouts and refused cross-site posts are counted too. Layers run
        // after routing, so the matched route is known.
        .layer(axum::middleware::from_fn(metrics::track))
        .with_state(state)
}
