#!/usr/bin/env bash
# Starts Rejestr72 on a fresh demo database and runs the axe-core check against it.
# Needs Node.js, `npm install` here once, and Chromium (apt-get install chromium).
#   tests/a11y/run.sh [screenshot directory]
set -euo pipefail
cd "$(dirname "$0")"
[ -d node_modules ] || npm install --no-audit --no-fund
(cd ../.. && cargo build --locked --quiet)
WORK="$(mktemp -d)"
PORT="${A11Y_PORT:-18095}"
trap 'kill "${SERVER:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
BIN="${CARGO_TARGET_DIR:-../../target}/debug/rejestr"
# The demo data, with the escalation steps of five hours from now written to the outbox: the
# server's first dispatch delivers them, so the notices page has notices to show.
RUST_LOG=warn "$BIN" demo --database-url "sqlite://$WORK/a11y.db" >/dev/null
RUST_LOG=warn "$BIN" tick --now "$(date -u -d '+5 hours' +%Y-%m-%dT%H:%M:%SZ)" --database-url "sqlite://$WORK/a11y.db" >/dev/null
REJESTR_MAIL_DIR="$WORK/mail" RUST_LOG=warn "$BIN" serve --database-url "sqlite://$WORK/a11y.db" --bind "127.0.0.1:$PORT" >/dev/null 2>&1 &
SERVER=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.1; done
A11Y_SCREENSHOTS="${1:-}" node check.mjs "http://127.0.0.1:$PORT"
