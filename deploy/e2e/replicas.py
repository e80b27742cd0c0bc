"""Three `rejestr serve` replicas behind nginx on one PostgreSQL database.

The scenario (deploy/e2e/README.md):
  1. a scratch database, migrated and seeded with the demo offices; every office posts its
     notices to a local webhook receiver, and mail goes to a local SMTP sink;
  2. three replicas behind nginx (round robin); the IOD signs in through nginx and the
     session works on every replica;
  3. reports through nginx from eight clients at once; replica 2 is killed with SIGKILL in
     the middle, then started again;
  4. six cases are assessed through nginx, so that obligations and their deadlines exist;
  5. the clock moves: at each of six instants three `rejestr tick --now` processes run at
     once, and the replicas' dispatchers deliver what the ticks wrote;
  6. checks: every acknowledged report is in the database and the numbers have no gaps;
     every escalation step was decided once (one outbox row, one tick line) and delivered
     exactly once by mail (Message-ID) and by webhook (Idempotency-Key); the PUODO ladder of
     every assessed case is complete; the audit chains verify; the replicas' gauges show
     nothing waiting.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor

from harness import (
    BINARY,
    Failure,
    Nginx,
    Server,
    SmtpSink,
    WebhookSink,
    base_env,
    check,
    drop_database,
    fresh_database,
    get,
    log,
    main,
    outbox_id,
    post_form,
    post_json,
    psql,
    rejestr,
    report,
    sign_in,
    wait_for,
)

DATABASE = "rejestr_replicas"
APP_PORTS = [18201, 18202, 18203]
ADMIN_PORTS = [18231, 18232, 18233]
NGINX_PORT = 18210
SMTP_PORT = 18220
WEBHOOK_PORT = 18221
REPORTS = 120
KILL_AFTER = 45
CLIENTS = 8
ASSESSED = 6
IOD = ("iod@przykladowo.example.pl", "demo-rejestr72")
ORGS = ["demo", "sp1-przykladowo"]
# Hours after the assessed reports at which the clock is moved: the 4-hour reminder of the
# unassessed ones, then PUODO's ladder (50 % = 36 h, 75 % = 54 h, 90 % = 64.8 h, 100 % = 72 h,
# then daily) with the CSIRT deadlines of these KSC offices in between.
INSTANTS = [5, 37, 55, 65.5, 73, 97]
PUODO_LADDER = ["50%", "75%", "90%", "100%", "overdue+1d"]


def sessions_work(base_urls: list[str], cookie: str, through: str, rounds: int) -> set[str]:
    """GET /rejestr with the cookie: directly on every replica, and `rounds` times through
    nginx; returns the upstreams nginx used."""
    for url in base_urls:
        answer = get(f"{url}/rejestr", cookie)
        check(answer.status == 200 and "demo" in answer.text, f"the session is valid on {url}")
    upstreams = set()
    for _ in range(rounds):
        answer = get(f"{through}/rejestr", cookie)
        if answer.status != 200:
            raise Failure(f"/rejestr through nginx answered {answer.status}")
        upstreams.add(answer.headers.get("x-upstream", "?"))
    return upstreams


def intake(nginx_url: str, on_count) -> tuple[list[tuple[str, str]], collections.Counter]:
    """Posts REPORTS reports through nginx from CLIENTS threads; returns the acknowledged
    (organisation, number) pairs and the other answers by status."""
    acknowledged: list[tuple[str, str]] = []
    failures: collections.Counter = collections.Counter()
    lock = threading.Lock()

    def one(i: int) -> None:
        org = ORGS[i % len(ORGS)]
        try:
            answer = post_json(f"{nginx_url}/api/v1/reports", report(org, f"Zgłoszenie testowe nr {i}: wyciek listy."))
        except OSError as error:
            with lock:
                failures[type(error).__name__] += 1
            return
        with lock:
            if answer.status == 201:
                acknowledged.append((org, answer.json()["number"]))
                count = len(acknowledged)
            else:
                failures[answer.status] += 1
                count = None
        if count is not None:
            on_count(count)

    with ThreadPoolExecutor(CLIENTS) as pool:
        list(pool.map(one, range(REPORTS)))
    return acknowledged, failures


def assess(nginx_url: str, cookie: str, org: str, number: str) -> None:
    seq, year = number.split("/")
    form = [
        ("personal_data", "tak"),
        ("confidentiality", "unknown_recipients"),
        ("malicious", "nie"),
        ("data_categories", "identity"),
        ("data_categories", "national_id"),
        ("final_classification", "personal_data_breach"),
        ("final_risk", "high"),
        ("final_notify_sa", "on"),
        ("final_notify_subjects", "on"),
        ("action", "zapisz"),
    ]
    answer = post_form(f"{nginx_url}/rejestr/{org}/sprawy/{year}/{int(seq)}/ocena", form, cookie)
    if answer.status != 303:
        raise Failure(f"assessing {org} {number} answered {answer.status}: {answer.text[:300]}")


def tick_concurrently(env: dict[str, str], cwd, now: dt.datetime) -> list[dict]:
    """Three `rejestr tick --now` processes at once; returns every line they printed."""
    instant = now.isoformat(timespec="seconds").replace("+00:00", "Z")
    processes = [
        subprocess.Popen(
            [str(BINARY), "tick", "--now", instant], cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    lines = []
    for process in processes:
        out, err = process.communicate(60)
        if process.returncode != 0:
            raise Failure(f"rejestr tick --now {instant} exited {process.returncode}: {err.strip()}")
        lines += [json.loads(line) for line in out.splitlines() if line.strip()]
    return lines


def gauge(admin_port: int, series: str) -> float | None:
    text = get(f"http://127.0.0.1:{admin_port}/metrics").text
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.split()[-1])
    return None


def replicas(h) -> None:
    database_url = fresh_database(DATABASE)
    h.on_close(lambda: drop_database(DATABASE))
    smtp = SmtpSink(SMTP_PORT)
    h.on_close(smtp.close)
    hooks = WebhookSink(WEBHOOK_PORT)
    h.on_close(hooks.close)
    nginx_url = f"http://127.0.0.1:{NGINX_PORT}"

    cli_env = base_env(database_url)
    rejestr(["migrate"], cli_env, h.workdir)
    rejestr(["demo"], cli_env, h.workdir)
    psql(DATABASE, f"UPDATE organisations SET webhook_url = '{hooks.url}/hook/' || slug")
    demo_cases = int(psql(DATABASE, "SELECT count(*) FROM cases"))

    servers = [
        Server(
            f"replica-{i + 1}",
            port,
            base_env(
                database_url,
                smtp_url=smtp.url,
                public_url=nginx_url,
                admin_addr=f"127.0.0.1:{ADMIN_PORTS[i]}",
                mail_from="Rejestr72 <rejestr72@przykladowo.example.pl>",
            ),
            h.workdir / f"replica-{i + 1}",
        )
        for i, port in enumerate(APP_PORTS)
    ]
    for server in servers:
        server.start()
        h.on_close(server.stop)
    for server in servers:
        server.wait_ready()
    nginx = Nginx(h.workdir / "nginx", NGINX_PORT, APP_PORTS)
    h.on_close(nginx.stop)
    log("three replicas behind nginx")

    # Sessions: signed in through nginx, valid on every replica.
    cookie = sign_in(nginx_url, *IOD)
    upstreams = sessions_work([s.url for s in servers], cookie, nginx_url, 12)
    check(len(upstreams) == 3, f"nginx spread the signed-in requests over all three replicas: {sorted(upstreams)}")

    # Intake with a replica killed in the middle.
    killed = threading.Event()

    def on_count(count: int) -> None:
        if count >= KILL_AFTER and not killed.is_set():
            killed.set()
            servers[1].kill()
            log(f"replica-2 killed with SIGKILL after {count} acknowledged reports")

    acknowledged, failures = intake(nginx_url, on_count)
    check(killed.is_set(), "a replica was killed during the intake")
    log(f"{len(acknowledged)} reports acknowledged, not acknowledged: {dict(failures)}")
    check(len(acknowledged) >= REPORTS - 2 * CLIENTS, "nearly every report was acknowledged despite the kill")

    rows = psql(
        DATABASE,
        "SELECT o.slug || ' ' || lpad(c.seq::text, 4, '0') || '/' || c.year FROM cases c "
        "JOIN organisations o ON o.id = c.organisation_id",
    ).splitlines()
    stored = set(rows)
    lost = [f"{org} {number}" for org, number in acknowledged if f"{org} {number}" not in stored]
    check(not lost, f"no acknowledged report was lost ({len(acknowledged)} acknowledged, {len(stored) - demo_cases} new in the database)")
    check(len(acknowledged) == len(set(acknowledged)), "no number was given twice")
    for org in ORGS:
        seqs = sorted(
            int(s)
            for s in psql(
                DATABASE,
                f"SELECT c.seq FROM cases c JOIN organisations o ON o.id = c.organisation_id WHERE o.slug = '{org}'",
            ).splitlines()
        )
        check(seqs == list(range(1, len(seqs) + 1)), f"the case numbers of {org} have no gaps (1..{len(seqs)})")

    upstreams = sessions_work([servers[0].url, servers[2].url], cookie, nginx_url, 6)
    check(len(upstreams) >= 1, f"the session still works with a replica down (served by {sorted(upstreams)})")
    servers[1].start()
    servers[1].wait_ready()
    log("replica-2 started again")

    # Assessments through nginx: obligations with deadlines.
    assessed = [pair for pair in acknowledged if pair[0] == "demo"][:ASSESSED]
    for org, number in assessed:
        assess(nginx_url, cookie, org, number)
    log(f"{len(assessed)} cases assessed: {', '.join(n for _, n in assessed)}")
    aware_at = dt.datetime.fromisoformat(
        psql(
            DATABASE,
            "SELECT to_char(max(aware_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"') FROM cases "
            "WHERE state = 'assessed'",
        )
    )

    # The clock moves; three tick processes at every instant.
    decided = collections.Counter()
    digests = collections.Counter()
    for hours in INSTANTS:
        lines = tick_concurrently(cli_env, h.workdir, aware_at + dt.timedelta(hours=hours))
        for line in lines:
            if "digest" in line:
                # A daily digest of open obligations (one per person and Warsaw day).
                digests[(line["digest"], tuple(line["recipients"]))] += 1
                continue
            decided[(line["organisation"], line["case"], line["obligation"], line["step"])] += 1
        log(f"+{hours} h: {len(lines)} steps fired across three tick processes")
    check(
        all(n == 1 for n in digests.values()),
        f"no daily digest was decided twice by the concurrent ticks ({len(digests)} digests)",
    )
    repeated = [key for key, n in decided.items() if n > 1]
    check(not repeated, f"no step was decided twice by the concurrent ticks ({len(decided)} steps)")
    outbox_rows = int(psql(DATABASE, "SELECT count(*) FROM outbox"))
    check(outbox_rows == len(decided), f"one outbox row per decided step ({outbox_rows})")

    for org, number in assessed:
        ladder = psql(
            DATABASE,
            "SELECT string_agg(x.step, ',' ORDER BY x.due_at) FROM outbox x "
            "JOIN obligations b ON b.id = x.obligation_id JOIN cases c ON c.id = x.case_id "
            f"JOIN organisations o ON o.id = c.organisation_id WHERE o.slug = '{org}' "
            f"AND c.seq = {int(number.split('/')[0])} AND b.kind = 'notify_sa'",
        )
        if ladder.split(",") != PUODO_LADDER:
            raise Failure(f"the PUODO ladder of {org} {number} is {ladder}, expected {PUODO_LADDER}")
    check(True, f"the PUODO ladder of each assessed case is complete: {','.join(PUODO_LADDER)}")

    # Delivery by the replicas' dispatchers (every 30 s).
    wait_for(
        lambda: psql(
            DATABASE,
            "SELECT (SELECT count(*) FROM outbox WHERE delivered_at IS NULL)"
            " + (SELECT count(*) FROM digests WHERE delivered_at IS NULL)",
        )
        == "0",
        95,
        "the dispatchers to deliver every outbox row",
        interval=1,
    )
    ids = {int(i) for i in psql(DATABASE, "SELECT id FROM outbox").splitlines()}
    digest_rows = int(psql(DATABASE, "SELECT count(*) FROM digests"))
    wait_for(lambda: len(smtp.snapshot()) >= len(ids) + digest_rows, 10, "the last mails")
    snapshot = smtp.snapshot()
    mails = collections.Counter(
        outbox_id(m.message_id) for m in snapshot if outbox_id(m.message_id) is not None
    )
    digest_mails = collections.Counter(
        m.message_id for m in snapshot if m.message_id.startswith("<digest-")
    )
    check(
        len(digest_mails) == digest_rows and all(n == 1 for n in digest_mails.values()),
        f"every daily digest was mailed once ({digest_rows} digests, {sum(digest_mails.values())} mails)",
    )
    check(set(mails) == ids, f"every outbox row was mailed ({len(ids)} rows, {len(mails)} distinct Message-IDs)")
    check(all(n == 1 for n in mails.values()), f"no mail was sent twice ({sum(mails.values())} mails)")
    posts = collections.Counter(key for _, key, _ in hooks.snapshot())
    expected_keys = {f"rejestr72-outbox-{i}" for i in ids}
    check(set(posts) == expected_keys, f"every outbox row was posted to its office's webhook ({len(posts)} keys)")
    check(all(n == 1 for n in posts.values()), f"no webhook was posted twice ({sum(posts.values())} posts)")
    wrong_hook = [
        (path, body) for path, _, body in hooks.snapshot() if path != f"/hook/{body['rejestr72']['organisation']}"
    ]
    check(not wrong_hook, "each notice went to its own office's webhook")

    audit = rejestr(["verify-audit"], cli_env, h.workdir)
    check("BROKEN" not in audit and audit.count(": OK") == len(ORGS), "the audit chains verify: " + audit.strip().replace("\n", "; "))

    def nothing_waiting():
        return all(gauge(port, 'rejestr_outbox_pending{queue="escalation"}') == 0 for port in ADMIN_PORTS)

    wait_for(nothing_waiting, 35, "the gauges of every replica to show an empty outbox", interval=1)
    check(True, "every replica's rejestr_outbox_pending gauge is 0")


if __name__ == "__main__":
    main(replicas)
