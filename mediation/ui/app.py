"""Entry point of ``mediation-desk``: fonts, language, database, first-start set-up, login, main window.

Start-up order, chosen so the first window appears about as fast as a bare Qt window:

1. QApplication, bundled fonts, translators (no SQLAlchemy imported yet);
2. if a database already exists, the login dialog is shown at once, and a background
   thread (:class:`Startup`) imports the database layer, opens and upgrades the
   database (backup first) and checks whether the desk is set up, while the user types;
   on a first start (no database file) a short "please wait" runs the same thread and
   the set-up wizard follows;
3. the login is checked in a worker (waiting for the thread if needed), then the main
   window opens with the modules already loaded.

If the thread finds no desk after all, the login dialog gives way to the wizard; if it
fails, a calm message explains and nothing is changed.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QProgressDialog

from mediation.config import APP_AUTHOR, APP_NAME, load_config, log_dir
from mediation.errors import MediationError
from mediation.permissions import Actor
from mediation.ui import app_events, app_icon, fonts, i18n, start_probe
from mediation.ui.state import UiState
from mediation.ui.operations import wait_for_all

if TYPE_CHECKING:
    from mediation.db import Database
    from mediation.ui.context import AppContext
    from mediation.ui.main_window import MainWindow

log = logging.getLogger(__name__)
_PINNED_REFS = 1 << 60
STARTUP_DELAY_MS = 40
"""Let the login dialog paint before the database thread starts competing for the GIL."""


def pin_singletons() -> None:
    """WORKAROUND: PySide6 6.12 on CPython 3.11 returns ``None`` without a new reference.

    Every call of a Qt method returning void (``setText``, ``QTimer.start``,
    ``processEvents`` …) lowers ``None``'s reference count by one, and after a few
    thousand calls CPython aborts with "none_dealloc: deallocating None" (PySide6
    6.11.3 does not do this). From 3.12 on ``None``, ``True`` and ``False`` are immortal
    (PEP 683) and the bug is invisible. On 3.11 we give the three singletons a reference
    count so large that no session can run it down; they are never freed anyway, so
    this only restores 3.12's behaviour.
    """
    import PySide6

    # pyproject excludes 6.12.0; this covers a venv where it was installed anyway.
    if (sys.version_info >= (3, 12) or sys.implementation.name != "cpython"
            or PySide6.__version__ != "6.12.0"):
        return
    import ctypes

    for obj in (None, True, False):
        refcnt = ctypes.c_ssize_t.from_address(id(obj))
        if refcnt.value < _PINNED_REFS:
            refcnt.value += _PINNED_REFS


def setup_logging() -> None:
    """Log to a rotating file in the data directory (no personal data is ever logged)."""
    import logging.handlers

    try:
        directory = log_dir()
        directory.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            directory / "mediation.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Uncaught exceptions in slots: log and show the crash dialog instead of dying silently."""
    from mediation.ui.errors import log_failure, present_failure

    exc.__traceback__ = exc.__traceback__ or tb
    if QApplication.instance() is not None and not isinstance(exc, KeyboardInterrupt):
        present_failure(QApplication.activeWindow(), exc)
    else:
        log_failure(exc)


def create_application(argv: Sequence[str] | None = None) -> tuple[QApplication, UiState]:
    """The QApplication with our fonts and language installed."""
    pin_singletons()
    QCoreApplication.setOrganizationName(APP_AUTHOR)
    QCoreApplication.setApplicationName(APP_NAME)
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(list(argv if argv is not None else sys.argv))
    fonts.install_application_font(app)
    app_icon.install(app)
    state = UiState()
    app_events.install(app, state)
    i18n.install(state.language(), app)
    app.setApplicationDisplayName(QCoreApplication.translate("app", "警校联调调解台"))
    return app, state


# ---------------------------------------------------------------- the start-up thread


@dataclass(frozen=True)
class StartInfo:
    db: Database
    initialised: bool
    desk_name: str
    practice: bool = False
    """The practice database (mediation.practice), chosen at the login."""


class _Relay(QObject):
    finished = Signal()


class Startup:
    """Opens (and upgrades) the database in a background thread; the UI waits only when it must."""

    def __init__(self, url: str | None = None) -> None:
        self._url = url
        self._future: Future[StartInfo] = Future()
        self._db: Future[Database] = Future()
        """Set as soon as the database is open, before the warm-up: a login typed at once is
        checked (argon2, which releases the GIL) while the warm-up queries run."""
        self._relay = _Relay()
        self._thread = threading.Thread(target=self._run, name="mediation-startup", daemon=True)
        self._future.add_done_callback(lambda _f: self._relay.finished.emit())

    @property
    def finished(self) -> Any:
        """Signal emitted on the UI thread once the database is open (or failed)."""
        return self._relay.finished

    def start(self) -> None:
        self._thread.start()

    @property
    def url(self) -> str:
        """The live database's URL (the practice database lives beside it)."""
        return self._url or load_config().resolved_database_url()

    def _run(self) -> None:
        try:
            # Modules every path needs, loaded here rather than on the UI thread.
            from mediation.migrate import open_database
            from mediation.services import accounts, setup  # noqa: F401

            db = open_database(self._url)
            with db.read() as s:
                desks = setup.list_desks(s)
                initialised = setup.is_initialised(s)
            self._db.set_result(db)
            if initialised:
                with db.read() as s:
                    _warm_up(s, [d.id for d in desks])
            self._future.set_result(StartInfo(db, initialised, desks[0].name if len(desks) == 1 else ""))
        except BaseException as exc:  # noqa: BLE001 - handed to the UI thread
            error = _as_storage_error(exc)
            if not self._db.done():
                self._db.set_exception(error)
            self._future.set_exception(error)

    def done(self) -> bool:
        return self._future.done()

    def failed(self) -> bool:
        return self._future.done() and self._future.exception() is not None

    def started(self) -> bool:
        return self._thread.is_alive() or self._future.done()

    def result(self) -> StartInfo:
        """Blocks until the thread is done; raises its exception if it failed."""
        return self._future.result()

    def database(self) -> Database:
        """For workers: the database once it is open (the warm-up may still be running)."""
        return self._db.result()

    def wait(self) -> None:
        """Run the event loop until the thread is done (the UI stays responsive)."""
        if self.done():
            return
        loop = QEventLoop()
        self.finished.connect(loop.quit)
        if not self.done():
            loop.exec()


def _as_storage_error(exc: BaseException) -> BaseException:
    """A damaged, foreign or unreachable database file is the environment's fault, not a bug."""
    import sqlite3

    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, (DBAPIError, sqlite3.Error, OSError)):
        from mediation.errors import StorageError

        detail = str(exc.orig if isinstance(exc, DBAPIError) and exc.orig else exc).splitlines()[0][:200]
        return StorageError(QCoreApplication.translate(
            "app", "数据库文件无法读取（{detail}）。它可能已损坏，或不是调解台的数据库。").format(detail=detail))
    return exc


def _warm_up(session: Any, desk_ids: Sequence[int] = ()) -> None:
    """Run the case list's first queries once, results discarded, while the user types.

    SQLAlchemy compiles each statement on first use, the holiday calendar is built on
    first use, and SQLite reads its pages from disk: without this the first page after
    logging in took 0.3 s instead of a few milliseconds. The list of a desk's own people
    (filtered by desk) is a statement of its own: warmed for the desk too when there is
    one.
    """
    from mediation.permissions import ADMIN, VOLUNTEER
    from mediation.services import caselist, roster

    probes = [Actor(user_id=0, username="", display_name="", role=ADMIN, desk_id=None)]
    if len(desk_ids) == 1:
        probes.append(Actor(user_id=0, username="", display_name="", role=VOLUNTEER, desk_id=desk_ids[0]))
    query = caselist.CaseQuery()
    for probe in probes:
        caselist.list_cases(session, probe, query, limit=caselist.MAX_LIMIT)
        caselist.count_cases(session, probe, query)
    roster.due_until(session)


def likely_initialised(url: str | None = None) -> bool:
    """Guess, without opening anything, whether a desk exists (a SQLite file, or a server)."""
    resolved = url or load_config().resolved_database_url()
    for prefix in ("sqlite:///", "sqlite+pysqlite:///"):
        if resolved.startswith(prefix):
            path = resolved[len(prefix):]
            return bool(path) and path != ":memory:" and Path(path).exists()
    return True


def explain_database_failure(exc: BaseException) -> None:
    """A calm dialog for a database that would not open; a crash dialog for a bug."""
    if not isinstance(exc, MediationError):
        from mediation.ui.errors import present_failure

        present_failure(None, exc)
        return
    log.error("database could not be opened: %s", type(exc).__name__)
    box = QMessageBox(QMessageBox.Icon.Warning, QCoreApplication.translate("app", "无法打开数据库"),
                      QCoreApplication.translate("app", "调解台没有打开数据库，数据没有受到改动。"),
                      QMessageBox.StandardButton.Close)
    box.setInformativeText(QCoreApplication.translate(
        "app", "原因：{reason}\n\n请关闭其他正在使用调解台的窗口后重试；"
               "如果仍然不行，请联系管理员，并把日志文件交给他：{path}").format(
        reason=exc.message, path=str(log_dir() / "mediation.log")))
    box.exec()


def wait_for_startup(startup: Startup) -> StartInfo | None:
    """Wait (with a busy dialog after half a second) for the database; None if it failed."""
    if not startup.done():
        progress = QProgressDialog(QCoreApplication.translate("app", "正在打开数据库…"), "", 0, 0)
        progress.setCancelButton(None)
        progress.setWindowTitle(QCoreApplication.translate("app", "请稍候"))
        progress.setMinimumDuration(0)
        progress.hide()
        QTimer.singleShot(500, lambda: None if startup.done() else progress.show())
        startup.wait()
        progress.close()
        progress.deleteLater()
    try:
        return startup.result()
    except BaseException as exc:  # noqa: BLE001 - the start-up's failure, logged and shown
        explain_database_failure(exc)
        return None


# ---------------------------------------------------------------- first start or login


def run_setup_wizard(db: Database, state: UiState) -> Actor | None:
    from mediation.ui.setup_wizard import SetupWizard

    wizard = SetupWizard(db)
    if wizard.exec() != QDialog.DialogCode.Accepted or wizard.actor is None:
        return None
    state.set_last_user(wizard.actor.username)
    return wizard.actor


def first_start_or_login(startup: Startup, state: UiState) -> tuple[StartInfo, Actor] | None:
    """The login dialog (or, on a new database, the set-up wizard); None means quit."""
    from mediation.ui.login_dialog import PRACTICE, LoginDialog

    if not likely_initialised():
        startup.start()
        info = wait_for_startup(startup)
        if info is None:
            return None
        if not info.initialised:
            actor = run_setup_wizard(info.db, state)
            return (info, actor) if actor is not None else None
    dialog = LoginDialog(startup.database, username=state.last_user())
    outcome: dict[str, Any] = {}

    def on_started() -> None:
        try:
            info = startup.result()
        except BaseException as exc:  # noqa: BLE001 - shown by the caller once the dialog closed
            outcome["failed"] = exc
            dialog.reject()
            return
        if not info.initialised:
            outcome["setup"] = info
            dialog.reject()
        else:
            dialog.set_desk_name(info.desk_name)
            QTimer.singleShot(0, preload_main_window)

    startup.finished.connect(on_started)
    if not startup.started():
        # Started only once the dialog is up, so the two do not compete for the first paint.
        QTimer.singleShot(STARTUP_DELAY_MS, startup.start)
    elif startup.done():
        on_started()
    result = dialog.exec()
    accepted = result == QDialog.DialogCode.Accepted and dialog.actor is not None
    if result == PRACTICE and "failed" not in outcome and "setup" not in outcome:
        chosen = practice_login(startup.url)
        if chosen == "back":
            return first_start_or_login(startup, state)
        return chosen if not isinstance(chosen, str) else None
    if "failed" in outcome:
        explain_database_failure(outcome["failed"])
        return None
    if "setup" in outcome:
        actor = run_setup_wizard(outcome["setup"].db, state)
        return (outcome["setup"], actor) if actor is not None else None
    if not accepted or dialog.actor is None:
        return None
    info = wait_for_startup(startup)  # done already: the login itself needed the database
    if info is None:
        return None
    state.set_last_user(dialog.actor.username)
    return info, dialog.actor


def practice_login(live_url: str) -> tuple[StartInfo, Actor] | str | None:
    """The practice database's login (generated first if missing); "back" for the live login."""
    from mediation import practice
    from mediation.ui.practice_login import BACK, PracticeLoginDialog

    dialog = PracticeLoginDialog(live_url)
    result = dialog.exec()
    if result == BACK:
        return "back"
    if result != QDialog.DialogCode.Accepted or dialog.actor is None or dialog.database is None:
        if dialog.database is not None:
            dialog.database.dispose()
        return None
    return StartInfo(dialog.database, True, practice.DESK_NAME, practice=True), dialog.actor


def freeze_heap() -> None:
    """Move everything loaded so far out of the garbage collector's sight (``gc.freeze``).

    The modules, Qt wrappers and caches of a started program are some 150,000 objects
    that live until exit; without this every full collection walks all of them (about
    100 ms here) while holding the GIL, so the UI thread stalls whenever a worker
    allocates a lot (loading 50,000 rows triggers several). Objects freed later are
    still freed by reference counting.
    """
    import gc

    gc.freeze()


def preload_main_window() -> None:
    """Import the main window's modules while the user is still typing the password.

    Runs on the UI thread (Qt classes are defined there), once the database is open and
    the start-up thread no longer competes for the GIL; about 0.1 s the user does not
    notice between keystrokes, and that much less after "log in".
    """
    import mediation.ui.main_window  # noqa: F401
    from PySide6.QtCore import Qt

    _ = Qt.AlignmentFlag.AlignLeft  # the Qt namespace initialises on first use (~50 ms)


def show_main_window(ctx: AppContext, state: UiState) -> MainWindow:
    from mediation.ui.main_window import MainWindow

    window = MainWindow(ctx, state)
    window.show()
    QTimer.singleShot(0, freeze_heap)
    return window


def main(argv: Sequence[str] | None = None) -> int:
    if list(argv if argv is not None else sys.argv)[1:2] == ["_demo-helper"]:  # mediation.demo.helper
        from mediation.demo import helper

        return helper.main()
    app, state = create_application(argv)
    start_probe.install(app)  # MEDIATION_START_PROBE: install checks and start benchmarks
    QTimer.singleShot(0, setup_logging)  # right after the first window painted; it costs ~25 ms
    sys.excepthook = _excepthook
    startup = Startup()
    db: Database | None = None
    try:
        started = first_start_or_login(startup, state)
        if started is None:
            return 1 if startup.done() and startup.failed() else 0
        info, actor = started
        db = info.db
        from mediation.ui.context import AppContext

        ctx = AppContext(db, actor, practice=info.practice)
        if info.practice:
            from mediation.ui import practice_mark

            practice_mark.install(app)
        window = show_main_window(ctx, state)
        # The day's automatic backup, once the first screen has settled (issue 11 item 15).
        QTimer.singleShot(5000, window.run_daily_backup)
        code = app.exec()
        del window
        from mediation.ui.backup_status import backup_at_exit

        backup_at_exit(db)
        return code
    finally:
        wait_for_all()
        state.sync()
        if db is not None:
            db.dispose()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
