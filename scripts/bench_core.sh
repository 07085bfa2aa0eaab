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
# shellcheck source=scripts/bench_env.sh
. "$(dirname "$0")/bench_env.sh"
# The project's addopts ignore tests/benchmarks for the default run: override them here.
# No per-test timeout: building the 1,000,000-case database takes minutes.
python -m pytest tests/benchmarks/test_core_bench.py -p no:cacheprovider -o addopts="" --strict-markers \
    --timeout=0 --benchmark-only --benchmark-columns=min,median,max,rounds --benchmark-sort=name "$@"
