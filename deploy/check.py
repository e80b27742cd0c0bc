"""Offline checks of the deployment files (no container engine or cluster needed); run by
deploy/check.sh.

  kubernetes  `kubectl kustomize deploy/k8s` renders; the core kinds validate strictly
              (kubernetes-validate) for Kubernetes 1.31 and 1.37; every reference resolves
              (ConfigMap, Secrets, Service selector, Ingress backend, PDB selector, probes,
              the CloudNativePG cluster, its object store and backup schedule);
  compose     compose.yaml validates against the Compose Specification; depends_on,
              volumes and the nginx upstreams point at services that exist;
  nginx       `nginx -t` accepts the Compose proxy and the single-server configuration;
  systemd     `systemd-analyze verify` accepts the unit;
  settings    every configuration shipped here (ConfigMap, compose environment, the
              Containerfile's ENV, the systemd EnvironmentFile) is accepted by
              `rejestr migrate` (which validates the whole configuration first).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

DEPLOY = Path(__file__).resolve().parent
ROOT = DEPLOY.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
BINARY = TARGET / "debug" / "rejestr"
VENV_BIN = Path(sys.executable).parent
failures: list[str] = []


def ok(condition: bool, message: str) -> None:
    print(("ok:   " if condition else "FAIL: ") + message, flush=True)
    if not condition:
        failures.append(message)


def skip(message: str) -> None:
    print(f"skip: {message}", flush=True)


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


def accepted_by_rejestr(name: str, env: dict[str, str]) -> None:
    """`rejestr migrate` validates the whole configuration before it touches the database."""
    with tempfile.TemporaryDirectory() as tmp:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("REJESTR_") and k != "DATABASE_URL"}
        clean.update(env)
        clean["DATABASE_URL"] = f"sqlite://{tmp}/check.db"
        result = run([str(BINARY), "migrate"], cwd=tmp, env=clean)
        ok(result.returncode == 0, f"settings: {name} accepted by rejestr ({result.stderr.strip()[:200]})")


def kubernetes() -> None:
    if shutil.which("kubectl") is None:
        skip("kubernetes: kubectl not found (apt-get install kubectl, or any kubectl ≥ 1.27)")
        return
    rendered = run(["kubectl", "kustomize", str(DEPLOY / "k8s")])
    ok(rendered.returncode == 0, f"kubernetes: kubectl kustomize deploy/k8s renders {rendered.stderr.strip()}")
    if rendered.returncode != 0:
        return
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as out:
        out.write(rendered.stdout)
    for version in ("1.31", "1.37"):
        result = run([str(VENV_BIN / "kubernetes-validate"), "--strict", "--quiet", "-k", version, out.name])
        problems = [line for line in (result.stdout + result.stderr).splitlines() if "Couldn't find schema" not in line and line.strip()]
        ok(result.returncode == 0 and not problems, f"kubernetes: the core kinds validate strictly for {version} {problems}")
    os.unlink(out.name)

    docs = [d for d in yaml.safe_load_all(rendered.stdout) if d]
    by_kind: dict[str, dict[str, dict]] = {}
    for d in docs:
        by_kind.setdefault(d["kind"], {})[d["metadata"]["name"]] = d
    ok(
        {d["metadata"].get("namespace") for d in docs if d["kind"] != "Namespace"} == {"rejestr72"},
        "kubernetes: everything is in the namespace rejestr72",
    )
    deployment = by_kind["Deployment"]["rejestr"]
    spec = deployment["spec"]
    pod = spec["template"]["spec"]
    labels = spec["template"]["metadata"]["labels"]
    ok(spec["replicas"] == 3, "kubernetes: three replicas")
    ok(spec["selector"]["matchLabels"].items() <= labels.items(), "kubernetes: the Deployment selects its pods")
    cluster = next(iter(by_kind["Cluster"].values()))
    external = {f"{cluster['metadata']['name']}-app", "rejestr-smtp"}
    containers = pod["initContainers"] + pod["containers"]
    for container in containers:
        for source in container.get("envFrom", []):
            name = source["configMapRef"]["name"]
            ok(name in by_kind["ConfigMap"], f"kubernetes: {container['name']} reads the ConfigMap {name}")
        for variable in container.get("env", []):
            ref = variable.get("valueFrom", {}).get("secretKeyRef")
            if ref:
                ok(
                    ref["name"] in external,
                    f"kubernetes: {container['name']} reads {variable['name']} from the secret {ref['name']} "
                    "(made by CloudNativePG or by the operator, deploy/README.md)",
                )
    ok(pod["initContainers"][0]["args"] == ["migrate"], "kubernetes: the init container runs rejestr migrate")
    app = pod["containers"][0]
    ok(app["args"] == ["serve"], "kubernetes: the container runs rejestr serve")
    ports = {p["name"]: p["containerPort"] for p in app["ports"]}
    ok(app["readinessProbe"]["httpGet"]["path"] == "/healthz/ready", "kubernetes: readiness probe on /healthz/ready")
    ok(app["livenessProbe"]["httpGet"]["path"] == "/healthz/live", "kubernetes: liveness probe on /healthz/live")
    config = by_kind["ConfigMap"]["rejestr-config"]["data"]
    ok(config["REJESTR_BIND"].endswith(f":{ports['http']}"), "kubernetes: REJESTR_BIND matches the http port")
    ok(config["REJESTR_ADMIN_ADDR"].endswith(f":{ports['metrics']}"), "kubernetes: REJESTR_ADMIN_ADDR matches the metrics port")
    service = by_kind["Service"]["rejestr"]
    ok(service["spec"]["selector"].items() <= labels.items(), "kubernetes: the Service selects the pods")
    ok(
        {p["targetPort"] for p in service["spec"]["ports"]} <= set(ports),
        "kubernetes: the Service's target ports are named container ports",
    )
    for ingress in by_kind["Ingress"].values():
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                ok(
                    backend["name"] in by_kind["Service"]
                    and backend["port"]["name"] in {p["name"] for p in by_kind["Service"][backend["name"]]["spec"]["ports"]},
                    f"kubernetes: the Ingress routes {rule['host']} to {backend['name']}:{backend['port']['name']}",
                )
    pdb = by_kind["PodDisruptionBudget"]["rejestr"]
    ok(pdb["spec"]["selector"]["matchLabels"].items() <= labels.items(), "kubernetes: the PodDisruptionBudget covers the pods")
    ok(pdb["spec"]["minAvailable"] < spec["replicas"], "kubernetes: the PodDisruptionBudget allows a drain")
    store = cluster["spec"]["plugins"][0]["parameters"]["barmanObjectName"]
    ok(store in by_kind["ObjectStore"], f"kubernetes: the cluster archives to the ObjectStore {store}")
    for backup in by_kind["ScheduledBackup"].values():
        ok(backup["spec"]["cluster"]["name"] == cluster["metadata"]["name"], "kubernetes: the backup schedule names the cluster")
    ok(cluster["spec"]["postgresql"]["synchronous"]["number"] >= 1, "kubernetes: commits wait for a standby")
    accepted_by_rejestr("the Kubernetes ConfigMap", config)


def compose() -> None:
    path = DEPLOY / "compose" / "compose.yaml"
    result = run([str(VENV_BIN / "check-jsonschema"), "--builtin-schema", "vendor.compose-spec", str(path)])
    ok(result.returncode == 0, f"compose: compose.yaml follows the Compose Specification {result.stdout.strip()[-300:]}")
    spec = yaml.safe_load(path.read_text())
    services = spec["services"]
    for name, service in services.items():
        for dependency in service.get("depends_on", {}):
            ok(dependency in services, f"compose: {name} depends on {dependency}, a service")
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith("."):
                ok(source in spec.get("volumes", {}), f"compose: the volume {source} of {name} is declared")
    ok(services["migrate"]["command"] == ["migrate"], "compose: a one-shot rejestr migrate")
    for app in ("app-1", "app-2"):
        ok(
            services[app]["depends_on"]["migrate"]["condition"] == "service_completed_successfully",
            f"compose: {app} starts after the migrations succeeded",
        )
    nginx = (DEPLOY / "compose" / "nginx.conf").read_text()
    upstreams = re.findall(r"server\s+([\w.-]+):(\d+)", nginx)
    ok(
        sorted(upstreams) == [("app-1", "8080"), ("app-2", "8080")],
        f"compose: nginx balances over app-1 and app-2 on 8080 ({upstreams})",
    )
    env = {
        k: re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", str(v)).replace("${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in deploy/compose/.env}", "x")
        for k, v in services["app-1"]["environment"].items()
        if k != "DATABASE_URL"
    }
    ok(
        services["app-1"]["environment"]["DATABASE_URL"].split("@")[1].startswith("postgres:5432/"),
        "compose: the replicas use the postgres service",
    )
    accepted_by_rejestr("the Compose environment", env)


def containerfile() -> None:
    text = (DEPLOY / "Containerfile").read_text()
    env = dict(re.findall(r"(REJESTR_[A-Z_]+)=(\S+)", text))
    ok(bool(env), "containerfile: sets the listener addresses")
    ok('CMD ["serve"]' in text and "USER 65532:65532" in text, "containerfile: runs rejestr serve as a non-root user")
    accepted_by_rejestr("the Containerfile's ENV", env)


def nginx() -> None:
    if shutil.which("nginx") is None:
        skip("nginx: not found (apt-get install nginx)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        made = run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=check",
                    "-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem")])
        ok(made.returncode == 0, "nginx: a throw-away certificate")
        for name, path, replacements in (
            ("the Compose proxy", DEPLOY / "compose" / "nginx.conf",
             {"/etc/nginx/tls/cert.pem": tmp / "cert.pem", "/etc/nginx/tls/key.pem": tmp / "key.pem",
              "app-1:": "127.0.0.1:", "app-2:": "127.0.0.2:"}),
            ("the single-server site", DEPLOY / "nginx" / "rejestr.conf",
             {"/etc/nginx/tls/rejestr.pem": tmp / "cert.pem", "/etc/nginx/tls/rejestr.key": tmp / "key.pem"}),
        ):
            site = path.read_text()
            for old, new in replacements.items():
                site = site.replace(old, str(new))
            (tmp / "site.conf").write_text(site)
            (tmp / "nginx.conf").write_text(
                f"pid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\nevents {{}}\n"
                f"http {{\n access_log off;\n client_body_temp_path {tmp}/body;\n proxy_temp_path {tmp}/proxy;\n"
                f" fastcgi_temp_path {tmp}/fcgi;\n uwsgi_temp_path {tmp}/uwsgi;\n scgi_temp_path {tmp}/scgi;\n"
                f" include {tmp}/site.conf;\n}}\n"
            )
            result = run(["nginx", "-t", "-q", "-p", str(tmp), "-c", str(tmp / "nginx.conf"), "-e", str(tmp / "error.log")])
            ok(result.returncode == 0, f"nginx: nginx -t accepts {name} {result.stderr.strip()[-300:]}")


def systemd() -> None:
    unit = DEPLOY / "systemd" / "rejestr.service"
    env_file = DEPLOY / "systemd" / "rejestr.env"
    if shutil.which("systemd-analyze") is None:
        skip("systemd: systemd-analyze not found")
    else:
        with tempfile.TemporaryDirectory() as tmp:
            text = unit.read_text().replace("/usr/local/bin/rejestr", str(BINARY)).replace(
                "/etc/rejestr/rejestr.env", str(env_file)
            )
            copy = Path(tmp) / "rejestr.service"
            copy.write_text(text)
            result = run(["systemd-analyze", "verify", str(copy)])
            problems = [
                line for line in (result.stdout + result.stderr).splitlines()
                # This machine is a container without systemd as PID 1 and without the user.
                if line.strip() and "Failed to connect" not in line and "user rejestr" not in line.lower()
            ]
            ok(result.returncode == 0 and not problems, f"systemd: systemd-analyze verify accepts the unit {problems}")
    env = {}
    for line in env_file.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, value = line.split("=", 1)
            env[key] = value
    accepted_by_rejestr("the systemd EnvironmentFile", env)


def main() -> None:
    if not BINARY.exists():
        print(f"{BINARY} is missing: cargo build --locked")
        sys.exit(2)
    for check in (kubernetes, compose, containerfile, nginx, systemd):
        check()
    print(f"\n{len(failures)} failed" if failures else "\nall deployment checks passed")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
