#!/usr/bin/env bash
# End-to-end scenarios of deploy/e2e (see README.md there):
#
#   deploy/e2e/run.sh replicas                 three replicas behind nginx on PostgreSQL
#   deploy/e2e/run.sh resilience [scenario…]   kill -9, database away, read-only, full disk
#   deploy/e2e/run.sh backup                   backup and restore under load, SQLite and PostgreSQL
#   deploy/e2e/run.sh fuzz                     schemathesis against the OpenAPI document
#
# Needs PostgreSQL on 127.0.0.1:5432 with trust auth (E2E_POSTGRES_URL; the scratch databases
# rejestr_replicas, rejestr_resilience, rejestr_backup_* and rejestr_fuzz are dropped and
# created), nginx, psql, sqlite3 and
# Python 3 with venv; the Python packages go into ${CARGO_TARGET_DIR:-target}/e2e-venv. Uses
# the debug binary (built here if needed) and ports 18201-18270 on loopback. Exit 0 when
# every check passed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
venv="$CARGO_TARGET_DIR/e2e-venv"

scenario="${1:-}"
shift || true
case "$scenario" in
    replicas) tools=(nginx psql python3); packages=('aiosmtpd==1.4.*'); module=aiosmtpd; limit=300 ;;
    resilience) tools=(psql sqlite3 python3); packages=(); module=; limit=300 ;;
    backup) tools=(psql pg_dump pg_restore sqlite3 python3); packages=(); module=; limit=300 ;;
    fuzz) tools=(python3); packages=('schemathesis==4.*'); module=schemathesis; limit=600 ;;
    *) echo "usage: $0 replicas|resilience [scenario…]|backup|fuzz" >&2; exit 2 ;;
esac
for tool in "${tools[@]}"; do
    command -v "$tool" >/dev/null || {
        echo "$0 $scenario needs $tool (apt-get install nginx postgresql-client sqlite3 python3-venv)" >&2
        exit 2
    }
done
if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
fi
if [[ -n "$module" ]] && ! "$venv/bin/python" -c "import $module" 2>/dev/null; then
    "$venv/bin/pip" install --quiet --disable-pip-version-check "${packages[@]}"
fi
cargo build --locked --quiet --bin rejestr
export SCHEMATHESIS="$venv/bin/schemathesis"
exec timeout "$limit" "$venv/bin/python" "deploy/e2e/$scenario.py" "$@"
