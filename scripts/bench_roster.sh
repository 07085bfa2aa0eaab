#!/usr/bin/env bash
# The roster benchmarks (issue 16), in one command: the adviser's overview of a 45-student
# term on the 100,000-case database (target <= 100 ms) and one week's timetable with its
# conflicts (<= 20 ms), each beside the raw replay of its statements. SQLite.
#
#   bash scripts/bench_roster.sh [pytest args]     e.g. -k overview
#
# The generated database and the roster's copy of it are built the first time (several
# minutes; kept in $MEDIATION_BENCH_DIR, default $TMPDIR/mediation-bench) and upgraded in
# place when the schema has moved on since. The load average is printed before the run and
# in the summary at its end (run it on a quiet machine); the figures also go to
# bench-results-sqlite-100000.json beside the database.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${VIRTUAL_ENV:-}" ] && [ -f .venv/bin/activate ]; then
    # shellcheck disable=SC1091
    . .venv/bin/activate
fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')"
# The project's addopts ignore tests/benchmarks for the default run: override them here.
exec python -m pytest tests/benchmarks/test_roster_bench.py -p no:cacheprovider -o addopts="" --strict-markers \
    --timeout=0 --benchmark-only --benchmark-columns=min,median,max,rounds --benchmark-sort=name "$@"
