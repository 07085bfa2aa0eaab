#!/usr/bin/env bash
# Document benchmarks (agreement PDF/DOCX beside LibreOffice converting the same DOCX).
# Installs LibreOffice Writer (headless) with apt-get when it is missing. Not part of
# the default test run. Extra arguments go to scripts/bench_documents.py.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v soffice >/dev/null && ! command -v libreoffice >/dev/null; then
    SUDO=""
    if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui
fi
[ -x .venv/bin/python ] || bash scripts/install.sh --test
exec .venv/bin/python scripts/bench_documents.py "$@"
