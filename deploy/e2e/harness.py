"""Shared pieces of the end-to-end scripts in deploy/e2e: the `rejestr` processes, nginx as
an unprivileged load balancer, a local SMTP sink and webhook receiver, a TCP proxy that can
cut the database off, PostgreSQL scratch databases, and a small HTTP client.

Everything listens on 127.0.0.1 in the port range 18200-18299 and is stopped by
`Harness.close()`, whatever happened.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
BINARY = TARGET / "debug" / "rejestr"
PG_ADMIN = os.environ.get("E2E_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


class Failure(Exception):
    """A check of the scenario failed."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise Failure(message)
    log(f"ok: {message}")


def wait_for(predicate, timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise Failure(f"timed out after {timeout:.0f} s waiting for {what}")


# --- HTTP --------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


def request(
    method: str,
    url: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> Response:
    """One HTTP request on a fresh connection, redirects not followed."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request(method, path or "/", body=body, headers=headers or {})
        answer = connection.getresponse()
        return Response(
            answer.status,
            {k.lower(): v for k, v in answer.getheaders()},
            answer.read(),
        )
    finally:
        connection.close()


def post_json(url: str, document, timeout: float = 30) -> Response:
    return request(
        "POST",
        url,
        json.dumps(document).encode(),
        {"content-type": "application/json"},
        timeout,
    )


def post_form(url: str, fields: list[tuple[str, str]], cookie: str | None = None) -> Response:
    headers = {"content-type": "application/x-www-form-urlencoded"}
    if cookie:
        headers["cookie"] = cookie
    return request("POST", url, urllib.parse.urlencode(fields).encode(), headers)


def get(url: str, cookie: str | None = None, timeout: float = 30) -> Response:
    return request("GET", url, headers={"cookie": cookie} if cookie else {}, timeout=timeout)


def sign_in(base: str, email_address: str, password: str) -> str:
    """Signs in through the form; returns the session cookie (`name=value`)."""
    answer = post_form(
        f"{base}/logowanie",
        [("email", email_address), ("password", password), ("dalej", "/rejestr")],
    )
    if answer.status != 303 or "set-cookie" not in answer.headers:
        raise Failure(f"sign-in answered {answer.status}: {answer.text[:300]}")
    return answer.headers["set-cookie"].split(";", 1)[0]


def report(organisation: str, description: str) -> dict:
    """A valid API report (README, "The report API")."""
    return {
        "organisation": organisation,
        "description": description,
        "discovered_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "occurred": "unknown",
        "data_categories": ["identity", "national_id"],
        "subjects_estimate": 40,
        "reporter_name": "Test Obciążeniowy",
        "reporter_email": "test@przykladowo.example.pl",
    }


# --- PostgreSQL --------------------------------------------------------------------------


def psql(database: str, sql: str) -> str:
    """Runs SQL with psql; returns the unaligned, tuples-only output."""
    result = subprocess.run(
        ["psql", f"{PG_ADMIN}/{database}", "-v", "ON_ERROR_STOP=1", "-qAtX", "-c", sql],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise Failure(f"psql failed: {result.stderr.strip()}")
    return result.stdout.strip()


def fresh_database(name: str) -> str:
    """Drops and creates a scratch database; returns its URL."""
    psql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql("postgres", f"CREATE DATABASE {name}")
    return f"{PG_ADMIN}/{name}"


def drop_database(name: str) -> None:
    try:
        psql("postgres", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    except Failure as error:
        log(f"could not drop {name}: {error}")


# --- Sinks -------------------------------------------------------------------------------


@dataclass
class Mail:
    message_id: str
    recipients: list[str]
    subject: str


class SmtpSink:
    """A local SMTP server (aiosmtpd) that keeps every message it accepts."""

    def __init__(self, port: int):
        from aiosmtpd.controller import Controller

        self.mails: list[Mail] = []
        self._lock = threading.Lock()
        sink = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                message = email.message_from_bytes(
                    envelope.original_content or envelope.content, policy=email.policy.default
                )
                with sink._lock:
                    sink.mails.append(
                        Mail(
                            str(message.get("Message-ID", "")).strip(),
                            list(envelope.rcpt_tos),
                            str(message.get("Subject", "")),
                        )
                    )
                return "250 Message accepted for delivery"

        self._controller = Controller(Handler(), hostname="127.0.0.1", port=port)
        self._controller.start()
        self.url = f"smtp://127.0.0.1:{port}"

    def snapshot(self) -> list[Mail]:
        with self._lock:
            return list(self.mails)

    def close(self) -> None:
        self._controller.stop()


class WebhookSink:
    """A local HTTP server that answers 200 to every POST and keeps what it got."""

    def __init__(self, port: int):
        self.posts: list[tuple[str, str, dict]] = []
        lock = threading.Lock()
        self._lock = lock
        posts = self.posts

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("content-length", "0"))
                body = json.loads(self.rfile.read(length) or b"{}")
                with lock:
                    posts.append((self.path, self.headers.get("Idempotency-Key", ""), body))
                self.send_response(200)
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.url = f"http://127.0.0.1:{port}"

    def snapshot(self) -> list[tuple[str, str, dict]]:
        with self._lock:
            return list(self.posts)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class TcpProxy:
    """A TCP proxy (asyncio, in a thread) between the service and its database. `cut()`
    closes every open connection and refuses new ones, as a database that went away;
    `restore()` lets connections through again."""

    def __init__(self, port: int, upstream_host: str, upstream_port: int):
        self.port = port
        self._upstream = (upstream_host, upstream_port)
        self._open = True
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._server = None
        started = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(started,), daemon=True)
        self._thread.start()
        started.wait(5)

    def _run(self, started: threading.Event) -> None:
        asyncio.set_event_loop(self._loop)
        self._server = self._loop.run_until_complete(
            asyncio.start_server(self._serve, "127.0.0.1", self.port, reuse_address=True)
        )
        started.set()
        self._loop.run_forever()

    async def _serve(self, reader, writer) -> None:
        if not self._open:
            writer.transport.abort()
            return
        try:
            up_reader, up_writer = await asyncio.open_connection(*self._upstream)
        except OSError:
            writer.transport.abort()
            return
        self._writers.update({writer, up_writer})

        async def pipe(source, sink):
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                sink.transport.abort()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._writers.difference_update({writer, up_writer})

    def _call(self, function) -> None:
        done = threading.Event()

        def run():
            function()
            done.set()

        self._loop.call_soon_threadsafe(run)
        done.wait(5)

    def cut(self) -> None:
        def cut():
            self._open = False
            for writer in list(self._writers):
                writer.transport.abort()
            self._writers.clear()

        self._call(cut)

    def restore(self) -> None:
        def restore():
            self._open = True

        self._call(restore)

    def close(self) -> None:
        self.cut()

        def stop():
            if self._server is not None:
                self._server.close()
            self._loop.stop()

        self._loop.call_soon_threadsafe(stop)
        self._thread.join(5)


# --- Processes ---------------------------------------------------------------------------


@dataclass
class Server:
    """One `rejestr serve` process."""

    name: str
    port: int
    env: dict[str, str]
    workdir: Path
    process: subprocess.Popen | None = None
    log_path: Path = field(init=False)

    def __post_init__(self):
        self.log_path = self.workdir / f"{self.name}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.workdir.mkdir(parents=True, exist_ok=True)
        output = open(self.log_path, "ab")
        self.process = subprocess.Popen(
            [str(BINARY), "serve", "--bind", f"127.0.0.1:{self.port}"],
            cwd=self.workdir,
            env=self.env,
            stdout=output,
            stderr=output,
        )
        output.close()

    def wait_ready(self, timeout: float = 30) -> None:
        def ready():
            if self.process is not None and self.process.poll() is not None:
                raise Failure(f"{self.name} exited with {self.process.returncode}; see {self.log_path}")
            try:
                return get(f"{self.url}/healthz/ready", timeout=2).status == 200
            except OSError:
                return False

        wait_for(ready, timeout, f"{self.name} to be ready")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flush."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def rejestr(args: list[str], env: dict[str, str], cwd: Path, stdin: str | None = None) -> str:
    """Runs one `rejestr` command; returns its standard output, raises on failure."""
    result = subprocess.run(
        [str(BINARY), *args], cwd=cwd, env=env, capture_output=True, text=True, input=stdin
    )
    if result.returncode != 0:
        raise Failure(f"rejestr {' '.join(args)} exited {result.returncode}: {result.stderr.strip()}")
    return result.stdout


def base_env(database_url: str, **settings: str) -> dict[str, str]:
    """The environment of a `rejestr` process: the caller's, without REJESTR_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REJESTR_")}
    env.pop("DATABASE_URL", None)
    env["DATABASE_URL"] = database_url
    env.setdefault("RUST_LOG", "warn")
    env["REJESTR_ADMIN_ADDR"] = ""
    for key, value in settings.items():
        env[f"REJESTR_{key.upper()}"] = value
    return env


class Nginx:
    """nginx as an unprivileged load balancer with a generated configuration."""

    def __init__(self, workdir: Path, port: int, upstreams: list[int]):
        self.workdir = workdir
        self.port = port
        for sub in ("logs", "tmp"):
            (workdir / sub).mkdir(parents=True, exist_ok=True)
        servers = "\n".join(
            f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=3s;" for p in upstreams
        )
        user = "user root root;\n" if os.geteuid() == 0 else ""
        (workdir / "nginx.conf").write_text(
            f"""{user}daemon off;
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/logs/error.log warn;
events {{ worker_connections 512; }}
http {{
    access_log {workdir}/logs/access.log;
    client_body_temp_path {workdir}/tmp/body;
    proxy_temp_path {workdir}/tmp/proxy;
    fastcgi_temp_path {workdir}/tmp/fastcgi;
    uwsgi_temp_path {workdir}/tmp/uwsgi;
    scgi_temp_path {workdir}/tmp/scgi;
    client_max_body_size 80m;
    upstream rejestr {{
{servers}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://rejestr;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Request-Id $request_id;
            proxy_next_upstream error timeout;
            proxy_connect_timeout 2s;
            proxy_read_timeout 60s;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""
        )
        self.process = subprocess.Popen(
            ["nginx", "-p", str(workdir), "-c", str(workdir / "nginx.conf"), "-e", str(workdir / "logs/error.log")],
            stdout=subprocess.DEVNULL,
            stderr=open(workdir / "logs/stderr.log", "wb"),
        )
        self.url = f"http://127.0.0.1:{port}"

        def up():
            if self.process.poll() is not None:
                raise Failure(f"nginx exited: {(workdir / 'logs/stderr.log').read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return True
            except OSError:
                return False

        wait_for(up, 10, "nginx")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


class Harness:
    """Owns what a scenario starts, and stops it all on close."""

    def __init__(self, name: str):
        (TARGET / "e2e").mkdir(parents=True, exist_ok=True)
        self.workdir = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=TARGET / "e2e"))
        self._closers: list = []
        if not BINARY.exists():
            raise Failure(f"{BINARY} is missing: run `cargo build --locked` first")

    def on_close(self, closer) -> None:
        self._closers.append(closer)

    def close(self, keep: bool = False) -> None:
        for closer in reversed(self._closers):
            try:
                closer()
            except Exception as error:  # cleanup must go on
                log(f"cleanup: {error}")
        if keep:
            log(f"logs kept in {self.workdir}")
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)


def outbox_id(message_id: str) -> int | None:
    match = re.fullmatch(r"<outbox-(\d+)@rejestr72>", message_id)
    return int(match.group(1)) if match else None


def main(scenario) -> None:
    """Runs `scenario(harness)`; exit 0 when every check passed, 1 otherwise."""
    harness = Harness(scenario.__name__)
    ok = False
    try:
        scenario(harness)
        ok = True
    except Failure as error:
        log(f"FAILED: {error}")
    finally:
        harness.close(keep=not ok)
    log("PASSED" if ok else "FAILED")
    sys.exit(0 if ok else 1)
