"""One way to present a failure: calm words for known problems, a crash dialog for bugs.

:func:`present_failure` is what every operation does with an exception it was not told to
handle otherwise. A window decides where the words go by implementing small protocols:

* :class:`MarksFields` — ``show_field_errors(errors)``: a ``ValidationError`` marks the
  fields it names (and the window says what it could not place);
* :class:`ResolvesConflicts` — ``show_conflict(message)``: someone else saved first; the
  window keeps what was typed and offers to load the new version;
* :class:`ShowsMessages` — ``show_message(text, level)``: a message line in the window
  (a banner) instead of a message box.

Everything else gets a message box (a known problem) or the crash dialog with the log
file's path (a bug). A stopped job (:class:`~mediation.progress.Cancelled`) is quiet.
Every failure leaves one line in the log, without personal data.
"""

from __future__ import annotations

import logging
import traceback
from collections import OrderedDict
from collections.abc import Mapping
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from mediation.config import log_dir
from mediation.errors import Conflict, MediationError, StorageError, ValidationError
from mediation.progress import Cancelled

log = logging.getLogger(__name__)

_logged: OrderedDict[int, BaseException] = OrderedDict()
"""Failures logged lately (kept alive so their ids stay unique): each is logged once."""



@runtime_checkable
class MarksFields(Protocol):
    def show_field_errors(self, errors: Mapping[str, str]) -> None:
        """Show each message beside the field its key names; the rest in the window."""


@runtime_checkable
class ResolvesConflicts(Protocol):
    def show_conflict(self, message: str) -> None:
        """Say that someone else saved first, keep the input, offer the new version."""


@runtime_checkable
class ShowsMessages(Protocol):
    def show_message(self, text: str, level: str) -> None:
        """Show ``text`` in the window; ``level`` is "error", "warning" or "info"."""


def log_failure(exc: BaseException) -> None:
    """One log line per failure: its kind (and fields) for known problems, the traceback for bugs."""
    if id(exc) in _logged:
        return
    _logged[id(exc)] = exc
    while len(_logged) > 64:
        _logged.popitem(last=False)
    if isinstance(exc, Cancelled):
        log.info("cancelled by the user")
    elif isinstance(exc, ValidationError):
        log.info("refused: %s (%s)", type(exc).__name__, ", ".join(exc.errors))
    elif isinstance(exc, MediationError):
        log.info("refused: %s", type(exc).__name__)
    else:
        log.error("unexpected error: %s", "".join(traceback.format_exception(exc)))


def present_failure(window: QWidget | None, exc: BaseException) -> None:
    """Show ``exc`` the way its kind deserves, in ``window`` where it knows how."""
    log_failure(exc)
    if isinstance(exc, Cancelled):
        if isinstance(window, ShowsMessages):
            window.show_message(exc.message, "info")
        return
    if isinstance(exc, ValidationError) and isinstance(window, MarksFields):
        window.show_field_errors(exc.errors)
        return
    if isinstance(exc, Conflict):
        if isinstance(window, ResolvesConflicts):
            window.show_conflict(exc.message)
            return
        text = QCoreApplication.translate("errors", "{message}\n您输入的内容仍保留在窗口中；请刷新，核对后再保存。").format(message=exc.message)
        if isinstance(window, ShowsMessages):
            window.show_message(text, "error")
        else:
            QMessageBox.warning(window, QCoreApplication.translate("errors", "内容已被他人修改"), text)
        return
    if isinstance(exc, MediationError):
        if isinstance(window, ShowsMessages):
            window.show_message(exc.message, "error")
        else:
            title = QCoreApplication.translate("errors", "数据库问题") if isinstance(exc, StorageError) else QCoreApplication.translate("errors", "无法完成操作")
            QMessageBox.warning(window, title, exc.message)
        return
    show_crash(window, exc)


def show_crash(window: QWidget | None, exc: BaseException) -> None:
    """The crash dialog: nothing was done, the input is kept, the log has the details."""
    box = QMessageBox(window)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(QCoreApplication.translate("errors", "程序出错"))
    box.setText(QCoreApplication.translate("errors", "程序遇到了意外错误，操作没有完成。已输入的内容仍保留在窗口中。"))
    box.setInformativeText(QCoreApplication.translate("errors", "请把日志文件交给管理员：{path}").format(path=str(log_dir() / "mediation.log")))
    box.setDetailedText("".join(traceback.format_exception(exc)))
    box.exec()
