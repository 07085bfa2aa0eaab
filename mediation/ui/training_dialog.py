"""培训记录: training a volunteer attended (岗前培训 completes at the desk's required hours)."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QSpinBox, QWidget

from mediation.services.roster import volunteers
from mediation.ui.context import AppContext
from mediation.ui.roster_form import RosterForm
from mediation.ui.widgets import DateEdit, pydate, today_qdate


class TrainingDialog(RosterForm):
    def __init__(self, ctx: AppContext, volunteer_id: int | None = None, name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("TrainingDialog")
        self.volunteer_id = volunteer_id
        self.name = name
        self.day_edit = DateEdit()
        self.day_edit.setDate(today_qdate())
        self.minutes_edit = QSpinBox()
        self.minutes_edit.setRange(0, 24 * 60)
        self.minutes_edit.setSingleStep(30)
        self.minutes_edit.setValue(120)
        self.topic_edit = QLineEdit()
        self.topic_edit.setMaxLength(200)
        self.row("held_on", self.day_edit)
        self.row("minutes", self.minutes_edit)
        self.row("topic", self.topic_edit)
        self.resize(420, 240)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("记录培训：{name}").format(name=self.name) if self.name else self.tr("记录培训"))
        self.set_labels(held_on=self.tr("日期"), minutes=self.tr("时长（分钟）"), topic=self.tr("内容"))
        self.topic_edit.setPlaceholderText(self.tr("例如：岗前培训——人民调解法与调解记录的制作"))
        self.set_buttons(self.tr("记录"))

    def submit(self) -> None:
        if self.volunteer_id is None:
            return
        vid, day, minutes, topic = (self.volunteer_id, pydate(self.day_edit.date()), self.minutes_edit.value(),
                                    self.topic_edit.text())
        self.write(lambda s, a: volunteers.record_training(s, a, vid, held_on=day, minutes=minutes, topic=topic))
