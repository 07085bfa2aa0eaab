"""The engine under :mod:`mediation.ui.operations`: worker pools and the hand-back to the UI thread.

Reads run on a shared pool of two threads; writes on a single worker so they apply in the
order they were asked for. Slow reads that nobody waits for (a search's exact count at a
million cases) run on a thread of their own, so they never hold up the reads a person does
wait for. ``fn`` runs in a worker thread and must not touch widgets;
``on_done(result, exc)`` runs on the UI thread. Windows do not call this module: they use
the operations (``ReadOp``, ``WriteOp``, ``Task``), which open the sessions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal

_read_pool: QThreadPool | None = None
_write_pool: QThreadPool | None = None
_slow_pool: QThreadPool | None = None
_live: set[_Relay] = set()


def _pools() -> tuple[QThreadPool, QThreadPool]:
    global _read_pool, _write_pool
    if _read_pool is None or _write_pool is None:
        _read_pool = QThreadPool()
        _read_pool.setMaxThreadCount(2)
        _write_pool = QThreadPool()
        _write_pool.setMaxThreadCount(1)
    return _read_pool, _write_pool


def _slow() -> QThreadPool:
    global _slow_pool
    if _slow_pool is None:
        _slow_pool = QThreadPool()
        _slow_pool.setMaxThreadCount(1)
    return _slow_pool


def wait_for_all(msecs: int = 10_000) -> bool:
    """Block until queued work finished (shutdown and tests); their callbacks run later."""
    read, write = _pools()
    return write.waitForDone(msecs) and read.waitForDone(msecs) and _slow().waitForDone(msecs)


def pending() -> int:
    """How many submissions have not yet handed their outcome back to the UI thread."""
    return len(_live)


class _Relay(QObject):
    """Lives on the UI thread; the worker's emit is queued to it.

    Owned by the application object, not by Python, and deleted with ``deleteLater`` once
    its outcome is handled: the worker thread may drop the last Python reference to it,
    and a QObject must not be deleted from a thread other than its own.
    """

    finished = Signal(object, object)  # result, exception

    def __init__(self, on_done: Callable[[Any, BaseException | None], None]) -> None:
        super().__init__(QCoreApplication.instance())
        self._on_done = on_done
        self.finished.connect(self._on_finished)

    def _on_finished(self, result: Any, exc: BaseException | None) -> None:
        try:
            self._on_done(result, exc)
        finally:
            _live.discard(self)
            self._on_done = _done
            self.deleteLater()


def _done(_result: Any, _exc: BaseException | None) -> None:
    """What a relay does once it has handed its outcome on (nothing)."""


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the UI thread, presented there
            self._relay.finished.emit(None, exc)
        else:
            self._relay.finished.emit(result, None)


def submit(fn: Callable[[], Any], on_done: Callable[[Any, BaseException | None], None], *,
           write: bool, slow: bool = False) -> None:
    """Run ``fn`` on the read pool (or the single writer; ``slow``: the slow reads' thread)
    and ``on_done`` on the UI thread."""
    read, writer = _pools()
    relay = _Relay(on_done)
    _live.add(relay)
    pool = writer if write else _slow() if slow else read
    pool.start(_Runnable(fn, relay))
