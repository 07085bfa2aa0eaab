"""Search by ID number (issue 12, item 15): the whole number or its last six characters, audited.

Apart from the search box on purpose: ID numbers are in none of the text search's
indexes, and each such search is written to the audit trail (the number masked). The
results show what the case list shows (no ID number); 打开 opens a case.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QWidget

from mediation import workflow
from mediation.errors import ValidationError
from mediation.services import caselist
from mediation.timeutil import desk_tz
from mediation.ui.context import AppContext
from mediation.ui.errors import present_failure
from mediation.ui.operations import WriteOp
from mediation.ui.widgets import (
    LineEdit,
    Retranslating,
    error_label,
    hbox,
    record_table,
    set_message,
    set_texts,
    stack,
    table_cell,
)


class IdSearchDialog(Retranslating, QDialog):
    """A line for the number, 查找, the cases found, 打开."""

    case_chosen = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[caselist.CaseRow] = []
        self.number_label = QLabel()
        self.number_edit = LineEdit(self, max_length=30)
        self.number_label.setBuddy(self.number_edit)
        self.search_button = QPushButton()
        self.search_button.setDefault(True)
        self.error = error_label()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555555;")
        self.result_label = QLabel()
        self.table = record_table(4)
        self.open_button = QPushButton()
        self.open_button.setEnabled(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        self.search_button.clicked.connect(self.search)
        self.number_edit.returnPressed.connect(self.search)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self.table.itemActivated.connect(lambda _item: self._on_open_clicked())
        stack(self, hbox((self.number_label, 0), (self.number_edit, 1), self.search_button), self.error, self.note,
              self.result_label, self.table, self.buttons, stretch=self.table)
        self.resize(640, 420)
        self.retranslate()
        self.number_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("按证件号码查找"))
        set_texts((self.number_label, self.tr("证件号码(&I)：")), (self.search_button, self.tr("查找")),
                  (self.open_button, self.tr("打开(&O)")))
        self.number_edit.setPlaceholderText(self.tr("完整的身份证号码，或其最后 6 位"))
        self.note.setText(self.tr("每次按证件号码查找都会记入审计日志；结果中不显示证件号码。"))
        self.table.setHorizontalHeaderLabels([self.tr("编号"), self.tr("登记日期"), self.tr("当事人"), self.tr("阶段")])

    def search(self) -> None:
        text = self.number_edit.text()
        set_message(self.error, "")
        self.search_button.setEnabled(False)
        (WriteOp(self, lambda s, a: caselist.search_id_number(s, a, text))
         .success(self._on_found).failure(self._on_failed).run())

    def _on_found(self, rows: list[caselist.CaseRow]) -> None:
        self.search_button.setEnabled(True)
        self.rows = rows
        tz = desk_tz()
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            cells = [r.number or self.tr("（受理后编号）"), r.registered_at.astimezone(tz).date().isoformat(),
                     r.parties, workflow.stage_label(r.stage)]
            for col, text in enumerate(cells):
                self.table.setItem(i, col, table_cell(text, r.id))
        self.result_label.setText(self.tr("找到 {n} 件案件。").format(n=len(rows)) if rows
                                  else self.tr("没有找到当事人证件号码与此相符的案件。"))
        if rows:
            self.table.selectRow(0)

    def _on_failed(self, exc: BaseException) -> None:
        self.search_button.setEnabled(True)
        if isinstance(exc, ValidationError):  # said where it was typed
            set_message(self.error, exc.message)
            self.number_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        present_failure(self, exc)

    def _on_selection_changed(self) -> None:
        self.open_button.setEnabled(0 <= self.table.currentRow() < len(self.rows))

    def _on_open_clicked(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rows):
            self.case_chosen.emit(self.rows[row].id)
