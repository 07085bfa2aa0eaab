"""Application-wide shortcuts: Ctrl+L locks (and Ctrl+N, F1 … work) from every window.

A ``QAction`` shortcut works only while its own window is active, and Qt's
``ApplicationShortcut`` context is blocked by any modal dialog; the guide promises Ctrl+L
from anywhere. So the main window registers its application-wide actions here, and the
application's event filter (:mod:`mediation.ui.app_events`) hands every key press in
another window to :meth:`ApplicationShortcuts.key_pressed`, which triggers the action
whose shortcut it is (when that action is enabled: while the screen is locked, none is).
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QWidget

_MODIFIER_KEYS = frozenset(k.value for k in (Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Meta, Qt.Key.Key_Alt,
                                              Qt.Key.Key_AltGr))
"""Modifier keys pressed alone: never a shortcut."""


class ApplicationShortcuts:
    """The actions whose shortcuts work in every window of the program."""

    def __init__(self) -> None:
        self._actions: list[QAction] = []

    def register(self, action: QAction) -> None:
        """Make ``action``'s shortcut work in every window (it keeps working in its own as before)."""
        if action not in self._actions:
            self._actions.append(action)

    def unregister(self, action: QAction) -> None:
        if action in self._actions:
            self._actions.remove(action)

    def actions(self) -> list[QAction]:
        self._actions = [a for a in self._actions if shiboken6.isValid(a)]
        return list(self._actions)

    def action_for(self, sequence: QKeySequence) -> QAction | None:
        for action in self.actions():
            if any(s.matches(sequence) == QKeySequence.SequenceMatch.ExactMatch for s in action.shortcuts()):
                return action
        return None

    def key_pressed(self, receiver: QObject, event: QKeyEvent) -> bool:
        """Trigger the registered action ``event`` is the shortcut of; True if one was triggered.

        In the action's own window Qt's shortcut map has already had the key, so nothing
        is done there.
        """
        if not self._actions or event.key() in _MODIFIER_KEYS or not isinstance(receiver, QWidget):
            return False
        action = self.action_for(QKeySequence(event.keyCombination()))
        if action is None or not action.isEnabled():
            return False
        owner = action.parent()
        if isinstance(owner, QWidget) and owner.window() is receiver.window():
            return False
        event.accept()
        action.trigger()
        return True


_registry = ApplicationShortcuts()


def registry() -> ApplicationShortcuts:
    """The program's one registry (what the application's event filter consults)."""
    return _registry


def register(*actions: QAction) -> None:
    """Make each action's shortcut work from every window of the program."""
    for action in actions:
        _registry.register(action)
