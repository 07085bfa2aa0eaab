"""Administrator: import an Excel ledger (.xlsx) or an export file (.json), off the UI
thread, with a progress bar and a 取消 button (cancelling keeps nothing)."""

from __future__ import annotations

import re
import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget

from mediation.errors import ValidationError
from mediation.services import transfer
from mediation.ui.context import AppContext, Changes
from mediation.ui.errors import show_exception
from mediation.ui.tasks import Op
from mediation.ui.widgets import open_result_box

MAX_LISTED = 12
"""Problems listed in the message itself; all of them are under "详细信息"."""


def tr(text: str) -> str:
    return QCoreApplication.translate("ImportJob", text)


class ImportJob(QObject):
    """One import: the worker writes in one transaction; a progress dialog follows it."""

    finished = Signal(object)
    """The :class:`~mediation.services.transfer.ImportSummary`, or the exception."""

    def __init__(self, ctx: AppContext, path: Path, parent: QWidget) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._path = path
        self._parent = parent
        self._cancelled = threading.Event()
        self._done = 0
        self._total = 0
        self.result: object = None
        self.message_box: QMessageBox | None = None
        self.progress = QProgressDialog(tr("正在检查并导入 {name}…").format(name=path.name), tr("取消"), 0, 0, parent)
        self.progress.setWindowTitle(tr("导入数据"))
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self.cancel)
        self._timer = QTimer(self)
        self._timer.setInterval(100)
        self._timer.timeout.connect(self._show_progress)

    # -- running

    def start(self) -> None:
        db, actor, path = self._ctx.db, self._ctx.actor, self._path

        cancelled = self._cancelled

        def work() -> transfer.ImportSummary:
            if cancelled.is_set():
                raise transfer.ImportCancelled()
            with db.write() as s:
                summary = transfer.import_(s, actor, path, progress=self._tick)
                if cancelled.is_set():  # pressed while the file was checked or after the last case
                    raise transfer.ImportCancelled()  # leaves the transaction: rolled back
                return summary

        self.progress.show()
        self._timer.start()
        Op(self, work, write=True).success(self._on_done).failure(self._on_failed).run()

    def cancel(self) -> None:
        """Stop at the next case written (or before committing); nothing is kept."""
        self._cancelled.set()
        # QProgressDialog hides itself on 取消; keep it up, without the button, until the
        # worker has really stopped.
        QTimer.singleShot(0, self._show_cancelling)

    def _show_cancelling(self) -> None:
        if self.result is not None:
            return
        self.progress.setCancelButton(None)
        self.progress.setRange(0, 0)
        self.progress.setLabelText(tr("正在取消…"))
        self.progress.show()

    def _tick(self, done: int, total: int) -> None:  # worker thread
        if self._cancelled.is_set():
            raise transfer.ImportCancelled()
        self._done, self._total = done, total

    def _show_progress(self) -> None:
        if self._total and not self._cancelled.is_set():
            self.progress.setMaximum(self._total)
            self.progress.setValue(self._done)
            self.progress.setLabelText(tr("正在导入 {name}：{done} / {total} 件").format(
                name=self._path.name, done=self._done, total=self._total))

    def _finish(self) -> None:
        self._timer.stop()
        self.progress.canceled.disconnect(self.cancel)
        self.progress.close()
        self.progress.deleteLater()

    # -- outcome

    def _on_done(self, summary: transfer.ImportSummary) -> None:
        self._finish()
        self.result = summary
        self._ctx.did_execute(Changes(cases_list=True, consultations=bool(summary.consultations_imported),
                                      users=bool(summary.users_created)))
        lines = [tr("已导入 {n} 件案件、{c} 条咨询记录。").format(
            n=summary.cases_imported, c=summary.consultations_imported)]
        if summary.desks_created or summary.users_created:
            lines.append(tr("新建调解点 {d} 个、账户 {u} 个。").format(
                d=summary.desks_created, u=summary.users_created))
        if summary.cases_skipped:
            lines.append(tr("跳过 {k} 件已存在的案件。").format(k=len(summary.cases_skipped)))
        box = self._box(QMessageBox.Icon.Information, tr("导入完成"), "\n".join(lines))
        if summary.cases_skipped:
            box.setDetailedText("\n".join(summary.cases_skipped))
        self._open(box)
        self.finished.emit(summary)

    def _on_failed(self, exc: BaseException) -> None:
        self._finish()
        self.result = exc
        if isinstance(exc, transfer.ImportCancelled):
            self._open(self._box(QMessageBox.Icon.Information, tr("导入已取消"), exc.message))
        elif isinstance(exc, ValidationError):
            def in_sheet_order(item: tuple[str, str]) -> tuple[str, int, str]:
                m = re.search(r"^(.*?)\s*第(\d+)行", item[0])
                return (m.group(1), int(m.group(2)), item[0]) if m else (item[0], 0, item[0])

            problems = [f"{where}：{message}" if not where.startswith(("file", "format", "version")) else message
                        for where, message in sorted(exc.errors.items(), key=in_sheet_order)]
            text = tr("文件中有 {n} 处问题，没有导入任何数据。请改正后再导入：").format(n=len(problems))
            shown = problems[:MAX_LISTED] + ([tr("……（其余见“详细信息”）")] if len(problems) > MAX_LISTED else [])
            box = self._box(QMessageBox.Icon.Warning, tr("无法导入"), text + "\n" + "\n".join(shown))
            box.setDetailedText("\n".join(problems))
            self._open(box)
        else:
            show_exception(self._parent, exc)
        self.finished.emit(exc)

    def _open(self, box: QMessageBox) -> None:
        open_result_box(self._parent, box)

    def _box(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self._parent)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message_box = box
        return box


def start_import(ctx: AppContext, parent: QWidget, path: Path | None = None) -> ImportJob | None:
    """Ask for the file (unless given) and start importing it; None if the user chose none."""
    if path is None:
        chosen, _filter = QFileDialog.getOpenFileName(
            parent, tr("导入台账或导出文件"), str(Path.home()),
            tr("Excel 台账或导出文件 (*.xlsx *.json);;所有文件 (*)"))
        if not chosen:
            return None
        path = Path(chosen)
    job = ImportJob(ctx, path, parent)
    job.start()
    return job
