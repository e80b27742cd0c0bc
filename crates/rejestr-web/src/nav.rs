//! The navigation's count of unread notices, on every page of a signed-in user.
//!
//! Pages build their views independently, so the count travels beside them: a middleware
//! opens a per-request slot, the `SignedIn`/`MaybeSignedIn` extractors fill it once the session
//! is known, and [`crate::pages::render`] adds it to the view's `user` as `unread`.

use std::sync::OnceLock;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use rejestr_store::{Session, Store};

tokio::task_local! {
    static UNREAD: OnceLock<u64>;
}

/// Runs the request with an empty slot for the count.
pub(crate) async fn scope(request: Request, next: Next) -> Response {
    UNREAD.scope(OnceLock::new(), next.run(request)).await
}

/// Counts the session's unread notices into the slot. A failure only costs the badge.
pub(crate) async fn record(store: &Store, session: &Session) {
    match store.unread_notices(session).await {
        Ok(count) => {
            let _ = UNREAD.try_with(|slot| slot.set(count));
        }
        Err(error) => tracing::warn!(%error, "cannot count unread notices"),
    }
}

/// The count recorded for this request, if any.
pub(crate) fn unread() -> Option<u64> {
    UNREAD.try_with(|slot| slot.get().copied()).ok().flatten()
}
