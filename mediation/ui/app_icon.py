"""The program's icon (the PNGs made from ``resources/icons/mediation-desk.svg``)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication, QIcon

from mediation import assets

NAME = "mediation-desk"


def icon_file(size: int) -> Path:
    """The PNG of one hicolor size (16, 22, 24, 32, 48, 64, 128, 256)."""
    return assets.icons_dir() / "hicolor" / f"{size}x{size}" / "apps" / f"{NAME}.png"


def icon() -> QIcon:
    """Every size shipped, as one icon (PNGs, so no SVG plugin is needed; loaded when drawn)."""
    result = QIcon()
    for sub in sorted((assets.icons_dir() / "hicolor").glob("*x*")):
        png = sub / "apps" / f"{NAME}.png"
        if png.is_file():
            result.addFile(str(png))
    return result


def install(app: QGuiApplication) -> None:
    """Every window's icon, and the desktop entry (``mediation-desk.desktop``) the windows belong to."""
    app.setWindowIcon(icon())
    app.setDesktopFileName(NAME)
