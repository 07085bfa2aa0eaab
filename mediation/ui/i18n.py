"""UI language: our ``.qm`` catalog, Qt's own ``qtbase`` catalog, and the core's gettext catalog.

Source strings are the Simplified Chinese users see by default, so ``zh_CN`` needs only
Qt's catalog (stock buttons) and English needs ours. Switching at runtime installs the
new translators; Qt then sends ``LanguageChange`` to every widget, and our windows
re-set their texts in ``changeEvent``.

Qt's own dialogs (the non-native file dialog, the print and page-setup dialogs) are
translated by ``qtbase_zh_CN.qm``, but that catalogue lags behind Qt 6's source strings:
"&Look in:", "Files of &type:", "Page &Set:" … changed in Qt 6 (mnemonics added) and the
Chinese entries kept the old texts, so those labels showed in English. What it lacks is
in ``resources/i18n/qtbase_extra_<lang>.qm``, installed after it (Qt asks the translator
installed last first).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from mediation import assets
from mediation import i18n as core_i18n

log = logging.getLogger(__name__)

I18N_DIR = assets.i18n_dir()
DEFAULT_LANGUAGE = "zh_CN"
LANGUAGES: dict[str, str] = {"zh_CN": "简体中文", "en": "English"}
"""Language code → its own name (shown untranslated, so anyone can find their language)."""

_installed: list[QTranslator] = []
_current = DEFAULT_LANGUAGE


def normalise(language: str | None) -> str:
    if not language:
        return DEFAULT_LANGUAGE
    if language in LANGUAGES:
        return language
    if language.lower().startswith("zh"):
        return "zh_CN"
    if language.lower().startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE


def current_language() -> str:
    return _current


def qm_path(language: str) -> Path:
    return I18N_DIR / f"mediation_{language}.qm"


def qt_extra_path(language: str) -> Path:
    """Our additions to Qt's own catalogue for ``language`` (what qtbase lacks)."""
    return I18N_DIR / f"qtbase_extra_{language}.qm"


def install(language: str | None, app: QCoreApplication | None = None) -> str:
    """Make ``language`` the UI language (replacing earlier translators); returns the code used."""
    global _current
    app = app or QCoreApplication.instance()
    code = normalise(language)
    for tr in _installed:
        QCoreApplication.removeTranslator(tr)
        tr.deleteLater()
    _installed.clear()
    if app is not None:
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        qt = QTranslator(app)
        if qt.load(f"qtbase_{code}", qt_dir):
            QCoreApplication.installTranslator(qt)
            _installed.append(qt)
        extra = QTranslator(app)
        if qt_extra_path(code).exists() and extra.load(str(qt_extra_path(code))):
            QCoreApplication.installTranslator(extra)  # after qtbase: asked first
            _installed.append(extra)
        if code != DEFAULT_LANGUAGE:
            ours = QTranslator(app)
            if ours.load(str(qm_path(code))):
                QCoreApplication.installTranslator(ours)
                _installed.append(ours)
            else:
                log.warning("missing UI translation %s", qm_path(code).name)
    QLocale.setDefault(QLocale("zh_CN" if code == "zh_CN" else "en_US"))
    core_i18n.set_language(code)
    _current = code
    return code
