"""Draw an installed desktop entry the way a launcher shows it: its icon, looked up by
name in the icon theme, at a given size, with its localised name underneath.

Usage: python scripts/desktop_entry_preview.py ENTRY.desktop OUT.png SIZE [FONT_FILE]

FONT_FILE (e.g. the bundle's wqy-microhei.ttc) draws the name when the system has no
Chinese font.

The icon is found the way desktops find it (``Icon=mediation-desk`` → the hicolor theme
under /usr/share/icons, the size asked for or the nearest), so the picture shows what
the package installed, not the files in the repository. Exits 1 if the icon is not found.
"""

from __future__ import annotations

import configparser
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QGuiApplication, QIcon, QImage, QPainter


def main() -> int:
    entry_path, out, size_text = sys.argv[1:4]
    size = int(size_text)
    app = QGuiApplication(sys.argv[:1])  # noqa: F841
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(entry_path, encoding="utf-8")
    section = entry["Desktop Entry"]
    name = section.get("Name[zh_CN]", section["Name"])
    QIcon.setThemeSearchPaths(["/usr/share/icons"])
    QIcon.setThemeName("hicolor")
    icon = QIcon.fromTheme(section["Icon"])
    if icon.isNull():
        print(f"icon {section['Icon']!r} not found in the hicolor theme", file=sys.stderr)
        return 1
    pixmap = icon.pixmap(size, size)
    print(f"{section['Icon']}: theme icon, drawn at {pixmap.width()}×{pixmap.height()} "
          f"(sizes installed: {sorted(s.width() for s in icon.availableSizes())})")
    font = QFont()
    if len(sys.argv) > 4:
        families = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(sys.argv[4]))
        if families:
            font = QFont(families[0])
    font.setPixelSize(max(12, min(size // 6, 28)))
    label_h = font.pixelSize() * 2
    pad = max(8, size // 8)
    width = max(size + 2 * pad, font.pixelSize() * len(name) + 2 * pad)
    image = QImage(width, size + label_h + 2 * pad, QImage.Format.Format_ARGB32)
    image.fill(QColor("#2e3440"))  # a dark launcher background; the icon must stand out on it
    painter = QPainter(image)
    painter.drawPixmap((width - size) // 2, pad, pixmap)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(QRect(0, size + pad + pad // 2, width, label_h), Qt.AlignmentFlag.AlignHCenter, name)
    painter.end()
    image.save(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
