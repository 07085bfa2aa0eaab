"""What every window needs: the database, the logged-in user, the change signal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from mediation.changes import Changes
from mediation.permissions import Actor

if TYPE_CHECKING:
    from mediation.db import Database


def logged_in(actor: Actor | None) -> Actor:
    """``actor``, which must be someone (a window or an operation acting with nobody logged in is a bug)."""
    if actor is None:
        raise RuntimeError("no user is logged in")
    return actor


class AppContext(QObject):
    """Shared by the main window and every dialog it opens."""

    operation_did_execute = Signal(object)
    """Emitted with a :class:`Changes` after a write succeeded."""
    actor_changed = Signal(object)
    """Emitted with the new Actor (or None) on login, logout or user switch."""

    def __init__(self, db: Database, actor: Actor | None = None, *, practice: bool = False) -> None:
        super().__init__()
        self.db = db
        self._actor = actor
        self.practice = practice
        """The practice database is open (mediation.practice): windows carry the practice mark."""

    @property
    def actor(self) -> Actor:
        return logged_in(self._actor)

    @property
    def has_actor(self) -> bool:
        return self._actor is not None

    def set_actor(self, actor: Actor | None) -> None:
        self._actor = actor
        self.actor_changed.emit(actor)

    def did_execute(self, changes: Changes) -> None:
        self.operation_did_execute.emit(changes)
