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
use serde_json::{Value, json};

use crate::AppState;
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

pub(crate) async fn organisations(ApiUser(session): ApiUser) -> Json<Value> {
    let organisations: Vec<Value> = session
        .memberships
        .iter()
        .map(|m| {
            json!({
                "slug": m.organisation_slug,
                "name": m.organisation_name,
                "roles": m.roles.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
            })
        })
        .collect();
    Json(json!({"organisations": organisations}))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListQuery {
    state: Option<String>,
    classification: Option<String>,
    q: Option<String>,
    reported_from: Option<DateTime<Utc>>,
    reported_to: Option<DateTime<Utc>>,
    /// One-based.
    page: Option<u64>,
}

fn row_json(row: &CaseRow) -> Value {
    json!({
        "number": row.number.to_string(),
        "year": row.number.year,
        "seq": row.number.seq,
        "state": row.state.as_str(),
        "classification": row.classification.as_str(),
        "source": row.source.as_str(),
        "excerpt": row.excerpt,
        "location": row.location,
        "reported_at": iso(row.reported_at),
        "aware_at": iso(row.aware_at),
        "notification_deadline": iso(row.notification_deadline()),
    })
}

pub(crate) async fn list_cases(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    Path(slug): Path<String>,
    query: Result<Query<ListQuery>, QueryRejection>,
) -> Result<Json<Value>, ApiError> {
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
    Ok(Json(json!({
        "total": result.total,
        "page": result.page + 1,
        "pages": result.pages,
        "cases": result.rows.iter().map(row_json).collect::<Vec<_>>(),
    })))
}

pub(crate) async fn get_case(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    Path((slug, year, seq)): Path<(String, i32, u32)>,
) -> Result<Json<Value>, ApiError> {
    let scope = scope(&state, &session, &slug, Permission::ReadRegister).await?;
    let detail = state
        .store
        .case_detail(&scope, number(year, seq)?)
        .await
        .map_err(api_store_error)?
        .ok_or_else(not_found)?;
    let (occurred_from, occurred_to) = detail.occurred.bounds();
    let mut body = row_json(&detail.row);
    body["description"] = json!(detail.description);
    body["occurred"] = json!(detail.occurred.kind());
    body["occurred_from"] = json!(occurred_from.map(iso));
    body["occurred_to"] = json!(if matches!(detail.occurred, Occurred::Between(..)) {
        occurred_to.map(iso)
    } else {
        None
    });
    body["discovered_at"] = json!(iso(detail.discovered_at));
    body["data_categories"] = json!(detail.data_categories);
    body["subjects_estimate"] = json!(detail.subjects_estimate);
    body["reporter"] = json!({
        "name": detail.reporter_name, "email": detail.reporter_email,
        "phone": detail.reporter_phone, "unit": detail.reporter_unit,
    });
    body["processor"] = json!(detail.processor_name.as_ref().map(|name| json!({
        "name": name, "contract": detail.processor_contract,
        "aware_at": detail.processor_aware_at.map(iso),
    })));
    body["attachments"] = json!(detail.attachments.iter().map(|a| json!({
        "filename": a.filename, "content_type": a.content_type, "size": a.size, "sha256": a.sha256,
    })).collect::<Vec<_>>());
    body["notes"] = json!(
        detail
            .notes
            .iter()
            .map(|n| json!({
                "author": n.author, "created_at": iso(n.created_at), "body": n.body,
            }))
            .collect::<Vec<_>>()
    );
    body["timeline"] =
        json!(detail.timeline.iter().map(|e| json!({
        "seq": e.seq, "at": iso(e.at), "actor": e.actor, "action": e.action, "data": e.data,
    })).collect::<Vec<_>>());
    Ok(Json(body))
}

#[derive(Debug, Deserialize)]
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

pub(crate) async fn change_state(
    State(state): State<AppState>,
    ApiUser(session): ApiUser,
    Path((slug, year, seq)): Path<(String, i32, u32)>,
    body: Result<Json<StateChange>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
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
    Ok(Json(
        json!({"state": to.as_str(), "state_label": to.label_pl()}),
    ))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NewNote {
    body: String,
}

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
    Ok((StatusCode::CREATED, Json(json!({"created": true}))).into_response())
}
