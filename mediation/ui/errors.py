"""One place that presents exceptions: calm messages for known problems, a crash dialog for bugs."""

from __future__ import annotations

import logging
import traceback

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from mediation.config import log_dir
from mediation.errors import Conflict, MediationError, StorageError

log = logging.getLogger(__name__)


def tr(text: str) -> str:
    return QCoreApplication.translate("errors", text)


def show_exception(parent: QWidget | None, exc: BaseException) -> None:
    """Show ``exc`` to the user the way its kind deserves."""
    if isinstance(exc, MediationError):
        title = tr("无法完成操作")
        if isinstance(exc, Conflict):
            title = tr("内容已被他人修改")
        elif isinstance(exc, StorageError):
            title = tr("数据库问题")
        QMessageBox.warning(parent, title, exc.message)
        return
    log.error("unexpected error: %s", "".join(traceback.format_exception(exc)))
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(tr("程序出错"))
    box.setText(tr("程序遇到了意外错误，操作没有完成。已输入的内容仍保留在窗口中。"))
    box.setInformativeText(tr("请把日志文件交给管理员：{path}").format(path=str(log_dir() / "mediation.log")))
    box.setDetailedText("".join(traceback.format_exception(exc)))
    box.exec()
