"""Administrator: the holiday calendar of one year — days off and swapped working days (调休)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (QButtonGroup, QCheckBox, QDateEdit, QLabel, QLineEdit, QPushButton,
                               QRadioButton, QSpinBox, QTableWidgetItem, QWidget)

from mediation.changes import Changes
from mediation.services import deadlines
from mediation.timeutil import local_today
from mediation.ui.context import AppContext
from mediation.ui.operations import SessionFn, WriteOp
from mediation.ui.widgets import (WARNING_STYLE, RecordsDialog, error_label, hbox, pydate, qdate, set_message,
                                  set_texts, table_cell, today_qdate)


class HolidayDialog(RecordsDialog):
    """The holiday calendar of one year: days off and swapped working days (调休)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, year: int | None = None) -> None:
        super().__init__(ctx, 4, parent)
        self._known = True
        self._picked: dt.date | None = None
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(year or local_today().year)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.hide()
        self.deadline_warning = QLabel()
        self.deadline_warning.setObjectName("unknownYearDeadlines")
        self.deadline_warning.setWordWrap(True)
        self.deadline_warning.setStyleSheet(WARNING_STYLE)
        self.deadline_warning.hide()
        self._unknown_deadlines: dict[int, int] = {}
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

        top = hbox(self.year_label, self.year_spin, None, self.known_check)
        edit = hbox(self.edit_label, self.day_edit, self.holiday_radio, self.workday_radio, self.normal_radio,
                    (self.name_edit, 1), self.set_button)
        self.year_spin.valueChanged.connect(self._on_year_changed)
        self.set_button.clicked.connect(self._on_set_clicked)
        self.known_check.clicked.connect(self._on_known_clicked)
        self.lay_out(top, self.deadline_warning, self.warning, self.table, edit, self.error, size=(820, 520))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("节假日与调休"))
        set_texts((self.year_label, self.tr("年份：")), (self.known_check, self.tr("本年安排已按国务院通知核对")),
                  (self.edit_label, self.tr("日期：")), (self.holiday_radio, self.tr("放假")),
                  (self.workday_radio, self.tr("调休上班")), (self.normal_radio, self.tr("恢复正常")),
                  (self.set_button, self.tr("设置")))
        self.name_edit.setPlaceholderText(self.tr("节日名称，如“国庆节”"))
        self.table.setHorizontalHeaderLabels([self.tr("日期"), self.tr("类型"), self.tr("名称"), self.tr("来源")])
        self.fill()

    def loader(self) -> SessionFn[tuple[list[deadlines.HolidayRow], bool, dict[int, int]]]:
        year = self.year_spin.value()
        return lambda s, a: (deadlines.list_year(s, year), deadlines.calendar(s).is_known(year),
                             deadlines.deadlines_in_unknown_years(s, a))

    def show_records(self, records: tuple[list[deadlines.HolidayRow], bool, dict[int, int]]) -> None:
        rows, self._known, self._unknown_deadlines = records
        super().show_records(rows)

    def fill(self) -> None:
        year = self.year_spin.value()
        self.warning.setText(self.tr(
            "{year} 年的放假安排尚未录入或核对：期限暂按周一至周五计算。请按国务院办公厅的放假通知"
            "录入放假日和调休上班日，然后勾选“本年安排已按国务院通知核对”。").format(year=year))
        self.warning.setVisible(not self._known)
        self.known_check.setChecked(self._known)
        # Open cases whose deadline falls in a year not yet entered, whichever year is shown.
        self.deadline_warning.setText("\n".join(self.tr(
            "有 {n} 件在办案件的期限落在 {year} 年，而 {year} 年的节假日尚未录入：这些期限暂按周一至周五推算。"
            "请选择 {year} 年录入放假和调休安排，并勾选“本年安排已按国务院通知核对”。").format(n=n, year=y)
            for y, n in sorted(self._unknown_deadlines.items())))
        self.deadline_warning.setVisible(bool(self._unknown_deadlines))
        super().fill()

    def cells(self, r: deadlines.HolidayRow) -> list[QTableWidgetItem]:
        kinds = {"holiday": self.tr("放假"), "workday": self.tr("调休上班")}
        sources = {"chinese_calendar": self.tr("内置日历"), "manual": self.tr("手工录入")}
        return [table_cell(r.day.isoformat(), r.day.isoformat()), table_cell(kinds.get(r.kind, r.kind)),
                table_cell(r.name), table_cell(sources.get(r.source, r.source))]

    def _on_year_changed(self, year: int) -> None:
        self.day_edit.setDate(QDate(year, self.day_edit.date().month(), 1))
        self.reload()

    def selection_changed(self) -> None:
        r = self.selected()
        if r is not None and r.day != self._picked:  # a row picked, not the same one read again
            self._picked = r.day
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
