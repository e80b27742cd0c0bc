#!/usr/bin/env bash
# Runs every benchmark (intake + start-up + memory, the register list at 100,000 cases, the
# scheduler tick at 100,000 and 1,000,000 obligations) on a release build and writes what they
# print, with the machine and the commit, to target/bench/results-<UTC time>.txt.
# deploy/BENCHMARKS.md is written from such a file. Run it on a quiet machine: the figures
# are only as good as the machine is idle.
#
#   deploy/bench/run-all.sh
#
# Needs wrk, sqlite3, python3 and PostgreSQL on 127.0.0.1:5432 (trust auth).
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT_DIR="${CARGO_TARGET_DIR:-$PWD/target}/bench"
mkdir -p "$OUT_DIR"
OUT="$OUT_DIR/results-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
    echo "# Rejestr72 benchmarks, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r)"
    echo "load before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "wrk: $(wrk --version 2>&1 | head -1)"
    echo "postgresql: $(psql -qtA "${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}/postgres" -c 'SHOW server_version')"
    echo
    echo "## intake, start-up and memory"
    deploy/bench/intake.sh 20s "1 32 64"
    echo
    echo "## register list"
    deploy/bench/register.sh 100000
    echo
    echo "## scheduler tick"
    deploy/bench/tick.sh "100000 1000000"
} 2>&1 | tee "$OUT"
echo
echo "written to $OUT"
