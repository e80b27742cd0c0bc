#!/usr/bin/env bash
# The end-to-end browser test: starts the already built debug binary on a fresh database with
# the demo data, walks from an employee's report to a STIX export in headless Chromium
# (e2e.mjs), and stops the server. Builds nothing: `cargo build --locked` (or `cargo test`)
# first. Screenshots, the downloaded PDF and STIX bundle and the server's log are kept in
# ${CARGO_TARGET_DIR:-target}/e2e-artifacts/.
#
#   tests/e2e/run.sh [port, default 18310]
#
# A fresh SQLite file by default; with TEST_DATABASE_URL=postgres://… (as the README's test
# command runs the second time) PostgreSQL, in a schema of its own that is dropped afterwards.
# Needs Node.js 18+ (`npm ci` here, done once automatically), Chromium (apt-get install
# chromium; CHROMIUM=/path overrides /usr/bin/chromium) and pdftotext (poppler-utils).
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$(cd ../.. && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
BIN="$TARGET/debug/rejestr"
PORT="${1:-18310}"
ARTEFACTS="$TARGET/e2e-artifacts"
[ -x "$BIN" ] || { echo "no $BIN: run cargo build --locked first"; exit 1; }
command -v pdftotext >/dev/null || { echo "pdftotext is missing: apt-get install poppler-utils"; exit 1; }
[ -d node_modules ] || npm ci --no-audit --no-fund --silent
rm -rf "$ARTEFACTS"
mkdir -p "$ARTEFACTS"

WORK="$(mktemp -d)"
SERVER=
SCHEMA=
cleanup() {
    if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
    if [ -n "$SCHEMA" ]; then psql "$TEST_DATABASE_URL" -q -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1 || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

URL="sqlite://$WORK/e2e.db"
if [[ "${TEST_DATABASE_URL:-}" == postgres* ]]; then
    command -v psql >/dev/null || { echo "psql is missing (needed for the PostgreSQL run)"; exit 1; }
    SCHEMA="e2e_$$_$(date +%s)"
    psql "$TEST_DATABASE_URL" -v ON_ERROR_STOP=1 -q -c "CREATE SCHEMA $SCHEMA"
    separator='?'
    [[ "$TEST_DATABASE_URL" == *\?* ]] && separator='&'
    URL="$TEST_DATABASE_URL${separator}options=-c%20search_path%3D$SCHEMA"
    echo "e2e on PostgreSQL (schema $SCHEMA)"
else
    echo "e2e on SQLite"
fi

# `serve` migrates the empty database and, with demo on, seeds the demo organisations.
REJESTR_DEMO=true REJESTR_MAIL_DIR="$WORK/mail" RUST_LOG=info,sqlx=warn "$BIN" serve \
    --database-url "$URL" --bind "127.0.0.1:$PORT" \
    >"$ARTEFACTS/server.out" 2>"$ARTEFACTS/server.log" &
SERVER=$!
for _ in $(seq 1 150); do
    curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break
    kill -0 "$SERVER" 2>/dev/null || { echo "the server stopped:"; cat "$ARTEFACTS/server.log"; exit 1; }
    sleep 0.1
done
curl -sf "http://127.0.0.1:$PORT/health" >/dev/null || { echo "the server did not become healthy"; exit 1; }
node e2e.mjs "http://127.0.0.1:$PORT" "$ARTEFACTS"
