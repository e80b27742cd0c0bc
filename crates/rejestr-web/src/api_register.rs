//! The register over JSON (`/api/v1/organisations/…`), authenticated by personal API tokens
//! (`Authorization: Bearer r72_…`). Same scoping and permissions as the pages.

use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use rejestr_domain::case::{
    CaseAction, CaseNumber, CaseState, Classification, Occurred, RejectReason, TransitionError,
};
use rejestr_domain::role::Permission;
use rejestr_store::{CaseFilter, CaseRow, OrgScope, Session, StoreError};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::api_types::{
    AttachmentBody, CaseDetailBody, CaseList, CaseSummary, ErrorBody, EventBody, NoteBody,
    NoteCreated, OrganisationEntry, OrganisationList, ProcessorBody, ReporterBody, StateChanged,
};
use crate::error::ApiError;
use crate::time::iso;

/// A user authenticated by an API token.
pub(crate) struct ApiUser(pub Session);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let unauthorized = || {
            let mut response = ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "send a personal API token: Authorization: Bearer r72_…",
            )
            .into_response();
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
            response
        };
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let Some(token) = token else {
            return Err(unauthorized());
        };
        match state.store.token_session(token, Utc::now()).await {
            Ok(Some(session)) => Ok(ApiUser(session)),
            Ok(None) => Err(unauthorized()),
            Err(error) => Err(ApiError::from(error).into_response()),
        }
    }
}

fn api_store_error(error: StoreError) -> ApiError {
    match error {
        StoreError::Forbidden => ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "your role does not allow this",
        ),
        StoreError::NotFound => not_found(),
        StoreError::SecondFactorRequired => ApiError::new(
            StatusCode::FORBIDDEN,
            "second_factor_required",
            "this organisation requires the IOD and admin roles to use a second factor; enable it on the account page",
        ),
        StoreError::Transition(TransitionError::ReasonRequired) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "reason_required",
            "this change must be justified: send a non-empty reason",
        ),
        StoreError::Transition(error @ TransitionError::NotAllowed { .. }) => ApiError::new(
            StatusCode::CONFLICT,
            "transition_not_allowed",
            error.to_string(),
        ),
        StoreError::InvalidInput(message) => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_input", message)
        }
        other => ApiError::from(other),
    }
}

fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such organisation or case, or no access to it",
    )
}

async fn scope(
    state: &AppState,
    session: &Session,
    slug: &str,
    permission: Permission,
) -> Result<OrgScope, ApiError> {
    match state
        .store
        .scope(session, slug)
        .await
        .map_err(api_store_error)?
    {
        Some(scope) if scope.can(permission) => Ok(scope),
        Some(_) => Err(api_store_error(StoreError::Forbidden)),
        None => Err(not_found()),
    }
}

fn number(year: i32, seq: u32) -> Result<CaseNumber, ApiError> {
    CaseNumber::new(seq, year).map_err(|_| not_found())
}

/// The organisations the token's owner belongs to, with their roles there.
#[utoipa::path(
    get,
    path = "/api/v1/organisations",
    tag = "register",
    security(("token" = [])),
    responses(
        (status = 200, body = OrganisationList),
        (status = 401, description = "No or an invalid token", body = ErrorBody),
    )
)]
pub(crate) async fn organisations(ApiUser(session): ApiUser) -> Json<OrganisationList> {
    let organisations = session
        .memberships
        .iter()
        .map(|m| OrganisationEntry {
            slug: m.organisation_slug.clone(),
            name: m.organisation_name.clone(),
            roles: m.roles.iter().map(|r| r.as_str().to_owned()).collect(),
        })
        .collect();
    Json(OrganisationList { organisations })
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub(crate) struct ListQuery {
    /// `open` (default), `all`, or one state (`reported`, `triage`, …).
    state: Option<String>,
    classification: Option<String>,
    q: Option<String>,
    reported_from: Option<DateTime<Utc>>,
    reported_to: Option<DateTime<Utc>>,
    /// One-based.
    page: Option<u64>,
}

fn summary(row: &CaseRow) -> CaseSummary {
    CaseSummary {
        number: row.number.to_string(),
        year: row.number.year,
        seq: row.number.seq,
        state: row.state.as_str().to_owned(),
        classification: row.classification.as_str().to_owned(),
        source: row.source.as_str().to_owned(),
        excerpt: row.excerpt.clone(),
        location: row.location.clone(),
        reported_at: iso(row.reported_at),
        aware_at: iso(row.aware_at),
        notification_deadline: iso(row.notification_deadline()),
    }
}

/// The register: new reports first, then open cases by the nearest 72-hour limit.
#[utoipa::path(
    get,
    path = "/api/v1/organisations/{org}/cases",
    tag = "register",
    security(("token" = [])),
    params(("org" = String, Path, description = "The organisation's slug"), ListQuery),
    responses(
        (status = 200, body = CaseList),
        (status = 400, description = "Invalid query parameters", body = ErrorBody),
        (status = 401, body = ErrorBody),
        (status = 403, description = "The role does not allow reading the register", body = ErrorBody),
        (status = 404, description = "Not a member of this organisation", body = ErrorBody),
    )
)]
pub(crate) async fn list_cases(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    Path(slug): Path<String>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<CaseList>, ApiError> {
    let Query(query) = query
        .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", e.body_text()))?;
    let scope = scope(&state, &session, &slug, Permission::ReadRegister).await?;
    let mut filter = CaseFilter {
        text: query.q,
        reported_from: query.reported_from,
        reported_to: query.reported_to,
        ..CaseFilter::default()
    };
    match query.state.as_deref() {
        None | Some("open") => {}
        Some("all") => filter.include_closed = true,
        Some(other) => {
            filter.state = Some(other.parse::<CaseState>().map_err(|e| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "invalid_query",
                    format!("{e}; or open, all"),
                )
            })?);
        }
    }
    if let Some(raw) = query.classification.as_deref() {
        filter.classification =
            Some(raw.parse::<Classification>().map_err(|e| {
                ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", e.to_string())
            })?);
    }
    let page = query.page.unwrap_or(1).max(1) - 1;
    let result = state
        .store
        .list_cases(&scope, &filter, page)
        .await
        .map_err(api_store_error)?;
    Ok(Json(CaseList {
        total: result.total,
        page: result.page + 1,
        pages: result.pages,
        cases: result.rows.iter().map(summary).collect(),
    }))
}

/// One case with its notes, attachments and audit timeline.
#[utoipa::path(
    get,
    path = "/api/v1/organisations/{org}/cases/{year}/{seq}",
    tag = "register",
    security(("token" = [])),
    params(
        ("org" = String, Path, description = "The organisation's slug"),
        ("year" = i32, Path, description = "The case number's year"),
        ("seq" = u32, Path, description = "The case number's sequence within the year"),
    ),
    responses(
        (status = 200, body = CaseDetailBody),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, description = "No such case in an organisation of the user", body = ErrorBody),
    )
)]
pub(crate) async fn get_case(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    Path((slug, year, seq)): Path<(String, i32, u32)>,
) -> Result<Json<CaseDetailBody>, ApiError> {
    let scope = scope(&state, &session, &slug, Permission::ReadRegister).await?;
    let detail = state
        .store
        .case_detail(&scope, number(year, seq)?)
        .await
        .map_err(api_store_error)?
        .ok_or_else(not_found)?;
    let (occurred_from, occurred_to) = detail.occurred.bounds();
    Ok(Json(CaseDetailBody {
        summary: summary(&detail.row),
        description: detail.description,
        occurred: detail.occurred.kind().to_owned(),
        occurred_from: occurred_from.map(iso),
        occurred_to: if matches!(detail.occurred, Occurred::Between(..)) {
            occurred_to.map(iso)
        } else {
            None
        },
        discovered_at: iso(detail.discovered_at),
        data_categories: detail.data_categories,
        subjects_estimate: detail.subjects_estimate,
        reporter: ReporterBody {
            name: detail.reporter_name,
            email: detail.reporter_email,
            phone: detail.reporter_phone,
            unit: detail.reporter_unit,
        },
        processor: detail.processor_name.map(|name| ProcessorBody {
            name,
            contract: detail.processor_contract,
            aware_at: detail.processor_aware_at.map(iso),
        }),
        attachments: detail
            .attachments
            .into_iter()
            .map(|a| AttachmentBody {
                filename: a.filename,
                content_type: a.content_type,
                size: a.size,
                sha256: a.sha256,
            })
            .collect(),
        notes: detail
            .notes
            .into_iter()
            .map(|n| NoteBody {
                author: n.author,
                created_at: iso(n.created_at),
                body: n.body,
            })
            .collect(),
        timeline: detail
            .timeline
            .into_iter()
            .map(|e| EventBody {
                seq: e.seq,
                at: iso(e.at),
                actor: e.actor,
                action: e.action,
                data: e.data,
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct StateChange {
    /// `triage`, `reject`, `duplicate`, `close` or `reopen`.
    action: String,
    reason: Option<String>,
    duplicate_of: Option<String>,
}

fn json_body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    body.map(|Json(value)| value).map_err(|rejection| {
        let code = match rejection {
            JsonRejection::JsonSyntaxError(_) => "malformed_json",
            JsonRejection::MissingJsonContentType(_) => "unsupported_media_type",
            _ => "invalid_body",
        };
        ApiError::new(rejection.status(), code, rejection.body_text())
    })
}

/// Changes the case's state (IOD and ASI). Closing, rejecting and reopening need a reason.
#[utoipa::path(
    post,
    path = "/api/v1/organisations/{org}/cases/{year}/{seq}/state",
    tag = "register",
    security(("token" = [])),
    params(("org" = String, Path), ("year" = i32, Path), ("seq" = u32, Path)),
    request_body = StateChange,
    responses(
        (status = 200, body = StateChanged),
        (status = 401, body = ErrorBody),
        (status = 403, description = "The role does not allow changing cases", body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, description = "Not allowed from the case's current state", body = ErrorBody),
        (status = 422, description = "Missing reason, unknown action or bad duplicate_of", body = ErrorBody),
    )
)]
pub(crate) async fn change_state(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    Path((slug, year, seq)): Path<(String, i32, u32)>,
    body: Result<Json<StateChange>, JsonRejection>,
) -> Result<Json<StateChanged>, ApiError> {
    let change = json_body(body)?;
    let scope = scope(&state, &session, &slug, Permission::ReadRegister).await?;
    let reason = change.reason.unwrap_or_default();
    let action = match change.action.as_str() {
        "triage" => CaseAction::StartTriage,
        "reject" => CaseAction::Reject {
            reason: RejectReason::NotAnIncident(reason),
        },
        "close" => CaseAction::Close { reason },
        "reopen" => CaseAction::Reopen { reason },
        "duplicate" => {
            let original = change
                .duplicate_of
                .as_deref()
                .unwrap_or_default()
                .parse::<CaseNumber>()
                .map_err(|_| {
                    ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "invalid_input",
                        "duplicate_of must be a case number like 0012/2026",
                    )
                })?;
            CaseAction::Reject {
                reason: RejectReason::DuplicateOf(original),
            }
        }
        other => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
                format!(
                    "unknown action {other:?}; expected triage, reject, duplicate, close or reopen"
                ),
            ));
        }
    };
    let to = state
        .store
        .change_state(&scope, number(year, seq)?, &action, Utc::now())
        .await
        .map_err(api_store_error)?;
    Ok(Json(StateChanged {
        state: to.as_str().to_owned(),
        state_label: to.label_pl().to_owned(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewNote {
    body: String,
}

/// Adds a note to the case (IOD and ASI); notes stay in the register.
#[utoipa::path(
    post,
    path = "/api/v1/organisations/{org}/cases/{year}/{seq}/notes",
    tag = "register",
    security(("token" = [])),
    params(("org" = String, Path), ("year" = i32, Path), ("seq" = u32, Path)),
    request_body = NewNote,
    responses(
        (status = 201, body = NoteCreated),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 422, description = "Empty or too long", body = ErrorBody),
    )
)]
pub(crate) async fn add_note(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    Path((slug, year, seq)): Path<(String, i32, u32)>,
    body: Result<Json<NewNote>, JsonRejection>,
) -> Result<Response, ApiError> {
    let note = json_body(body)?;
    let scope = scope(&state, &session, &slug, Permission::ReadRegister).await?;
    state
        .store
        .add_note(&scope, number(year, seq)?, &note.body, Utc::now())
        .await
        .map_err(api_store_error)?;
    Ok((StatusCode::CREATED, Json(NoteCreated { created: true })).into_response())
}
