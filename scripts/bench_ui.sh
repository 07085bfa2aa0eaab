#!/usr/bin/env bash
# Desktop benchmarks (start time, UI-thread time, memory) on the generated 100,000-case
# database of the core benchmarks (built on first use, then reused from $TMPDIR/mediation-bench/).
# Not part of the default test run. Extra arguments go to pytest, e.g. scripts/bench_ui.sh -k start
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${VIRTUAL_ENV:-}" ] && [ -f .venv/bin/activate ]; then
    # shellcheck disable=SC1091
    . .venv/bin/activate
fi
export QT_QPA_PLATFORM="${QT_QPA_PLATFORM:-offscreen}"
# Bytecode as an installed program has it (scripts/install.sh does the same).
python -m compileall -q -j 0 mediation >/dev/null
# The project's addopts ignore tests/benchmarks for the default run: override them here.
exec python -m pytest tests/benchmarks/test_ui_desktop.py -p no:cacheprovider -o addopts="" \
    --strict-markers -s -q "$@"
