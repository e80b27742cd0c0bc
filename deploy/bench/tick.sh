#!/usr/bin/env bash
# Benchmark of the scheduler tick: with 100,000 and 1,000,000 open obligations of which only
# 100 are due, a tick must cost what the due steps cost (an indexed read of next_step_at),
# not what the cases cost. Prints the wall time of `rejestr tick` (process start included)
# and of a tick with nothing due. Not a test: it prints figures.
#   deploy/bench/tick.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --locked --quiet
BIN="${CARGO_TARGET_DIR:-$PWD/target}/release/rejestr"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
for n in 100000 1000000; do
    URL="sqlite://$WORK/tick-$n.db"
    "$BIN" migrate --database-url "$URL" >/dev/null
    "$BIN" demo --database-url "$URL" >/dev/null
    python3 deploy/bench/seed_obligations.py "$WORK/tick-$n.db" "$n" 100
    baseline=$(ms "$BIN" tick --dry-run --now 2000-01-01T00:00:00Z --database-url "$URL")
    first=$(ms "$BIN" tick --database-url "$URL")
    steps=$("$BIN" tick --dry-run --database-url "$URL" | wc -l)
    second=$(ms "$BIN" tick --database-url "$URL")
    # Steady state: make 100 obligations due again and tick once more (the first write after
    # the bulk load above also pays one-off costs of the fresh database file).
    python3 - "$WORK/tick-$n.db" <<'PY'
import datetime, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
due = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(seconds=1)).isoformat(timespec="microseconds")
db.execute("UPDATE obligations SET next_step_at = ? WHERE id IN (SELECT id FROM obligations ORDER BY id DESC LIMIT 100)", (due,))
db.commit()
PY
    steady=$(ms "$BIN" tick --database-url "$URL")
    echo "== $n open obligations, 100 due =="
    echo "rejestr tick with nothing due (process start + DB open): ${baseline} ms"
    echo "rejestr tick handling 100 due obligations: ${steady} ms (first write after the bulk load: ${first} ms)"
    echo "the next tick (nothing new, ${steps} pending): ${second} ms"
done
