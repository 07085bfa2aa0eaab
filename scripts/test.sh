#!/usr/bin/env bash
# Install everything the tests need, check types (mypy --strict) and lint (ruff), start a
# throwaway PostgreSQL, run the whole suite.
# Extra arguments go to pytest (e.g. scripts/test.sh tests/unit -x).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install.sh --test

export QT_QPA_PLATFORM=offscreen
export MEDIATION_FAST_HASH=1
# Keep the tests away from the user's real data directory.
export MEDIATION_DATA_DIR="$(mktemp -d /tmp/mediation-test-data.XXXXXX)"

if [[ -z "${MEDIATION_TEST_PG_URL:-}" ]]; then
  if out=$(bash scripts/pg_temp.sh start); then
    eval "$out"
    trap 'bash scripts/pg_temp.sh stop "$PG_TEMP_DIR"; rm -rf "$MEDIATION_DATA_DIR"' EXIT
  elif [[ "${CI:-}" == "true" ]]; then
    echo "could not start PostgreSQL; on CI the PostgreSQL tests must run" >&2
    exit 1
  else
    echo "warning: PostgreSQL not available, running the SQLite tests only" >&2
  fi
fi

# Types and lint first (pinned in the test extra; settings in pyproject.toml): either
# failing fails the run.
echo "mypy --strict (mediation/):"
.venv/bin/python -m mypy
echo "ruff check (mediation/ tests/ scripts/):"
.venv/bin/python -m ruff check mediation tests scripts

.venv/bin/python -m pytest -q -p no:cacheprovider "$@"
