"""审计日志: the audit trail filtered, each change before/after side by side, the chain check, exports.

Issue 15 item 5. Everything is read through :mod:`mediation.services.audit_view` (desk
checked there); the list pages lazily (:class:`AuditTableModel`). 核验日志 runs the same
check as ``mediation audit verify`` off the UI thread with a progress dialog and says
plainly whether the log is intact, or which row breaks it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediation.changes import Changes
from mediation.errors import MediationError
from mediation.services import audit_view
from mediation.services.audit_view import AuditEntry, AuditQuery, CheckOutcome
from mediation.timeutil import file_stamp, local
from mediation.ui.context import AppContext
from mediation.ui.models.audit_table_model import (
    COL_ACTION,
    COL_AT,
    COL_CASE,
    COL_ENTITY,
    COL_USER,
    AuditTableModel,
)
from mediation.ui.operations import Job, ReadOp, WriteOp
from mediation.ui.widgets import (
    BUSY_STYLE,
    ERROR_STYLE,
    OK_STYLE,
    DateEdit,
    Retranslating,
    error_label,
    hbox,
    set_message,
    set_texts,
    stack,
)

CHANGED_BACKGROUND = QColor("#fff4ce")
ACTION_GROUPS = ("case.", "party.", "document.", "consultation.", "user.", "shift.", "review.", "backup.", "data.",
                 "audit.")


def ask_save_path(parent: QWidget, title: str, suggested: str, pattern: str) -> Path | None:
    """Where to save an export (a function of its own, so tests can answer for the person)."""
    name, _filter = QFileDialog.getSaveFileName(parent, title, suggested, pattern)
    return Path(name) if name else None


class AuditViewerWindow(Retranslating, QDialog):
    """The audit trail of the desks the person may read."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("AuditViewerWindow")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.last_check: CheckOutcome | None = None
        self.exported: Path | None = None

        self.person_combo = QComboBox()
        self.case_edit = QLineEdit()
        self.case_edit.setMaxLength(60)
        self.action_combo = QComboBox()
        self.action_combo.setEditable(True)
        self.entity_combo = QComboBox()
        self.since_edit = DateEdit(optional=True)
        self.until_edit = DateEdit(optional=True)
        self.flag_combo = QComboBox()
        self.clear_button = QPushButton()
        self.filter_error = error_label()
        self.person_label, self.case_label, self.action_label, self.entity_label = QLabel(), QLabel(), QLabel(), QLabel()
        self.period_label, self.flag_label = QLabel(), QLabel()

        self.model = AuditTableModel(ctx, self)
        self.table = QTableView()
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        hh = self.table.horizontalHeader()
        hh.setStretchLastSection(True)
        for col, width in ((COL_AT, 140), (COL_USER, 76), (COL_ACTION, 104), (COL_ENTITY, 96), (COL_CASE, 176)):
            hh.resizeSection(col, width)

        self.detail_title = QLabel()
        self.detail_title.setWordWrap(True)
        self.detail_table = QTableWidget(0, 3)
        self.detail_table.verticalHeader().setVisible(False)
        self.detail_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.detail_table.setWordWrap(True)
        dh = self.detail_table.horizontalHeader()
        dh.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        dh.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        dh.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        detail = QWidget()
        dl = QVBoxLayout(detail)
        dl.setContentsMargins(0, 0, 0, 0)
        dl.addWidget(self.detail_title)
        dl.addWidget(self.detail_table, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([780, 440])

        self.count_label = QLabel()
        self.count_label.setStyleSheet(BUSY_STYLE)
        self.id_views_label = QLabel()
        self.id_views_label.setWordWrap(True)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.verdict.hide()
        self.check_button = QPushButton()
        self.csv_button = QPushButton()
        self.xlsx_button = QPushButton()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        for b in (self.check_button, self.csv_button, self.xlsx_button):
            self.buttons.addButton(b, QDialogButtonBox.ButtonRole.ActionRole)

        row1 = hbox(self.person_label, (self.person_combo, 1), self.case_label, (self.case_edit, 1),
                    self.action_label, (self.action_combo, 1), self.entity_label, self.entity_combo)
        row2 = hbox(self.period_label, self.since_edit, QLabel("–"), self.until_edit, self.flag_label,
                    (self.flag_combo, 1), self.clear_button)
        stack(self, row1, row2, self.filter_error, self.splitter, hbox((self.count_label, 1)), self.id_views_label,
              self.verdict, self.buttons, stretch=self.splitter)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.apply_filters)
        self.case_edit.textChanged.connect(self._debounce.start)
        self.action_combo.editTextChanged.connect(self._debounce.start)
        for combo in (self.person_combo, self.entity_combo, self.flag_combo):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.since_edit.value_changed.connect(self.apply_filters)
        self.until_edit.value_changed.connect(self.apply_filters)
        self.clear_button.clicked.connect(self.clear_filters)
        self.check_button.clicked.connect(self.check_log)
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.model.count_changed.connect(self._update_count)
        self.model.page_loaded.connect(self._on_page_loaded)
        self.model.load_failed.connect(self._on_load_failed)
        self.model.modelReset.connect(self._show_entry)

        self._filling = True
        self._fill_choices()
        self.resize(1240, 700)
        self.retranslate()
        self._filling = False
        ReadOp(self, audit_view.people).success(self._on_people).run()
        self.apply_filters()

    # ------------------------------------------------------------------ texts

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("审计日志"))
        set_texts((self.person_label, self.tr("人员")), (self.case_label, self.tr("案件")),
                  (self.action_label, self.tr("操作")), (self.entity_label, self.tr("对象")),
                  (self.period_label, self.tr("期间")), (self.flag_label, self.tr("提示")),
                  (self.clear_button, self.tr("清除筛选")), (self.check_button, self.tr("核验日志")),
                  (self.csv_button, self.tr("导出 CSV…")), (self.xlsx_button, self.tr("导出 XLSX…")))
        self.case_edit.setPlaceholderText(self.tr("案件编号"))
        self.check_button.setToolTip(self.tr("逐条核对审计链（与 mediation audit verify 相同），"
                                             "查出记录被修改、删除或插入的位置"))
        self.detail_table.setHorizontalHeaderLabels([self.tr("字段"), self.tr("修改前"), self.tr("修改后")])
        was = self._filling
        self._filling = True
        self.person_combo.setItemText(0, self.tr("全部人员"))
        self.action_combo.setItemText(0, "")
        edit = self.action_combo.lineEdit()
        if edit is not None:
            edit.setPlaceholderText(self.tr("全部操作"))
        self.entity_combo.setItemText(0, self.tr("全部对象"))
        self.flag_combo.setItemText(0, self.tr("全部记录"))
        for i, label in enumerate(audit_view.FLAGS.values(), start=1):
            self.flag_combo.setItemText(i, self.tr("只看：{flag}").format(flag=self.tr(label)))
        self._filling = was
        self.model.retranslate()
        self._update_count()
        self._show_entry()

    def _fill_choices(self) -> None:
        self.person_combo.addItem("", None)
        self.action_combo.addItem("", "")
        for group in ACTION_GROUPS:
            self.action_combo.addItem(f"{group}*", group)
        for action in sorted(audit_view.ACTION_LABELS):
            self.action_combo.addItem(f"{audit_view.action_label(action)}  {action}", action)
        self.entity_combo.addItem("", "")
        for entity in audit_view.ENTITY_LABELS:
            self.entity_combo.addItem(audit_view.entity_label(entity), entity)
        self.flag_combo.addItem("", "")
        for flag in audit_view.FLAGS:
            self.flag_combo.addItem("", flag)

    def _on_people(self, people: list[tuple[int, str]]) -> None:
        self._filling = True
        for uid, name in people:
            self.person_combo.addItem(name, uid)
        self._filling = False

    # ------------------------------------------------------------------ filters

    def query(self) -> AuditQuery:
        """The filters as typed and chosen."""
        person = self.person_combo.currentData()
        action = self.action_combo.currentText().strip()
        data = self.action_combo.currentData()
        if isinstance(data, str) and self.action_combo.itemText(self.action_combo.currentIndex()).strip() == action:
            action = data  # chosen from the list: its action (or group); else as typed
        return AuditQuery(user_id=int(person) if person is not None else None, case_number=self.case_edit.text().strip(),
                          action=action, entity=str(self.entity_combo.currentData() or ""),
                          since=self.since_edit.value(), until=self.until_edit.value(),
                          flag=str(self.flag_combo.currentData() or ""))

    def apply_filters(self) -> None:
        if self._filling:
            return
        self._debounce.stop()
        q = self.query()
        if q.since is not None and q.until is not None and q.until < q.since:
            set_message(self.filter_error, self.tr("结束日期早于开始日期。"))
            return
        self.filter_error.hide()
        self.model.set_query(q)
        self._load_id_views(q)

    def clear_filters(self) -> None:
        self._filling = True
        self.person_combo.setCurrentIndex(0)
        self.case_edit.clear()
        self.action_combo.setCurrentIndex(0)
        self.action_combo.setEditText("")
        self.entity_combo.setCurrentIndex(0)
        self.since_edit.set_value(None)
        self.until_edit.set_value(None)
        self.flag_combo.setCurrentIndex(0)
        self._filling = False
        self.apply_filters()

    def _load_id_views(self, q: AuditQuery) -> None:
        (ReadOp(self, lambda s, a: audit_view.id_views_by_person(s, a, q))
         .success(self._on_id_views).failure(lambda _exc: None).run())

    def _on_id_views(self, counts: list[audit_view.PersonCount]) -> None:
        if not counts:
            self.id_views_label.hide()
            return
        people = "；".join(self.tr("{name} {n} 次").format(name=c.name or self.tr("（系统）"), n=c.count)
                          for c in counts[:8])
        self.id_views_label.setText(self.tr("查看完整证件号（按人）：{people}").format(people=people))
        self.id_views_label.show()

    def _update_count(self, _n: int | None = None) -> None:
        total = self.model.total
        if total is None:
            self.count_label.setText(self.tr("正在读取…") if self.model.loading else "")
        else:
            self.count_label.setText(self.tr("共 {n} 条记录（已显示 {shown} 条）").format(
                n=total, shown=len(self.model.entries)))

    def _on_page_loaded(self, _rows: int) -> None:
        self._update_count()
        if self.table.currentIndex().row() < 0 and self.model.rowCount():
            self.table.selectRow(0)

    def _on_load_failed(self, exc: BaseException) -> None:
        message = exc.message if isinstance(exc, MediationError) else type(exc).__name__
        set_message(self.filter_error, self.tr("读取审计日志失败：{m}").format(m=message))

    # ------------------------------------------------------------------ one change, side by side

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_entry()

    def current_entry(self) -> AuditEntry | None:
        return self.model.entry(self.table.currentIndex().row())

    def _show_entry(self) -> None:
        e = self.current_entry()
        self.detail_table.setRowCount(0)
        if e is None:
            self.detail_title.setText(self.tr("选择一条记录，查看修改前后的内容。"))
            return
        what = f"{e.entity_label} {e.entity_id}" if e.entity_id is not None else e.entity_label
        parts = [local(e.at).strftime("%Y-%m-%d %H:%M:%S"), e.user_name or self.tr("（系统）"), e.action_label, what]
        if e.case_number:
            parts.append(self.tr("案件 {n}").format(n=e.case_number))
        title = " · ".join(parts) + "\n" + self.tr("日志编号 {id}（第 {seq} 条）").format(id=e.id, seq=e.seq)
        if e.flags:
            title += "  " + self.tr("提示：{flags}").format(flags="、".join(e.flag_labels))
        self.detail_title.setText(title)
        lines = audit_view.changes(e)
        self.detail_table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            for col, text in enumerate((line.label, line.before, line.after)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if line.changed and col:
                    item.setBackground(CHANGED_BACKGROUND)
                self.detail_table.setItem(row, col, item)
        self.detail_table.resizeRowsToContents()

    def select_entry(self, entry_id: int) -> bool:
        """Select the row of ``entry_id`` if it is loaded."""
        for row, e in enumerate(self.model.entries):
            if e.id == entry_id:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, COL_ACTION))
                return True
        return False

    # ------------------------------------------------------------------ 核验日志

    def check_log(self) -> None:
        self.check_button.setEnabled(False)
        set_message(self.verdict, self.tr("正在核验审计日志…"), BUSY_STYLE)
        (ReadOp.job(self, lambda job: job.read(
            lambda s, a: audit_view.check_chains(s, a, job.db.url, progress=job.progress)))
         .with_progress(self.tr("正在逐条核验审计日志…"), cancellable=True,
                        describe=lambda done, total: self.tr("正在核验审计日志：{d} / {t} 条").format(d=done, t=total))
         .success(self._on_checked).failure(self._on_check_failed)
         .finally_(lambda: self.check_button.setEnabled(True)).run())

    def _on_checked(self, outcome: CheckOutcome) -> None:
        self.last_check = outcome
        lines = [outcome.summary]
        if not outcome.ok:
            lines += [b.describe() for b in outcome.breaks[1:4]]
            lines += [f for f in outcome.failures if not outcome.breaks][:3]
        set_message(self.verdict, "\n".join(lines), OK_STYLE if outcome.ok else ERROR_STYLE)
        self.verdict.setToolTip("\n".join(outcome.chains + outcome.failures))
        if not outcome.ok and outcome.breaks and outcome.breaks[0].row_id is not None:
            self.select_entry(outcome.breaks[0].row_id)

    def _on_check_failed(self, exc: BaseException) -> None:
        message = exc.message if isinstance(exc, MediationError) else type(exc).__name__
        set_message(self.verdict, self.tr("核验未完成：{m}").format(m=message), ERROR_STYLE)

    # ------------------------------------------------------------------ export

    def export(self, fmt: str, path: Path | None = None) -> None:
        """Export the rows the filters find (all of them, not only those loaded)."""
        if path is None:
            pattern = self.tr("CSV 文件 (*.csv)") if fmt == "csv" else self.tr("Excel 工作簿 (*.xlsx)")
            path = ask_save_path(self, self.tr("导出审计日志"), f"审计日志-{file_stamp()}.{fmt}", pattern)
            if path is None:
                return
        if path.suffix.lower() != f".{fmt}":
            path = path.with_name(path.name + f".{fmt}")
        q = self.model.query
        target = path

        def work(job: Job) -> int:
            # Read in a read session (no write lock held while a long export runs), then the
            # audit row; the file goes in place once that is committed.
            written = job.read(lambda s, a: audit_view.write_export(s, a, q, target, fmt, progress=job.progress))
            try:
                n = job.write(lambda s, a: audit_view.record_export(s, a, written))
                audit_view.publish_export(written)
                return n
            finally:
                audit_view.discard_export(written)

        (WriteOp.job(self, work).with_progress(self.tr("正在导出审计日志…"), cancellable=True)
         .changes(Changes()).success(lambda n: self._on_exported(target, n)).run())

    def _on_exported(self, path: Path, n: int) -> None:
        self.exported = path
        set_message(self.verdict, self.tr("已导出 {n} 条记录到 {path}").format(n=n, path=str(path)), OK_STYLE)
        self.verdict.setToolTip("")
