use crate::AppState;
use crate::api_types::Health;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// Whether the service and its database answer (for load balancers and monitoring).
#[utoipa::path(
    get,
    path = "/health",
    tag = "operations",
    responses(
        (status = 200, description = "The database answers", body = Health),
        (status = 503, description = "The database does not answer", body = Health),
    )
)]
pub(crate) async fn health(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let health = |status: &str| Health {
        status: status.to_owned(),
        database: status.to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, Json(health("ok"))),
        Err(error) => {
            tracing::error!(%error, "health check: database unavailable");
            (StatusCode::SERVICE_UNAVAILABLE, Json(health("unavailable")))
        }
    }
}
