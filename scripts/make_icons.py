"""Render the icon's SVGs to the hicolor PNG sizes (run after editing them).

Usage: .venv/bin/python scripts/make_icons.py
Writes resources/icons/hicolor/<n>x<n>/apps/mediation-desk.png for n in SIZES, with Qt's
SVG renderer (no other tool needed): sizes up to SMALL_MAX from mediation-desk-small.svg
(drawn on a 16-pixel grid, no fine detail), the others from mediation-desk.svg.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
NAME = "mediation-desk"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
SMALL_MAX = 24


def render(svg: Path, size: int) -> QImage:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"not a valid SVG: {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def main() -> int:
    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - Qt needs one for images
    for size in SIZES:
        svg = ICONS / (f"{NAME}-small.svg" if size <= SMALL_MAX else f"{NAME}.svg")
        out = ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{NAME}.png"
        out.parent.mkdir(parents=True, exist_ok=True)
        if not render(svg, size).save(str(out)):
            raise SystemExit(f"could not write {out}")
        print(out.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
