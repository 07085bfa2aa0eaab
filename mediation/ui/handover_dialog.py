"""签退与交接班: at check-out (the 签退 button, or logging out) the volunteer sees what the next
person on duty needs — filled in from their cases — adds what only they know, and signs off."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QPlainTextEdit, QWidget

from mediation.changes import Changes
from mediation.permissions import Actor
from mediation.services import roster
from mediation.services.roster import handover
from mediation.timeutil import local, local_today
from mediation.ui.context import AppContext
from mediation.ui.operations import ReadOp, WriteOp
from mediation.ui.widgets import Banner, Retranslating, section_title, stack

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

SIGNED_OFF = "signed_off"
STAYED = "stayed"
"""What the person chose: signed off with a handover, or (logging out) left the shift open."""


@dataclass(frozen=True)
class _Loaded:
    shift: roster.ShiftView | None
    items: list[handover.HandoverItem]


def item_text(i: handover.HandoverItem) -> str:
    """One due item on one line: what, which case, when."""
    due = f" · {i.due:%m-%d}" if i.due else ""
    return f"【{i.label}】{i.case_number} {i.parties} — {i.what}{due}"


class HandoverDialog(Retranslating, QDialog):
    """The handover of the person logged in; ``logout``: they are logging out (they may also
    leave without signing off — the shift then closes at its end, marked)."""

    finished_with = Signal(str)
    """SIGNED_OFF or STAYED, once chosen."""

    def __init__(self, ctx: AppContext, shift_id: int | None = None, parent: QWidget | None = None, *,
                 logout: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("HandoverDialog")
        self.ctx = ctx
        self.logout = logout
        self.shift_id = shift_id
        self.outcome: str | None = None
        self.banner = Banner(self)
        self.shift_label = QLabel()
        self.items_title = section_title("")
        self.items = QListWidget()
        self.items.setWordWrap(True)
        self.note_title = section_title("")
        self.note_edit = QPlainTextEdit()
        self.note_edit.setTabChangesFocus(True)
        self.buttons = QDialogButtonBox()
        self.sign_off_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.stay_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.stay_button.setVisible(logout)
        self.cancel_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.sign_off_button.setEnabled(False)
        self.sign_off_button.clicked.connect(self.submit)
        self.stay_button.clicked.connect(self._on_stay_clicked)
        self.cancel_button.clicked.connect(self.reject)
        stack(self, self.banner, self.shift_label, self.items_title, self.items, self.note_title, self.note_edit,
              self.buttons, stretch=self.items)
        self.resize(640, 520)
        self.retranslate()
        self._load()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("签退与交接班"))
        self.items_title.setText(self.tr("需要接班同学知道的事项（根据您承办的案件自动列出）"))
        self.note_title.setText(self.tr("补充说明"))
        self.note_edit.setPlaceholderText(self.tr("例如：答应来访人下午三点回电话；当事人明天上午来取协议书……"))
        self.sign_off_button.setText(self.tr("签退并交接"))
        self.stay_button.setText(self.tr("暂不签退，直接退出"))
        self.stay_button.setToolTip(self.tr("班次到时自动结束并记为“未签退”，也不会留下交接班"))
        self.cancel_button.setText(self.tr("取消"))

    def _load(self) -> None:
        wanted = self.shift_id

        def load(s: Session, actor: Actor) -> _Loaded:
            mine = [v for v in roster.shifts_on(s, actor, local_today()) if v.user_id == actor.user_id and v.present]
            shift = next((v for v in mine if v.id == wanted), mine[0] if mine and wanted is None else None)
            return _Loaded(shift, handover.due_items(s, actor))

        ReadOp(self, load).success(self._on_loaded).failure(self._on_failed).run()

    def _on_loaded(self, data: _Loaded) -> None:
        self.items.clear()
        for i in data.items:
            item = QListWidgetItem(item_text(i))
            item.setData(Qt.ItemDataRole.UserRole, i.case_id)
            self.items.addItem(item)
        if not data.items:
            placeholder = QListWidgetItem(self.tr("没有两个工作日内到期的事项"))
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.items.addItem(placeholder)
        if data.shift is None:
            self.shift_label.setText(self.tr("您现在没有签到的班次。"))
            self.banner.show_message(self.tr("没有可以签退的班次。"), "info")
            return
        self.shift_id = data.shift.id
        self.shift_label.setText(self.tr("本班次：{start}–{end}，{when} 签到").format(
            start=local(data.shift.starts_at).strftime("%H:%M"), end=local(data.shift.ends_at).strftime("%H:%M"),
            when=local(data.shift.checked_in_at).strftime("%H:%M") if data.shift.checked_in_at else ""))
        self.sign_off_button.setEnabled(True)

    def _on_failed(self, exc: BaseException) -> None:
        self.show_message(getattr(exc, "message", type(exc).__name__), "error")

    def show_message(self, text: str, level: str) -> None:
        self.banner.show_message(text, level)

    def submit(self) -> None:
        if self.shift_id is None:
            return
        shift_id, note = self.shift_id, self.note_edit.toPlainText()
        self.sign_off_button.setEnabled(False)
        (WriteOp(self, lambda s, a: handover.check_out_with_handover(s, a, shift_id, note=note))
         .changes(Changes(roster=True)).success(self._on_signed_off)
         .finally_(lambda: self.sign_off_button.setEnabled(self.outcome is None)).run())

    def _on_signed_off(self, done: handover.SignedOff) -> None:
        self.outcome = SIGNED_OFF
        self.finished_with.emit(SIGNED_OFF)
        self.accept()

    def _on_stay_clicked(self) -> None:
        self.outcome = STAYED
        self.finished_with.emit(STAYED)
        self.accept()
