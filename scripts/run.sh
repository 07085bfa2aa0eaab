#!/usr/bin/env bash
# Install the mediation desk and start it (SQLite database in your data directory;
# the first start asks for the desk's name and an administrator, and offers demo data).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
exec .venv/bin/mediation-desk "$@"
