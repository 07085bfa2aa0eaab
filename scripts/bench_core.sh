#!/usr/bin/env bash
# Core benchmarks on a generated database (built once, then kept). Not part of the
# default test run.
#   scripts/bench_core.sh [pytest args]            SQLite, in $MEDIATION_BENCH_DIR (default $TMPDIR/mediation-bench)
#   scripts/bench_core.sh --pg DIR [pytest args]   PostgreSQL: a server with production-like settings
#                                                  (scripts/pg_temp.sh start --production), its cluster
#                                                  kept in DIR so the database is built once
# MEDIATION_BENCH_CASES=1000000 for the city-scale database (issue 13); e.g.
#   MEDIATION_BENCH_CASES=1000000 scripts/bench_core.sh --pg /var/tmp/mediation-bench-pg -k search
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${VIRTUAL_ENV:-}" ] && [ -f .venv/bin/activate ]; then
    # shellcheck disable=SC1091
    . .venv/bin/activate
fi
pg_dir=""
if [ "${1:-}" = "--pg" ]; then
    pg_dir=${2:?--pg needs a directory for the kept cluster}
    shift 2
    eval "$(bash scripts/pg_temp.sh start --production --dir "$pg_dir")"
    trap 'bash scripts/pg_temp.sh stop "$PG_TEMP_DIR" --keep' EXIT
    export MEDIATION_BENCH_PG_URL="$MEDIATION_TEST_PG_URL"
fi
# The project's addopts ignore tests/benchmarks for the default run: override them here.
# No per-test timeout: building the 1,000,000-case database takes minutes.
python -m pytest tests/benchmarks/test_core_bench.py -p no:cacheprovider -o addopts="" --strict-markers \
    --timeout=0 --benchmark-only --benchmark-columns=min,median,max,rounds --benchmark-sort=name "$@"
