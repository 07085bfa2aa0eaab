"""锁定工时: the adviser makes a period's hours final (nothing dated inside changes afterwards)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

from mediation.services.roster import hours
from mediation.timeutil import local_today
from mediation.ui.context import AppContext
from mediation.ui.roster_form import RosterForm
from mediation.ui.widgets import DateEdit, pydate, qdate


class LockDialog(RosterForm):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("LockDialog")
        last_month_end = local_today().replace(day=1) - dt.timedelta(days=1)
        self.start_edit, self.end_edit = DateEdit(), DateEdit()
        self.start_edit.setDate(qdate(last_month_end.replace(day=1)))
        self.end_edit.setDate(qdate(last_month_end))
        self.note_edit = QLineEdit()
        self.note_edit.setMaxLength(200)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.row("starts_on", self.start_edit)
        self.row("ends_on", self.end_edit)
        self.row("note", self.note_edit)
        self.body.addWidget(self.hint)
        self.resize(420, 260)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("锁定工时"))
        self.set_labels(starts_on=self.tr("从"), ends_on=self.tr("到"), note=self.tr("说明"))
        self.note_edit.setPlaceholderText(self.tr("例如：十月工时已核对"))
        self.hint.setText(self.tr("锁定后，这段时间内的工时不能再补记、确认或更改。待确认的事项须先处理。"))
        self.set_buttons(self.tr("锁定"))

    def submit(self) -> None:
        start, end, note = pydate(self.start_edit.date()), pydate(self.end_edit.date()), self.note_edit.text()
        self.write(lambda s, a: hours.lock_period(s, a, starts_on=start, ends_on=end, note=note))
