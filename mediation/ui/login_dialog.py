"""Log in with a personal account: the form (also used on the lock screen) and the start-up dialog.

Each refusal reason from ``accounts.login`` (wrong password, locked, expired, disabled)
gets its own heading, with the service's message beneath it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mediation.errors import AuthError
from mediation.permissions import Actor
from mediation.ui.errors import present_failure
from mediation.ui.operations import Task
from mediation.ui.widgets import BUSY_STYLE, ERROR_STYLE, Retranslating

if TYPE_CHECKING:
    from mediation.db import Database

def resolve_database(source: Database | Callable[[], Database]) -> Database:
    """The database behind ``source`` (call in a worker: it may wait for the start-up thread)."""
    if callable(source):
        return source()
    return source



class LoginForm(Retranslating, QWidget):
    """Username, password, a login button and a message area; emits ``logged_in(Actor)``."""

    logged_in = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, db: Database | Callable[[], Database], parent: QWidget | None = None, *,
                 username: str = "", show_button: bool = True) -> None:
        super().__init__(parent)
        self._db = db
        self._busy = False
        self.error_reason: str | None = None
        """The last refusal's reason (bad_password, locked, expired, disabled), for tests and styling."""
        self.change_password_dialog: QDialog | None = None
        """Shown after a login whose password an administrator reset."""

        self.username_edit = QLineEdit(username)
        self.username_edit.setMaxLength(50)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setMaxLength(128)
        self.heading_label = QLabel()
        self.heading_label.setStyleSheet(ERROR_STYLE + "font-weight: bold;")
        self.heading_label.hide()
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setStyleSheet(ERROR_STYLE)
        self.message_label.hide()
        self.login_button = QPushButton()
        self.login_button.setAutoDefault(True)
        self.login_button.setVisible(show_button)

        self._form = QFormLayout()
        self._username_label = QLabel()
        self._password_label = QLabel()
        self._username_label.setBuddy(self.username_edit)
        self._password_label.setBuddy(self.password_edit)
        self._form.addRow(self._username_label, self.username_edit)
        self._form.addRow(self._password_label, self.password_edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._form)
        layout.addWidget(self.heading_label)
        layout.addWidget(self.message_label)
        # A stretch rather than an alignment flag: touching the ``Qt`` namespace costs
        # ~50 ms on first use, which the first window of the program should not pay.
        button_row = QHBoxLayout()
        button_row.addStretch(1)
        button_row.addWidget(self.login_button)
        layout.addLayout(button_row)

        self.login_button.clicked.connect(self.submit)
        self.username_edit.returnPressed.connect(self._on_username_return_pressed)
        self.password_edit.returnPressed.connect(self.submit)
        self.username_edit.textEdited.connect(self._on_text_edited)
        self.password_edit.textEdited.connect(self._on_text_edited)
        self.retranslate()

    def retranslate(self) -> None:
        self._username_label.setText(self.tr("用户名(&U)："))
        self._password_label.setText(self.tr("密码(&P)："))
        self.username_edit.setPlaceholderText(self.tr("您自己的用户名"))
        self.password_edit.setPlaceholderText(self.tr("密码"))
        self.login_button.setText(self.tr("登录"))

    def focus_first_empty(self) -> None:
        (self.password_edit if self.username_edit.text() else self.username_edit).setFocus()

    @property
    def busy(self) -> bool:
        return self._busy

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.login_button.setEnabled(not busy)
        self.username_edit.setReadOnly(busy)
        self.password_edit.setReadOnly(busy)
        self.busy_changed.emit(busy)

    def _show_message(self, heading: str, message: str, *, error: bool = True) -> None:
        self.heading_label.setText(heading)
        self.heading_label.setVisible(bool(heading))
        self.message_label.setStyleSheet(ERROR_STYLE if error else BUSY_STYLE)
        self.message_label.setText(message)
        self.message_label.setVisible(bool(message))

    def clear_message(self) -> None:
        self.error_reason = None
        self._show_message("", "")

    def _on_text_edited(self, _text: str) -> None:
        if self.error_reason == "missing":
            self.clear_message()

    def _on_username_return_pressed(self) -> None:
        self.password_edit.setFocus()

    def submit(self) -> None:
        """Check the account off the UI thread (password hashing is deliberately slow)."""
        if self._busy:
            return
        username = self.username_edit.text().strip()
        password = self.password_edit.text()
        if not username:
            self.error_reason = "missing"
            self._show_message("", self.tr("请输入用户名。"))
            self.username_edit.setFocus()
            return
        if not password:
            self.error_reason = "missing"
            self._show_message("", self.tr("请输入密码。"))
            self.password_edit.setFocus()
            return
        self._set_busy(True)
        self.error_reason = None
        self._show_message("", self.tr("正在验证…"), error=False)
        source = self._db

        def login() -> tuple[Actor, bool]:
            # The database first: at start-up this waits for the thread that imports the
            # database layer (two threads importing SQLAlchemy at once can see half-built
            # modules). Then accounts, imported here because it hashes a dummy password
            # when loaded, which must not delay the first window.
            db = resolve_database(source)
            from mediation.services import accounts

            actor = accounts.login(db, username, password)
            with db.read() as s:
                return actor, accounts.password_change_required(s, actor)

        Task(self, login, writes=True).success(
            lambda result: self._on_login_succeeded(*result, password)).failure(self._on_login_failed).run()

    def _on_login_succeeded(self, actor: Actor, must_change: bool = False, password: str = "") -> None:
        self._set_busy(False)
        self.clear_message()
        self.password_edit.clear()
        if must_change:
            self.ask_new_password(actor, password)
            return
        self.logged_in.emit(actor)

    def ask_new_password(self, actor: Actor, old_password: str) -> None:
        """The administrator reset this password: a new one first, then the login goes on."""
        from mediation.ui.change_password_dialog import ChangePasswordDialog

        dialog = ChangePasswordDialog(self._db, actor, old_password, self.window())
        self.change_password_dialog = dialog
        dialog.password_changed.connect(lambda: self.logged_in.emit(actor))
        dialog.rejected.connect(self._on_new_password_refused)
        dialog.open()

    def _on_new_password_refused(self) -> None:
        self.error_reason = "must_change"
        self._show_message(self.tr("须设置新密码"), self.tr("管理员重设了您的密码：设置您自己的新密码后才能登录。"))

    def _on_login_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.password_edit.clear()
        if not isinstance(exc, AuthError):
            self._show_message("", "")
            present_failure(self.window(), exc)
            return
        self.error_reason = exc.reason
        headings = {
            "bad_password": self.tr("登录失败"),
            "locked": self.tr("账户已锁定"),
            "expired": self.tr("账户已到期"),
            "disabled": self.tr("账户已停用"),
        }
        self._show_message(headings.get(exc.reason, self.tr("无法登录")), exc.message)
        if exc.reason == "bad_password":
            self.password_edit.setFocus()


PRACTICE = 2
"""``LoginDialog.exec()`` result: the person asked for the practice database (mediation.practice)."""


class LoginDialog(Retranslating, QDialog):
    """The dialog shown at start: who is at the desk?"""

    def __init__(self, db: Database | Callable[[], Database], parent: QWidget | None = None, *,
                 username: str = "", desk_name: str = "") -> None:
        super().__init__(parent)
        self.actor: Actor | None = None
        self.title_label = QLabel()
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title_label.setFont(font)
        self.desk_label = QLabel(desk_name)
        self.desk_label.setVisible(bool(desk_name))
        self.form = LoginForm(db, self, username=username, show_button=False)
        self.hint_label = QLabel()
        self.hint_label.setWordWrap(True)
        self.hint_label.setStyleSheet(BUSY_STYLE)
        self.buttons = QDialogButtonBox()
        self.login_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
        self.quit_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.RejectRole)
        self.practice_button = self.buttons.addButton("", QDialogButtonBox.ButtonRole.ActionRole)
        self.practice_button.setAutoDefault(False)
        self.practice_button.clicked.connect(self._on_practice_clicked)
        self.login_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.desk_label)
        layout.addSpacing(8)
        layout.addWidget(self.form)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

        self.login_button.clicked.connect(self.form.submit)
        self.quit_button.clicked.connect(self.reject)
        self.form.logged_in.connect(self._on_logged_in)
        self.form.busy_changed.connect(self._on_busy_changed)
        self.retranslate()
        self.form.focus_first_empty()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("登录 — 警校联调调解台"))
        self.title_label.setText(self.tr("警校联调调解台"))
        self.hint_label.setText(self.tr(
            "请用您本人的账户登录，不要使用他人账户。忘记密码、账户被锁定或到期，请联系管理员。"))
        self.login_button.setText(self.tr("登录"))
        self.quit_button.setText(self.tr("退出"))
        self.practice_button.setText(self.tr("练习模式…"))
        self.practice_button.setToolTip(self.tr("新同学先在练习数据库里熟悉软件：虚构的案件和账户，另存一个文件，不进入正式台账"))

    def _on_practice_clicked(self) -> None:
        if not self.form.busy:
            self.done(PRACTICE)

    def set_desk_name(self, name: str) -> None:
        self.desk_label.setText(name)
        self.desk_label.setVisible(bool(name))

    def _on_busy_changed(self, busy: bool) -> None:
        self.login_button.setEnabled(not busy)

    def _on_logged_in(self, actor: Actor) -> None:
        self.actor = actor
        self.accept()

    def reject(self) -> None:
        if self.form.busy:
            return
        super().reject()
