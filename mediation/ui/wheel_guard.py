"""The mouse wheel scrolls the form; it changes a combo box, spin box or date only when that has focus.

Applied to every widget of the program by the application's event filter
(:mod:`mediation.ui.app_events`): such editors take focus by click or Tab, never by the
wheel (``Qt.StrongFocus``), and a wheel turned over one without focus scrolls the
nearest scroll area around it instead — a party's 性别 no longer changes while the
intake form is scrolled.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollBar,
    QWidget,
)

GUARDED: tuple[type[QWidget], ...] = (QComboBox, QAbstractSpinBox, QAbstractSlider)
"""Editors whose value the wheel changes (date and time edits are spin boxes)."""


def is_guarded(widget: QObject) -> bool:
    return isinstance(widget, GUARDED) and not isinstance(widget, QScrollBar)


def guarded_owner(widget: QWidget) -> QWidget | None:
    """The guarded editor ``widget`` belongs to (itself, or e.g. a spin box around its line edit)."""
    w: QWidget | None = widget
    while w is not None:
        if is_guarded(w):
            return w
        if w.isWindow():
            return None
        w = w.parentWidget()
    return None


def polish(widget: QWidget) -> None:
    """Guarded editors take focus by click or Tab only, not by the wheel."""
    if is_guarded(widget) and widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


def _has_focus(editor: QWidget) -> bool:
    focus = QApplication.focusWidget()
    return focus is not None and (focus is editor or editor.isAncestorOf(focus))


def scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    """The nearest scroll area whose viewport holds ``widget``."""
    w = widget.parentWidget()
    while w is not None:
        if isinstance(w, QAbstractScrollArea) and w.viewport().isAncestorOf(widget):
            return w
        if w.isWindow():
            return None
        w = w.parentWidget()
    return None


def wheel_turned(receiver: QWidget, event: QWheelEvent) -> bool:
    """True when the wheel event was taken from an unfocused editor (and given to its scroll area)."""
    editor = guarded_owner(receiver)
    if editor is None or _has_focus(editor):
        return False
    area = scroll_area_around(editor)
    if area is not None:
        viewport = area.viewport()
        forwarded = QWheelEvent(
            viewport.mapFromGlobal(event.globalPosition()), event.globalPosition(), event.pixelDelta(),
            event.angleDelta(), event.buttons(), event.modifiers(), event.phase(), event.inverted(),
            event.source())
        QApplication.sendEvent(viewport, forwarded)
    event.accept()  # handled here: a spontaneous event must not go on to the editor's parents too
    return True
