"""Progress and cancellation of long jobs: backup, import, demo data, and every later one.

A long job takes ``progress: Progress | None`` and calls ``progress(done, total)``
between its steps. The caller's callback may raise :class:`Cancelled` to abandon the job;
the job leaves nothing behind (its transaction is rolled back, its files removed). The
desktop wraps a :class:`CancelToken` and a progress display into such a callback
(``mediation.ui.operations``); the command line passes ``None`` or a printer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from mediation.errors import MediationError
from mediation.i18n import _

Progress = Callable[[int, int], None]
"""``progress(done, total)``: steps done so far, of how many (``total`` 0 when unknown)."""


class Cancelled(MediationError):
    """The person stopped a long job; nothing of it was kept."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("已取消，没有保存任何内容。"))


class CancelToken:
    """Set on one thread (the UI's 取消), checked on the job's thread."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        """Raise :class:`Cancelled` once :meth:`cancel` was called."""
        if self._event.is_set():
            raise Cancelled()

    def progress(self, report: Progress | None = None) -> Progress:
        """A progress callback that stops the job when cancelled and passes each step on."""

        def step(done: int, total: int) -> None:
            self.check()
            if report is not None:
                report(done, total)

        return step
