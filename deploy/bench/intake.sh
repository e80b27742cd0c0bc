#!/usr/bin/env bash
# Benchmark of intake and of the server process: POST /api/v1/reports on loopback, on SQLite
# (embedded default) and on PostgreSQL, with durable commits (SQLite WAL + synchronous=FULL,
# PostgreSQL synchronous_commit=on: a 201 means the report is on disk). Also measures the
# start-up time (process start to /healthz/ready answering 200) and the resident memory (RSS)
# idle and under load. Not a test: it prints figures.
#
#   deploy/bench/intake.sh [duration, default 20s] [connections, default "1 32"]
#
# Needs wrk (apt-get install wrk) and PostgreSQL on 127.0.0.1:5432 (trust auth).
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION="${1:-20s}"
CONNECTIONS="${2:-1 32}"
PG_URL="${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk"; exit 1; }

cargo build --release --locked --quiet
BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/rejestr"
WORK="$(mktemp -d)"
trap 'kill "${SERVER:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

rss() { awk '/VmRSS/ {printf "%.1f MiB", $2/1024}' "/proc/$SERVER/status"; }
peak() { awk '/VmHWM/ {printf "%.1f MiB", $2/1024}' "/proc/$SERVER/status"; }

# Starts the server; STARTUP_MS is how long it took to answer /healthz/ready with 200.
start() {
    local label="$1" url="$2" port="$3" s e
    s=$(date +%s%N)
    DATABASE_URL="$url" REJESTR_DEMO=true RUST_LOG=warn REJESTR_ADMIN_ADDR="127.0.0.1:$((port + 1000))" \
        "$BIN" serve --bind "127.0.0.1:$port" >>"$WORK/$label.out" 2>>"$WORK/$label.err" &
    SERVER=$!
    until curl -sf -o /dev/null "http://127.0.0.1:$port/healthz/ready"; do
        kill -0 "$SERVER" 2>/dev/null || { cat "$WORK/$label.err"; exit 1; }
        sleep 0.005
    done
    e=$(date +%s%N)
    STARTUP_MS=$(( (e - s) / 1000000 ))
}

stop() { kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=; }

run() {
    local label="$1" url="$2" port="$3" first again
    start "$label" "$url" "$port"
    first=$STARTUP_MS
    stop
    start "$label" "$url" "$port"
    again=$STARTUP_MS
    echo "== $label =="
    echo "start-up to ready: ${first} ms on an empty database (migrations + demo organisation), ${again} ms on a migrated one"
    sleep 2
    echo "RSS idle after start: $(rss)"
    for c in $CONNECTIONS; do
        echo "-- $c connection(s), $DURATION --"
        wrk -t1 -c"$c" -d"$DURATION" --latency -s deploy/bench/report.lua \
            "http://127.0.0.1:$port/api/v1/reports" | grep -E "^(requests|reports/s|latency)"
    done
    echo "RSS peak under load: $(peak); idle after the load: $(rss)"
    stop
    echo "reports stored: $(eval "$4")"
}

run sqlite "sqlite://$WORK/bench.db" 18090 "sqlite3 '$WORK/bench.db' 'SELECT count(*) FROM cases'"

psql -q "$PG_URL/postgres" -c "DROP DATABASE IF EXISTS rejestr_bench WITH (FORCE)" -c "CREATE DATABASE rejestr_bench"
run postgres "$PG_URL/rejestr_bench" 18091 "psql -qtA '$PG_URL/rejestr_bench' -c 'SELECT count(*) FROM cases'"
psql -q "$PG_URL/postgres" -c "DROP DATABASE IF EXISTS rejestr_bench WITH (FORCE)"
