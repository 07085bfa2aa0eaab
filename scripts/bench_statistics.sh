#!/usr/bin/env bash
# The statistics benchmarks (issue 15) on the generated 100,000-case database (built once,
# then kept): every table for a month and the whole history through the summary (api),
# its statements replayed raw, and the direct computation from the cases; then the
# statistics view opening (wall time and UI-thread time). Not part of the default run.
#   scripts/bench_statistics.sh [pytest -k expression]            SQLite, in $MEDIATION_BENCH_DIR
#   scripts/bench_statistics.sh --pg DIR [pytest -k expression]   PostgreSQL (scripts/pg_temp.sh --production, kept in DIR)
set -euo pipefail
# shellcheck source=scripts/bench_env.sh
. "$(dirname "$0")/bench_env.sh"
select=()
if [ -n "${1:-}" ]; then
    select=(-k "$1")
fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)  ($(date -u '+%Y-%m-%d %H:%M UTC'))"
python -m pytest tests/benchmarks/test_statistics_bench.py -p no:cacheprovider -o addopts="" --strict-markers \
    --timeout=0 --benchmark-only --benchmark-columns=min,median,max,rounds --benchmark-sort=name "${select[@]}"
if [ -z "$pg_dir" ]; then
    QT_QPA_PLATFORM=offscreen python -m pytest tests/benchmarks/test_statistics_ui_bench.py -p no:cacheprovider \
        -o addopts="" --timeout=0 -s -q
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)  ($(date -u '+%Y-%m-%d %H:%M UTC'))"
