"""Fill a Rejestr72 SQLite database with N synthetic cases of the `demo` organisation.

Used by register.sh to measure the register's list at realistic sizes. Writes rows directly
(the intake path is measured separately by intake.sh): 70% closed, 20% assessed, 10% new.
"""
import datetime
import hashlib
import random
import sqlite3
import sys

path, count = sys.argv[1], int(sys.argv[2])
random.seed(72)
db = sqlite3.connect(path)
org = db.execute("SELECT id FROM organisations WHERE slug = 'demo'").fetchone()[0]
start = db.execute("SELECT COALESCE(MAX(seq), 0) FROM cases WHERE organisation_id = ? AND year = 2026", (org,)).fetchone()[0]
words = ["e-mail", "pendrive", "phishing", "laptop", "wydruk", "ePUAP", "BIP", "monitoring", "kadry", "podatki"]
base = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
rows = []
for i in range(count):
    seq = start + i + 1
    at = base + datetime.timedelta(minutes=i * 4)
    ts = at.isoformat(timespec="microseconds")
    state = random.choices(["closed", "assessed", "reported"], [70, 20, 10])[0]
    text = f"Zdarzenie {seq}: {random.choice(words)} i {random.choice(words)} w wydziale {random.randint(1, 40)}."
    rows.append((org, 2026, seq, state, "unclassified", "employee", text, "unknown", None, None, ts, ts, ts,
                 f"Wydział {random.randint(1, 40)}", "[]", random.randint(1, 500), "Jan Kowalski", None, None, None,
                 None, None, None, hashlib.sha256(f"bench-{path}-{seq}".encode()).hexdigest(), ts))
db.executemany(
    "INSERT INTO cases (organisation_id, year, seq, state, classification, source, description, occurred_kind,"
    " occurred_from, occurred_to, discovered_at, reported_at, aware_at, location, data_categories, subjects_estimate,"
    " reporter_name, reporter_email, reporter_phone, reporter_unit, processor_name, processor_contract,"
    " processor_aware_at, follow_token_hash, updated_at) VALUES (" + ",".join("?" * 25) + ")",
    rows,
)
db.execute(
    "INSERT INTO case_counters (organisation_id, year, last_seq) VALUES (?, 2026, ?) "
    "ON CONFLICT (organisation_id, year) DO UPDATE SET last_seq = excluded.last_seq",
    (org, start + count),
)
db.commit()
print(f"seeded {count} cases")
