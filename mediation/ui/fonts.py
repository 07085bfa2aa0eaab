"""Register the bundled CJK fonts and make one of them the application font (never the machine's)."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from mediation import assets

log = logging.getLogger(__name__)

FONTS_DIR = assets.fonts_dir()
UI_FAMILIES = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC")
"""Sans-serif families preferred for the UI, best first (whichever is bundled wins)."""
FALLBACK_FAMILIES = ("HanaMinA", "HanaMinB", "AR PL UMing CN")
"""Families with wide coverage used for characters the UI font lacks (rare names)."""
MIN_POINT_SIZE = 10.0
"""CJK text below 10 pt is hard to read on the desk PCs' screens."""

_registered: list[str] | None = None


def font_files(directory: Path = FONTS_DIR) -> list[Path]:
    return sorted(p for p in directory.glob("*") if p.suffix.lower() in (".ttf", ".ttc", ".otf", ".otc"))


def register_bundled_fonts(directory: Path = FONTS_DIR) -> list[str]:
    """Add every bundled font file to Qt's font database; returns the families found.

    Idempotent: the files are registered once per process.
    """
    global _registered
    if _registered is not None:
        return list(_registered)
    families: list[str] = []
    for path in font_files(directory):
        font_id = QFontDatabase.addApplicationFont(str(path))
        if font_id < 0:
            log.warning("could not load bundled font %s", path.name)
            continue
        families.extend(QFontDatabase.applicationFontFamilies(font_id))
    if not families:
        log.warning("no bundled CJK font found in %s; Chinese text may show as boxes", directory)
    _registered = families
    return list(families)


def ui_family(families: list[str]) -> str | None:
    """The bundled family to use for the UI: a preferred sans-serif, else any CJK family."""
    for name in UI_FAMILIES:
        if name in families:
            return name
    # Any bundled family that can write Chinese will do (e.g. a Ming/Song face).
    for name in families:
        if QFontDatabase.WritingSystem.SimplifiedChinese in QFontDatabase.writingSystems(name):
            return name
    return families[0] if families else None


def install_application_font(app: QApplication, *, point_size: float | None = None) -> str | None:
    """Register the bundled fonts and set the application font; returns the UI family."""
    families = register_bundled_fonts()
    main = ui_family(families)
    if main is None:
        return None
    chain = [main] + [f for f in FALLBACK_FAMILIES if f in families and f != main]
    font = QFont(app.font())
    font.setFamilies(chain)
    size = point_size or max(font.pointSizeF(), MIN_POINT_SIZE)
    font.setPointSizeF(size)
    # Fonts bundled for the UI are hinted for screens; let Qt use full hinting on Windows too.
    font.setHintingPreference(QFont.HintingPreference.PreferDefaultHinting)
    app.setFont(font)
    return main
