"""Fill a Rejestr72 SQLite database with N open obligations of the `demo` organisation, all
with their next escalation step in the future except `due` of them, whose cases became known
40 hours ago: past the ladder's 50 % rung, so a tick has steps to write. Used by tick.sh."""
import datetime
import sqlite3
import sys

path, count, due = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
db = sqlite3.connect(path)
db.execute("PRAGMA synchronous=OFF")
org = db.execute("SELECT id FROM organisations WHERE slug = 'demo'").fetchone()[0]
now = datetime.datetime.now(datetime.timezone.utc)
fmt = lambda t: t.isoformat(timespec="microseconds")
start_seq = db.execute("SELECT COALESCE(MAX(seq), 0) FROM cases WHERE organisation_id = ?", (org,)).fetchone()[0]
batch_cases, batch_obl = [], []
for i in range(count):
    seq = start_seq + i + 1
    aware = now - datetime.timedelta(hours=40) if i < due else now - datetime.timedelta(minutes=5)
    batch_cases.append((org, 2026, seq, "assessed", "personal_data_breach", "employee", f"Zdarzenie {seq}", "unknown",
                        fmt(aware), fmt(aware), fmt(aware), "[]", f"bench-{seq}", fmt(aware)))
    if len(batch_cases) == 10000 or i == count - 1:
        db.executemany(
            "INSERT INTO cases (organisation_id, year, seq, state, classification, source, description, occurred_kind,"
            " discovered_at, reported_at, aware_at, data_categories, follow_token_hash, updated_at)"
            " VALUES (" + ",".join("?" * 14) + ")", batch_cases)
        batch_cases = []
first_case = db.execute("SELECT MIN(id) FROM cases WHERE seq > ? AND organisation_id = ?", (start_seq, org)).fetchone()[0]
for i in range(count):
    aware = now - datetime.timedelta(hours=40) if i < due else now - datetime.timedelta(minutes=5)
    deadline = aware + datetime.timedelta(hours=72)
    # Due ones: their next look is now; the others at the 50 % rung, 36 hours away.
    next_step = now - datetime.timedelta(seconds=1) if i < due else aware + datetime.timedelta(hours=36)
    batch_obl.append((first_case + i, org, "notify_sa", "pending", fmt(aware), fmt(deadline), fmt(next_step), fmt(now), fmt(now)))
    if len(batch_obl) == 10000 or i == count - 1:
        db.executemany(
            "INSERT INTO obligations (case_id, organisation_id, kind, state, start_at, deadline, next_step_at, created_at, updated_at)"
            " VALUES (?,?,?,?,?,?,?,?,?)", batch_obl)
        batch_obl = []
db.commit()
# Fold the bulk insert into the database file now, so the first tick does not pay for it.
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
print(f"seeded {count} open obligations, {due} of them due")
