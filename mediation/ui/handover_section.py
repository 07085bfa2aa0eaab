"""The today panel's 交接班 section: handovers colleagues left that nobody has acknowledged yet;
the next person on duty reads one and confirms it (确认已阅)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

from mediation.changes import Changes
from mediation.permissions import Actor
from mediation.services import roster
from mediation.services.roster import handover
from mediation.timeutil import local
from mediation.ui.context import AppContext
from mediation.ui.handover_dialog import item_text
from mediation.ui.operations import WriteOp
from mediation.ui.today_panel import TodaySection
from mediation.ui.widgets import WARN_COLOR

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class HandoverSection(TodaySection):
    """Handovers to acknowledge (hidden when there are none)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.handovers: list[handover.HandoverView] = []
        self.list = QListWidget()
        self.list.setUniformItemSizes(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setFixedHeight(self.list.fontMetrics().height() * 3 + 16)
        self.list.currentRowChanged.connect(self._on_current_row_changed)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.ack_button = QPushButton()
        self.ack_button.setEnabled(False)
        self.ack_button.clicked.connect(self._on_ack_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(self.detail)
        layout.addWidget(self.ack_button)
        self.setStyleSheet(f"QGroupBox::title {{ color: {WARN_COLOR}; }}")  # to be acted on: it stands out
        self.hide()
        self.retranslate()

    def retranslate(self) -> None:
        self.ack_button.setText(self.tr("确认已阅"))
        self.ack_button.setToolTip(self.tr("我已读过这份交接班，会跟进其中的事项"))
        self.present(self.handovers)

    def load(self, session: Session, actor: Actor, overview: roster.TodayOverview) -> object:
        if actor.desk_id is None or not actor.can("roster.duty"):
            return []
        return handover.open_handovers(session, actor)

    def present(self, data: object) -> None:
        self.handovers = [h for h in data if isinstance(h, handover.HandoverView)] if isinstance(data, list) else []
        self.setTitle(self.tr("交接班待确认（{n}）").format(n=len(self.handovers)))
        self.list.clear()
        for h in self.handovers:
            item = QListWidgetItem(self.tr("{who} {when} · {n} 项").format(
                who=h.author, when=local(h.written_at).strftime("%m-%d %H:%M"), n=len(h.items)))
            item.setData(Qt.ItemDataRole.UserRole, h.id)
            item.setToolTip("\n".join([item_text(i) for i in h.items] + ([h.note] if h.note else [])))
            self.list.addItem(item)
        self.setVisible(bool(self.handovers))
        if self.handovers:
            self.list.setCurrentRow(0)
        self._on_current_row_changed(self.list.currentRow())

    def _on_current_row_changed(self, row: int) -> None:
        h = self.handovers[row] if 0 <= row < len(self.handovers) else None
        self.ack_button.setEnabled(h is not None)
        if h is None:
            self.detail.clear()
            return
        lines = [item_text(i) for i in h.items] or [self.tr("（没有到期事项）")]
        if h.note:
            lines.append(self.tr("补充说明：{note}").format(note=h.note))
        self.detail.setText("\n".join(lines))

    def _on_ack_clicked(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.handovers):
            return
        handover_id = self.handovers[row].id
        self.ack_button.setEnabled(False)
        WriteOp(self, lambda s, a: handover.acknowledge(s, a, handover_id)).changes(Changes(roster=True)).run()
