"""Administrator: the holiday calendar of one year — days off and swapped working days (调休)."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QDate, QEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mediation.changes import Changes
from mediation.services import deadlines
from mediation.timeutil import local_today
from mediation.ui.context import AppContext
from mediation.ui.operations import ReadOp, SessionFn, WriteOp
from mediation.ui.widgets import WARNING_STYLE, error_label, pydate, qdate, record_table, set_message, table_cell, \
    today_qdate


class HolidayDialog(QDialog):
    """The holiday calendar of one year: days off and swapped working days (调休)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, year: int | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._rows: list[deadlines.HolidayRow] = []
        self._known = True
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(year or local_today().year)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.hide()
        self.table = record_table(4)
        self.known_check = QCheckBox()
        first = today_qdate() if self.year_spin.value() == local_today().year else QDate(self.year_spin.value(), 1, 1)
        self.day_edit = QDateEdit(first)
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        self.holiday_radio = QRadioButton()
        self.workday_radio = QRadioButton()
        self.normal_radio = QRadioButton()
        self.holiday_radio.setChecked(True)
        self.kind_group = QButtonGroup(self)
        for b in (self.holiday_radio, self.workday_radio, self.normal_radio):
            self.kind_group.addButton(b)
        self.name_edit = QLineEdit()
        self.name_edit.setMaxLength(30)
        self.set_button = QPushButton()
        self.error = error_label()
        self.year_label = QLabel()
        self.edit_label = QLabel()

        top = QHBoxLayout()
        top.addWidget(self.year_label)
        top.addWidget(self.year_spin)
        top.addStretch(1)
        top.addWidget(self.known_check)
        edit = QHBoxLayout()
        edit.addWidget(self.edit_label)
        edit.addWidget(self.day_edit)
        edit.addWidget(self.holiday_radio)
        edit.addWidget(self.workday_radio)
        edit.addWidget(self.normal_radio)
        edit.addWidget(self.name_edit, 1)
        edit.addWidget(self.set_button)
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.warning)
        layout.addWidget(self.table, 1)
        layout.addLayout(edit)
        layout.addWidget(self.error)
        layout.addWidget(self.close_buttons)
        self.resize(820, 520)
        self.year_spin.valueChanged.connect(self._on_year_changed)
        self.set_button.clicked.connect(self._on_set_clicked)
        self.known_check.clicked.connect(self._on_known_clicked)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        self._retranslate()
        self.reload()

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("节假日与调休"))
        self.year_label.setText(self.tr("年份："))
        self.known_check.setText(self.tr("本年安排已按国务院通知核对"))
        self.edit_label.setText(self.tr("日期："))
        self.holiday_radio.setText(self.tr("放假"))
        self.workday_radio.setText(self.tr("调休上班"))
        self.normal_radio.setText(self.tr("恢复正常"))
        self.name_edit.setPlaceholderText(self.tr("节日名称，如“国庆节”"))
        self.set_button.setText(self.tr("设置"))
        self.table.setHorizontalHeaderLabels([self.tr("日期"), self.tr("类型"), self.tr("名称"), self.tr("来源")])
        self._fill()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def reload(self) -> None:
        year = self.year_spin.value()
        (ReadOp(self, lambda s, _a: (deadlines.list_year(s, year), deadlines.calendar(s).is_known(year)))
         .success(self._on_loaded).run())

    def _on_loaded(self, result: tuple[list[deadlines.HolidayRow], bool]) -> None:
        self._rows, self._known = result
        self._fill()

    def _fill(self) -> None:
        year = self.year_spin.value()
        self.warning.setText(self.tr(
            "{year} 年的放假安排尚未录入或核对：期限暂按周一至周五计算。请按国务院办公厅的放假通知"
            "录入放假日和调休上班日，然后勾选“本年安排已按国务院通知核对”。").format(year=year))
        self.warning.setVisible(not self._known)
        self.known_check.setChecked(self._known)
        kinds = {"holiday": self.tr("放假"), "workday": self.tr("调休上班")}
        sources = {"chinese_calendar": self.tr("内置日历"), "manual": self.tr("手工录入")}
        self.table.setRowCount(len(self._rows))
        for row, r in enumerate(self._rows):
            self.table.setItem(row, 0, table_cell(r.day.isoformat(), r.day.isoformat()))
            self.table.setItem(row, 1, table_cell(kinds.get(r.kind, r.kind)))
            self.table.setItem(row, 2, table_cell(r.name))
            self.table.setItem(row, 3, table_cell(sources.get(r.source, r.source)))

    def _on_year_changed(self, year: int) -> None:
        self.day_edit.setDate(QDate(year, self.day_edit.date().month(), 1))
        self.reload()

    def _on_selection_changed(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self._rows):
            r = self._rows[row]
            self.day_edit.setDate(qdate(r.day))
            self.name_edit.setText(r.name)
            (self.holiday_radio if r.kind == "holiday" else self.workday_radio).setChecked(True)

    def _on_set_clicked(self) -> None:
        self.error.hide()
        day = pydate(self.day_edit.date())
        kind = ("holiday" if self.holiday_radio.isChecked() else
                "workday" if self.workday_radio.isChecked() else None)
        name = self.name_edit.text()
        self._save(lambda s, a: deadlines.set_day(s, a, day, kind, name))

    def _on_known_clicked(self, checked: bool) -> None:
        year = self.year_spin.value()
        self._save(lambda s, a: deadlines.mark_year_known(s, a, year, checked))

    def _save(self, fn: SessionFn[None]) -> None:
        # Deadlines of open cases are recomputed by the service; the list may show new dates.
        WriteOp(self, fn).changes(Changes(settings=True, cases_list=True)).success(self._on_saved).run()

    def _on_saved(self, _result: None) -> None:
        self.reload()

    def show_field_errors(self, errors: Mapping[str, str]) -> None:
        """A refused day, under the row where it was set (see mediation.ui.errors)."""
        set_message(self.error, "；".join(errors.values()))
