"""Translation of the Qt-free core's messages (gettext).

Source strings are the Simplified Chinese that users see by default; an English
catalog lives in ``resources/i18n/<lang>/LC_MESSAGES/mediation.mo`` (read through
:mod:`mediation.assets`).
"""

from __future__ import annotations

import gettext

from mediation import assets

LOCALE_DIR = assets.i18n_dir()
DOMAIN = "mediation"

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "zh_CN"


def set_language(language: str) -> None:
    """Switch the core's messages to ``language`` (``zh_CN`` or ``en``)."""
    global _translation, _language
    _language = language
    if language.startswith("zh"):
        _translation = gettext.NullTranslations()
    else:
        _translation = gettext.translation(
            DOMAIN, localedir=str(LOCALE_DIR), languages=[language], fallback=True
        )


def current_language() -> str:
    return _language


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for extraction without translating it now (import-time labels)."""
    return message
