"""The practice mark: while the practice database is open, every window says so.

One mechanism for the whole program: :class:`PracticeMark` is an application-wide event
filter that puts "【练习模式】" in front of the title of every top-level window (the main
window, case windows, dialogs, message boxes) as it is shown or retitled; the main window
and the login dialog also carry :func:`practice_banner`, a coloured line above their
content. See :mod:`mediation.practice`.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel, QWidget

BANNER_STYLE = ("background: #fde7c7; color: #7a3b00; font-weight: bold; padding: 6px 10px;"
                " border-bottom: 2px solid #e08a1e;")


def title_mark() -> str:
    return QCoreApplication.translate("PracticeMark", "【练习模式】")


def banner_text() -> str:
    return QCoreApplication.translate(
        "PracticeMark", "练习模式：这里的案件、当事人和账户都是虚构的，只供练习，不会进入正式台账和统计。")


def practice_banner(parent: QWidget | None = None) -> QLabel:
    """The coloured line a practice window shows above its content."""
    label = QLabel(banner_text(), parent)
    label.setObjectName("practiceBanner")
    label.setWordWrap(True)
    label.setStyleSheet(BANNER_STYLE)
    return label


class PracticeMark(QObject):
    """Prefixes the title of every top-level window while installed."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Show, QEvent.Type.WindowTitleChange) and isinstance(watched, QWidget) \
                and watched.isWindow():
            mark(watched)
        return False


def mark(window: QWidget) -> None:
    title = window.windowTitle()
    prefix = title_mark()
    if not title.startswith(prefix):
        window.setWindowTitle(prefix + title)


_installed: PracticeMark | None = None


def install(app: QApplication | None = None) -> None:
    """Mark every window from now on (and the ones already shown)."""
    global _installed
    app = app or QApplication.instance()  # type: ignore[assignment]
    if app is None or _installed is not None:
        return
    _installed = PracticeMark(app)
    app.installEventFilter(_installed)
    for window in QApplication.topLevelWidgets():
        if window.isVisible():
            mark(window)


def uninstall(app: QApplication | None = None) -> None:
    global _installed
    app = app or QApplication.instance()  # type: ignore[assignment]
    if app is None or _installed is None:
        return
    app.removeEventFilter(_installed)
    _installed.deleteLater()
    _installed = None


def installed() -> bool:
    return _installed is not None
