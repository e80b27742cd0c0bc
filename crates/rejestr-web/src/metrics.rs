//! Prometheus metrics, recorded through the `metrics` facade. The binary installs the
//! exporter and serves it on the admin listener (never on the public port); without an
//! installed recorder every call here is a no-op.
//!
//! Labels carry the matched route pattern (`/rejestr/{org}/sprawy/{year}/{seq}`), never the
//! raw path: a path holds follow tokens and case numbers, and would make the number of
//! series unbounded.

use std::time::Instant;

use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use rejestr_store::OperationalFigures;

/// Requests answered, by `method`, `route` and `status`.
pub const HTTP_REQUESTS: &str = "rejestr_http_requests_total";
/// Time to answer, in seconds, by `method`, `route` and `status`.
pub const HTTP_DURATION: &str = "rejestr_http_request_duration_seconds";
/// Open obligations, by `kind`.
pub const OBLIGATIONS_OPEN: &str = "rejestr_obligations_open";
/// Open obligations past their deadline, by `kind`.
pub const OBLIGATIONS_OVERDUE: &str = "rejestr_obligations_overdue";
/// Notices waiting for delivery, by `queue` (`escalation`, `letters`).
pub const OUTBOX_PENDING: &str = "rejestr_outbox_pending";
/// Notices given up after the last attempt, by `queue`.
pub const OUTBOX_FAILED: &str = "rejestr_outbox_failed";
/// When the scheduler last finished a tick, as a Unix time.
pub const LAST_TICK: &str = "rejestr_scheduler_last_tick_timestamp_seconds";

/// The route label of a request that matched no route (404 pages, probes of random paths).
const UNMATCHED: &str = "unmatched";

/// Registers the help text of every metric (shown as `# HELP` lines); call once after the
/// recorder is installed.
pub fn describe() {
    metrics::describe_counter!(
        HTTP_REQUESTS,
        "HTTP requests answered, by method, matched route and status"
    );
    metrics::describe_histogram!(
        HTTP_DURATION,
        metrics::Unit::Seconds,
        "Time to answer an HTTP request, by method, matched route and status"
    );
    metrics::describe_gauge!(
        OBLIGATIONS_OPEN,
        "Open obligations (pending or drafted), by kind"
    );
    metrics::describe_gauge!(
        OBLIGATIONS_OVERDUE,
        "Open obligations past their deadline, by kind"
    );
    metrics::describe_gauge!(OUTBOX_PENDING, "Notices waiting for delivery, by queue");
    metrics::describe_gauge!(
        OUTBOX_FAILED,
        "Notices given up after the last attempt, by queue"
    );
    metrics::describe_gauge!(LAST_TICK, "Unix time of the last finished scheduler tick");
}

/// Middleware: counts and times every request by method, matched route and status.
pub(crate) async fn track(request: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = method_label(request.method());
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| UNMATCHED.to_owned(), |path| path.as_str().to_owned());
    let response = next.run(request).await;
    let labels = [
        ("method", method.to_owned()),
        ("route", route),
        ("status", response.status().as_u16().to_string()),
    ];
    metrics::counter!(HTTP_REQUESTS, &labels).increment(1);
    metrics::histogram!(HTTP_DURATION, &labels).record(start.elapsed().as_secs_f64());
    response
}

/// Standard methods by name; anything else (a client may invent methods) as `other`, so a
/// label cannot be chosen by whoever sends the request.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// Sets the domain gauges from figures the scheduler just read.
pub fn record_figures(figures: &OperationalFigures) {
    for (kind, n) in &figures.open {
        metrics::gauge!(OBLIGATIONS_OPEN, "kind" => kind.as_str()).set(*n as f64);
    }
    for (kind, n) in &figures.overdue {
        metrics::gauge!(OBLIGATIONS_OVERDUE, "kind" => kind.as_str()).set(*n as f64);
    }
    metrics::gauge!(OUTBOX_PENDING, "queue" => "escalation").set(figures.outbox_pending as f64);
    metrics::gauge!(OUTBOX_FAILED, "queue" => "escalation").set(figures.outbox_failed as f64);
    metrics::gauge!(OUTBOX_PENDING, "queue" => "letters").set(figures.letters_pending as f64);
    metrics::gauge!(OUTBOX_FAILED, "queue" => "letters").set(figures.letters_failed as f64);
}

/// Records that a scheduler tick finished at `at` (Unix seconds); alert when it goes stale.
pub fn record_tick(at: chrono::DateTime<chrono::Utc>) {
    metrics::gauge!(LAST_TICK).set(at.timestamp() as f64);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invented_methods_do_not_become_labels() {
        assert_eq!(method_label(&Method::POST), "POST");
        let invented = Method::from_bytes(b"PROPFIND").unwrap_or(Method::TRACE);
        assert_eq!(method_label(&invented), "other");
    }
}
