//! Probes for load balancers, Kubernetes and monitoring.
//!
//! `/healthz/live` says the process answers and never touches the database, so an outage of
//! the database does not get healthy replicas restarted. `/healthz/ready` (and the older
//! `/health`) say whether this replica can serve: the database answers and holds every
//! migration this version needs. A replica that is not ready is taken out of the load
//! balancer's rotation until it is.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

use crate::AppState;
use crate::api_types::{Health, Liveness, Readiness};

/// How long a probe waits for the database before calling it unavailable.
const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

/// What the database looks like to this replica.
enum DatabaseState {
    Ok,
    Unavailable,
    NotMigrated(Vec<String>),
}

impl DatabaseState {
    fn label(&self) -> &'static str {
        match self {
            DatabaseState::Ok => "ok",
            DatabaseState::Unavailable => "unavailable",
            DatabaseState::NotMigrated(_) => "not_migrated",
        }
    }

    fn status_code(&self) -> StatusCode {
        match self {
            DatabaseState::Ok => StatusCode::OK,
            _ => StatusCode::SERVICE_UNAVAILABLE,
        }
    }
}

async fn database_state(state: &AppState) -> DatabaseState {
    let check = async {
        state.store.ping().await?;
        state.store.pending_migrations().await
    };
    match tokio::time::timeout(PROBE_TIMEOUT, check).await {
        Ok(Ok(pending)) if pending.is_empty() => DatabaseState::Ok,
        Ok(Ok(pending)) => {
            tracing::warn!(?pending, "readiness: migrations pending");
            DatabaseState::NotMigrated(pending)
        }
        Ok(Err(error)) => {
            tracing::error!(%error, "readiness: database unavailable");
            DatabaseState::Unavailable
        }
        Err(_) => {
            tracing::error!("readiness: the database did not answer in time");
            DatabaseState::Unavailable
        }
    }
}

/// Whether the service and its database answer (for load balancers and monitoring).
#[utoipa::path(
    get,
    path = "/health",
    tag = "operations",
    responses(
        (status = 200, description = "The database answers and is migrated", body = Health),
        (status = 503, description = "The database does not answer or is not migrated", body = Health),
    )
)]
pub(crate) async fn health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let database = database_state(&state).await;
    let status = match database {
        DatabaseState::Ok => "ok",
        _ => "unavailable",
    };
    (
        database.status_code(),
        Json(Health {
            status: status.to_owned(),
            database: database.label().to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        }),
    )
}

/// Liveness: the process answers. Restart the replica only when this fails.
#[utoipa::path(
    get,
    path = "/healthz/live",
    tag = "operations",
    responses((status = 200, description = "The process answers", body = Liveness))
)]
pub(crate) async fn live() -> Json<Liveness> {
    Json(Liveness {
        status: "ok".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}

/// Readiness: the database answers and holds every migration this version needs.
#[utoipa::path(
    get,
    path = "/healthz/ready",
    tag = "operations",
    responses(
        (status = 200, description = "Ready to serve", body = Readiness),
        (status = 503, description = "The database does not answer or is not migrated", body = Readiness),
    )
)]
pub(crate) async fn ready(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let database = database_state(&state).await;
    let status = match database {
        DatabaseState::Ok => "ready",
        _ => "unavailable",
    };
    let code = database.status_code();
    let label = database.label().to_owned();
    let pending_migrations = match database {
        DatabaseState::NotMigrated(pending) => pending,
        _ => Vec::new(),
    };
    (
        code,
        Json(Readiness {
            status: status.to_owned(),
            database: label,
            pending_migrations,
            version: env!("CARGO_PKG_VERSION").to_owned(),
        }),
    )
}
