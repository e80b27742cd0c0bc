#!/usr/bin/env bash
# Benchmark of intake: POST /api/v1/reports with 32 concurrent connections on loopback,
# on SQLite (embedded default) and on PostgreSQL. Not a test: it prints figures.
#
#   deploy/bench/intake.sh [duration, default 20s]
#
# Needs wrk (apt-get install wrk) and PostgreSQL on 127.0.0.1:5432 (trust auth).
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION="${1:-20s}"
CONNECTIONS=32
PG_URL="${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 1; }

cargo build --release --locked --quiet
BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/rejestr"
WORK="$(mktemp -d)"
trap 'kill "${SERVER:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

run() {
    local label="$1" url="$2" port="$3"
    DATABASE_URL="$url" REJESTR_DEMO=true RUST_LOG=warn \
        "$BIN" serve --bind "127.0.0.1:$port" >"$WORK/$label.out" 2>"$WORK/$label.err" &
    SERVER=$!
    for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.1; done
    echo "== $label: $CONNECTIONS connections, $DURATION =="
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -s deploy/bench/report.lua \
        "http://127.0.0.1:$port/api/v1/reports" | grep -E "^(requests|reports/s|latency)"
    echo "peak RSS of the server: $(awk '/VmHWM/ {printf "%.1f MiB", $2/1024}' "/proc/$SERVER/status")"
    kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
    SERVER=
}

run sqlite "sqlite://$WORK/bench.db" 18090

psql "$PG_URL/postgres" -q -c "DROP DATABASE IF EXISTS rejestr_bench WITH (FORCE)" -c "CREATE DATABASE rejestr_bench"
run postgres "$PG_URL/rejestr_bench" 18091
