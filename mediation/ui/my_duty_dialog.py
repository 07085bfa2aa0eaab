"""我的值班与工时: a volunteer's shifts this term under the hour rules, their hours by kind, the
swaps they asked for or were asked, and the hours they added afterwards."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mediation import volunteering
from mediation.changes import Changes
from mediation.i18n import _
from mediation.permissions import Actor
from mediation.services.roster import hours, swaps, terms
from mediation.timeutil import local_today
from mediation.ui.claim_dialog import ClaimDialog
from mediation.ui.context import AppContext
from mediation.ui.operations import ReadOp, WriteOp
from mediation.ui.swap_dialog import SwapDialog, shift_text
from mediation.ui.widgets import Banner, Retranslating, hbox, record_table, table_cell

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(frozen=True)
class _Mine:
    term: terms.TermView | None
    hours: hours.MyHours | None
    swaps: list[swaps.SwapView]


def attendance_text(a: volunteering.Attendance) -> str:
    """已值班 / 缺勤 / 在岗 / 未到时间, with 迟到 and 未签退 when they apply."""
    bits = [_(volunteering.ATTENDANCE.get(a.state, a.state))]
    if a.late:
        bits.append(_("迟到 {m} 分钟").format(m=a.late_minutes))
    if a.missed_check_out:
        bits.append(_("未签退"))
    return "，".join(bits)


class MyDutyDialog(Retranslating, QDialog):
    """The volunteer's own page of the roster."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("MyDutyDialog")
        self.ctx = ctx
        self.data: _Mine | None = None
        self.banner = Banner(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tabs = QTabWidget()
        self.shifts = record_table(4)
        self.shifts.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.swaps = record_table(4)
        self.swaps.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.claims = record_table(5)
        self.claims.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.ask_button, self.accept_button, self.decline_button, self.cancel_button = (
            QPushButton(), QPushButton(), QPushButton(), QPushButton())
        self.claim_button = QPushButton()
        swap_page = QWidget()
        lay = QVBoxLayout(swap_page)
        lay.addWidget(self.swaps, 1)
        lay.addLayout(hbox(self.ask_button, None, self.accept_button, self.decline_button, self.cancel_button))
        claim_page = QWidget()
        lay = QVBoxLayout(claim_page)
        lay.addWidget(self.claims, 1)
        lay.addLayout(hbox(None, self.claim_button))
        self.tabs.addTab(self.shifts, "")
        self.tabs.addTab(swap_page, "")
        self.tabs.addTab(claim_page, "")
        self.close_buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_buttons.rejected.connect(self.reject)
        root = QVBoxLayout(self)
        root.addWidget(self.banner)
        root.addWidget(self.summary)
        root.addWidget(self.tabs, 1)
        root.addWidget(self.close_buttons)
        for button, slot in ((self.ask_button, self._on_ask_clicked), (self.accept_button, self._on_accept_clicked),
                             (self.decline_button, self._on_decline_clicked),
                             (self.cancel_button, self._on_cancel_clicked), (self.claim_button, self._on_claim_clicked)):
            button.clicked.connect(slot)
        self.swaps.itemSelectionChanged.connect(self._update_buttons)
        ctx.operation_did_execute.connect(self._on_operation_did_execute)
        self.resize(760, 520)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("我的值班与工时"))
        for i, text in enumerate((self.tr("我的班次"), self.tr("换班"), self.tr("补记工时"))):
            self.tabs.setTabText(i, text)
        self.shifts.setHorizontalHeaderLabels([self.tr("班次"), self.tr("情况"), self.tr("计入（小时）"),
                                               self.tr("待确认（小时）")])
        self.swaps.setHorizontalHeaderLabels([self.tr("班次"), self.tr("申请人"), self.tr("同学"), self.tr("状态")])
        self.claims.setHorizontalHeaderLabels([self.tr("日期"), self.tr("类别"), self.tr("时长（小时）"),
                                               self.tr("状态"), self.tr("理由")])
        self.ask_button.setText(self.tr("申请换班…"))
        self.accept_button.setText(self.tr("接受"))
        self.decline_button.setText(self.tr("不接受"))
        self.cancel_button.setText(self.tr("撤回申请"))
        self.claim_button.setText(self.tr("补记工时…"))
        self._show()

    def show_message(self, text: str, level: str) -> None:
        self.banner.show_message(text, level)

    def reload(self) -> None:
        def load(s: Session, a: Actor) -> _Mine:
            term = terms.current_term(s, a)
            if term is None:
                return _Mine(None, None, [])
            end = min(term.ends_on, local_today())
            mine = hours.my_hours(s, a, term.starts_on, max(end, term.starts_on))
            return _Mine(term, mine, swaps.list_swaps(s, a, mine=True))

        ReadOp(self, load).success(self._on_loaded).run()

    def _on_loaded(self, data: _Mine) -> None:
        self.data = data
        self._show()

    def _show(self) -> None:
        data = self.data
        if data is None:
            return
        if data.term is None or data.hours is None:
            self.summary.setText(self.tr("本调解点还没有值班学期。"))
            return
        h = data.hours.hours
        self.summary.setText(self.tr(
            "{term}（{start} 至 {end}）：值班 {duty} 小时，办案 {case} 小时，培训 {training} 小时；"
            "待指导老师确认 {pending} 小时。已值班 {kept} 次，其中迟到 {late} 次，缺勤 {missed} 次。").format(
            term=data.term.name, start=data.hours.start.isoformat(), end=data.hours.end.isoformat(),
            duty=volunteering.hours_text(h.duty), case=volunteering.hours_text(h.case),
            training=volunteering.hours_text(h.training), pending=volunteering.hours_text(h.pending),
            kept=h.kept, late=h.late, missed=h.missed))
        shifts = list(reversed(data.hours.shifts))
        self.shifts.setRowCount(len(shifts))
        for row, s in enumerate(shifts):
            cells = [shift_text(s.starts_at, s.ends_at), attendance_text(s.attendance),
                     volunteering.hours_text(s.attendance.credited_minutes),
                     volunteering.hours_text(s.attendance.pending_minutes) if s.attendance.pending_minutes else ""]
            for col, text in enumerate(cells):
                self.shifts.setItem(row, col, table_cell(text, s.shift_id))
        self.swaps.setRowCount(len(data.swaps))
        for row, w in enumerate(data.swaps):
            for col, text in enumerate((shift_text(w.starts_at, w.ends_at), w.requester, w.colleague, w.status_label)):
                self.swaps.setItem(row, col, table_cell(text, w.id))
        claims = data.hours.claims
        self.claims.setRowCount(len(claims))
        for row, c in enumerate(claims):
            for col, text in enumerate((c.worked_on.isoformat(), volunteering.hours_label(c.kind),
                                        volunteering.hours_text(c.minutes),
                                        _(volunteering.CLAIM_STATUSES[c.status]), c.reason)):
                self.claims.setItem(row, col, table_cell(text, c.id))
        self._update_buttons()

    def _selected_swap(self) -> swaps.SwapView | None:
        row = self.swaps.currentRow()
        data = self.data
        return data.swaps[row] if data and 0 <= row < len(data.swaps) else None

    def _update_buttons(self) -> None:
        w = self._selected_swap()
        me = self.ctx.actor.user_id if self.ctx.has_actor else None
        self.accept_button.setEnabled(w is not None and w.colleague_id == me and w.status == "asked")
        self.decline_button.setEnabled(w is not None and w.colleague_id == me and w.status == "asked")
        self.cancel_button.setEnabled(w is not None and w.requester_id == me and w.status in swaps.OPEN)

    def _answer(self, accept: bool) -> None:
        w = self._selected_swap()
        if w is not None:
            swap_id = w.id
            WriteOp(self, lambda s, a: swaps.answer_swap(s, a, swap_id, accept=accept)).run()

    def _on_accept_clicked(self) -> None:
        self._answer(True)

    def _on_decline_clicked(self) -> None:
        self._answer(False)

    def _on_cancel_clicked(self) -> None:
        w = self._selected_swap()
        if w is not None:
            swap_id = w.id
            WriteOp(self, lambda s, a: swaps.cancel_swap(s, a, swap_id)).run()

    def _on_ask_clicked(self) -> None:
        dialog = SwapDialog(self.ctx, None, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()

    def _on_claim_clicked(self) -> None:
        dialog = ClaimDialog(self.ctx, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        dialog.open()

    def _on_operation_did_execute(self, changes: object) -> None:
        if isinstance(changes, Changes) and changes.roster:
            self.reload()
