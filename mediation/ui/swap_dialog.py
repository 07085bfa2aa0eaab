"""申请换班: ask a colleague to take one of my shifts (or to exchange it for one of theirs)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from mediation.permissions import VOLUNTEER, Actor
from mediation.services.roster import swaps, terms, timetable
from mediation.timeutil import local
from mediation.ui.context import AppContext
from mediation.ui.operations import ReadOp
from mediation.ui.roster_form import RosterForm

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


def shift_text(starts_at: dt.datetime, ends_at: dt.datetime) -> str:
    return f"{local(starts_at):%m-%d %H:%M}–{local(ends_at):%H:%M}"


class SwapDialog(RosterForm):
    """``shift_id``: the shift to hand over (default: the first one to come)."""

    def __init__(self, ctx: AppContext, shift_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("SwapDialog")
        self.shift_combo = QComboBox()
        self.colleague_combo = QComboBox()
        self.theirs_combo = QComboBox()
        self.note_edit = QLineEdit()
        self.note_edit.setMaxLength(200)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.row("shift_id", self.shift_combo)
        self.row("colleague_id", self.colleague_combo)
        self.row("colleague_shift_id", self.theirs_combo)
        self.row("note", self.note_edit)
        self.body.addWidget(self.hint)
        self._wanted = shift_id
        self.colleague_combo.currentIndexChanged.connect(self._on_colleague_changed)
        self.resize(520, 320)
        self.retranslate()
        self._load()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("申请换班"))
        self.set_labels(shift_id=self.tr("我的班次"), colleague_id=self.tr("请哪位同学"),
                        colleague_shift_id=self.tr("换成对方的班次"), note=self.tr("说明"))
        self.hint.setText(self.tr("同学接受后，由指导老师批准，班次才会更换。"))
        self.set_buttons(self.tr("发出申请"))

    def _load(self) -> None:
        def load(s: Session, a: Actor) -> tuple[list[swaps.UpcomingShift], list[timetable.Candidate]]:
            term = terms.current_term(s, a)
            people = timetable.candidates(s, a, term.id) if term else []
            return swaps.upcoming_shifts(s, a), [p for p in people if p.user_id != a.user_id and p.role == VOLUNTEER]

        ReadOp(self, load).success(self._on_loaded).run()

    def _on_loaded(self, data: tuple[list[swaps.UpcomingShift], list[timetable.Candidate]]) -> None:
        mine, people = data
        self.shift_combo.clear()
        for s in mine:
            self.shift_combo.addItem(shift_text(s.starts_at, s.ends_at), s.id)
        if self._wanted is not None:
            self.shift_combo.setCurrentIndex(max(0, self.shift_combo.findData(self._wanted)))
        self.colleague_combo.clear()
        for p in people:
            self.colleague_combo.addItem(p.label, p.user_id)
        if not mine:
            self.show_message(self.tr("您没有尚未开始的班次。"), "info")
            self.ok_button.setEnabled(False)

    def _on_colleague_changed(self, _index: int) -> None:
        colleague = self.colleague_combo.currentData()
        self.theirs_combo.clear()
        self.theirs_combo.addItem(self.tr("（不换，请对方代班）"), None)
        if colleague is None:
            return
        who = int(colleague)
        ReadOp(self, lambda s, a: swaps.upcoming_shifts(s, a, who)).success(self._on_theirs_loaded).run()

    def _on_theirs_loaded(self, theirs: list[swaps.UpcomingShift]) -> None:
        for s in theirs:
            self.theirs_combo.addItem(shift_text(s.starts_at, s.ends_at), s.id)

    def submit(self) -> None:
        shift, colleague = self.shift_combo.currentData(), self.colleague_combo.currentData()
        if shift is None or colleague is None:
            self.show_message(self.tr("请选择班次和同学。"), "error")
            return
        theirs = self.theirs_combo.currentData()
        note = self.note_edit.text()
        self.write(lambda s, a: swaps.ask_swap(s, a, int(shift), int(colleague),
                                               colleague_shift_id=int(theirs) if theirs is not None else None,
                                               note=note))
