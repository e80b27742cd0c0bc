//! The JSON API. Field names are the form's field names, so one vocabulary describes both.

use axum::Json;
use axum::extract::State;
use axum::extract::rejection::JsonRejection;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::Utc;
use rejestr_intake::{FieldError, FieldErrors, OrgIntakePolicy, ReportInput};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::api_types::{ErrorBody, ReportCreated};
use crate::error::ApiError;
use crate::forms::{UploadedFile, validate_with_files};
use crate::time::iso;

/// `POST /api/v1/reports`. Times are RFC 3339 (`2026-11-23T08:15:00Z`); a time without an
/// offset is read as Polish local time.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ApiReport {
    /// The organisation's slug, e.g. `demo`.
    organisation: String,
    source: Option<String>,
    description: Option<String>,
    occurred: Option<String>,
    occurred_at: Option<String>,
    occurred_from: Option<String>,
    occurred_to: Option<String>,
    discovered_at: Option<String>,
    location: Option<String>,
    #[serde(default)]
    data_categories: Vec<String>,
    subjects_estimate: Option<u64>,
    reporter_name: Option<String>,
    reporter_email: Option<String>,
    reporter_phone: Option<String>,
    reporter_unit: Option<String>,
    processor_name: Option<String>,
    processor_contract: Option<String>,
    processor_aware_at: Option<String>,
    #[serde(default)]
    attachments: Vec<ApiAttachment>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ApiAttachment {
    filename: String,
    content_base64: String,
}

/// Report an incident (employees) or a breach (processors, art. 33(2) GDPR). No account is
/// needed. The report is committed before the answer is sent.
#[utoipa::path(
    post,
    path = "/api/v1/reports",
    tag = "reporting",
    request_body = ApiReport,
    responses(
        (status = 201, description = "Accepted: the case number and the private status link", body = ReportCreated),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 404, description = "No such organisation", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named", body = ErrorBody),
        (status = 503, description = "Storage unavailable; nothing was saved", body = ErrorBody),
    )
)]
pub(crate) async fn create_report(
    State(state): State<AppState>,
    body: Result<Json<ApiReport>, JsonRejection>,
) -> Result<Response, ApiError> {
    let Json(body) = body.map_err(|rejection| {
        let code = match rejection {
            JsonRejection::JsonDataError(_) => "invalid_body",
            JsonRejection::JsonSyntaxError(_) => "malformed_json",
            JsonRejection::MissingJsonContentType(_) => "unsupported_media_type",
            _ => "unreadable_body",
        };
        ApiError::new(rejection.status(), code, rejection.body_text())
    })?;
    let org = state
        .store
        .organisation_for_intake(&body.organisation)
        .await?
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "organisation_not_found",
                format!("no organisation {:?}", body.organisation),
            )
        })?;

    let mut decode_errors = FieldErrors::default();
    let mut files = Vec::with_capacity(body.attachments.len());
    for (index, file) in body.attachments.iter().enumerate() {
        match STANDARD.decode(file.content_base64.as_bytes()) {
            Ok(content) => files.push(UploadedFile {
                name: file.filename.clone(),
                content,
                too_large: false,
            }),
            Err(error) => decode_errors.push(FieldError::new(
                format!("attachments[{index}].content_base64"),
                "invalid_base64",
                "Nieprawidłowe kodowanie base64.",
                format!("not valid base64: {error}"),
            )),
        }
    }
    let input = ReportInput {
        source: body.source,
        description: body.description.unwrap_or_default(),
        occurred: body.occurred,
        occurred_at: body.occurred_at,
        occurred_from: body.occurred_from,
        occurred_to: body.occurred_to,
        discovered_at: body.discovered_at,
        location: body.location,
        data_categories: body.data_categories,
        subjects_estimate: body.subjects_estimate.map(|n| n.to_string()),
        reporter_name: body.reporter_name,
        reporter_email: body.reporter_email,
        reporter_phone: body.reporter_phone,
        reporter_unit: body.reporter_unit,
        processor_name: body.processor_name,
        processor_contract: body.processor_contract,
        processor_aware_at: body.processor_aware_at,
    };
    let policy = OrgIntakePolicy {
        allow_anonymous: org.allow_anonymous,
    };
    let limits = state.config.attachments;
    let (report, attachments) = match validate_with_files(&input, files, policy, limits, Utc::now())
    {
        Ok(valid) if decode_errors.is_empty() => valid,
        Ok(_) => return Err(ApiError::validation(decode_errors)),
        Err(mut errors) => {
            errors.0.extend(decode_errors.0);
            return Err(ApiError::validation(errors));
        }
    };
    let receipt = state
        .store
        .submit_report(&org, &report, attachments, "reporter:api", None)
        .await?;
    tracing::info!(organisation = %org.slug, number = %receipt.number, "report accepted via the API");
    let status_url = format!("{}/s/{}", state.config.public_url, receipt.follow_token);
    let body = ReportCreated {
        number: receipt.number.to_string(),
        organisation: org.slug.to_string(),
        state: receipt.state.as_str().to_owned(),
        state_label: receipt.state.label_pl().to_owned(),
        reported_at: iso(receipt.reported_at),
        status_url: status_url.clone(),
        follow_token: receipt.follow_token,
    };
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, status_url)],
        Json(body),
    )
        .into_response())
}
