//! The signed-in user's in-app notices (`/powiadomienia`): the escalation steps delivered to
//! them, newest first, each linking to its case, to be marked read one by one or all at once.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use rejestr_scheduler::{step_phrase_pl, time_left_pl};
use rejestr_store::{NOTICES_PER_PAGE, NoticeView};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::SignedIn;
use crate::error::storage_unavailable_page;
use crate::pages::render;
use crate::time::{iso, warsaw};

#[derive(Debug, Default, Deserialize)]
pub(crate) struct NoticesQuery {
    strona: Option<u64>,
}

fn notice_json(n: &NoticeView, now: chrono::DateTime<Utc>) -> Value {
    json!({
        "id": n.id,
        "at": warsaw(n.created_at),
        "at_iso": iso(n.created_at),
        "unread": !n.read,
        "organisation": n.organisation_name,
        "case_number": n.case_number.to_string(),
        "case_url": format!(
            "/rejestr/{}/sprawy/{}/{}#obowiazki",
            n.organisation_slug, n.case_number.year, n.case_number.seq
        ),
        "label": n.kind.label_pl(),
        "phrase": step_phrase_pl(n.kind, &n.step, n.start, n.deadline),
        "deadline": warsaw(n.deadline),
        "deadline_iso": iso(n.deadline),
        "time_left": time_left_pl(now, n.deadline),
        "late": n.late,
    })
}

pub(crate) async fn page(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Query(query): Query<NoticesQuery>,
) -> Response {
    let now = Utc::now();
    let page = query.strona.unwrap_or(1).max(1);
    let (notices, total) = match state.store.notices(&session, page).await {
        Ok(found) => found,
        Err(error) => return storage_unavailable_page(&state.templates, &error),
    };
    let pages = total.div_ceil(NOTICES_PER_PAGE).max(1);
    let unread = crate::nav::unread().unwrap_or(0);
    let link = |p: u64| format!("/powiadomienia?strona={p}");
    render(
        &state,
        StatusCode::OK,
        "pages/notices",
        &json!({
            "title": "Powiadomienia",
            "user": {"name": session.user.display_name, "email": session.user.email},
            "notices": notices.iter().map(|n| notice_json(n, now)).collect::<Vec<_>>(),
            "total": total,
            "unread_count": unread,
            "mail_folder": state.config.mail_folder,
            "page": page,
            "pages": pages,
            "pages_many": pages > 1,
            "prev": (page > 1).then(|| link(page - 1)),
            "next": (page < pages).then(|| link(page + 1)),
        }),
    )
}

pub(crate) async fn mark_read(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
    Path(id): Path<i64>,
) -> Response {
    match state.store.mark_notice_read(&session, id, Utc::now()).await {
        Ok(true) => Redirect::to("/powiadomienia").into_response(),
        // Not the user's notice: say nothing about whose it is.
        Ok(false) => crate::error::error_page(
            &state.templates,
            StatusCode::NOT_FOUND,
            "Nie znaleziono",
            "Nie ma takiego powiadomienia.",
        ),
        Err(error) => storage_unavailable_page(&state.templates, &error),
    }
}

pub(crate) async fn mark_all_read(
    State(state): State<AppState>,
    SignedIn { session, .. }: SignedIn,
) -> Response {
    match state
        .store
        .mark_all_notices_read(&session, Utc::now())
        .await
    {
        Ok(_) => Redirect::to("/powiadomienia").into_response(),
        Err(error) => storage_unavailable_page(&state.templates, &error),
    }
}
