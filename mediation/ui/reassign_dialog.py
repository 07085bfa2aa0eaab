"""移交案件: a leaving, suspended or expiring volunteer's open cases, given to one or several
colleagues in one go (each move in the case's timeline and the audit trail)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem, QTableWidgetItem, QWidget

from mediation.permissions import ADMIN, Actor, role_label
from mediation.services import accounts
from mediation.services.roster import reassignment
from mediation.timeutil import local_today
from mediation.ui.context import AppContext
from mediation.ui.operations import ReadOp
from mediation.ui.roster_form import RosterForm
from mediation.ui.widgets import field_message, hbox, record_table, section_title, table_cell

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class _Loaded:
    cases: list[reassignment.OpenCase]
    colleagues: list[accounts.UserInfo]


class ReassignDialog(RosterForm):
    """The volunteer's open cases; tick them, tick the colleagues, say why, 移交."""

    def __init__(self, ctx: AppContext, volunteer_id: int | None = None, name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("ReassignDialog")
        self.volunteer_id, self.name = volunteer_id, name
        self.cases: list[reassignment.OpenCase] = []
        self.cases_title = section_title("")
        self.table = record_table(4)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.colleagues_title = section_title("")
        self.colleagues = QListWidget()
        self.colleagues.setFixedHeight(120)
        self.reason_edit = QLineEdit()
        self.reason_edit.setMaxLength(500)
        self.empty = QLabel()
        self.body.addWidget(self.cases_title)
        self.body.addWidget(self.table, 1)
        self.body.addWidget(self.empty)
        self.body.addWidget(self.colleagues_title)
        self.body.addLayout(hbox((self.colleagues, 1)))
        self.reason_label = QLabel()
        self.body.addLayout(hbox(self.reason_label, (self.reason_edit, 1)))
        self.messages["reason"] = field_message()
        self.body.addWidget(self.messages["reason"])
        self.resize(720, 560)
        self.retranslate()
        self._load()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("移交案件：{name}").format(name=self.name) if self.name else self.tr("移交案件"))
        self.cases_title.setText(self.tr("在办案件（本人调解的，以及本人登记、尚未受理的）"))
        self.colleagues_title.setText(self.tr("交给（可选多位，案件依次分配）"))
        self.table.setHorizontalHeaderLabels([self.tr("移交"), self.tr("编号"), self.tr("阶段"), self.tr("当事人")])
        self.reason_label.setText(self.tr("移交原因"))
        self.reason_edit.setPlaceholderText(self.tr("例如：原承办人退出值班"))
        self.empty.setText(self.tr("没有需要移交的在办案件。"))
        self.set_buttons(self.tr("移交所选案件"))

    def _load(self) -> None:
        vid = self.volunteer_id

        def load(s: Session, a: Actor) -> _Loaded:
            cases = reassignment.cases_to_reassign(s, a, vid) if vid is not None else []
            holders = {c.holder_id for c in cases}
            today = local_today()
            people = [u for u in accounts.list_users(s, a) if u.active and u.role != ADMIN and u.id not in holders
                      and (u.valid_until is None or u.valid_until >= today) and u.desk_id == a.desk_id]
            return _Loaded(cases, people)

        ReadOp(self, load).success(self._on_loaded).run()

    def _on_loaded(self, data: _Loaded) -> None:
        self.cases = data.cases
        self.table.setRowCount(len(data.cases))
        for row, c in enumerate(data.cases):
            tick = QTableWidgetItem()
            tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            tick.setCheckState(Qt.CheckState.Checked)
            tick.setData(Qt.ItemDataRole.UserRole, c.id)
            self.table.setItem(row, 0, tick)
            self.table.setItem(row, 1, table_cell(c.number or self.tr("待受理"), c.id))
            self.table.setItem(row, 2, table_cell(c.stage_label))
            self.table.setItem(row, 3, table_cell(c.parties))
        self.empty.setVisible(not data.cases)
        self.colleagues.clear()
        for u in data.colleagues:
            item = QListWidgetItem(f"{u.display_name}（{role_label(u.role)}）")
            item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, u.id)
            self.colleagues.addItem(item)
        self.ok_button.setEnabled(bool(data.cases))

    def chosen_cases(self) -> list[int]:
        out = []
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                out.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def chosen_colleagues(self) -> list[int]:
        out = []
        for i in range(self.colleagues.count()):
            item = self.colleagues.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def submit(self) -> None:
        cases, colleagues = self.chosen_cases(), self.chosen_colleagues()
        if not colleagues:
            self.show_message(self.tr("请至少选择一位接手的同事。"), "error")
            return
        moves = reassignment.spread(cases, colleagues)
        reason = self.reason_edit.text()
        self.write(lambda s, a: reassignment.reassign(s, a, moves, reason=reason))
