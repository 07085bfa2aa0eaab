"""Administrator: correct an account's name or change its role."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from mediation.changes import Changes
from mediation.permissions import ROLES, role_label
from mediation.services import accounts
from mediation.ui.context import AppContext
from mediation.ui.errors import present_failure
from mediation.ui.operations import WriteOp
from mediation.ui.widgets import Retranslating, error_label, set_message, stack

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from mediation.permissions import Actor


class EditUserDialog(Retranslating, QDialog):
    """The account's display name and role (the user name stays: it is how they log in)."""

    def __init__(self, ctx: AppContext, user: accounts.UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.user = user
        self.username_label = QLabel(user.username)
        self.name_edit = QLineEdit(user.display_name)
        self.name_edit.setMaxLength(50)
        self.role_combo = QComboBox()
        for code in ROLES:
            self.role_combo.addItem(role_label(code), code)
        self.role_combo.setCurrentIndex(max(0, self.role_combo.findData(user.role)))
        self.name_error, self.role_error, self.general_error = error_label(), error_label(), error_label()
        self.labels = [QLabel(), QLabel(), QLabel()]
        form = QFormLayout()
        form.addRow(self.labels[0], self.username_label)
        form.addRow(self.labels[1], self.name_edit)
        form.addRow("", self.name_error)
        form.addRow(self.labels[2], self.role_combo)
        form.addRow("", self.role_error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        stack(self, form, self.general_error, self.buttons)
        self.setMinimumWidth(400)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("修改账户"))
        for label, text in zip(self.labels, (self.tr("用户名："), self.tr("姓名："), self.tr("角色：")), strict=True):
            label.setText(text)

    def submit(self) -> None:
        for label in (self.name_error, self.role_error, self.general_error):
            set_message(label, "")
        user_id, name, role = self.user.id, self.name_edit.text(), str(self.role_combo.currentData())

        def update(s: Session, actor: Actor) -> None:
            accounts.update_user(s, actor, user_id, display_name=name, role=role)

        self.save_button.setEnabled(False)
        (WriteOp(self, update).changes(Changes(users=True)).success(lambda _r: self.accept())
         .failure(self._on_failed).run())

    def _on_failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        present_failure(self, exc)

    def show_field_errors(self, errors: Mapping[str, str]) -> None:
        for key, message in errors.items():
            set_message({"display_name": self.name_error, "role": self.role_error}.get(key, self.general_error),
                        message)

    def show_message(self, text: str, level: str) -> None:
        """A refusal that names no field (one's own role, the last administrator)."""
        set_message(self.general_error, text)
