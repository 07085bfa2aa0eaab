"""The today panel's officer queue: cases waiting for an officer's decision, each opening at its action."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from mediation import workflow
from mediation.i18n import _
from mediation.services import queue, roster
from mediation.ui.context import AppContext
from mediation.ui.models.case_table_model import OVERDUE_BACKGROUND
from mediation.ui.today_panel import TodaySection

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation.permissions import Actor

ROWS = 8


class CaseQueueSection(TodaySection):
    """待办案件: to accept, to close, terminations to confirm, overdue — grouped in one list."""

    action_requested = Signal(int, str)
    """(case id, action) to open: the case window, then the dialog of that action ("" for none)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.queue: queue.CaseQueue | None = None
        self.list = QListWidget()
        self.list.setObjectName("caseQueue")
        self.list.setUniformItemSizes(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setFixedHeight(self.list.fontMetrics().height() * ROWS + 16)
        self.list.itemActivated.connect(self._on_item_activated)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        self.hide()  # until it knows whether this person decides anything
        self.retranslate()

    def retranslate(self) -> None:
        self.setToolTip(self.tr("等待督导民警办理的案件：受理、结案、终止后结案；以及已逾期的案件。双击打开到要办的那一步。"))
        if self.queue is not None:
            self.present(self.queue)

    def load(self, session: Session, actor: Actor, overview: roster.TodayOverview) -> object:
        if not (actor.can("case.accept") or actor.can("case.close")):
            return None
        return queue.officer_queue(session, actor)

    def present(self, data: object) -> None:
        if not isinstance(data, queue.CaseQueue):
            self.queue = None
            self.hide()
            return
        self.queue = data
        self.setVisible(True)
        self.setTitle(self.tr("待办案件（{n}）").format(n=data.total))
        self.list.clear()
        titles = {queue.TO_ACCEPT: self.tr("待受理 {n} 件"), queue.TO_CLOSE: self.tr("可结案 {n} 件"),
                  queue.TERMINATED: self.tr("终止调解待结案 {n} 件"), queue.OVERDUE: self.tr("已逾期 {n} 件")}
        for group in queue.GROUPS:
            items = data.groups.get(group)
            if not items:
                continue
            head = QListWidgetItem(titles[group].format(n=data.counts.get(group, len(items))))
            head.setFlags(Qt.ItemFlag.NoItemFlags)
            font = QFont(self.list.font())
            font.setBold(True)
            head.setFont(font)
            head.setForeground(QBrush(QColor("#333333")))
            self.list.addItem(head)
            for it in items:
                what = _(workflow.rule(it.action).label) if it.action else workflow.stage_label(it.stage)
                row = QListWidgetItem(self.tr("  {parties} · {what}").format(parties=it.parties, what=what))
                tip = [it.number or self.tr("待受理"), it.parties, workflow.stage_label(it.stage)]
                if it.missing:
                    tip.append(self.tr("还缺少：{m}").format(m="、".join(it.missing)))
                row.setToolTip("\n".join(tip))
                row.setData(Qt.ItemDataRole.UserRole, [it.case_id, it.action or ""])
                if group == queue.OVERDUE:
                    row.setBackground(OVERDUE_BACKGROUND)
                self.list.addItem(row)
        if not data.total:
            empty = QListWidgetItem(self.tr("没有等待您办理的案件"))
            empty.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(empty)

    def _on_item_activated(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(data, (list, tuple)) and len(data) == 2:
            self.action_requested.emit(int(data[0]), str(data[1]))


__all__ = ["CaseQueueSection"]
