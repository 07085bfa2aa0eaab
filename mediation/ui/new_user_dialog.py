"""Administrator: a new personal account; volunteers get the end of their term as expiry date."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QWidget)

from mediation.changes import Changes
from mediation.permissions import ROLES, VOLUNTEER, Actor, role_label
from mediation.services import accounts
from mediation.ui.context import AppContext
from mediation.ui.errors import present_failure
from mediation.ui.operations import WriteOp
from mediation.ui.widgets import (
    Retranslating,
    error_label,
    field_message,
    pydate,
    set_message,
    set_texts,
    stack,
    today_qdate,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


class NewUserDialog(Retranslating, QDialog):
    """Create a personal account; volunteers get the end of their term as expiry date."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.username_edit = QLineEdit()
        self.display_name_edit = QLineEdit()
        self.role_combo = QComboBox()
        for code in ROLES:
            self.role_combo.addItem(role_label(code), code)
        self.role_combo.setCurrentIndex(self.role_combo.findData(VOLUNTEER))
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.expires_check = QCheckBox()
        self.expires_check.setChecked(True)
        self.valid_until_edit = QDateEdit(today_qdate().addMonths(5))
        self.valid_until_edit.setCalendarPopup(True)
        self.valid_until_edit.setDisplayFormat("yyyy-MM-dd")
        self.expires_check.toggled.connect(self.valid_until_edit.setEnabled)
        # Volunteers leave with their term; officers, advisers and administrators do not.
        self.role_combo.currentIndexChanged.connect(
            lambda _i: self.expires_check.setChecked(self.role_combo.currentData() == VOLUNTEER))
        self.errors: dict[str, QLabel] = {k: field_message() for k in
                                         ("username", "display_name", "role", "password", "valid_until")}
        self.general_error = error_label()
        self._labels = [QLabel() for _ in range(5)]
        form = QFormLayout()
        rows: list[tuple[QWidget, str]] = [
            (self.username_edit, "username"), (self.display_name_edit, "display_name"),
            (self.role_combo, "role"), (self.password_edit, "password"),
        ]
        for label, (widget, key) in zip(self._labels[:4], rows, strict=True):  # the fifth labels the term end
            label.setBuddy(widget)
            form.addRow(label, widget)
            form.addRow("", self.errors[key])
        expiry = QHBoxLayout()
        expiry.addWidget(self.expires_check)
        expiry.addWidget(self.valid_until_edit, 1)
        form.addRow(self._labels[4], expiry)
        form.addRow("", self.errors["valid_until"])
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        stack(self, form, self.general_error, self.buttons)
        self.setMinimumWidth(440)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("新建账户"))
        set_texts(*zip(self._labels, (self.tr("用户名："), self.tr("姓名："), self.tr("角色："),
                                      self.tr("初始密码："), self.tr("有效期至：")), strict=True),
                  (self.expires_check, self.tr("到期后不能登录（值班学生按学期结束日）")))
        self.username_edit.setPlaceholderText(self.tr("例如学号或姓名拼音，不含空格"))
        self.password_edit.setPlaceholderText(self.tr("至少 8 位，含字母和数字"))

    def _on_save_clicked(self) -> None:
        for label in [*list(self.errors.values()), self.general_error]:
            label.hide()
        username, name = self.username_edit.text(), self.display_name_edit.text()
        role, password = str(self.role_combo.currentData()), self.password_edit.text()
        until = pydate(self.valid_until_edit.date()) if self.expires_check.isChecked() else None

        def create(s: Session, actor: Actor) -> int:
            return accounts.create_user(s, actor, username=username, display_name=name, role=role,
                                        password=password, desk_id=actor.desk_id, valid_until=until)

        self.buttons.setEnabled(False)
        (WriteOp(self, create).changes(Changes(users=True)).success(self._on_created)
         .failure(self._on_create_failed).run())

    def _on_created(self, _user_id: int) -> None:
        self.accept()

    def _on_create_failed(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        present_failure(self, exc)

    def show_field_errors(self, errors: Mapping[str, str]) -> None:
        """Each refusal beside its field (see mediation.ui.errors)."""
        for key, message in errors.items():
            set_message(self.errors.get(key, self.general_error), message)
