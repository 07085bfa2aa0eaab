"""Administrator: a new password for someone who forgot theirs (they choose their own at the next login)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from mediation.changes import Changes
from mediation.services import accounts
from mediation.ui.context import AppContext
from mediation.ui.errors import present_failure
from mediation.ui.operations import WriteOp
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
        self.password_edit = QLineEdit()
        self.confirm_edit = QLineEdit()
        for edit in (self.password_edit, self.confirm_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setMaxLength(128)
        self.password_error, self.confirm_error, self.general_error = error_label(), error_label(), error_label()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(BUSY_STYLE)
        self.password_label, self.confirm_label = QLabel(), QLabel()
        form = QFormLayout()
        form.addRow(self.password_label, self.password_edit)
        form.addRow("", self.password_error)
        form.addRow(self.confirm_label, self.confirm_edit)
        form.addRow("", self.confirm_error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        stack(self, self.intro, form, self.hint, self.general_error, self.buttons)
        self.setMinimumWidth(440)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("重设密码"))
        self.intro.setText(self.tr("为 {name}（{user}）设置一个临时密码，并当面告诉本人。").format(
            name=self.user.display_name, user=self.user.username))
        self.password_label.setText(self.tr("临时密码："))
        self.confirm_label.setText(self.tr("再输一次："))
        self.hint.setText(self.tr("本人下次登录时须先改成只有自己知道的新密码。重设同时解除账户锁定。"))
        self.ok_button.setText(self.tr("重设密码"))

    def submit(self) -> None:
        for label in (self.password_error, self.confirm_error, self.general_error):
            set_message(label, "")
        password = self.password_edit.text()
        if password != self.confirm_edit.text():
            set_message(self.confirm_error, self.tr("两次输入的密码不一致。"))
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
        for key, message in errors.items():
            set_message({"new_password": self.password_error, "password": self.password_error}.get(
                key, self.general_error), message)
