"""The main window's lock: the idle timer, locking, putting windows aside, unlocking and switching user.

How locking works is described in :mod:`mediation.ui.lock_screen`; this controller does
it for one main window. On lock every other window is hidden (its input kept as a draft
too, so a machine switched off while locked loses nothing); on unlock by the same user
they come back; when another user logs in instead, the first user's windows are put
aside as their drafts and closed before the actor changes.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Protocol, runtime_checkable

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QApplication, QWidget

from mediation.permissions import Actor
from mediation.ui.context import AppContext
from mediation.ui.lock_screen import DEFAULT_IDLE_MINUTES, IdleWatcher, LockScreen, close_keeping_draft, save_draft_of
from mediation.ui.state import UiState

log = logging.getLogger(__name__)


@runtime_checkable
class HasCaseWindows(Protocol):
    """A main window whose case windows belong to the user even when not visible."""

    def case_windows(self) -> Mapping[int, QWidget]: ...


class LockController(QObject):
    """Locks ``window`` after the idle time or on request; unlocks, or lets another user in."""

    lock_changed = Signal(bool)
    """The window was locked (True) or unlocked (False): its own actions follow."""

    def __init__(self, ctx: AppContext, window: QWidget, *, state: UiState | None = None) -> None:
        # The window is this object's Qt parent, not a Python attribute: a reference from
        # here would keep it alive until the garbage collector, which may run anywhere.
        super().__init__(window)
        self.ctx = ctx
        self._state = state
        self._locked = False
        self._hidden: list[QWidget] = []
        self._was_active: QWidget | None = None
        """The window the user was in when the screen locked (a dialog over a case window …)."""
        self._idle_minutes = DEFAULT_IDLE_MINUTES
        self.screen = LockScreen(ctx, window)
        self.screen.unlocked.connect(self._on_screen_unlocked)
        self.screen.user_switched.connect(self._on_screen_user_switched)
        self.idle = IdleWatcher(self)
        self.idle.idle_timed_out.connect(self._on_idle_timed_out)

    @property
    def locked(self) -> bool:
        return self._locked

    def _window(self) -> QWidget:
        window = self.parent()
        assert isinstance(window, QWidget)
        return window

    def set_idle_minutes(self, minutes: int) -> None:
        """The administrator's setting (only applied when it changed: it restarts the count)."""
        if minutes != self._idle_minutes:
            self._idle_minutes = minutes
            self.idle.set_minutes(minutes)

    def start(self) -> None:
        self.idle.start()

    def stop(self) -> None:
        self.idle.stop()

    def other_windows(self) -> list[QWidget]:
        """Visible top-level windows other than the main one (dialogs, case windows, message boxes)."""
        out = []
        for w in QApplication.topLevelWidgets():
            if w is self._window() or not w.isVisible() or not w.isWindow():
                continue
            if w.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip, Qt.WindowType.SplashScreen):
                continue
            out.append(w)
        return out

    def lock(self, *, idle: bool = False, switching: bool = False) -> None:
        """Cover the window and hide every other window; nothing is closed or lost.

        ``switching``: the cover is for the next user to log in (it says so, not "locked")."""
        if self._locked or not self.ctx.has_actor:
            return
        self._locked = True
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()
        active = QApplication.activeModalWidget() or QApplication.activeWindow()
        self._was_active = active if active is not None and active is not self._window() else None
        self._hidden = self.other_windows()
        for w in self._hidden:
            try:
                save_draft_of(w)
            except Exception as exc:  # noqa: BLE001 - logged; locking must never fail because of a draft
                log.error("save_draft failed in %s: %s", type(w).__name__, type(exc).__name__)
            w.hide()
        self.idle.stop()
        self.lock_changed.emit(True)
        self.screen.activate(idle=idle, switching=switching)
        window = self._window()
        if window.isMinimized():
            window.showNormal()

    def show_when_unlocked(self, widget: QWidget) -> None:
        """Show ``widget`` (a result of background work) now, or, while locked, when the same
        user unlocks — never on top of the lock screen."""
        if self._locked:
            self._hidden.append(widget)
        else:
            widget.show()

    def unlock(self) -> None:
        """The same user is back: the hidden windows come back as they were, the one they were in
        (a dialog locked with Ctrl+L, say) on top and active, so typing and Esc go there again."""
        self._end_lock()
        hidden = [w for w in self._hidden if shiboken6.isValid(w)]
        # A window before the windows it owns: a dialog must not come back under its case window.
        hidden.sort(key=lambda w: sum(1 for o in hidden if _owns(o, w)))
        for w in hidden:
            w.show()
        for w in hidden:
            if w.isModal() or w.windowModality() != Qt.WindowModality.NonModal:
                w.raise_()
        active = self._was_active
        if active is not None and shiboken6.isValid(active) and active.isVisible():
            active.raise_()
            active.activateWindow()
        self._hidden = []
        self._was_active = None

    def switch_user(self) -> None:
        """Lock, with the other user's login form open."""
        self.lock(switching=True)
        self.screen.switch_box.show()
        self.screen.switch_form.username_edit.setFocus()

    def put_aside_windows(self) -> None:
        """Keep the first user's unsaved input as drafts and close their windows."""
        window = self._window()
        own = list(window.case_windows().values()) if isinstance(window, HasCaseWindows) else []
        windows = list(self._hidden) + [w for w in own if w not in self._hidden]
        for w in windows:
            if not shiboken6.isValid(w):
                continue
            try:
                closed = close_keeping_draft(w)
            except Exception as exc:  # noqa: BLE001 - logged; a draft that fails must not expose the window
                log.error("putting aside %s failed: %s", type(w).__name__, type(exc).__name__)
                closed = False
            if not closed and shiboken6.isValid(w):
                w.hide()
                w.deleteLater()
        self._hidden = []
        self._was_active = None

    def _end_lock(self) -> None:
        self.screen.hide()
        self._locked = False
        self.lock_changed.emit(False)
        self.idle.start()

    def _on_screen_unlocked(self) -> None:
        self.unlock()

    def _on_screen_user_switched(self, actor: Actor) -> None:
        self.put_aside_windows()
        self._end_lock()
        self.ctx.set_actor(actor)
        if self._state is not None:
            self._state.set_last_user(actor.username)

    def _on_idle_timed_out(self) -> None:
        self.lock(idle=True)


def _owns(owner: QWidget, window: QWidget) -> bool:
    """Whether ``window`` belongs to ``owner`` (``owner`` is up its parent chain, across windows)."""
    w = window.parentWidget()
    while w is not None:
        if w is owner:
            return True
        w = w.parentWidget()
    return False
