# Sourced by the benchmark scripts (not run on its own): the project's virtual environment,
# and with a leading `--pg DIR` a PostgreSQL server with production-like settings
# (scripts/pg_temp.sh start --production) whose cluster is kept in DIR, so a benchmark
# database is built once; it is stopped (and kept) when the script exits. Consumes `--pg DIR`
# from the script's arguments and sets `pg_dir` ("" for SQLite) and MEDIATION_BENCH_PG_URL.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
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
