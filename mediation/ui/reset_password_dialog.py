"""Administrator: a new password for someone who forgot theirs (they choose their own at the next login)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QWidget

from mediation.changes import Changes
from mediation.services import accounts
from mediation.ui.context import AppContext
from mediation.ui.errors import present_failure
from mediation.ui.operations import WriteOp
from mediation.ui.password_pair import PasswordPair
from mediation.ui.widgets import (
    BUSY_STYLE,
    Retranslating,
    error_label,
    set_message,
    stack,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation.permissions import Actor


class ResetPasswordDialog(Retranslating, QDialog):
    """Type a temporary password twice; it also lifts a lockout."""

    def __init__(self, ctx: AppContext, user: accounts.UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.user = user
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.pair = PasswordPair()
        self.password_edit, self.confirm_edit = self.pair.password_edit, self.pair.confirm_edit
        self.password_error, self.confirm_error = self.pair.password_error, self.pair.confirm_error
        self.general_error = error_label()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(BUSY_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        stack(self, self.intro, self.pair, self.hint, self.general_error, self.buttons)
        self.setMinimumWidth(440)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("重设密码"))
        self.intro.setText(self.tr("为 {name}（{user}）设置一个临时密码，并当面告诉本人。").format(
            name=self.user.display_name, user=self.user.username))
        self.pair.set_labels(self.tr("临时密码："), self.tr("再输一次："))
        self.hint.setText(self.tr("本人下次登录时须先改成只有自己知道的新密码。重设同时解除账户锁定。"))
        self.ok_button.setText(self.tr("重设密码"))

    def submit(self) -> None:
        set_message(self.general_error, "")
        password = self.pair.matching(self.tr("两次输入的密码不一致。"))
        if password is None:
            return
        user_id = self.user.id

        def reset(s: Session, actor: Actor) -> None:
            accounts.reset_password(s, actor, user_id, password)

        self.ok_button.setEnabled(False)
        (WriteOp(self, reset).changes(Changes(users=True)).success(lambda _r: self.accept())
         .failure(self._on_failed).run())

    def _on_failed(self, exc: BaseException) -> None:
        self.ok_button.setEnabled(True)
        present_failure(self, exc)

    def show_message(self, text: str, level: str) -> None:
        """A refusal that names no field."""
        set_message(self.general_error, text)

    def show_field_errors(self, errors: Mapping[str, str]) -> None:
        self.pair.show_field_errors(errors, self.general_error)
