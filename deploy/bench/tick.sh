#!/usr/bin/env bash
# Benchmark of the scheduler tick: with 100,000 and 1,000,000 open obligations of which only
# 100 are due, a tick must cost what the due steps cost (an indexed read of next_step_at),
# not what the cases cost. On SQLite and on PostgreSQL. Prints, for each size:
#   - the tick itself as `rejestr tick` measures it (one write transaction: the due steps
#     read, decided, written to the outbox and the audit trail, committed), and
#   - the wall time of the whole `rejestr tick` process (start, connect, tick, exit).
# Not a test: it prints figures.
#   deploy/bench/tick.sh [sizes, default "100000 1000000"]
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZES="${1:-100000 1000000}"
PG_URL="${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
cargo build --release --locked --quiet
BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/rejestr"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Runs `rejestr tick` with the given arguments; prints "<tick ms> <process ms> <steps>".
tick() {
    local s e err
    s=$(date +%s%N)
    err=$("$BIN" tick "$@" 2>&1 >/dev/null)
    e=$(date +%s%N)
    # "rejestr tick: 100 step(s) in 12.3 ms"
    echo "$(sed -n 's/.* in \([0-9.]*\) ms.*/\1/p' <<<"$err") $(( (e - s) / 1000000 )) $(sed -n 's/^rejestr tick: \([0-9]*\) step.*/\1/p' <<<"$err")"
}

# Makes 100 more obligations due (round $3: the 100 below the previous round's, so none has
# fired before): their cases became known 40 hours ago, past the ladder's 50 % rung. The steady
# state: every tick finds a few steps due among many waiting obligations.
make_due() {
    local backend="$1" url="$2" round="$3"
    if [ "$backend" = sqlite ]; then
        python3 - "${url#sqlite://}" "$round" <<'PY'
import datetime, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
now = datetime.datetime.now(datetime.timezone.utc)
fmt = lambda t: t.isoformat(timespec="microseconds")
aware = now - datetime.timedelta(hours=40)
db.execute(
    "UPDATE obligations SET start_at = ?, deadline = ?, next_step_at = ?, decided_until = NULL"
    " WHERE id IN (SELECT id FROM obligations ORDER BY id DESC LIMIT 100 OFFSET ?)",
    (fmt(aware), fmt(aware + datetime.timedelta(hours=72)), fmt(now - datetime.timedelta(seconds=1)), 100 * int(sys.argv[2])),
)
db.commit()
PY
    else
        psql -q "$url" -c "UPDATE obligations SET start_at = now() - interval '40 hours', deadline = now() + interval '32 hours', next_step_at = now() - interval '1 second', decided_until = NULL WHERE id IN (SELECT id FROM obligations ORDER BY id DESC LIMIT 100 OFFSET 100 * $round)"
    fi
}

for backend in sqlite postgres; do
    for n in $SIZES; do
        if [ "$backend" = sqlite ]; then
            URL="sqlite://$WORK/tick-$n.db"
        else
            psql -q "$PG_URL/postgres" -c "DROP DATABASE IF EXISTS rejestr_bench_tick WITH (FORCE)" -c "CREATE DATABASE rejestr_bench_tick"
            URL="$PG_URL/rejestr_bench_tick"
        fi
        "$BIN" migrate --database-url "$URL" >/dev/null
        "$BIN" demo --database-url "$URL" >/dev/null
        if [ "$backend" = sqlite ]; then
            python3 deploy/bench/seed_obligations.py "$WORK/tick-$n.db" "$n" 100 >/dev/null
        else
            psql -q "$URL" -v count="$n" -v due=100 -f deploy/bench/seed_obligations.sql >/dev/null
        fi
        read -r idle_tick idle_proc _ < <(tick --dry-run --now 2000-01-01T00:00:00Z --database-url "$URL")
        read -r first_tick first_proc first_steps < <(tick --database-url "$URL")
        read -r next_tick next_proc _ < <(tick --database-url "$URL")
        best_tick=""; best_proc=""; best_steps=""
        for round in 0 1 2; do
            make_due "$backend" "$URL" "$round"
            read -r t p s < <(tick --database-url "$URL")
            if [ -z "$best_tick" ] || awk "BEGIN{exit !($t < $best_tick)}"; then best_tick=$t; best_proc=$p; best_steps=$s; fi
        done
        echo "== $backend: $n open obligations, 100 due =="
        echo "tick with 100 due obligations: ${best_tick} ms, ${best_steps} steps written (process ${best_proc} ms; best of 3). The first tick after the bulk load: ${first_tick} ms, ${first_steps} steps (process ${first_proc} ms)"
        echo "tick with nothing due: ${next_tick} ms (process ${next_proc} ms); dry run in the past: ${idle_tick} ms (process ${idle_proc} ms)"
        [ "$backend" = sqlite ] && rm -f "$WORK/tick-$n.db"*
    done
done
psql -q "$PG_URL/postgres" -c "DROP DATABASE IF EXISTS rejestr_bench_tick WITH (FORCE)"
