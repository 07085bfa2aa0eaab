"""At login: an account whose password an administrator reset chooses its own before it may work."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QWidget

from mediation.errors import ValidationError
from mediation.permissions import Actor
from mediation.ui.errors import present_failure
from mediation.ui.operations import Task
from mediation.ui.password_pair import PasswordPair
from mediation.ui.widgets import (
    BUSY_STYLE,
    Retranslating,
    error_label,
    set_message,
    stack,
)

if TYPE_CHECKING:
    from mediation.db import Database


class ChangePasswordDialog(Retranslating, QDialog):
    """New password twice; ``password_changed`` when the service took it (the old one was just typed)."""

    password_changed = Signal()

    def __init__(self, db: Database | Callable[[], Database], actor: Actor, old_password: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self._actor = actor
        self._old = old_password
        self._busy = False
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.pair = PasswordPair()
        self.new_password, self.confirm_password = self.pair.password_edit, self.pair.confirm_edit
        self.new_error, self.confirm_error = self.pair.password_error, self.pair.confirm_error
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
        self.new_password.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("设置新密码"))
        self.intro.setText(self.tr("{name}，您的密码已由管理员重设。请设置只有您自己知道的新密码，然后继续。").format(
            name=self._actor.display_name))
        self.pair.set_labels(self.tr("新密码(&N)："), self.tr("再输一次(&A)："))
        self.hint.setText(self.tr("密码至少 8 位，须同时包含字母和数字，且不能与管理员给的密码相同。"))
        self.ok_button.setText(self.tr("设置并登录"))

    def submit(self) -> None:
        if self._busy:
            return
        set_message(self.general_error, "")
        new = self.pair.matching(self.tr("两次输入的新密码不一致。"))
        if new is None:
            return
        source, actor, old = self._db, self._actor, self._old

        def change() -> None:
            from mediation.services import accounts
            from mediation.ui.login_dialog import resolve_database

            with resolve_database(source).write() as s:
                accounts.change_password(s, actor, old=old, new=new)

        self._busy = True
        self.ok_button.setEnabled(False)
        Task(self, change, writes=True).success(self._on_changed).failure(self._on_failed).run()

    def _on_changed(self, _result: None) -> None:
        self._busy = False
        self.password_changed.emit()
        self.accept()

    def _on_failed(self, exc: BaseException) -> None:
        self._busy = False
        self.ok_button.setEnabled(True)
        if isinstance(exc, ValidationError):
            self.show_field_errors(exc.errors)
        else:
            present_failure(self, exc)

    def show_message(self, text: str, level: str) -> None:
        """A refusal that names no field."""
        set_message(self.general_error, text)

    def show_field_errors(self, errors: Mapping[str, str]) -> None:
        self.pair.show_field_errors(errors, self.general_error)

    def reject(self) -> None:
        if not self._busy:
            super().reject()
