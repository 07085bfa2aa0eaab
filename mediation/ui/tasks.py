"""Run service calls off the UI thread: ``Op(parent, fn).success(cb).failure(cb).run()``.

Reads run on a shared pool; writes on a single worker so they apply in order. ``fn``
must not touch widgets (it runs in a worker thread); callbacks run on the UI thread
and are skipped if ``parent`` was deleted meanwhile.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)
T = TypeVar("T")

_read_pool: QThreadPool | None = None
_write_pool: QThreadPool | None = None
_live: set[Op[Any]] = set()


def _pools() -> tuple[QThreadPool, QThreadPool]:
    global _read_pool, _write_pool
    if _read_pool is None or _write_pool is None:
        _read_pool = QThreadPool()
        _read_pool.setMaxThreadCount(2)
        _write_pool = QThreadPool()
        _write_pool.setMaxThreadCount(1)
    return _read_pool, _write_pool


def wait_for_all(msecs: int = 10_000) -> bool:
    """Block until queued operations finished (shutdown and tests)."""
    read, write = _pools()
    return write.waitForDone(msecs) and read.waitForDone(msecs)


class _Relay(QObject):
    finished = Signal(object, object)  # result, exception


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:  # handed to the UI thread, shown there
            self._relay.finished.emit(None, exc)
        else:
            self._relay.finished.emit(result, None)


class Op(Generic[T]):
    """A background operation with callbacks on the UI thread."""

    def __init__(self, parent: QObject | None, fn: Callable[[], T], *, write: bool = False) -> None:
        self._parent = parent
        self._fn = fn
        self._write = write
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None
        self._finally: Callable[[], None] | None = None
        self._relay = _Relay()
        self._relay.finished.connect(self._on_finished)

    def success(self, cb: Callable[[T], None]) -> Op[T]:
        self._success = cb
        return self

    def failure(self, cb: Callable[[BaseException], None]) -> Op[T]:
        self._failure = cb
        return self

    def finally_(self, cb: Callable[[], None]) -> Op[T]:
        self._finally = cb
        return self

    def run(self) -> None:
        read, write = _pools()
        _live.add(self)
        (write if self._write else read).start(_Runnable(self._fn, self._relay))

    def _on_finished(self, result: Any, exc: BaseException | None) -> None:
        _live.discard(self)
        if self._parent is not None and not shiboken6.isValid(self._parent):
            return
        try:
            if exc is None:
                if self._success is not None:
                    self._success(result)
            elif self._failure is not None:
                self._failure(exc)
            else:
                from mediation.ui.errors import show_exception

                parent = self._parent if isinstance(self._parent, QWidget) else None
                show_exception(parent, exc)
        finally:
            if self._finally is not None:
                self._finally()
