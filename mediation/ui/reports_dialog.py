"""The report centre (报表中心): file a table of a period (填报), review it (审核: approve or
return with a comment), submit it (上报: frozen with its SHA-256, the period locked), export
it as XLSX, PDF or the monthly analysis DOCX; a submitted report whose figures moved since
says so (报送后有变动)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidgetItem,
    QWidget,
)

from mediation import statistics
from mediation.changes import Changes
from mediation.services import reports
from mediation.services.reports import ReportView
from mediation.statistics import Period
from mediation.timeutil import fmt_local, local_today
from mediation.ui.context import AppContext
from mediation.ui.statistics_window import TABLE_ORDER, PeriodPicker
from mediation.ui.widgets import ERROR_STYLE, RecordsDialog, hbox, set_texts, table_cell

COLUMNS = 7


class ReportsDialog(RecordsDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, COLUMNS, parent)
        self.table_combo = QComboBox()
        self.picker = PeriodPicker()
        self.features = QPlainTextEdit()
        self.next_steps = QPlainTextEdit()
        for edit in (self.features, self.next_steps):
            edit.setFixedHeight(54)
        self.features_label, self.next_label = QLabel(), QLabel()
        self.file_button = QPushButton()
        self.approve_button, self.return_button, self.submit_button = QPushButton(), QPushButton(), QPushButton()
        self.comment = QLineEdit()
        self.export_buttons = {fmt: QPushButton() for fmt in ("xlsx", "pdf", "docx")}
        self.changes_label = QLabel()
        self.changes_label.setWordWrap(True)
        self.changes_label.setStyleSheet(ERROR_STYLE)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.file_button.clicked.connect(self.file_report)
        self.approve_button.clicked.connect(lambda: self.review(True))
        self.return_button.clicked.connect(lambda: self.review(False))
        self.submit_button.clicked.connect(self.submit)
        for fmt, button in self.export_buttons.items():
            button.clicked.connect(lambda _c=False, fmt=fmt: self.export(fmt))
        filing = hbox(self.table_combo, self.picker, self.features_label, (self.features, 1), self.next_label,
                      (self.next_steps, 1), self.file_button)
        review = hbox(self.approve_button, self.comment, self.return_button, self.submit_button, None,
                      *self.export_buttons.values())
        self.lay_out(filing, self.table, review, self.changes_label, self.message, size=(1180, 560))
        today = local_today()
        self.picker.set_period(Period.month(today.year, today.month).previous())  # reports are of last month

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("报表中心"))
        current = self.table_combo.currentIndex()
        self.table_combo.clear()
        for code in TABLE_ORDER:
            self.table_combo.addItem(statistics.TABLES[code], code)
        self.table_combo.setCurrentIndex(max(current, 0))
        self.picker.retranslate()
        set_texts((self.features_label, self.tr("特点：")), (self.next_label, self.tr("下一步：")),
                  (self.file_button, self.tr("填报")), (self.approve_button, self.tr("审核通过")),
                  (self.return_button, self.tr("退回")), (self.submit_button, self.tr("上报")),
                  (self.export_buttons["xlsx"], self.tr("导出 XLSX…")),
                  (self.export_buttons["pdf"], self.tr("导出 PDF…")),
                  (self.export_buttons["docx"], self.tr("月度分析报告…")))
        self.comment.setPlaceholderText(self.tr("退回意见"))
        self.table.setHorizontalHeaderLabels([self.tr("期间"), self.tr("报表"), self.tr("状态"), self.tr("填报人"),
                                              self.tr("审核人"), self.tr("上报时间"), self.tr("SHA-256")])
        self.fill()

    # ---------------------------------------------------------------- reading

    def loader(self) -> Any:
        return lambda s, a: reports.list_reports(s, a)

    def cells(self, record: ReportView) -> list[QTableWidgetItem]:
        return [table_cell(record.period.label, record.id), table_cell(record.title), table_cell(record.status_label),
                table_cell(record.filed_by), table_cell(record.reviewed_by),
                table_cell(fmt_local(record.submitted_at)), table_cell((record.snapshot_sha256 or "")[:16])]

    def selection_changed(self) -> None:
        report = self.selected()
        actor = self.ctx.actor if self.ctx.has_actor else None
        reviewer = actor is not None and actor.can("report.review")
        self.approve_button.setEnabled(reviewer and report is not None and report.status == reports.FILED)
        self.return_button.setEnabled(reviewer and report is not None and report.status == reports.FILED)
        self.submit_button.setEnabled(reviewer and report is not None and report.status == reports.APPROVED)
        for button in self.export_buttons.values():
            button.setEnabled(report is not None and actor is not None and actor.can("report.view"))
        self.changes_label.setText("")
        if report is not None and report.status == reports.SUBMITTED:
            from mediation.ui.operations import ReadOp

            rid = report.id
            ReadOp(self, lambda s, a: reports.changed_note(reports.changes_since_submission(s, a, rid))) \
                .success(self._show_changes).run()

    def _show_changes(self, note: str) -> None:
        self.changes_label.setText(note)

    # ---------------------------------------------------------------- acting

    def _write(self, fn: Any, done: str) -> None:
        from mediation.ui.operations import WriteOp

        def ok(_result: Any) -> None:
            self.message.setText(done)
            self.reload()

        WriteOp(self, fn).changes(Changes()).success(ok).run()

    def file_report(self) -> None:
        actor = self.ctx.actor if self.ctx.has_actor else None
        if actor is None or actor.desk_id is None:
            self.message.setText(self.tr("只有调解点的账户才能填报。"))
            return
        desk, table, period = actor.desk_id, self.table_combo.currentData(), self.picker.period()
        notes = {"features": self.features.toPlainText(), "next_steps": self.next_steps.toPlainText()}
        self._write(lambda s, a: reports.file_report(s, a, desk, table, period, notes=notes),
                    self.tr("已填报，等待督导民警审核。"))

    def review(self, approve: bool) -> None:
        report = self.selected()
        if report is None:
            return
        rid, comment = report.id, self.comment.text()
        self._write(lambda s, a: reports.review_report(s, a, rid, approve=approve, comment=comment),
                    self.tr("已审核通过。") if approve else self.tr("已退回填报人。"))

    def submit(self) -> None:
        report = self.selected()
        if report is None:
            return
        rid = report.id
        self._write(lambda s, a: reports.submit_report(s, a, rid), self.tr("已上报，数据已冻结，期间已锁定。"))

    def export(self, fmt: str, path: str | None = None) -> None:
        report = self.selected()
        if report is None:
            return
        if path is None:
            suffix = {"xlsx": "Excel (*.xlsx)", "pdf": "PDF (*.pdf)", "docx": "Word (*.docx)"}[fmt]
            path, _filter = QFileDialog.getSaveFileName(self, self.tr("导出报表"),
                                                        f"{report.title}-{report.period.code}.{fmt}", suffix)
            if not path:
                return
        from mediation.ui.operations import ReadOp

        table, period, desk = report.table, report.period, report.desk_id
        target = Path(path)

        def done(rendered: reports.Rendered) -> None:
            target.write_bytes(rendered.content)
            self.message.setText(self.tr("已导出：{path}").format(path=target))

        ReadOp(self, lambda s, a: reports.render_table(s, a, table, period, fmt, desk_id=desk)).success(done).run()
