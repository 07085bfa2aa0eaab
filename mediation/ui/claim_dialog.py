"""补记工时: hours added afterwards (值班 or 培训), with the reason; they count once the adviser confirms."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QSpinBox, QWidget

from mediation import volunteering
from mediation.services.roster import hours
from mediation.ui.context import AppContext
from mediation.ui.roster_form import RosterForm
from mediation.ui.widgets import DateEdit, pydate, today_qdate


class ClaimDialog(RosterForm):
    """The person's own hours, added afterwards."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("ClaimDialog")
        self.kind_combo = QComboBox()
        for kind in hours.CLAIM_KINDS:
            self.kind_combo.addItem(volunteering.hours_label(kind), kind)
        self.day_edit = DateEdit()
        self.day_edit.setDate(today_qdate())
        self.minutes_edit = QSpinBox()
        self.minutes_edit.setRange(0, 24 * 60)
        self.minutes_edit.setSingleStep(30)
        self.minutes_edit.setValue(60)
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(90)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.row("kind", self.kind_combo)
        self.row("worked_on", self.day_edit)
        self.row("minutes", self.minutes_edit)
        self.row("reason", self.reason_edit)
        self.body.addWidget(self.hint)
        self.resize(480, 360)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("补记工时"))
        self.set_labels(kind=self.tr("类别"), worked_on=self.tr("日期"), minutes=self.tr("时长（分钟）"),
                        reason=self.tr("理由"))
        self.reason_edit.setPlaceholderText(self.tr("为什么没有签到记录，例如：系统故障未能签到，协助接待来访"))
        self.hint.setText(self.tr("补记的工时须经指导老师确认后才计入。办案时长按您制作的调解、调查、回访记录自动计算，无需补记。"))
        self.set_buttons(self.tr("提交补记"))

    def submit(self) -> None:
        kind = str(self.kind_combo.currentData())
        day = pydate(self.day_edit.date())
        minutes = self.minutes_edit.value()
        reason = self.reason_edit.toPlainText()
        self.write(lambda s, a: hours.claim_hours(s, a, kind=kind, worked_on=day, minutes=minutes, reason=reason))
