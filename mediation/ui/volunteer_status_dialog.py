"""志愿者状态: 培训中 / 在岗 / 暂停 / 期满 / 退出, with the reason (required to suspend or leave)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QPlainTextEdit, QWidget

from mediation import volunteering
from mediation.services.roster import volunteers
from mediation.ui.context import AppContext
from mediation.ui.roster_form import RosterForm


class VolunteerStatusDialog(RosterForm):
    """Change a volunteer's status; leaving or suspension is followed by reassigning their cases."""

    def __init__(self, ctx: AppContext, volunteer_id: int | None = None, current: str = volunteering.ACTIVE,
                 name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("VolunteerStatusDialog")
        self.volunteer_id = volunteer_id
        self.name = name
        self.status_combo = QComboBox()
        for code in volunteering.STATUSES:
            self.status_combo.addItem(volunteering.status_label(code), code)
        self.status_combo.setCurrentIndex(max(0, self.status_combo.findData(current)))
        self.reason_edit = QPlainTextEdit()
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(80)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.row("status", self.status_combo)
        self.row("reason", self.reason_edit)
        self.body.addWidget(self.hint)
        self.resize(440, 300)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("志愿者状态：{name}").format(name=self.name) if self.name else self.tr("志愿者状态"))
        self.set_labels(status=self.tr("状态"), reason=self.tr("原因"))
        self.hint.setText(self.tr("暂停或退出须写明原因。其承办的在办案件请随后在“移交案件”中交给同事。"))
        self.set_buttons(self.tr("保存"))

    @property
    def status(self) -> str:
        return str(self.status_combo.currentData())

    def submit(self) -> None:
        if self.volunteer_id is None:
            return
        vid, status, reason = self.volunteer_id, self.status, self.reason_edit.toPlainText()
        self.write(lambda s, a: volunteers.set_status(s, a, vid, status, reason=reason))
