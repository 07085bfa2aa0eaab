"""Operations: a service call off the UI thread, with its session, its changes, progress and failure.

The window says *what*; the operation does the rest, as Anki's ``CollectionOp``/``QueryOp``::

    WriteOp(self, lambda s, a: cases.accept_case(s, a, case_id, expected_version=v)) \\
        .success(self._on_accepted).run()

* :class:`ReadOp` opens ``ctx.db.read()`` in a reader thread, :class:`WriteOp` opens
  ``ctx.db.write()`` (one transaction) in the single writer thread; both call
  ``fn(session, actor)`` there, with the actor who was logged in when ``run()`` was called.
* After a successful write the operation broadcasts what changed
  (``AppContext.operation_did_execute``): derived from the result (a ``Changes``; a
  ``CaseRef`` is that case, and the case list since its stage or number may have changed)
  or declared with ``.changes(Changes(...))``, so windows refresh only when concerned.
* ``.with_progress(label, cancellable=True)`` shows a progress dialog whose 取消 stops the
  job through a :class:`~mediation.progress.CancelToken`; a job that reports progress is
  built with ``.job()`` and passes ``job.progress`` to the service. What was cancelled
  keeps nothing: a write is rolled back even when 取消 came after the last step.
* Without ``.failure(cb)`` a failure goes to :func:`~mediation.ui.errors.present_failure`;
  with it, the callback decides (and the failure is logged all the same).
* :class:`Task` runs a function that needs no session (files, printing, logging in).

Callbacks run on the UI thread and are skipped when their window was deleted meanwhile;
``fn`` runs in a worker and must not touch widgets. Every session the desktop opens is
opened here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, Protocol, Self, TypeVar, runtime_checkable

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer
from PySide6.QtWidgets import QProgressDialog, QWidget

from mediation.changes import Changes
from mediation.permissions import Actor
from mediation.progress import CancelToken, Progress
from mediation.ui import tasks
from mediation.ui.context import AppContext, logged_in
from mediation.ui.errors import log_failure, present_failure

if TYPE_CHECKING:  # the database layer loads in the background at start (see mediation.ui.app)
    from sqlalchemy.orm import Session

    from mediation.db import Database

T = TypeVar("T")
SessionFn = Callable[["Session", Actor], T]
"""What a window asks an operation to do: ``fn(session, actor)``, in a worker thread."""

PROGRESS_POLL_MS = 100
PROGRESS_SHOW_AFTER_MS = 300



@runtime_checkable
class HasContext(Protocol):
    """A window whose operations use its context (the database and the logged-in user)."""

    ctx: AppContext


def wait_for_all(msecs: int = 10_000) -> bool:
    """Block until every queued operation finished in its worker (shutdown and tests)."""
    return tasks.wait_for_all(msecs)


def pending() -> int:
    """Operations whose outcome has not yet reached the UI thread."""
    return tasks.pending()


@runtime_checkable
class HasChanges(Protocol):
    """A result that says what it changed (as Anki's ``OpChangesWith…``)."""

    changes: Changes


def changes_of(result: object) -> Changes:
    """What a service's result says it changed (nothing, when it does not say)."""
    from mediation.services.cases import CaseRef  # loaded by now: a service returned it

    if isinstance(result, Changes):
        return result
    if isinstance(result, HasChanges) and isinstance(result.changes, Changes):
        return result.changes
    if isinstance(result, CaseRef):
        return Changes(case_ids=frozenset({result.id}), cases_list=True)
    return Changes()


class Job:
    """What a job function gets in its worker thread: sessions, the actor, progress, cancel."""

    def __init__(self, db: Database | None, actor: Actor | None, token: CancelToken,
                 report: Progress, *, may_write: bool) -> None:
        self._db = db
        self._actor = actor
        self.token = token
        self.progress: Progress = token.progress(report)
        """Pass this to a long service: it reports each step and raises ``Cancelled`` on 取消."""
        self._may_write = may_write

    @property
    def db(self) -> Database:
        """For services that take the database itself (backup, login)."""
        if self._db is None:
            raise RuntimeError("a Task has no database; use ReadOp or WriteOp")
        return self._db

    @property
    def actor(self) -> Actor:
        return logged_in(self._actor)

    def read(self, fn: SessionFn[T]) -> T:
        """``fn(session, actor)`` in a read session (rolled back at the end)."""
        with self.db.read() as session:
            return fn(session, self.actor)

    def write(self, fn: SessionFn[T]) -> T:
        """``fn(session, actor)`` in one write transaction; 取消 until the commit rolls it back."""
        return self.write_anonymous(lambda session: fn(session, self.actor))

    def write_anonymous(self, fn: Callable[[Session], T]) -> T:
        """A write before anyone is logged in (the first start's set-up)."""
        if not self._may_write:
            raise RuntimeError("a read operation cannot write; use WriteOp")
        self.token.check()
        with self.db.write() as session:
            result = fn(session)
            self.token.check()  # pressed while the last step ran: leave uncommitted
            return result


class _Progress:
    """Steps reported by the worker, shown on the UI thread by a timer (no signal per step)."""

    def __init__(self) -> None:
        self.done = 0
        self.total = 0

    def report(self, done: int, total: int) -> None:  # worker thread
        self.done, self.total = done, total


class _Operation(Generic[T]):
    """The common part of :class:`ReadOp`, :class:`WriteOp` and :class:`Task`."""

    _write = False
    _slow = False

    def __init__(self, parent: QObject | None, work: Callable[[Job], T], *,
                 ctx: AppContext | None = None, db: Database | None = None) -> None:
        self._parent = parent
        self._work = work
        self.ctx = ctx
        self._db = db
        self.token = CancelToken()
        self._steps = _Progress()
        self._success: Callable[[T], object] | None = None
        self._failure: Callable[[BaseException], object] | None = None
        self._finally: Callable[[], object] | None = None
        self._declared: Changes | None = None
        self._label: str | None = None
        self._title = ""
        self._describe: Callable[[int, int], str] | None = None
        self._cancellable = False
        self._on_progress: Callable[[int, int], object] | None = None
        self._timer: QTimer | None = None
        self.progress_dialog: QProgressDialog | None = None
        self.finished = False

    # -- building

    def success(self, cb: Callable[[T], object]) -> Self:
        self._success = cb
        return self

    def failure(self, cb: Callable[[BaseException], object]) -> Self:
        """Handle failures here instead of :func:`present_failure` (they are logged anyway)."""
        self._failure = cb
        return self

    def finally_(self, cb: Callable[[], object]) -> Self:
        self._finally = cb
        return self

    def with_progress(self, label: str, *, title: str = "", cancellable: bool = False,
                      describe: Callable[[int, int], str] | None = None) -> Self:
        """A progress dialog over the parent window (``describe(done, total)`` relabels it per step)."""
        self._label, self._title, self._cancellable, self._describe = label, title, cancellable, describe
        return self

    def on_progress(self, cb: Callable[[int, int], object]) -> Self:
        """Show progress yourself: ``cb(done, total)`` on the UI thread, a few times a second."""
        self._on_progress = cb
        return self

    def cancel(self) -> None:
        """Stop at the next step; nothing of the job is kept."""
        self.token.cancel()

    # -- running

    def _context(self) -> AppContext:
        if self.ctx is not None:
            return self.ctx
        if isinstance(self._parent, HasContext):
            return self._parent.ctx
        raise TypeError(f"{type(self._parent).__name__} has no ctx: pass ctx= to the operation")

    def _job(self) -> Job:
        if self._db is not None:
            return Job(self._db, None, self.token, self._steps.report, may_write=self._write)
        ctx = self._context()
        actor = ctx.actor if ctx.has_actor else None  # the user who asked, not who may come after
        return Job(ctx.db, actor, self.token, self._steps.report, may_write=self._write)

    def run(self) -> None:
        job = self._job()
        work = self._work
        if self._label is not None or self._on_progress is not None:
            self._start_progress()
        tasks.submit(lambda: work(job), self._on_done, write=self._write, slow=self._slow)

    def _window(self) -> QWidget | None:
        parent = self._parent
        while parent is not None and not isinstance(parent, QWidget):
            parent = parent.parent()
        return parent

    def _start_progress(self) -> None:
        self._timer = QTimer()
        self._timer.setInterval(PROGRESS_POLL_MS)
        self._timer.timeout.connect(self._on_poll)
        self._timer.start()
        if self._label is None:
            return
        dialog = QProgressDialog(self._label, QCoreApplication.translate("operations", "取消") if self._cancellable else "", 0, 0, self._window())
        if not self._cancellable:
            dialog.setCancelButton(None)
        dialog.setWindowTitle(self._title or self._label)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(PROGRESS_SHOW_AFTER_MS)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self._on_dialog_canceled)
        self.progress_dialog = dialog

    def _on_poll(self) -> None:
        done, total = self._steps.done, self._steps.total
        if self._on_progress is not None:
            self._on_progress(done, total)
        dialog = self.progress_dialog
        if dialog is not None and total and not self.token.cancelled:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))
            if self._describe is not None:
                dialog.setLabelText(self._describe(done, total))

    def _on_dialog_canceled(self) -> None:
        self.cancel()
        # QProgressDialog hides itself on 取消: keep it up, without the button, until the
        # worker has really stopped.
        QTimer.singleShot(0, self._show_cancelling)

    def _show_cancelling(self) -> None:
        dialog = self.progress_dialog
        if self.finished or dialog is None or not shiboken6.isValid(dialog):
            return
        dialog.setCancelButton(None)
        dialog.setRange(0, 0)
        dialog.setLabelText(QCoreApplication.translate("operations", "正在取消…"))
        dialog.show()

    def _end_progress(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        dialog = self.progress_dialog
        if dialog is not None and shiboken6.isValid(dialog):
            dialog.canceled.disconnect(self._on_dialog_canceled)
            dialog.close()
            dialog.deleteLater()

    def _broadcast(self, result: T) -> None:
        """Writes tell every window what changed (see :class:`WriteOp`)."""

    def _on_done(self, result: T, exc: BaseException | None) -> None:
        self.finished = True
        self._end_progress()
        if exc is None:
            self._broadcast(result)
        else:
            log_failure(exc)
        parent = self._parent
        if parent is not None and not shiboken6.isValid(parent):
            return
        try:
            if exc is None:
                if self._success is not None:
                    self._success(result)
            elif self._failure is not None:
                self._failure(exc)
            else:
                present_failure(self._window(), exc)
        finally:
            if self._finally is not None:
                self._finally()


class _SessionOperation(_Operation[T]):
    """An operation whose function works in a session of the context's database."""

    def __init__(self, parent: QObject | None, fn: SessionFn[T], *, ctx: AppContext | None = None) -> None:
        super().__init__(parent, (lambda job: job.write(fn)) if self._write else (lambda job: job.read(fn)), ctx=ctx)

    @classmethod
    def job(cls, parent: QObject | None, work: Callable[[Job], T], *, ctx: AppContext | None = None) -> Self:
        """Several transactions in order (``job.read``, ``job.write``), a service that takes the
        database itself (``job.db``), or progress (``job.progress``)."""
        op = cls(parent, _unused, ctx=ctx)
        op._work = work
        return op


class ReadOp(_SessionOperation[T]):
    """``fn(session, actor)`` in a read session, on a reader thread."""


class SlowReadOp(ReadOp[T]):
    """A read nobody waits for (a search's exact count): on a thread of its own, one at a
    time, so it never delays the reads a person is waiting for."""

    _slow = True


class WriteOp(_SessionOperation[T]):
    """``fn(session, actor)`` in one write transaction, on the single writer thread; then
    ``operation_did_execute`` with what changed."""

    _write = True

    @classmethod
    def before_login(cls, parent: QObject | None, fn: Callable[[Session], T], *, db: Database) -> Self:
        """A write with nobody logged in yet (the first start creates the desk and its administrator)."""
        op = cls(parent, _unused)
        op._work = lambda job: job.write_anonymous(fn)
        op._db = db
        return op

    def changes(self, changes: Changes) -> Self:
        """Declare what this write changes (added to what its result says)."""
        self._declared = changes
        return self

    def _broadcast(self, result: T) -> None:
        if self._db is not None:
            return  # before login: no window to tell
        changes = changes_of(result)
        if self._declared is not None:
            changes = changes | self._declared
        elif changes.empty:
            return
        self._context().did_execute(changes)


class Task(_Operation[T]):
    """A function that needs no session (files, printing), on a reader thread.

    ``writes=True``: ``fn`` writes through a service that opens its own transaction
    (logging in counts failures): it runs in the single writer, after the writes asked for
    before it.
    """

    def __init__(self, parent: QObject | None, fn: Callable[[], T], *, writes: bool = False) -> None:
        super().__init__(parent, lambda _job: fn())
        self._write = writes

    @classmethod
    def job(cls, parent: QObject | None, work: Callable[[Job], T], *, writes: bool = False) -> Self:
        """A job without a session that reports progress (``job.progress``) or may be cancelled."""
        op = cls(parent, _no_task, writes=writes)
        op._work = work
        return op

    def _job(self) -> Job:
        return Job(None, None, self.token, self._steps.report, may_write=False)


class ReadsOneAtATime:
    """Mixed into a window that shows what one read returns: ``reload()`` reads again, one read
    at a time; asked again while a read runs, it reads once more when that one is done (the
    changes it was asked for may have come after the read began)."""

    _reading = False
    _read_again = False

    def reload(self) -> None:
        if self._reading:
            self._read_again = True
            return
        op = self.read_op()
        if op is None:
            return
        self._reading = True
        op.finally_(self._on_read_done).run()

    def read_op(self) -> _Operation[Any] | None:
        """The read with its callbacks, not yet run (None: nothing to read now)."""
        raise NotImplementedError

    def _on_read_done(self) -> None:
        self._reading = False
        if self._read_again:
            self._read_again = False
            self.reload()


def _unused(_session: Session, _actor: Actor) -> Any:
    raise AssertionError("replaced by the job")


def _no_task() -> Any:
    raise AssertionError("replaced by the job")


__all__ = ["HasChanges", "HasContext", "Job", "ReadOp", "ReadsOneAtATime", "SessionFn", "Task", "WriteOp", "changes_of", "pending",
           "wait_for_all"]
