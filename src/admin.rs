//! The admin listener: Prometheus metrics at `/metrics` on `admin_addr` (loopback by default),
//! never on the public port. The HTTP metrics are recorded by `rejestr_web::metrics`; the
//! domain gauges are refreshed here after every scheduler tick.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use chrono::{DateTime, Utc};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use rejestr_store::Store;

/// Histogram buckets of request durations, in seconds: from a cached page to a slow PDF.
const DURATION_BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// Whether the recorder is installed: without it the gauges are not worth their queries.
static RECORDING: AtomicBool = AtomicBool::new(false);

/// Installs the process-wide Prometheus recorder.
pub fn install_recorder() -> anyhow::Result<PrometheusHandle> {
    let handle = PrometheusBuilder::new()
        .set_buckets_for_metric(
            Matcher::Full(rejestr_web::metrics::HTTP_DURATION.to_owned()),
            &DURATION_BUCKETS,
        )?
        .install_recorder()?;
    rejestr_web::metrics::describe();
    RECORDING.store(true, Ordering::Release);
    // Without the exporter's own HTTP listener, upkeep (draining histogram samples) is ours.
    let upkeep = handle.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(5));
        loop {
            every.tick().await;
            upkeep.run_upkeep();
        }
    });
    Ok(handle)
}

/// Binds the admin listener and serves `/metrics` in the background. A failure to bind is
/// logged and the service runs on without metrics: the register matters more than its
/// monitoring. Returns the bound address.
pub async fn serve(addr: SocketAddr, handle: PrometheusHandle) -> Option<SocketAddr> {
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(error) => {
            tracing::error!(%addr, %error, "cannot listen on admin_addr; metrics are off");
            return None;
        }
    };
    let bound = listener.local_addr().ok()?;
    let app = Router::new().route(
        "/metrics",
        get(move || {
            let handle = handle.clone();
            async move {
                (
                    [(
                        header::CONTENT_TYPE,
                        "text/plain; version=0.0.4; charset=utf-8",
                    )],
                    handle.render(),
                )
                    .into_response()
            }
        }),
    );
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, app).await {
            tracing::error!(%error, "the admin listener stopped");
        }
    });
    Some(bound)
}

/// Refreshes the domain gauges at `now` (after a tick), when metrics are on.
pub async fn refresh_gauges(store: &Store, now: DateTime<Utc>) {
    if !RECORDING.load(Ordering::Acquire) {
        return;
    }
    match store.operational_figures(now).await {
        Ok(figures) => rejestr_web::metrics::record_figures(&figures),
        Err(error) => tracing::warn!(%error, "cannot read the figures for the gauges"),
    }
}
