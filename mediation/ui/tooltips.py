"""Tooltips never catch a click, and a button's tooltip does not cover the buttons beside it.

A blocked action button says why in its tooltip; Qt puts a tooltip below and to the right
of the pointer, over the next button in the row, and the tooltip window took the first
click meant for that button. The application's event filter (:mod:`mediation.ui.app_events`)
makes every tooltip window transparent for input, and shows a button's tooltip above
the button, where it covers neither the button nor its row.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QToolTip, QWidget

from mediation.ui.window_fit import available_geometry

TOOLTIP_LABEL = "qtooltip_label"
"""Qt's object name for the tooltip window (QTipLabel)."""
GAP = 4


def is_tooltip_window(widget: QWidget) -> bool:
    return widget.isWindow() and widget.windowType() == Qt.WindowType.ToolTip


def let_clicks_through(tooltip: QWidget) -> None:
    """A shown tooltip window passes mouse input to whatever is under it."""
    tooltip.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
    handle = tooltip.windowHandle()
    if handle is not None:
        handle.setFlag(Qt.WindowType.WindowTransparentForInput, True)


def tooltip_window() -> QWidget | None:
    """Qt's tooltip window while it is shown."""
    for w in QApplication.topLevelWidgets():
        if w.objectName() == TOOLTIP_LABEL and w.isVisible():
            return w
    return None


def above(button: QRect, tip: QRect, avail: QRect) -> QPoint:
    """Where a tooltip of size ``tip`` goes for a button at ``button`` (global): above it, else below."""
    x = max(avail.left(), min(button.left(), avail.right() + 1 - tip.width()))
    y = button.top() - GAP - tip.height()
    if y < avail.top():
        y = button.bottom() + 1 + GAP
    return QPoint(x, y)


def button_tooltip(button: QAbstractButton, event: QHelpEvent) -> bool:
    """Show ``button``'s tooltip above it; True when shown (or rightly not shown) here."""
    text = button.toolTip()
    if not text:
        return False
    QToolTip.showText(event.globalPos(), text, button, button.rect())
    tip = tooltip_window()
    if tip is not None:
        where = QRect(button.mapToGlobal(QPoint(0, 0)), button.size())
        tip.move(above(where, tip.frameGeometry(), available_geometry(button)))
        let_clicks_through(tip)
    return True
