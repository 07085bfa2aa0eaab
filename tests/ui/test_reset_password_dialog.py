"""Accounts in the app (issue 12 item 12): the administrator sees each last login, resets a
forgotten password (the account then chooses its own at the next login, in a dialog), and
corrects a name and a role; one's own role and the last administrator are protected."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from mediation.db import Database
from mediation.errors import AuthError
from mediation.services import accounts
from mediation.ui.accounts_dialog import AccountsDialog
from mediation.ui.change_password_dialog import ChangePasswordDialog
from mediation.ui.context import AppContext
from mediation.ui.edit_user_dialog import EditUserDialog
from mediation.ui.login_dialog import LoginDialog
from mediation.ui.reset_password_dialog import ResetPasswordDialog
from tests.conftest import Desk
from tests.ui.conftest import type_text, wait_ops


def _cell(dialog: AccountsDialog, username: str, column: int) -> str:
    for r in range(dialog.table.rowCount()):
        if dialog.table.item(r, 0).text() == username:
            return dialog.table.item(r, column).text()
    raise AssertionError(username)


def _login(qtbot: Any, db: Database, username: str, password: str) -> LoginDialog:
    dialog = LoginDialog(db, username=username)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.form.password_edit, password)
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    return dialog


def test_reset_password_forces_a_new_one_at_login_and_name_and_role_are_edited(  # type: ignore[no-untyped-def]
        qtbot, sqlite_db: Database, desk: Desk) -> None:
    accounts.login(sqlite_db, "volunteer", "Qiushi-Lake-42")  # she worked yesterday
    ctx = AppContext(sqlite_db, desk.admin)
    dialog = AccountsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 4, timeout=10_000)
    assert dialog.table.horizontalHeaderItem(5).text() == "最近登录"
    assert _cell(dialog, "volunteer", 5).startswith("20")  # a date and time
    assert _cell(dialog, "officer", 5) == "从未登录"

    # She forgot her password: the administrator gives her a temporary one.
    dialog.select_username("volunteer")
    reset = dialog._on_reset_clicked()
    assert isinstance(reset, ResetPasswordDialog)
    qtbot.keyClicks(reset.password_edit, "temp2026x")
    qtbot.keyClicks(reset.confirm_edit, "temp2026y")
    qtbot.mouseClick(reset.ok_button, Qt.MouseButton.LeftButton)
    assert "不一致" in reset.confirm_error.text()
    reset.confirm_edit.clear()
    qtbot.keyClicks(reset.confirm_edit, "temp2026x")
    with qtbot.waitSignal(reset.accepted, timeout=10_000):
        qtbot.mouseClick(reset.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _cell(dialog, "volunteer", 3) == "待本人改密码", timeout=10_000)

    # Her name is corrected and she becomes an adviser.
    dialog.select_username("volunteer")
    edit = dialog._on_edit_clicked()
    assert isinstance(edit, EditUserDialog)
    edit.name_edit.clear()
    type_text(edit.name_edit, "李同学（组长）")
    edit.role_combo.setCurrentIndex(edit.role_combo.findData("adviser"))
    with qtbot.waitSignal(edit.accepted, timeout=10_000):
        qtbot.mouseClick(edit.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _cell(dialog, "volunteer", 1) == "李同学（组长）", timeout=10_000)
    assert _cell(dialog, "volunteer", 2) == "指导老师"

    # The administrator cannot take away their own role (nor the desk's last administrator).
    dialog.select_username("admin")
    own = dialog._on_edit_clicked()
    assert isinstance(own, EditUserDialog)
    own.role_combo.setCurrentIndex(own.role_combo.findData("officer"))
    qtbot.mouseClick(own.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(own.general_error.isVisible, timeout=10_000)
    assert "不能更改自己的角色" in own.general_error.text()
    own.reject()

    # At the login the temporary password works once, to choose her own.
    login = _login(qtbot, sqlite_db, "volunteer", "temp2026x")
    qtbot.waitUntil(lambda: login.form.change_password_dialog is not None
                    and login.form.change_password_dialog.isVisible(), timeout=10_000)
    change = login.form.change_password_dialog
    assert isinstance(change, ChangePasswordDialog) and login.actor is None
    qtbot.keyClicks(change.new_password, "temp2026x")
    qtbot.keyClicks(change.confirm_password, "temp2026x")
    qtbot.mouseClick(change.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(change.new_error.isVisible, timeout=10_000)
    assert "不能与原密码相同" in change.new_error.text()
    # Two different words: said under the second box; the first box's message is gone.
    change.confirm_password.clear()
    qtbot.keyClicks(change.confirm_password, "temp2026z")
    qtbot.mouseClick(change.ok_button, Qt.MouseButton.LeftButton)
    assert "两次输入的新密码不一致" in change.confirm_error.text() and change.confirm_error.isVisible()
    assert not change.new_error.isVisible() and login.actor is None
    for edit_box in (change.new_password, change.confirm_password):
        edit_box.clear()
        qtbot.keyClicks(edit_box, "Mine-Own-Choice-2026")
    with qtbot.waitSignal(login.accepted, timeout=10_000):
        qtbot.mouseClick(change.ok_button, Qt.MouseButton.LeftButton)
    assert login.actor is not None and login.actor.username == "volunteer" and login.actor.role == "adviser"
    wait_ops(qtbot)
    with sqlite_db.read() as s:
        assert not accounts.password_change_required(s, login.actor)
    try:
        accounts.login(sqlite_db, "volunteer", "temp2026x")
        raise AssertionError("the temporary password still works")
    except AuthError:
        pass
    assert accounts.login(sqlite_db, "volunteer", "Mine-Own-Choice-2026").user_id == login.actor.user_id


def test_refusing_the_new_password_leaves_nobody_logged_in(qtbot, sqlite_db: Database, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    with sqlite_db.write() as s:
        accounts.reset_password(s, desk.admin, desk.officer.user_id, "temp2026x")
    login = _login(qtbot, sqlite_db, "officer", "temp2026x")
    qtbot.waitUntil(lambda: login.form.change_password_dialog is not None
                    and login.form.change_password_dialog.isVisible(), timeout=10_000)
    change = login.form.change_password_dialog
    assert change is not None
    change.reject()
    qtbot.waitUntil(login.form.heading_label.isVisible, timeout=10_000)
    assert login.form.heading_label.text() == "须设置新密码" and login.actor is None and login.isVisible()
