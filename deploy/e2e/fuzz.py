"""Schemathesis against the OpenAPI document of a running server (deploy/e2e/README.md).

A server with the demo offices on a fresh SQLite database, then on a fresh PostgreSQL
database (FUZZ_BACKENDS="sqlite postgres" by default); the IOD's personal API token is sent
with every request. Two passes with the `not_a_server_error` check: one with values
generated for every parameter (mostly unknown offices and cases: the 404 paths), one with the
demo office's existing case as path parameters (the register's own logic). Any 5xx fails.
"""

from __future__ import annotations

import os
import subprocess
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from harness import Server, base_env, check, drop_database, fresh_database, log, main, rejestr

PORT = 18270
PG_DATABASE = "rejestr_fuzz"
BACKENDS = os.environ.get("FUZZ_BACKENDS", "sqlite postgres").split()
SEED = os.environ.get("FUZZ_SEED", "7272")
EXAMPLES = os.environ.get("FUZZ_EXAMPLES", "60")
SCHEMATHESIS = Path(os.environ.get("SCHEMATHESIS", "schemathesis"))


def schemathesis(workdir: Path, url: str, token: str, name: str, config: Path | None) -> None:
    command = [str(SCHEMATHESIS)]
    if config is not None:
        command += ["--config-file", str(config)]
    command += [
        "run",
        f"{url}/api/v1/openapi.json",
        "--checks",
        "not_a_server_error",
        "--header",
        f"Authorization: Bearer {token}",
        "--max-examples",
        EXAMPLES,
        "--seed",
        SEED,
        "--workers",
        "2",
        "--no-color",
        "--report",
        "junit",
        "--report-junit-path",
        str(workdir / f"schemathesis-{name}.xml"),
    ]
    started = time.monotonic()
    result = subprocess.run(command, cwd=workdir, capture_output=True, text=True)
    summary = [line.strip() for line in result.stdout.splitlines() if " generated, " in line]
    log(f"schemathesis ({name}, {time.monotonic() - started:.0f} s): {'; '.join(summary)}")
    if result.returncode != 0:
        print(result.stdout[-6000:])
    check(result.returncode == 0, f"schemathesis ({name}) found no 5xx")


def fuzz_one(h, backend: str) -> None:
    workdir = h.workdir / backend
    workdir.mkdir()
    if backend == "postgres":
        url = fresh_database(PG_DATABASE)
        h.on_close(lambda: drop_database(PG_DATABASE))
    else:
        url = f"sqlite://{workdir / 'rejestr.db'}"
    env = base_env(url)
    rejestr(["demo"], env, workdir)
    out = rejestr(["token", "create", "--email", "iod@przykladowo.example.pl", "--name", "schemathesis"], env, workdir)
    token = next(line for line in out.splitlines() if line.startswith("r72_"))
    server = Server("server", PORT, env, workdir)
    server.start()
    h.on_close(server.stop)
    server.wait_ready()

    schemathesis(workdir, server.url, token, f"{backend}-generated", None)
    config = workdir / "schemathesis.toml"
    year = datetime.now(ZoneInfo("Europe/Warsaw")).year
    config.write_text(f'[parameters]\norg = "demo"\nyear = {year}\nseq = 1\n')
    schemathesis(workdir, server.url, token, f"{backend}-demo-case", config)
    check(server.process.poll() is None, f"the server on {backend} is still running")
    server.stop()


def fuzz(h) -> None:
    for backend in BACKENDS:
        log(f"== {backend}")
        fuzz_one(h, backend)


if __name__ == "__main__":
    main(fuzz)
