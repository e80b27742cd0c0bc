"""Backup and restore as deploy/README.md describes them, checked while the server takes
reports (deploy/e2e/README.md):

  SQLite      `sqlite3 rejestr.db ".backup …"` and `VACUUM INTO …` under load;
  PostgreSQL  `pg_dump -Fc` under load, `pg_restore` into a new database.

For every copy: `PRAGMA integrity_check` (SQLite), every report acknowledged before the
backup began is in it, its numbers have no gaps, as many cases as `case.reported` audit
events, `rejestr verify-audit` passes, and a server started on the restored copy is ready,
shows an old report's follow page and gives the next number to a new report.
"""

from __future__ import annotations

import shutil
import subprocess

from harness import (
    PG_ADMIN,
    Failure,
    Server,
    base_env,
    check,
    drop_database,
    fresh_database,
    get,
    log,
    main,
    post_json,
    psql,
    rejestr,
    report,
)
from resilience import ORGS, Load, sqlite_query

PORT = 18280
RESTORED_PORT = 18281
SOURCE_DB = "rejestr_backup_source"
RESTORED_DB = "rejestr_backup_restored"


def run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise Failure(f"{' '.join(command)} exited {result.returncode}: {result.stderr.strip()}")


def check_copy(name: str, query, env, workdir, before: list[tuple[str, str]]) -> None:
    """The checks every restored copy must pass."""
    rows = query("SELECT o.slug || ' ' || c.seq FROM cases c JOIN organisations o ON o.id = c.organisation_id").split()
    numbers: dict[str, list[int]] = {org: [] for org in ORGS}
    for slug, seq in zip(rows[::2], rows[1::2]):
        numbers[slug].append(int(seq))
    missing = [(org, n) for org, n in before if int(n.split("/")[0]) not in numbers[org]]
    check(not missing, f"{name}: the {len(before)} reports acknowledged before the backup began are in it")
    for org, seqs in numbers.items():
        check(sorted(seqs) == list(range(1, len(seqs) + 1)), f"{name}: the numbers of {org} have no gaps (1..{len(seqs)})")
    cases = int(query("SELECT count(*) FROM cases"))
    reported = int(query("SELECT count(*) FROM audit_events WHERE action = 'case.reported'"))
    check(cases == reported, f"{name}: {cases} cases and as many case.reported audit events")
    out = rejestr(["verify-audit"], env, workdir)
    check("BROKEN" not in out and out.count(": OK") == len(ORGS), f"{name}: rejestr verify-audit passes")

    server = Server(f"restored-{name}", RESTORED_PORT, env, workdir)
    server.start()
    try:
        server.wait_ready()
        created = post_json(f"{server.url}/api/v1/reports", report("demo", "Pierwsze zgłoszenie po odtworzeniu kopii."))
        check(created.status == 201, f"{name}: a server on the restored copy accepts a report")
        number = created.json()["number"]
        check(int(number.split("/")[0]) == len(numbers["demo"]) + 1, f"{name}: it gets the next number, {number}")
        follow = get(created.json()["status_url"])
        check(follow.status == 200 and number in follow.text, f"{name}: its follow page answers")
    finally:
        server.stop()


def sqlite_backup(h) -> None:
    workdir = h.workdir / "sqlite"
    workdir.mkdir()
    db = workdir / "rejestr.db"
    env = base_env(f"sqlite://{db}")
    server = Server("server", PORT, env, workdir)
    server.start()
    h.on_close(server.stop)
    server.wait_ready()
    load = Load(server.url, clients=4)
    try:
        load.wait_for_more(50)
        before_backup = list(load.acknowledged)
        run(["sqlite3", str(db), f".backup '{workdir / 'kopia-backup.db'}'"])
        load.wait_for_more(20)
        before_vacuum = list(load.acknowledged)
        run(["sqlite3", str(db), f"VACUUM INTO '{workdir / 'kopia-vacuum.db'}'"])
        load.wait_for_more(20)
    finally:
        load.stop()
    server.stop()
    log(f"SQLite: {len(load.acknowledged)} reports acknowledged during the backups")
    for name, before in (("kopia-backup", before_backup), ("kopia-vacuum", before_vacuum)):
        restored = workdir / name / "rejestr.db"
        restored.parent.mkdir()
        shutil.copy(workdir / f"{name}.db", restored)
        check(sqlite_query(restored, "PRAGMA integrity_check") == "ok", f"{name}: PRAGMA integrity_check ok")
        check_copy(name, lambda sql, path=restored: sqlite_query(path, sql), base_env(f"sqlite://{restored}"), restored.parent, before)


def postgres_backup(h) -> None:
    workdir = h.workdir / "postgres"
    workdir.mkdir()
    url = fresh_database(SOURCE_DB)
    h.on_close(lambda: drop_database(SOURCE_DB))
    h.on_close(lambda: drop_database(RESTORED_DB))
    env = base_env(url, demo="true")
    server = Server("server", PORT, env, workdir)
    server.start()
    h.on_close(server.stop)
    server.wait_ready()
    dump = workdir / "rejestr.dump"
    load = Load(server.url, clients=4)
    try:
        load.wait_for_more(50)
        before = list(load.acknowledged)
        run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", url])
        load.wait_for_more(20)
    finally:
        load.stop()
    server.stop()
    log(f"PostgreSQL: {len(load.acknowledged)} reports acknowledged around pg_dump")
    restored_url = fresh_database(RESTORED_DB)
    run(["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored_url}", str(dump)])
    check_copy("pg_restore", lambda sql: psql(RESTORED_DB, sql), base_env(restored_url), workdir, before)


def backup(h) -> None:
    log("== SQLite")
    sqlite_backup(h)
    log(f"== PostgreSQL ({PG_ADMIN})")
    postgres_backup(h)


if __name__ == "__main__":
    main(backup)
