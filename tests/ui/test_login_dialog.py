"""Login: success, and a distinct message for a wrong password, a locked and an expired account."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mediation.db import Database
from mediation.services import accounts
from mediation.ui.login_dialog import LoginDialog
from tests.conftest import Desk
from tests.ui.window_catalogue import fit_problems


def _attempt(qtbot, dialog: LoginDialog, username: str, password: str) -> None:
    dialog.form.username_edit.clear()
    qtbot.keyClicks(dialog.form.username_edit, username)
    dialog.form.password_edit.clear()
    qtbot.keyClicks(dialog.form.password_edit, password)
    qtbot.keyClick(dialog.form.password_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.form.busy, timeout=10_000)


def test_login_succeeds(qtbot, sqlite_db: Database, desk: Desk) -> None:
    dialog = LoginDialog(sqlite_db, username="volunteer", desk_name="测试大学警校联调中心")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.form.password_edit.hasFocus() or not dialog.isActiveWindow()
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        qtbot.keyClicks(dialog.form.password_edit, "pass1234")
        qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    assert dialog.actor is not None and dialog.actor.username == "volunteer"


@pytest.fixture
def dialog(qtbot, sqlite_db: Database, desk: Desk) -> LoginDialog:
    """The login dialog at start, no name filled in."""
    login = LoginDialog(sqlite_db)
    qtbot.addWidget(login)
    login.show()
    return login


def test_wrong_password_then_locked_each_with_its_message(qtbot, dialog: LoginDialog) -> None:
    _attempt(qtbot, dialog, "volunteer", "wrong-1")
    assert dialog.form.error_reason == "bad_password"
    assert dialog.form.heading_label.text() == "登录失败"
    assert "还可尝试 4 次" in dialog.form.message_label.text()
    assert dialog.form.password_edit.text() == ""
    for i in range(2, 6):
        _attempt(qtbot, dialog, "volunteer", f"wrong-{i}")
    assert dialog.form.error_reason == "locked"
    assert dialog.form.heading_label.text() == "账户已锁定"
    assert "锁定" in dialog.form.message_label.text()
    # Even the right password is refused while locked, with the same distinct message.
    _attempt(qtbot, dialog, "volunteer", "pass1234")
    assert dialog.form.error_reason == "locked"
    assert "分钟后再试" in dialog.form.message_label.text()
    assert dialog.actor is None and dialog.isVisible()


def test_expired_account_has_its_own_message(qtbot, sqlite_db: Database, desk: Desk,
                                             dialog: LoginDialog) -> None:
    with sqlite_db.write() as s:
        accounts.create_user(s, desk.admin, username="lastterm", display_name="往届同学", role="volunteer",
                             password="pass1234", desk_id=desk.desk_id,
                             valid_until=dt.date.today() - dt.timedelta(days=2))
    _attempt(qtbot, dialog, "lastterm", "pass1234")
    assert dialog.form.error_reason == "expired"
    assert dialog.form.heading_label.text() == "账户已到期"
    assert "到期" in dialog.form.message_label.text()


def test_empty_fields_are_explained_without_a_query(qtbot, dialog: LoginDialog) -> None:
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    assert dialog.form.message_label.text() == "请输入用户名。"
    qtbot.keyClicks(dialog.form.username_edit, "volunteer")
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    assert dialog.form.message_label.text() == "请输入密码。"


def test_fields_are_never_squashed_when_the_login_dialog_grows(qtbot: Any) -> None:
    """Item 9: the desk's name arrives after the dialog is up; the fields kept 15 of their 23 px."""
    dialog = LoginDialog(lambda: None)  # type: ignore[arg-type, return-value]
    qtbot.addWidget(dialog)
    dialog.show()
    QApplication.processEvents()
    dialog.set_desk_name("某某大学警校联调中心")
    qtbot.waitUntil(lambda: dialog.form.username_edit.height() >= dialog.form.username_edit.minimumSizeHint().height())
    for edit in (dialog.form.username_edit, dialog.form.password_edit):
        assert edit.height() >= edit.minimumSizeHint().height() >= edit.fontMetrics().height() + 4
    assert fit_problems(dialog) == []
