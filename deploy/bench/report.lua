-- wrk script: POST one realistic report per request to /api/v1/reports.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[{
  "organisation": "demo",
  "description": "Pracownik wysłał e-mail z listą uczestników programu do niewłaściwego adresata spoza urzędu.",
  "occurred": "at",
  "occurred_at": "2026-01-05T08:00:00Z",
  "discovered_at": "2026-01-05T09:00:00Z",
  "location": "Referat Spraw Społecznych",
  "data_categories": ["identity", "contact"],
  "subjects_estimate": 40,
  "reporter_name": "Anna Nowak",
  "reporter_email": "anna.nowak@przykladowo.example.pl"
}]]

-- Non-2xx answers are counted by wrk itself ("status" errors).
function done(summary, latency, requests)
  io.write(string.format("requests: %d, errors: %d (connect %d, read %d, write %d, status %d, timeout %d)\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.status + summary.errors.timeout,
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
  io.write(string.format("reports/s: %.1f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("latency p50: %.2f ms, p99: %.2f ms, max: %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
