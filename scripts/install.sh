#!/usr/bin/env bash
# Install what the mediation desk needs on a Debian/Ubuntu machine: system libraries
# (when run as root or with sudo), a virtual environment in .venv, and the package.
#   scripts/install.sh            app only
#   scripts/install.sh --test     app + test tools + PostgreSQL server for the tests
set -euo pipefail
cd "$(dirname "$0")/.."

WITH_TEST=0
[[ "${1:-}" == "--test" ]] && WITH_TEST=1

# Qt needs these shared libraries even offscreen; poppler-utils is used by the
# document tests (pdftotext, pdffonts, pdftoppm).
APT_PKGS=(python3-venv libegl1 libgl1 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0
          libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
          libxcb-xinerama0 libxcb-randr0 libxcb-render-util0 libxcb-image0)
if [[ $WITH_TEST == 1 ]]; then
  APT_PKGS+=(postgresql postgresql-contrib poppler-utils)
fi

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${APT_PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if (( ${#missing[@]} )); then
  SUDO=""
  [[ $(id -u) -ne 0 ]] && command -v sudo >/dev/null 2>&1 && SUDO="sudo"
  if [[ $(id -u) -eq 0 || -n "$SUDO" ]] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "warning: missing system packages (install them with apt-get): ${missing[*]}" >&2
  fi
fi

PY=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
extras='[postgres]'
[[ $WITH_TEST == 1 ]] && extras='[test,postgres]'
if ! .venv/bin/python -m pip install -e ".$extras" >.venv/pip-install.log 2>&1; then
  cat .venv/pip-install.log >&2
  echo "pip install failed (log above)" >&2
  exit 1
fi
.venv/bin/python -c "import mediation, PySide6, sqlalchemy" # fail loudly if the install did not work
# Byte-compile the checkout, as installing a wheel does: where PYTHONDONTWRITEBYTECODE is
# set (many containers), Python would otherwise compile every module at each start
# (about 0.1 s of the app's start here).
.venv/bin/python -m compileall -q -j 0 mediation >/dev/null
