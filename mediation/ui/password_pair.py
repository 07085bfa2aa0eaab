"""A password typed twice, each box with its red message under it: the form of 设置新密码
(the account's own choice after a reset) and 重设密码 (an administrator's temporary one)."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from mediation.ui.widgets import error_label, set_message

MAX_LENGTH = 128


class PasswordPair(QWidget):
    """Two masked boxes (the password, then again) with their labels and messages. The
    owner sets the labels' words (:meth:`set_labels`, in its own translation context) and
    decides what a mismatch says (:meth:`matching`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.password_edit = QLineEdit()
        self.confirm_edit = QLineEdit()
        for edit in (self.password_edit, self.confirm_edit):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setMaxLength(MAX_LENGTH)
        self.password_error, self.confirm_error = error_label(), error_label()
        self.password_label, self.confirm_label = QLabel(), QLabel()
        self.password_label.setBuddy(self.password_edit)
        self.confirm_label.setBuddy(self.confirm_edit)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.password_label, self.password_edit)
        form.addRow("", self.password_error)
        form.addRow(self.confirm_label, self.confirm_edit)
        form.addRow("", self.confirm_error)

    def set_labels(self, password: str, confirm: str) -> None:
        self.password_label.setText(password)
        self.confirm_label.setText(confirm)

    def clear_errors(self) -> None:
        for label in (self.password_error, self.confirm_error):
            set_message(label, "")

    def matching(self, mismatch: str) -> str | None:
        """The password if both boxes say the same; else None, with ``mismatch`` under the second."""
        self.clear_errors()
        password = self.password_edit.text()
        if password != self.confirm_edit.text():
            set_message(self.confirm_error, mismatch)
            return None
        return password

    def show_field_errors(self, errors: Mapping[str, str], general: QLabel) -> None:
        """A service's refusal: the password's own (``password``/``new_password``) under the
        first box, anything else in ``general``."""
        for key, message in errors.items():
            set_message(self.password_error if key in ("password", "new_password") else general, message)


__all__ = ["PasswordPair"]
