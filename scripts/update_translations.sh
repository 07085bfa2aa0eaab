#!/usr/bin/env bash
# Regenerate the translation sources and compile them:
#  - Qt UI strings (self.tr / QCoreApplication.translate / QT_TRANSLATE_NOOP) of every file
#    in mediation/ui -> resources/i18n/mediation_<lang>.ts -> .qm (pyside6-lupdate/lrelease);
#  - the Qt-free core's gettext strings (_, N_, ngettext) -> resources/i18n/mediation.pot,
#    merged into resources/i18n/<lang>/LC_MESSAGES/mediation.po -> .mo (xgettext/msgmerge/msgfmt).
# Source strings are the Simplified Chinese users see by default; English is the translation.
# Translators edit the .ts with Qt Linguist (or a text editor) and the .po with any PO editor,
# then run this script again. Usage: bash scripts/update_translations.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${VENV_BIN:-.venv/bin}"
OUT=resources/i18n
LANGS=(en)
mkdir -p "$OUT"

mapfile -t UI_FILES < <(find mediation/ui -name '*.py' | sort)
for lang in "${LANGS[@]}"; do
    "$BIN/pyside6-lupdate" -silent -no-obsolete -locations relative \
        -source-language zh_CN -target-language "$lang" \
        "${UI_FILES[@]}" -ts "$OUT/mediation_$lang.ts"
    "$BIN/pyside6-lrelease" -silent "$OUT/mediation_$lang.ts" -qm "$OUT/mediation_$lang.qm"
done

# What Qt's own catalogue lacks (written by hand, see the file's comment): compiled only.
for ts in "$OUT"/qtbase_extra_*.ts; do
    [ -e "$ts" ] && "$BIN/pyside6-lrelease" -silent "$ts" -qm "${ts%.ts}.qm"
done

if command -v xgettext >/dev/null; then
    mapfile -t CORE_FILES < <(find mediation -name '*.py' -not -path 'mediation/ui/*' | sort)
    xgettext --language=Python --from-code=UTF-8 --keyword=_ --keyword=N_ --keyword=ngettext:1,2 \
        --add-comments=TRANSLATORS --no-wrap --sort-by-file --package-name=mediation-desk \
        -o "$OUT/mediation.pot" "${CORE_FILES[@]}"
    for lang in "${LANGS[@]}"; do
        po="$OUT/$lang/LC_MESSAGES/mediation.po"
        mkdir -p "$(dirname "$po")"
        if [ -f "$po" ]; then
            msgmerge --quiet --update --backup=none --no-wrap --no-fuzzy-matching "$po" "$OUT/mediation.pot"
        else
            # msginit would copy the Chinese msgids into an English catalog; start empty instead.
            msginit --no-translator --no-wrap --locale="$lang" -i "$OUT/mediation.pot" -o "$po"
            msgfilter --keep-header --no-wrap -i "$po" -o "$po" sed -e d
        fi
        msgattrib --no-obsolete --no-wrap -o "$po" "$po"
        msgfmt --check-format -o "${po%.po}.mo" "$po"
    done
else
    echo "xgettext not found (apt-get install gettext): core catalogs left as they are" >&2
fi
echo "translations updated in $OUT"
