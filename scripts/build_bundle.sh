#!/usr/bin/env bash
# Build the standalone bundle and the Debian package of the mediation desk on this machine.
#
#   bash scripts/build_bundle.sh            wheel + sdist, bundle, .deb
#   bash scripts/build_bundle.sh --no-deb   wheel + sdist, bundle only (any Linux)
#   bash scripts/build_bundle.sh --deb-only the .deb again from the bundle already built
#
# Steps: build the sdist and the wheel (dist/); install the wheel with its `postgres`
# extra and the pinned PyInstaller (packaging/pyinstaller/requirements.txt) into a
# private virtual environment (build/bundle-venv); freeze both programs with
# packaging/pyinstaller/mediation-desk.spec into ONE folder, dist/bundle/mediation-desk/
# (`mediation-desk`, the desktop app, and `mediation`, the command line, sharing one
# copy of Python, Qt and the libraries); check every binary in it: the highest GLIBC
# symbol version any of them needs (printed, and recorded in BUILD-INFO.txt), and
# which system libraries it expects (none missing here; they become the .deb's
# Depends); finally pack dist/mediation-desk_<version>_<arch>.deb (dpkg-deb only):
# /opt/mediation-desk, /usr/bin/mediation and /usr/bin/mediation-desk, the desktop
# entry 调解工作台 and its icon in the hicolor theme.
#
# The bundle needs the glibc of the machine that built it (or newer): build on the
# oldest system you want to support. On Windows the same spec builds the bundle:
#   py -3.11 -m venv build\bundle-venv
#   build\bundle-venv\Scripts\pip install dist\mediation_desk-<version>-py3-none-any.whl[postgres] -r packaging\pyinstaller\requirements.txt
#   build\bundle-venv\Scripts\pyinstaller --noconfirm --distpath dist\bundle --workpath build\bundle packaging\pyinstaller\mediation-desk.spec
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

MAKE_DEB=1; FREEZE=1
[[ "${1:-}" == "--no-deb" ]] && MAKE_DEB=0
[[ "${1:-}" == "--deb-only" ]] && FREEZE=0

PY=${PYTHON:-python3}
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed to build")'
for tool in objdump; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install binutils)" >&2; exit 1; }
done
if [[ $MAKE_DEB == 1 ]]; then
  for tool in dpkg-deb dpkg; do
    command -v "$tool" >/dev/null || { echo "missing $tool: run with --no-deb on a system without dpkg" >&2; exit 1; }
  done
fi

mkdir -p build dist
VENV=build/bundle-venv
WORK=build/bundle
OUT=dist/bundle
APP=$OUT/mediation-desk

if [[ $FREEZE == 1 ]]; then
echo "== sdist and wheel"
if [[ ! -x $VENV/bin/python ]]; then
  "$PY" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --upgrade pip build >/dev/null
rm -f dist/mediation_desk-*.whl dist/mediation_desk-*.tar.gz
"$VENV/bin/python" -m build --outdir dist . >"$WORK.build.log" 2>&1 || { cat "$WORK.build.log" >&2; exit 1; }
WHEEL=$(ls dist/mediation_desk-*-py3-none-any.whl)
VERSION=$(basename "$WHEEL" | cut -d- -f2)
echo "   $WHEEL"

echo "== freezing with PyInstaller"
"$VENV/bin/python" -m pip install -q "$WHEEL[postgres]" -r packaging/pyinstaller/requirements.txt
"$VENV/bin/python" -m pip install -q --force-reinstall --no-deps "$WHEEL"
rm -rf "$WORK" "$APP"
"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN --distpath "$OUT" --workpath "$WORK" \
  packaging/pyinstaller/mediation-desk.spec >"$WORK.pyinstaller.log" 2>&1 \
  || { cat "$WORK.pyinstaller.log" >&2; exit 1; }
# PyInstaller leaves links beside the programs to the Qt libraries the spec dropped.
find "$APP" -xtype l -delete
fi
test -x "$APP/mediation" && test -x "$APP/mediation-desk"
VERSION=$(sed -n '1s/^mediation-desk //p' "$APP/BUILD-INFO.txt" 2>/dev/null || true)
[[ -n $VERSION ]] || VERSION=$(basename "$(ls dist/mediation_desk-*-py3-none-any.whl)" | cut -d- -f2)

echo "== checking the binaries in the bundle"
mapfile -t ELVES < <(find "$APP" -type f -exec sh -c 'head -c4 "$1" | grep -q "ELF" && echo "$1"' _ {} \;)
highest=""; highest_file=""; highest_cxx=""
declare -A needed=()
for f in "${ELVES[@]}"; do
  v=$(objdump -T "$f" 2>/dev/null | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1 || true)
  if [[ -n $v && ( -z $highest || $(printf '%s\n%s\n' "$highest" "$v" | sort -V | tail -1) != "$highest" ) ]]; then
    highest=$v; highest_file=${f#"$APP/"}
  fi
  c=$(objdump -T "$f" 2>/dev/null | grep -o 'GLIBCXX_[0-9][0-9.]*' | sed 's/GLIBCXX_//' | sort -uV | tail -1 || true)
  if [[ -n $c ]]; then highest_cxx=$(printf '%s\n%s\n' "${highest_cxx:-0}" "$c" | sort -V | tail -1); fi
  while read -r lib; do needed[$lib]=1; done < <(objdump -p "$f" 2>/dev/null | awk '/NEEDED/{print $2}')
done
echo "   ${#ELVES[@]} binaries; highest GLIBC symbol version needed: GLIBC_$highest ($highest_file)"
echo "   highest GLIBCXX (libstdc++ of the system) needed: GLIBCXX_${highest_cxx:-none}"
echo "   this machine: $(ldd --version 2>&1 | sed -n 1p)"

declare -A bundled=()
while read -r name; do bundled[$name]=1; done < <(find "$APP" \( -type f -o -type l \) -printf '%f\n')
system_libs=(); missing=()
LDCACHE=$(ldconfig -p)
for lib in "${!needed[@]}"; do
  [[ -n ${bundled[$lib]:-} ]] && continue
  path=$(awk -v l="$lib" '$1 == l {print $NF; exit}' <<<"$LDCACHE")
  if [[ -n $path ]]; then system_libs+=("$path"); else missing+=("$lib"); fi
done
if (( ${#missing[@]} )); then
  echo "   system libraries not found on this machine (the plugins needing them stay inactive here): ${missing[*]}"
fi

{
  echo "mediation-desk $VERSION"
  echo "built: $(date -u +%Y-%m-%dT%H:%MZ) on $(. /etc/os-release && echo "$PRETTY_NAME") $(uname -m)"
  echo "python: $("$VENV/bin/python" -c 'import platform; print(platform.python_version())')"
  echo "needs: GLIBC_$highest or newer ($highest_file), GLIBCXX_${highest_cxx:-none}"
} >"$APP/BUILD-INFO.txt"

size=$(du -sm "$APP" | cut -f1)
echo "   bundle: $APP, ${size} MB"

if [[ $MAKE_DEB == 0 ]]; then
  exit 0
fi

echo "== Debian package"
ARCH=$(dpkg --print-architecture)
STAGE=$WORK/deb
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
         "$STAGE/usr/share/doc/mediation-desk" "$STAGE/usr/share/icons/hicolor/scalable/apps"
cp -a "$APP" "$STAGE/opt/mediation-desk"
ln -s /opt/mediation-desk/mediation "$STAGE/usr/bin/mediation"
ln -s /opt/mediation-desk/mediation-desk "$STAGE/usr/bin/mediation-desk"
install -m 644 packaging/linux/mediation-desk.desktop "$STAGE/usr/share/applications/"
install -m 644 resources/icons/mediation-desk.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/"
for png in resources/icons/hicolor/*/apps/mediation-desk.png; do
  dir="$STAGE/usr/share/icons/$(dirname "${png#resources/icons/}")"
  mkdir -p "$dir" && install -m 644 "$png" "$dir/"
done
install -m 644 packaging/linux/copyright "$STAGE/usr/share/doc/mediation-desk/copyright"

# Depends: the packages that own the system libraries the bundle links to, and glibc.
declare -A packages=()
for path in "${system_libs[@]}"; do
  pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null | head -1 | cut -d: -f1 || true)
  [[ -z $pkg ]] && pkg=$(dpkg -S "$path" 2>/dev/null | head -1 | cut -d: -f1 || true)
  [[ -n $pkg && $pkg != libc6 ]] && packages[$pkg]=1
done
# libstdc++ by the GCC release that introduced the highest GLIBCXX symbol version needed.
declare -A GCC_OF=([3.4.25]=8 [3.4.26]=9 [3.4.27]=9 [3.4.28]=10 [3.4.29]=11 [3.4.30]=12 [3.4.31]=13 [3.4.32]=14 [3.4.33]=14)
depends="libc6 (>= $highest)"
for pkg in $(printf '%s\n' "${!packages[@]}" | sort); do
  if [[ $pkg == libstdc++6 && -n ${GCC_OF[$highest_cxx]:-} ]]; then
    depends+=", libstdc++6 (>= ${GCC_OF[$highest_cxx]})"
  else
    depends+=", $pkg"
  fi
done
size_kb=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
sed -e "s/@VERSION@/$VERSION/" -e "s/@ARCH@/$ARCH/" -e "s/@SIZE_KB@/$size_kb/" -e "s/@DEPENDS@/$depends/" \
  packaging/linux/control.in >"$STAGE/DEBIAN/control"
# No maintainer scripts: dpkg's triggers refresh the menu and icon caches, and nothing
# ever touches the users' data folders (install, upgrade and removal alike).
find "$STAGE" -type d -exec chmod 755 {} +
DEB=dist/mediation-desk_${VERSION}_${ARCH}.deb
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$DEB" >/dev/null
echo "   $DEB, $(du -m "$DEB" | cut -f1) MB (installed ${size_kb} KB)"
echo "   Depends: $depends"
