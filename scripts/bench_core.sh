#!/usr/bin/env bash
# Core benchmarks on a generated 100,000-case SQLite database (built once, then kept in
# the temp directory). Not part of the default test run. Extra arguments go to pytest,
# e.g. scripts/bench_core.sh -k search
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${VIRTUAL_ENV:-}" ] && [ -f .venv/bin/activate ]; then
    # shellcheck disable=SC1091
    . .venv/bin/activate
fi
# The project's addopts ignore tests/benchmarks for the default run: override them here.
exec python -m pytest tests/benchmarks -p no:cacheprovider -o addopts="" --strict-markers \
    --benchmark-only --benchmark-columns=min,median,max,rounds --benchmark-sort=name "$@"
