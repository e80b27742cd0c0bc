//! Errors as responses: JSON for the API, a Polish page for people.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use rejestr_intake::FieldErrors;
use rejestr_store::StoreError;
use serde_json::json;

use crate::api_types::{ErrorBody, ErrorDetail, FieldProblem};
use crate::templates::Templates;

/// An API error body: `{"error": {"code", "message", "fields": [{field, code, message, message_pl}]}}`.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub fields: Option<FieldErrors>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            fields: None,
        }
    }

    pub fn validation(fields: FieldErrors) -> Self {
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "validation_failed",
            message: "the report has invalid fields".to_owned(),
            fields: Some(fields),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        if let StoreError::InvalidInput(message) = error {
            // Input the database refuses (e.g. a NUL character on PostgreSQL): the client's
            // fault, and nothing was saved.
            return ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input", message);
        }
        tracing::error!(%error, "storage failed");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "storage_unavailable",
            "the register cannot store data right now; nothing was saved, please retry",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let fields = self
            .fields
            .iter()
            .flat_map(|f| f.iter())
            .map(|e| FieldProblem {
                field: e.field.clone(),
                code: e.code.to_owned(),
                message: e.en.clone(),
                message_pl: e.pl.clone(),
            })
            .collect();
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_owned(),
                message: self.message,
                fields,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

/// A page shown when something went wrong for a person using the site.
pub(crate) fn error_page(
    templates: &Templates,
    status: StatusCode,
    title: &str,
    message: &str,
) -> Response {
    match templates.render("pages/error", &json!({"title": title, "message": message})) {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(%error, "rendering the error page failed");
            (status, format!("{title}\n\n{message}")).into_response()
        }
    }
}

pub(crate) fn storage_unavailable_page(templates: &Templates, error: &StoreError) -> Response {
    if matches!(error, StoreError::SecondFactorRequired) {
        return error_page(
            templates,
            StatusCode::FORBIDDEN,
            "Wymagana weryfikacja dwuetapowa",
            "Ta jednostka wymaga od inspektora ochrony danych i administratorów logowania z kodem z aplikacji. Włącz weryfikację dwuetapową w zakładce „Moje konto”, wyloguj się i zaloguj ponownie.",
        );
    }
    if matches!(error, StoreError::InvalidInput(_)) {
        return error_page(
            templates,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Nieprawidłowe dane",
            "Przesłany tekst zawiera znaki, których rejestr nie przyjmuje (np. znaki sterujące). Nic nie zostało zapisane — popraw dane i spróbuj ponownie.",
        );
    }
    tracing::error!(%error, "storage failed");
    error_page(
        templates,
        StatusCode::SERVICE_UNAVAILABLE,
        "Rejestr jest chwilowo niedostępny",
        "Nie udało się zapisać ani odczytać danych. Zgłoszenie nie zostało zapisane — spróbuj ponownie za chwilę, a jeśli sprawa jest pilna, zadzwoń do inspektora ochrony danych.",
    )
}
