"""Entry point of ``mediation-desk``: fonts, language, database, first-start set-up, login, main window."""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QProgressDialog, QWidget

from mediation.config import APP_AUTHOR, APP_NAME, log_dir
from mediation.db import Database
from mediation.errors import MediationError
from mediation.permissions import Actor
from mediation.ui import fonts, i18n
from mediation.ui.context import AppContext
from mediation.ui.state import UiState
from mediation.ui.tasks import Op, wait_for_all

log = logging.getLogger(__name__)
T = TypeVar("T")


def pin_singletons() -> None:
    """WORKAROUND: PySide6 6.12 on CPython 3.11 returns ``None`` without a new reference.

    Every call of a Qt method returning void (``setText``, ``QTimer.start``,
    ``processEvents`` …) lowers ``None``'s reference count by one, and after a few
    thousand calls CPython aborts with "none_dealloc: deallocating None". From 3.12 on
    ``None``, ``True`` and ``False`` are immortal (PEP 683) and the bug is invisible.
    On 3.11 we give the three singletons a reference count so large that no session can
    run it down; they are never freed anyway, so this only restores 3.12's behaviour.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    import ctypes

    for obj in (None, True, False):
        refcnt = ctypes.c_ssize_t.from_address(id(obj))
        if refcnt.value < _PINNED_REFS:
            refcnt.value += _PINNED_REFS


_PINNED_REFS = 1 << 60


def setup_logging() -> None:
    """Log to a rotating file in the data directory (no personal data is ever logged)."""
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
    log.error("uncaught: %s", "".join(traceback.format_exception(kind, exc, tb)))
    if QApplication.instance() is not None and not isinstance(exc, KeyboardInterrupt):
        from mediation.ui.errors import show_exception

        show_exception(QApplication.activeWindow(), exc)


def create_application(argv: Sequence[str] | None = None) -> tuple[QApplication, UiState]:
    """The QApplication with our fonts and language installed."""
    pin_singletons()
    QCoreApplication.setOrganizationName(APP_AUTHOR)
    QCoreApplication.setApplicationName(APP_NAME)
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(list(argv if argv is not None else sys.argv))
    fonts.install_application_font(app)
    state = UiState()
    i18n.install(state.language(), app)
    app.setApplicationDisplayName(QCoreApplication.translate("app", "警校联调调解台"))
    return app, state


def wait_for(fn: Callable[[], T], *, message: str = "", parent: QWidget | None = None) -> T:
    """Run ``fn`` in a worker and wait for it in a local event loop (start-up steps).

    A busy dialog appears if it takes longer than half a second.
    """
    loop = QEventLoop()
    box: dict[str, Any] = {}
    progress: QProgressDialog | None = None
    if message:
        progress = QProgressDialog(message, "", 0, 0, parent)
        progress.setCancelButton(None)
        progress.setWindowTitle(QCoreApplication.translate("app", "请稍候"))
        progress.setWindowModality(Qt.WindowModality.ApplicationModal)
        progress.setMinimumDuration(0)
        progress.hide()
        QTimer.singleShot(500, lambda: progress is not None and "done" not in box and progress.show())

    def finish(key: str, value: Any) -> None:
        box[key] = value
        box["done"] = True
        loop.quit()

    Op(None, fn).success(lambda r: finish("result", r)).failure(lambda e: finish("error", e)).run()
    if "done" not in box:
        loop.exec()
    if progress is not None:
        progress.close()
        progress.deleteLater()
    if "error" in box:
        raise box["error"]
    return box["result"]  # type: ignore[no-any-return]


def open_database_calmly(url: str | None = None) -> Database | None:
    """Open and upgrade the database; on failure explain calmly and return None."""
    from mediation.migrate import open_database

    try:
        return wait_for(lambda: open_database(url), message=QCoreApplication.translate("app", "正在打开数据库…"))
    except MediationError as exc:
        log.error("database could not be opened: %s", type(exc).__name__)
        box = QMessageBox(QMessageBox.Icon.Warning, QCoreApplication.translate("app", "无法打开数据库"),
                          QCoreApplication.translate("app", "调解台没有打开数据库，数据没有受到改动。"), QMessageBox.StandardButton.Close)
        box.setInformativeText(QCoreApplication.translate("app", "原因：{reason}\n\n请关闭其他正在使用调解台的窗口后重试；"
                                  "如果仍然不行，请联系管理员，并把日志文件交给他：{path}").format(
            reason=exc.message, path=str(log_dir() / "mediation.log")))
        box.exec()
        return None
    except Exception as exc:  # a bug or a broken environment: show the details
        from mediation.ui.errors import show_exception

        show_exception(None, exc)
        return None


def first_start_or_login(ctx: AppContext, state: UiState) -> Actor | None:
    """Run the set-up wizard on an empty database, else the login dialog; None means quit."""
    from mediation.services import setup

    db = ctx.db

    def probe() -> tuple[bool, str]:
        with db.read() as s:
            desks = setup.list_desks(s)
            return setup.is_initialised(s), desks[0].name if len(desks) == 1 else ""

    initialised, desk_name = wait_for(probe)
    if not initialised:
        from mediation.ui.setup_wizard import SetupWizard

        wizard = SetupWizard(db)
        if wizard.exec() != QDialog.DialogCode.Accepted or wizard.actor is None:
            return None
        state.set_last_user(wizard.actor.username)
        return wizard.actor
    from mediation.ui.login_dialog import LoginDialog

    dialog = LoginDialog(db, username=state.last_user(), desk_name=desk_name)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.actor is None:
        return None
    state.set_last_user(dialog.actor.username)
    return dialog.actor


def show_main_window(ctx: AppContext, state: UiState) -> QWidget:
    from mediation.ui.main_window import MainWindow

    window = MainWindow(ctx, state)
    window.show()
    return window


def main(argv: Sequence[str] | None = None) -> int:
    setup_logging()
    app, state = create_application(argv)
    sys.excepthook = _excepthook
    db = open_database_calmly()
    if db is None:
        return 1
    ctx = AppContext(db)
    try:
        actor = first_start_or_login(ctx, state)
        if actor is None:
            return 0
        ctx.set_actor(actor)
        window = show_main_window(ctx, state)
        code = app.exec()
        del window
        return code
    finally:
        wait_for_all()
        state.sync()
        db.dispose()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
