"""Administrator: import an Excel ledger (.xlsx) or an export file (.json), off the UI
thread, with a progress bar and a 取消 button (cancelling keeps nothing)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from mediation.changes import Changes
from mediation.errors import ValidationError
from mediation.progress import Cancelled
from mediation.services import transfer
from mediation.ui.context import AppContext
from mediation.ui.errors import present_failure
from mediation.ui.operations import Job, WriteOp
from mediation.ui.widgets import open_result_box

MAX_LISTED = 12
"""Problems listed in the message itself; all of them are under "详细信息"."""



@dataclass(frozen=True)
class _Imported:
    summary: transfer.ImportSummary
    changes: Changes
    """What the import added, for every window (see ``operations.HasChanges``)."""


def _imported(summary: transfer.ImportSummary) -> _Imported:
    return _Imported(summary, Changes(cases_list=True, consultations=bool(summary.consultations_imported),
                                      users=bool(summary.users_created)))


class ImportJob(QObject):
    """One import: one write transaction in the writer, followed by a progress dialog."""

    finished = Signal(object)
    """The :class:`~mediation.services.transfer.ImportSummary`, or the exception."""

    def __init__(self, ctx: AppContext, path: Path, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self.outcome: object = None
        """The summary or the exception, once the import has ended."""
        self.message_box: QMessageBox | None = None

        def work(job: Job) -> _Imported:
            return _imported(job.write(lambda s, a: transfer.import_(s, a, path, progress=job.progress)))

        self.op = (WriteOp.job(self, work, ctx=ctx)
                   .with_progress(QCoreApplication.translate("ImportJob", "正在检查并导入 {name}…").format(name=path.name), title=QCoreApplication.translate("ImportJob", "导入数据"),
                                  cancellable=True,
                                  describe=lambda done, total: QCoreApplication.translate("ImportJob", "正在导入 {name}：{done} / {total} 件").format(
                                      name=path.name, done=done, total=total))
                   .success(self._on_done).failure(self._on_failed))

    def start(self) -> None:
        self.op.run()

    def cancel(self) -> None:
        """Stop at the next case written (or before committing); nothing is kept."""
        self.op.cancel()

    # -- outcome

    def _on_done(self, imported: _Imported) -> None:
        summary = self.outcome = imported.summary
        lines = [QCoreApplication.translate("ImportJob", "已导入 {n} 件案件、{c} 条咨询记录。").format(
            n=summary.cases_imported, c=summary.consultations_imported)]
        if summary.desks_created or summary.users_created:
            lines.append(QCoreApplication.translate("ImportJob", "新建调解点 {d} 个、账户 {u} 个。").format(
                d=summary.desks_created, u=summary.users_created))
        if summary.cases_skipped:
            lines.append(QCoreApplication.translate("ImportJob", "跳过 {k} 件已存在的案件。").format(k=len(summary.cases_skipped)))
        box = self._box(QMessageBox.Icon.Information, QCoreApplication.translate("ImportJob", "导入完成"), "\n".join(lines))
        if summary.cases_skipped:
            box.setDetailedText("\n".join(summary.cases_skipped))
        open_result_box(self._parent, box)
        self.finished.emit(summary)

    def _on_failed(self, exc: BaseException) -> None:
        self.outcome = exc
        if isinstance(exc, ValidationError):
            def in_sheet_order(item: tuple[str, str]) -> tuple[str, int, str]:
                m = re.search(r"^(.*?)\s*第(\d+)行", item[0])
                return (m.group(1), int(m.group(2)), item[0]) if m else (item[0], 0, item[0])

            problems = [f"{where}：{message}" if not where.startswith(("file", "format", "version")) else message
                        for where, message in sorted(exc.errors.items(), key=in_sheet_order)]
            text = QCoreApplication.translate("ImportJob", "文件中有 {n} 处问题，没有导入任何数据。请改正后再导入：").format(n=len(problems))
            shown = problems[:MAX_LISTED] + ([QCoreApplication.translate("ImportJob", "……（其余见“详细信息”）")] if len(problems) > MAX_LISTED else [])
            box = self._box(QMessageBox.Icon.Warning, QCoreApplication.translate("ImportJob", "无法导入"), text + "\n" + "\n".join(shown))
            box.setDetailedText("\n".join(problems))
            open_result_box(self._parent, box)
        elif not isinstance(exc, Cancelled):  # 取消 was the person's own choice: nothing to say
            present_failure(self._parent, exc)
        self.finished.emit(exc)

    def _box(self, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, self._parent)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message_box = box
        return box


def start_import(ctx: AppContext, parent: QWidget, path: Path | None = None) -> ImportJob | None:
    """Ask for the file (unless given) and start importing it; None if the user chose none."""
    if path is None:
        chosen, _filter = QFileDialog.getOpenFileName(
            parent, QCoreApplication.translate("ImportJob", "导入台账或导出文件"), str(Path.home()),
            QCoreApplication.translate("ImportJob", "Excel 台账或导出文件 (*.xlsx *.json);;所有文件 (*)"))
        if not chosen:
            return None
        path = Path(chosen)
    job = ImportJob(ctx, path, parent)
    job.start()
    return job
