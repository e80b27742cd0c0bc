#!/usr/bin/env bash
# Offline checks of the deployment files: Kubernetes manifests (kustomize, schemas and
# references), compose.yaml (Compose Specification), the nginx configurations (nginx -t), the
# systemd unit (systemd-analyze verify), and every shipped configuration against the binary.
# Nothing is deployed; no container engine or cluster is needed. See deploy/README.md.
#
#   deploy/check.sh
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
venv="$CARGO_TARGET_DIR/deploy-venv"
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c 'import yaml, kubernetes_validate, check_jsonschema' 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'kubernetes-validate==1.*' 'check-jsonschema==0.*' 'pyyaml==6.*'
fi
cargo build --locked --quiet --bin rejestr
exec "$venv/bin/python" deploy/check.py
