"""Resilience of one `rejestr serve` (deploy/e2e/README.md):

  kill9-sqlite, kill9-postgres
      reports from eight clients at once while the server is killed with SIGKILL and
      started again, three times: every acknowledged report is stored, the numbers have no
      gaps, the audit chains verify (and on SQLite `PRAGMA integrity_check` is ok);
  database-away
      PostgreSQL behind a TCP proxy that is cut under load: clean 503s (JSON for the API, a
      Polish page for people), liveness stays up, readiness goes down; when the proxy is back
      the same process serves again and nothing acknowledged is missing;
  sqlite-read-only
      a server started on a read-only SQLite database (a read-only file system as root, a
      write-protected file otherwise) stops with a message that says so, and the database is
      intact;
  sqlite-full-disk
      the SQLite database on a 4 MiB tmpfs fills up: 503s, never a 500, never a lost
      acknowledgement, and writing resumes once space is freed; integrity_check is ok.

The full-disk scenario mounts a tmpfs and needs root; without root it is reported as
skipped. Run all: `resilience.py`; some: `resilience.py kill9-sqlite ...`.
"""

from __future__ import annotations

import base64
import collections
import os
import subprocess
import sys
import threading
import time

from harness import (
    BINARY,
    Failure,
    Server,
    TcpProxy,
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
    wait_for,
)

PORT = 18240
PROXY_PORT = 18241
ORGS = ["demo", "sp1-przykladowo"]
PG_DATABASE = "rejestr_resilience"


class Load:
    """Clients posting reports until stopped; keeps what was acknowledged."""

    def __init__(self, url: str, clients: int = 8, attachment: bytes | None = None):
        self.url = url
        self.attachment = attachment
        self.acknowledged: list[tuple[str, str]] = []
        self.answers: collections.Counter = collections.Counter()
        self.slowest = 0.0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._count = 0
        self._threads = [threading.Thread(target=self._client, args=(i,), daemon=True) for i in range(clients)]
        for thread in self._threads:
            thread.start()

    def _client(self, client: int) -> None:
        i = 0
        while not self._stop.is_set():
            i += 1
            org = ORGS[(client + i) % len(ORGS)]
            document = report(org, f"Zgłoszenie {client}-{i} w teście odporności.")
            if self.attachment is not None:
                document["attachments"] = [
                    {"filename": "skan.pdf", "content_base64": base64.b64encode(self.attachment).decode()}
                ]
            started = time.monotonic()
            try:
                answer = post_json(f"{self.url}/api/v1/reports", document, timeout=30)
            except OSError as error:
                with self._lock:
                    self.answers[type(error).__name__] += 1
                time.sleep(0.05)
                continue
            elapsed = time.monotonic() - started
            with self._lock:
                self.answers[answer.status] += 1
                if answer.status == 201:
                    self.acknowledged.append((org, answer.json()["number"]))
                    self._count += 1
                elif answer.status >= 500:
                    self.slowest = max(self.slowest, elapsed)
                    body = answer.json()
                    if answer.status != 503 or body["error"]["code"] != "storage_unavailable":
                        self.answers[f"unexpected {answer.status}: {answer.text[:120]}"] += 1
            if answer.status != 201:
                time.sleep(0.05)

    def acknowledged_count(self) -> int:
        with self._lock:
            return self._count

    def wait_for_more(self, n: int, timeout: float = 30) -> None:
        goal = self.acknowledged_count() + n
        wait_for(lambda: self.acknowledged_count() >= goal, timeout, f"{n} more acknowledged reports")

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(40)


def sqlite_query(path, sql: str) -> str:
    result = subprocess.run(["sqlite3", "-readonly", str(path), sql], capture_output=True, text=True)
    if result.returncode != 0:
        raise Failure(f"sqlite3 failed: {result.stderr.strip()}")
    return result.stdout.strip()


def stored_numbers(query) -> dict[str, list[int]]:
    rows = query(
        "SELECT o.slug || ' ' || c.seq FROM cases c JOIN organisations o ON o.id = c.organisation_id"
    ).splitlines()
    numbers: dict[str, list[int]] = collections.defaultdict(list)
    for row in rows:
        slug, seq = row.split(" ")
        numbers[slug].append(int(seq))
    return numbers


def nothing_lost(load: Load, query, what: str) -> None:
    numbers = stored_numbers(query)
    stored = {(slug, seq) for slug, seqs in numbers.items() for seq in seqs}
    acknowledged = {(org, int(number.split("/")[0])) for org, number in load.acknowledged}
    lost = sorted(acknowledged - stored)
    check(not lost, f"{what}: all {len(acknowledged)} acknowledged reports are stored (lost: {lost[:5]})")
    check(len(acknowledged) == len(load.acknowledged), f"{what}: no number was acknowledged twice")
    for slug, seqs in numbers.items():
        check(sorted(seqs) == list(range(1, len(seqs) + 1)), f"{what}: the numbers of {slug} have no gaps (1..{len(seqs)})")
    unexpected = {k: v for k, v in load.answers.items() if isinstance(k, str) and k.startswith("unexpected")}
    check(not unexpected and 500 not in load.answers, f"{what}: no 500 and no unexpected error ({dict(load.answers)})")


def verify_audit(env, cwd) -> None:
    out = rejestr(["verify-audit"], env, cwd)
    check("BROKEN" not in out and out.count(": OK") == len(ORGS), "the audit chains verify")


def integrity(path) -> None:
    check(sqlite_query(path, "PRAGMA integrity_check") == "ok", "PRAGMA integrity_check: ok")


def kill9(h, env, workdir, query, what: str) -> None:
    server = Server("server", PORT, env, workdir)
    server.start()
    h.on_close(server.stop)
    server.wait_ready()
    load = Load(server.url)
    try:
        for round_ in range(1, 4):
            load.wait_for_more(40)
            server.kill()
            log(f"{what}: SIGKILL {round_} after {load.acknowledged_count()} acknowledged reports")
            time.sleep(0.3)
            server.start()
            server.wait_ready()
        load.wait_for_more(20)
    finally:
        load.stop()
    server.stop()
    log(f"{what}: answers {dict(load.answers)}")
    nothing_lost(load, query, what)
    verify_audit(env, workdir)


def kill9_sqlite(h) -> None:
    workdir = h.workdir / "kill9-sqlite"
    workdir.mkdir()
    db = workdir / "rejestr.db"
    env = base_env(f"sqlite://{db}")
    kill9(h, env, workdir, lambda sql: sqlite_query(db, sql), "SQLite")
    integrity(db)


def kill9_postgres(h) -> None:
    workdir = h.workdir / "kill9-postgres"
    workdir.mkdir()
    url = fresh_database(PG_DATABASE)
    h.on_close(lambda: drop_database(PG_DATABASE))
    env = base_env(url, demo="true")
    kill9(h, env, workdir, lambda sql: psql(PG_DATABASE, sql), "PostgreSQL")
    drop_database(PG_DATABASE)


def database_away(h) -> None:
    workdir = h.workdir / "database-away"
    workdir.mkdir()
    fresh_database(PG_DATABASE)
    h.on_close(lambda: drop_database(PG_DATABASE))
    proxy = TcpProxy(PROXY_PORT, "127.0.0.1", 5432)
    h.on_close(proxy.close)
    proxied = f"postgres://postgres@127.0.0.1:{PROXY_PORT}/{PG_DATABASE}"
    env = base_env(proxied, demo="true")
    server = Server("server", PORT, env, workdir)
    server.start()
    h.on_close(server.stop)
    server.wait_ready()
    pid = server.process.pid
    token = post_json(f"{server.url}/api/v1/reports", report("demo", "Zgłoszenie przed awarią bazy.")).json()["follow_token"]

    load = Load(server.url)
    try:
        load.wait_for_more(30)
        proxy.cut()
        cut_at = load.acknowledged_count()
        log(f"database cut off after {cut_at} acknowledged reports")
        time.sleep(2)
        answer = post_json(f"{server.url}/api/v1/reports", report("demo", "Zgłoszenie w czasie awarii bazy."))
        check(
            answer.status == 503 and answer.json()["error"]["code"] == "storage_unavailable",
            f"the API answers 503 storage_unavailable: {answer.text[:140]}",
        )
        page = get(f"{server.url}/o/demo/zglos")
        check(page.status == 503 and "chwilowo niedostępny" in page.text, "the report form answers a Polish 503 page")
        follow = get(f"{server.url}/s/{token}")
        check(follow.status == 503 and "chwilowo niedostępny" in follow.text, "the follow page answers a Polish 503 page")
        ready = get(f"{server.url}/healthz/ready")
        check(ready.status == 503 and ready.json()["database"] == "unavailable", "not ready while the database is away")
        check(get(f"{server.url}/healthz/live").status == 200, "still alive while the database is away")
        during = load.acknowledged_count()
        time.sleep(3)
        check(load.acknowledged_count() == during, "nothing is acknowledged while the database is away")
        proxy.restore()
        log("database back")
        load.wait_for_more(30, timeout=20)
    finally:
        load.stop()
    check(server.process.poll() is None and server.process.pid == pid, "the same process serves again: no restart needed")
    check(get(f"{server.url}/healthz/ready").status == 200, "ready again")
    log(f"answers {dict(load.answers)}; slowest 503 {load.slowest:.2f} s")
    check(load.answers[503] > 0, "the clients saw 503s during the outage")
    check(load.slowest < 5, f"the 503s came at once (slowest {load.slowest:.2f} s)")
    nothing_lost(load, lambda sql: psql(PG_DATABASE, sql), "database away")
    verify_audit(base_env(f"postgres://postgres@127.0.0.1:5432/{PG_DATABASE}"), workdir)
    server.stop()
    drop_database(PG_DATABASE)


def mount_tmpfs(h, path, size: str) -> bool:
    if os.geteuid() != 0:
        log(f"SKIPPED: mounting a tmpfs ({size}) needs root")
        return False
    path.mkdir(parents=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(path)], check=True)
    h.on_close(lambda: subprocess.run(["umount", "-l", str(path)], check=False))
    return True


def start_fails(env, workdir, user: int | None = None) -> str:
    """Starts `rejestr serve`, expecting it to stop; returns its last line on stderr."""
    result = subprocess.run(
        [str(BINARY), "serve", "--bind", f"127.0.0.1:{PORT}"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        user=user,
        group=user,
    )
    if result.returncode == 0:
        raise Failure("the server started on a read-only database")
    lines = result.stderr.strip().splitlines()
    return lines[-1] if lines else ""


def sqlite_read_only(h) -> None:
    """A database that cannot be written is refused at start with a message that says so;
    SQLite alone would open it read-only without a word, then fail every write. (The file
    system turning read-only under a running server cannot be simulated here: Linux refuses
    to remount a file system read-only while the server holds its files open for writing. A
    write failing at run time is the full-disk scenario.)"""
    workdir = h.workdir / "read-only"
    workdir.mkdir()
    if os.geteuid() == 0:
        disk = workdir / "disk"
        if not mount_tmpfs(h, disk, "16m"):
            return
        db = disk / "rejestr.db"
        env = base_env(f"sqlite://{db}")
        rejestr(["demo"], env, workdir)
        before = sqlite_query(db, "SELECT count(*) FROM cases")
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        message = start_fails(env, workdir)
        subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=True)
        check(
            "cannot write the database" in message and "Read-only file system" in message,
            f"a start on a read-only file system stops with a clear message: {message!r}",
        )
    else:
        db = workdir / "rejestr.db"
        env = base_env(f"sqlite://{db}")
        rejestr(["demo"], env, workdir)
        before = sqlite_query(db, "SELECT count(*) FROM cases")
        db.chmod(0o444)
        message = start_fails(env, workdir)
        db.chmod(0o644)
        check(
            "cannot write the database" in message and "Permission denied" in message,
            f"a start on a write-protected database file stops with a clear message: {message!r}",
        )
    check(sqlite_query(db, "SELECT count(*) FROM cases") == before, f"the {before} cases are intact")
    integrity(db)
    verify_audit(env, workdir)


def sqlite_full_disk(h) -> None:
    workdir = h.workdir / "full-disk"
    disk = workdir / "disk"
    if not mount_tmpfs(h, disk, "4m"):
        return
    ballast = disk / "ballast"
    ballast.write_bytes(b"\0" * 1024 * 1024)
    db = disk / "rejestr.db"
    env = base_env(f"sqlite://{db}")
    server = Server("server", PORT, env, workdir)
    server.start()
    h.on_close(server.stop)
    server.wait_ready()
    pid = server.process.pid
    load = Load(server.url, clients=4, attachment=b"%PDF-1.4\n" + os.urandom(200_000))
    try:
        wait_for(lambda: load.answers[503] >= 20, 60, "the disk to fill up (20 answers 503)")
        log(f"disk full: {dict(load.answers)}")
        check(server.process.poll() is None, "the server keeps running on a full disk")
        check(get(f"{server.url}/healthz/live").status == 200, "alive on a full disk")
        ballast.unlink()
        log("1 MiB freed")
        load.wait_for_more(3, timeout=20)
    finally:
        load.stop()
    check(server.process.pid == pid and server.process.poll() is None, "the same process writes again after space was freed")
    server.stop()
    nothing_lost(load, lambda sql: sqlite_query(db, sql), "full disk")
    integrity(db)
    verify_audit(env, workdir)


SCENARIOS = {
    "kill9-sqlite": kill9_sqlite,
    "kill9-postgres": kill9_postgres,
    "database-away": database_away,
    "sqlite-read-only": sqlite_read_only,
    "sqlite-full-disk": sqlite_full_disk,
}


def resilience(h) -> None:
    chosen = sys.argv[1:] or list(SCENARIOS)
    for name in chosen:
        if name not in SCENARIOS:
            raise Failure(f"unknown scenario {name}; known: {', '.join(SCENARIOS)}")
    for name in chosen:
        log(f"== {name}")
        SCENARIOS[name](h)


if __name__ == "__main__":
    main(resilience)
