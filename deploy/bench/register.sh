#!/usr/bin/env bash
# Benchmark of the register's list (the IOD's inbox) at 100,000 cases, on SQLite and on
# PostgreSQL: latency of the default view (open cases, newest reports first), a text search and
# a deep page, each for 10 s with 1 and 8 concurrent signed-in clients. Not a test: it prints
# figures.
#
#   deploy/bench/register.sh [number of cases, default 100000]
set -euo pipefail
cd "$(dirname "$0")/../.."
CASES="${1:-100000}"
PORT=18093
PG_URL="${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 1; }

cargo build --release --locked --quiet
BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/rejestr"
WORK="$(mktemp -d)"
trap 'kill "${SERVER:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

bench() {
    local label="$1" url="$2"
    RUST_LOG=warn REJESTR_ADMIN_ADDR="127.0.0.1:$((PORT + 1000))" \
        "$BIN" serve --database-url "$url" --bind "127.0.0.1:$PORT" >/dev/null 2>&1 &
    SERVER=$!
    for _ in $(seq 1 200); do curl -sf "http://127.0.0.1:$PORT/healthz/ready" >/dev/null && break; sleep 0.1; done
    COOKIE="$(curl -s -o /dev/null -D - \
        --data-urlencode "email=iod@przykladowo.example.pl" --data-urlencode "password=demo-rejestr72" \
        "http://127.0.0.1:$PORT/logowanie" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: \([^;]*\).*/\1/p')"
    [ -n "$COOKIE" ] || { echo "sign-in failed"; exit 1; }
    for path in "/rejestr/demo" "/rejestr/demo?q=phishing" "/rejestr/demo?stan=wszystkie&strona=2000"; do
        for clients in 1 8; do
            echo "== $label: GET $path ($CASES cases, $clients client(s)) =="
            wrk -t1 -c"$clients" -d10s --latency -H "Cookie: $COOKIE" "http://127.0.0.1:$PORT$path" \
                | grep -E "Requests/sec|50%|99%|Non-2xx"
        done
    done
    echo "$label: peak RSS of the server: $(awk '/VmHWM/ {printf "%.1f MiB", $2/1024}' "/proc/$SERVER/status")"
    kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
    SERVER=
}

URL="sqlite://$WORK/register.db"
"$BIN" demo --database-url "$URL" >/dev/null
python3 deploy/bench/seed_cases.py "$WORK/register.db" "$CASES" >/dev/null
bench sqlite "$URL"

psql -q "$PG_URL/postgres" -c "DROP DATABASE IF EXISTS rejestr_bench_register WITH (FORCE)" -c "CREATE DATABASE rejestr_bench_register"
URL="$PG_URL/rejestr_bench_register"
"$BIN" demo --database-url "$URL" >/dev/null
psql -q "$URL" -v count="$CASES" -f deploy/bench/seed_cases.sql >/dev/null
bench postgres "$URL"
psql -q "$PG_URL/postgres" -c "DROP DATABASE IF EXISTS rejestr_bench_register WITH (FORCE)"
