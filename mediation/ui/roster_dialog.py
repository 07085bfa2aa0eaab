"""Administrator: who is on duty on a day; add or remove shifts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (QComboBox, QDateEdit, QHeaderView, QLabel, QLineEdit, QPushButton,
                               QTableWidgetItem, QTimeEdit, QWidget)

from mediation.changes import Changes
from mediation.permissions import role_label
from mediation.services import accounts, roster
from mediation.timeutil import desk_tz, local
from mediation.ui.context import AppContext
from mediation.ui.operations import ReadOp, SessionFn, WriteOp
from mediation.ui.widgets import (RecordsDialog, error_label, hbox, pydate, pytime, set_message, set_texts,
                                  table_cell, today_qdate)


class RosterDialog(RecordsDialog):
    """Who is on duty on a day; add or remove shifts."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, 4, parent)
        self.day_edit = QDateEdit(today_qdate())
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        # Who is on duty must show in full; the note takes what is left.
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.user_combo = QComboBox()
        self.start_edit, self.end_edit = QTimeEdit(QTime(9, 0)), QTimeEdit(QTime(12, 0))
        for e in (self.start_edit, self.end_edit):
            e.setDisplayFormat("HH:mm")
        self.note_edit = QLineEdit()
        self.note_edit.setMaxLength(200)
        self.add_button, self.remove_button = QPushButton(), QPushButton()
        self.error = error_label()
        self.day_label, self.add_label = QLabel(), QLabel()
        top = hbox(self.day_label, self.day_edit, None, self.remove_button)
        add = hbox(self.add_label, (self.user_combo, 1), self.start_edit, QLabel("–"), self.end_edit,
                   (self.note_edit, 1), self.add_button)
        self.day_edit.dateChanged.connect(self._on_day_changed)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self._load_users()
        self.lay_out(top, self.table, add, self.error, size=(760, 420))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("值班安排"))
        set_texts((self.day_label, self.tr("日期：")), (self.add_label, self.tr("添加班次：")),
                  (self.add_button, self.tr("添加")), (self.remove_button, self.tr("删除所选班次")))
        self.note_edit.setPlaceholderText(self.tr("备注（可空）"))
        self.table.setHorizontalHeaderLabels([self.tr("值班人员"), self.tr("时间"), self.tr("签到情况"),
                                              self.tr("备注")])
        self.fill()

    def _load_users(self) -> None:
        (ReadOp(self, lambda s, a: [u for u in accounts.list_users(s, a) if u.active])
         .success(self._on_users_loaded).run())

    def _on_users_loaded(self, users: list[accounts.UserInfo]) -> None:
        self.user_combo.clear()
        for u in users:
            self.user_combo.addItem(f"{u.display_name}（{role_label(u.role)}）", u.id)

    def loader(self) -> SessionFn[list[roster.ShiftView]]:
        day = pydate(self.day_edit.date())
        return lambda s, a: roster.shifts_on(s, a, day)

    def cells(self, s: roster.ShiftView) -> list[QTableWidgetItem]:
        if s.present:
            status = self.tr("在岗（{t} 签到）").format(t=local(s.checked_in_at).strftime("%H:%M")
                                                  if s.checked_in_at else "")
        elif s.checked_out_at is not None:
            status = self.tr("已签退")
        else:
            status = self.tr("未签到")
        times = f"{local(s.starts_at):%H:%M}–{local(s.ends_at):%H:%M}"
        return [table_cell(f"{s.user_name}（{s.role_label}）", s.id), table_cell(times), table_cell(status),
                table_cell(s.note)]

    def _on_day_changed(self, _date: QDate) -> None:
        self.reload()

    def _on_add_clicked(self) -> None:
        self.error.hide()
        user_id = self.user_combo.currentData()
        if user_id is None:
            return
        day = pydate(self.day_edit.date())
        start = dt.datetime.combine(day, pytime(self.start_edit.time()), tzinfo=desk_tz())
        end = dt.datetime.combine(day, pytime(self.end_edit.time()), tzinfo=desk_tz())
        note = self.note_edit.text()
        (WriteOp(self, lambda s, a: roster.add_shift(s, a, user_id=int(user_id), starts_at=start, ends_at=end,
                                                     note=note))
         .changes(Changes()).success(self._on_changed).run())

    def _on_remove_clicked(self) -> None:
        shift = self.selected()
        if shift is None:
            return
        shift_id = shift.id
        (WriteOp(self, lambda s, a: roster.remove_shift(s, a, shift_id))
         .changes(Changes()).success(self._on_changed).run())

    def _on_changed(self, _result: object) -> None:
        self.note_edit.clear()
        self.reload()

    def show_field_errors(self, errors: Mapping[str, str]) -> None:
        """A refused shift, under the row where it was typed (see mediation.ui.errors)."""
        set_message(self.error, "；".join(errors.values()))
