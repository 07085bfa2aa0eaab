#!/usr/bin/env bash
# Install the .deb on this (throwaway) machine and use it as a desk PC would, then remove it.
#
#   bash scripts/test_deb.sh            (builds the .deb first if dist/ has none)
#
# Needs root (dpkg -i, a throwaway user account). Steps:
#  1. dpkg -i dist/mediation-desk_*.deb (apt-get -f install pulls missing Depends); check the
#     files: /opt/mediation-desk, /usr/bin symlinks, desktop entry (desktop-file-validate),
#     icons in the hicolor theme;
#  2. as a fresh user account (its own home, no Python of ours on the PATH): mediation init,
#     demo --cases 50, search, render an agreement (every font embedded: pdffonts), verify,
#     --version; a bulk demo through the `_demo-helper` process when the bundle has that route;
#  3. the desktop app from the menu's command (/usr/bin/mediation-desk) under Xvfb with a
#     window manager (openbox) to its login dialog; a screenshot of the screen
#     (docs/screenshots/deb-login-xvfb.png); the window's WM_CLASS matches the entry;
#  4. the desktop entry drawn at 32 and 256 px from the installed theme
#     (docs/screenshots/desktop-entry-32.png, -256.png);
#  5. start time, side by side in one hyperfine run on the same database and X screen: a bare
#     PySide6 window, the wheel installed in a virtual environment, the installed bundle;
#  6. dpkg -r, then dpkg -P: the program is gone, the user's data folder is untouched.
# Results: build/test-deb/results.txt (sizes, times, glibc), printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
[[ $(id -u) -eq 0 ]] || { echo "run as root (installs a package, adds a throwaway user)" >&2; exit 1; }

OUT=build/test-deb
SHOTS=docs/screenshots
rm -rf "$OUT"; mkdir -p "$OUT" "$SHOTS"
RESULTS=$OUT/results.txt
: >"$RESULTS"
say() { echo "$*" | tee -a "$RESULTS"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

need=()
for cmd_pkg in Xvfb:xvfb openbox:openbox xprop:x11-utils xdotool:xdotool import:imagemagick \
               pdffonts:poppler-utils hyperfine:hyperfine desktop-file-validate:desktop-file-utils; do
  command -v "${cmd_pkg%%:*}" >/dev/null || need+=("${cmd_pkg#*:}")
done
if (( ${#need[@]} )); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

DEB=$(ls -t dist/mediation-desk_*.deb 2>/dev/null | head -1 || true)
if [[ -z $DEB ]]; then
  bash scripts/build_bundle.sh
  DEB=$(ls -t dist/mediation-desk_*.deb | head -1)
fi
say "package: $DEB, $(du -m "$DEB" | cut -f1) MB ($(stat -c %s "$DEB") bytes)"

PIDS=()
USER_NAME=mediation-test
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  if id "$USER_NAME" >/dev/null 2>&1; then userdel -r "$USER_NAME" >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT

echo "== 1. install"
if dpkg -s mediation-desk >/dev/null 2>&1; then dpkg -P mediation-desk >/dev/null; fi
if ! dpkg -i "$DEB" >"$OUT/dpkg-install.log" 2>&1; then
  apt-get install -f -y -qq >>"$OUT/dpkg-install.log" 2>&1 || { cat "$OUT/dpkg-install.log"; fail "dpkg -i"; }
fi
dpkg -s mediation-desk | grep -q "Status: install ok installed" || fail "package not installed"
[[ -x /opt/mediation-desk/mediation-desk && -x /opt/mediation-desk/mediation ]] || fail "programs missing in /opt"
[[ $(readlink /usr/bin/mediation) == /opt/mediation-desk/mediation ]] || fail "/usr/bin/mediation"
[[ $(readlink /usr/bin/mediation-desk) == /opt/mediation-desk/mediation-desk ]] || fail "/usr/bin/mediation-desk"
desktop-file-validate /usr/share/applications/mediation-desk.desktop || fail "desktop entry invalid"
grep -q "^Name=调解工作台$" /usr/share/applications/mediation-desk.desktop || fail "Chinese name"
for n in 16 22 24 32 48 64 128 256; do
  [[ -f /usr/share/icons/hicolor/${n}x${n}/apps/mediation-desk.png ]] || fail "icon ${n}px missing"
done
BUNDLE_MB=$(du -sm /opt/mediation-desk | cut -f1)
say "installed: /opt/mediation-desk ${BUNDLE_MB} MB; $(grep '^needs' /opt/mediation-desk/BUILD-INFO.txt)"

echo "== 2. command line as a desk user"
id "$USER_NAME" >/dev/null 2>&1 && userdel -r "$USER_NAME" >/dev/null 2>&1 || true
useradd -m -s /bin/bash "$USER_NAME"
HOME_DIR=$(getent passwd "$USER_NAME" | cut -d: -f6)
as_user() { runuser -u "$USER_NAME" -- env -i HOME="$HOME_DIR" USER="$USER_NAME" LANG=C.UTF-8 \
              PATH=/usr/bin:/bin MEDIATION_FAST_HASH=1 "$@"; }
WORKDIR=$HOME_DIR/work
as_user mkdir -p "$WORKDIR"
printf 'Harbor-Maple-2718\n' | as_user mediation init --desk-name 测试大学警校联调中心 --prefix X警校调字 \
  --admin admin --admin-display-name 管理员甲 --password-stdin >"$OUT/init.txt" || fail "mediation init"
# Generated cases never go into the live desk: refused there, written into a practice file.
if as_user mediation demo --cases 5 >/dev/null 2>&1; then fail "mediation demo wrote into the live desk"; fi
PRACTICE="sqlite:///$WORKDIR/practice.sqlite3"
as_user mediation --db "$PRACTICE" demo --cases 50 --seed 7 >"$OUT/demo.txt" || fail "mediation demo"
cat "$OUT/demo.txt"
PRACTICE_PASSWORD=$(sed -n 's/.*密码均为 \([^）]*\)）.*/\1/p' "$OUT/demo.txt" | head -1)
[[ -n $PRACTICE_PASSWORD ]] || fail "the practice accounts' password is not printed by mediation demo"
printf '%s\n' "$PRACTICE_PASSWORD" | as_user mediation --db "$PRACTICE" search 调字 --as lianxi-mj --as-password-stdin >"$OUT/search.txt"
NUMBER=$(awk -F'\t' '$2=="达成协议" || $2=="履行/回访" || $2=="结案" {print $1; exit}' "$OUT/search.txt")
[[ -n $NUMBER ]] || fail "no case with an agreement in the demo data"
printf '%s\n' "$PRACTICE_PASSWORD" | as_user bash -c "cd '$WORKDIR' && mediation --db '$PRACTICE' render '$NUMBER' --form people_agreement -o 协议书.pdf --as lianxi-mj --as-password-stdin" \
  || fail "mediation render"
cp "$WORKDIR/协议书.pdf" "$OUT/agreement.pdf"
pdffonts "$OUT/agreement.pdf" | tee "$OUT/pdffonts.txt"
awk 'NR>2 && $(NF-4) != "yes" {bad=1} END {exit bad}' "$OUT/pdffonts.txt" || fail "a font is not embedded"
[[ $(awk 'NR>2' "$OUT/pdffonts.txt" | wc -l) -ge 2 ]] || fail "expected the bundled CJK fonts in the PDF"
pdftotext "$OUT/agreement.pdf" - | grep -q "人民调解协议书" || fail "agreement text not extractable"
set +e
as_user mediation --db "$PRACTICE" verify "$WORKDIR/协议书.pdf" >"$OUT/verify.txt" 2>&1; verify_rc=$?
set -e
# A draft is not a final document: exit 1 and one line saying so (the demo finalises none).
[[ $verify_rc == 1 ]] && grep -q "未找到与此文件对应的定稿文书" "$OUT/verify.txt" || { cat "$OUT/verify.txt"; fail "mediation verify"; }
as_user mediation --version >"$OUT/version.txt"
grep -q "独立安装包" "$OUT/version.txt" && grep -q "数据库版本：" "$OUT/version.txt" \
  && grep -q "$HOME_DIR/.local/share/mediation-desk/logs/mediation.log" "$OUT/version.txt" || { cat "$OUT/version.txt"; fail "--version"; }
say "cli: init, demo --cases 50, search, render $NUMBER (fonts embedded), verify, --version: ok"
LOG=$HOME_DIR/.local/share/mediation-desk/logs/mediation.log
if grep -q "helper process unavailable\|helper process failed" "$LOG"; then fail "demo helper process failed (see $LOG)"; fi
# The demo's helper process, started the frozen way (`mediation _demo-helper`), once the
# bundle has that route (the command-line reshape adds it).
if as_user mediation _demo-helper </dev/null >/dev/null 2>&1 || [[ $? != 2 ]]; then
  as_user mediation --db "sqlite:///$WORKDIR/bulk.sqlite3" init >/dev/null
  as_user mediation --db "sqlite:///$WORKDIR/bulk.sqlite3" demo --cases 20000 --seed 3 >"$OUT/demo-bulk.txt" \
    || fail "bulk demo"
  grep -q "helper process unavailable\|helper process failed" "$LOG" && fail "demo helper process from the bundle"
  say "demo helper: 20,000-case demo from the bundle without a helper failure: ok"
else
  say "demo helper: SKIPPED (this bundle's command line has no _demo-helper route yet)"
fi

echo "== 3. desktop app under Xvfb + openbox"
DISPLAY_NUM=:77
Xvfb "$DISPLAY_NUM" -screen 0 1366x768x24 -nolisten tcp >"$OUT/xvfb.log" 2>&1 & PIDS+=($!)
for _ in $(seq 50); do xdpyinfo -display "$DISPLAY_NUM" >/dev/null 2>&1 && break; sleep 0.1; done
DISPLAY=$DISPLAY_NUM openbox >"$OUT/openbox.log" 2>&1 & OPENBOX_PID=$!; PIDS+=($OPENBOX_PID)
sleep 1
runuser -u "$USER_NAME" -- env -i HOME="$HOME_DIR" USER="$USER_NAME" LANG=C.UTF-8 PATH=/usr/bin:/bin \
  DISPLAY=$DISPLAY_NUM MEDIATION_START_PROBE=report mediation-desk >"$OUT/desk.out" 2>"$OUT/desk.err" &
RUNUSER_PID=$!; PIDS+=($RUNUSER_PID)
for _ in $(seq 150); do grep -q "mediation-desk: shown" "$OUT/desk.out" && break; sleep 0.1; done
grep -q 'shown LoginDialog' "$OUT/desk.out" || { cat "$OUT/desk.out" "$OUT/desk.err"; fail "login dialog not shown"; }
sleep 1
WID=$(DISPLAY=$DISPLAY_NUM xdotool search --sync --onlyvisible --class mediation-desk | head -1)
[[ -n $WID ]] || fail "no window with WM_CLASS mediation-desk (StartupWMClass of the entry)"
DISPLAY=$DISPLAY_NUM xprop -id "$WID" WM_CLASS _NET_WM_NAME | tee "$OUT/window.txt"
DISPLAY=$DISPLAY_NUM import -window root "$SHOTS/deb-login-xvfb.png"
say "desktop: $(cat "$OUT/desk.out"), window $(grep WM_CLASS "$OUT/window.txt" | cut -d= -f2), screenshot $SHOTS/deb-login-xvfb.png"
DESK_PID=$(pgrep -P "$RUNUSER_PID" | head -1 || true)
[[ -n $DESK_PID ]] && kill "$DESK_PID" 2>/dev/null
wait "$RUNUSER_PID" 2>/dev/null || true

echo "== 4. the desktop entry's icon"
FONT=/opt/mediation-desk/_internal/mediation/resources/fonts/wqy-microhei.ttc
for n in 32 256; do
  .venv/bin/python scripts/desktop_entry_preview.py /usr/share/applications/mediation-desk.desktop \
    "$SHOTS/desktop-entry-$n.png" "$n" "$FONT" | tee -a "$RESULTS"
done

echo "== 5. start time: bare PySide6 window, wheel in a venv, installed bundle (hyperfine, rounds)"
# Timed on the X server without the window manager: openbox, given dozens of windows that
# appear and vanish within 0.2 s, sometimes never maps the next one (the program then
# waits for its first paint forever); the screen, fonts and database are the same.
kill "$OPENBOX_PID" 2>/dev/null || true
WHEEL=$(ls dist/mediation_desk-*-py3-none-any.whl | head -1)
if [[ ! -x build/wheel-venv/bin/mediation-desk ]] || ! cmp -s "$WHEEL" build/wheel-venv/installed.whl; then
  rm -rf build/wheel-venv && python3 -m venv build/wheel-venv
  build/wheel-venv/bin/python -m pip install -q "$WHEEL" >"$OUT/pip.log" 2>&1 || { cat "$OUT/pip.log"; fail "pip install"; }
  build/wheel-venv/bin/python -m compileall -q build/wheel-venv/lib >/dev/null 2>&1 || true
  cp "$WHEEL" build/wheel-venv/installed.whl
fi
BENCH_DATA=$(mktemp -d /tmp/mediation-start-bench.XXXXXX)
python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).backup(sqlite3.connect(sys.argv[2]))' \
  "$HOME_DIR/.local/share/mediation-desk/mediation.sqlite3" "$BENCH_DATA/mediation.sqlite3"
export DISPLAY=$DISPLAY_NUM MEDIATION_DATA_DIR=$BENCH_DATA MEDIATION_START_PROBE=exit
# Each command ends by itself once its first window has painted; `timeout` (the same for
# all three) turns a hang into a failed run instead of a stuck script.
BARE="timeout 30 build/wheel-venv/bin/python scripts/bare_qt_window.py"
VENV_APP="timeout 30 build/wheel-venv/bin/mediation-desk"
BUNDLE_APP="timeout 30 /usr/bin/mediation-desk"
for cmd in "$BARE" "$VENV_APP" "$BUNDLE_APP"; do $cmd >/dev/null || fail "$cmd did not reach its first window"; done
# Several short hyperfine rounds, the three commands one after the other in each, so that
# a change in the machine's load (it is shared) falls on all three alike.
ROUNDS=${START_ROUNDS:-6}
for r in $(seq "$ROUNDS"); do
  hyperfine --warmup 1 --runs "${START_RUNS:-5}" --export-json "$OUT/start-$r.json" \
    -n "bare PySide6 window" "$BARE" -n "wheel in a venv (mediation-desk)" "$VENV_APP" \
    -n "installed bundle (/usr/bin/mediation-desk)" "$BUNDLE_APP" >>"$OUT/hyperfine.txt"
done
unset MEDIATION_START_PROBE MEDIATION_DATA_DIR
rm -rf "$BENCH_DATA"
say "load average during the timing: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$OUT" "$ROUNDS" <<'PY' | tee -a "$RESULTS"
import json, statistics, sys
from pathlib import Path
out, rounds = Path(sys.argv[1]), int(sys.argv[2])
times: dict[str, list[float]] = {}
for r in range(1, rounds + 1):
    for res in json.loads((out / f"start-{r}.json").read_text())["results"]:
        times.setdefault(res["command"], []).extend(res["times"])
names = list(times)
med = {n: statistics.median(times[n]) for n in names}
for n in names:
    t = times[n]
    print(f"start {n}: median {med[n]*1000:.0f} ms, mean {statistics.mean(t)*1000:.0f} ms "
          f"± {statistics.stdev(t)*1000:.0f} ({len(t)} runs)")
bare, venv, bundle = names
print(f"start ratio (medians) bundle / venv: {med[bundle] / med[venv]:.2f}; bundle / bare: {med[bundle] / med[bare]:.2f}; "
      f"venv / bare: {med[venv] / med[bare]:.2f}")
PY

echo "== 6. remove, then purge: the user's data stays"
DATA=$HOME_DIR/.local/share/mediation-desk
before=$(sha256sum "$DATA/mediation.sqlite3" | cut -d' ' -f1)
files_before=$(find "$DATA" -type f | sort | md5sum)
dpkg -r mediation-desk >"$OUT/dpkg-remove.log" 2>&1 || { cat "$OUT/dpkg-remove.log"; fail "dpkg -r"; }
[[ ! -e /opt/mediation-desk && ! -e /usr/bin/mediation && ! -e /usr/bin/mediation-desk ]] || fail "files left after removal"
[[ ! -e /usr/share/applications/mediation-desk.desktop ]] || fail "desktop entry left after removal"
dpkg -P mediation-desk >>"$OUT/dpkg-remove.log" 2>&1 || true
[[ $(sha256sum "$DATA/mediation.sqlite3" | cut -d' ' -f1) == "$before" ]] || fail "the user's database changed"
[[ $(find "$DATA" -type f | sort | md5sum) == "$files_before" ]] || fail "the user's data folder changed"
# Files the program wrote into its own folder would keep /opt/mediation-desk behind.
if grep -q "'/opt/mediation-desk\|'/usr/share/icons/hicolor/[^']*' not empty" "$OUT/dpkg-remove.log"; then
  cat "$OUT/dpkg-remove.log"; fail "dpkg left directories of the package behind"
fi
say "removed and purged: program gone; $DATA untouched ($(find "$DATA" -type f | wc -l) files, database unchanged)"
echo
echo "== results ($RESULTS)"
cat "$RESULTS"
