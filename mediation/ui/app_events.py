"""The application's one event filter: what every window gets without asking for it.

Installed on the ``QApplication`` at start (:func:`install`); each concern lives in its own
module and is called from here for the events it needs:

* :mod:`~mediation.ui.window_fit` — top-level windows fit the screen, keep their buttons
  visible, remember their size per screen, grow with their content;
* :mod:`~mediation.ui.wheel_guard` — the wheel changes an editor only when it has focus;
* :mod:`~mediation.ui.shortcuts` — Ctrl+L and the other application-wide shortcuts work
  from every window;
* :mod:`~mediation.ui.tooltips` — tooltips never catch a click, buttons' tooltips go above;
* :mod:`~mediation.ui.date_popup` — date pickers open on the desk's today.

One filter rather than five: every event of the program passes through it, and the
first test (is this an event type we look at?) is one set lookup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QHelpEvent, QKeyEvent, QWheelEvent
from PySide6.QtWidgets import QAbstractButton, QCalendarWidget, QWidget

from mediation.ui import date_popup, shortcuts, tooltips, wheel_guard
from mediation.ui.window_fit import WindowFitter

if TYPE_CHECKING:
    from mediation.ui.state import UiState

_T = QEvent.Type
_WATCHED = frozenset({_T.Show, _T.Hide, _T.LayoutRequest, _T.Resize, _T.Move, _T.Polish, _T.Wheel,
                      _T.KeyPress, _T.ToolTip})


class AppEvents(QObject):
    """The filter; :attr:`fitter` and :attr:`shortcuts` are its parts others talk to."""

    def __init__(self, state: UiState | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.fitter = WindowFitter(state)
        self.shortcuts = shortcuts.registry()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in _WATCHED or not isinstance(watched, QWidget):
            return False
        if kind == _T.Show:
            if watched.isWindow():
                if tooltips.is_tooltip_window(watched):
                    tooltips.let_clicks_through(watched)
                else:
                    self.fitter.window_shown(watched)
            elif isinstance(watched, QCalendarWidget):
                date_popup.calendar_shown(watched)
        elif kind == _T.Hide:
            if watched.isWindow():
                self.fitter.window_hidden(watched)
        elif kind in (_T.LayoutRequest, _T.Resize):
            if watched.isWindow():
                self.fitter.layout_requested(watched)
        elif kind == _T.Move:
            if watched.isWindow():
                self.fitter.window_moved(watched)
        elif kind == _T.Polish:
            wheel_guard.polish(watched)
        elif kind == _T.Wheel:
            assert isinstance(event, QWheelEvent)
            return wheel_guard.wheel_turned(watched, event)
        elif kind == _T.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self.shortcuts.key_pressed(watched, event)
        elif kind == _T.ToolTip and isinstance(watched, QAbstractButton):
            assert isinstance(event, QHelpEvent)
            return tooltips.button_tooltip(watched, event)
        return False


_installed: AppEvents | None = None


def install(app: QCoreApplication, state: UiState | None = None) -> AppEvents:
    """Install the filter on ``app`` (once; a second call only updates the remembered-size store)."""
    global _installed
    if _installed is None:
        _installed = AppEvents(state, app)
        app.installEventFilter(_installed)
    elif state is not None:
        _installed.fitter.state = state
    return _installed


def installed() -> AppEvents | None:
    """The installed filter (None before :func:`install`)."""
    return _installed
