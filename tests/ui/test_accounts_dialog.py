"""Accounts: a volunteer's account ends with the term; an officer's does not; disable and make long-term."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox

from mediation.db import Database
from mediation.services import accounts
from mediation.ui.accounts_dialog import AccountsDialog
from mediation.ui.context import AppContext
from mediation.ui.new_user_dialog import NewUserDialog
from tests.conftest import Desk


def test_create_a_volunteer_with_a_term_end_then_disable(qtbot, sqlite_db: Database, desk: Desk) -> None:
    ctx = AppContext(sqlite_db, desk.admin)
    dialog = AccountsDialog(ctx)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 4, timeout=10_000)
    new = NewUserDialog(ctx, dialog)
    qtbot.addWidget(new)
    new.show()
    qtbot.keyClicks(new.username_edit, "stu2026")
    new.display_name_edit.setText("钱同学")
    qtbot.keyClicks(new.password_edit, "short")
    new.valid_until_edit.setDate(QDate(2027, 1, 20))
    save = new.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: new.errors["password"].isVisible(), timeout=10_000)  # beside the field
    assert "8" in new.errors["password"].text()
    new.password_edit.setText("term2026a")
    with qtbot.waitSignal(new.accepted, timeout=10_000):
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 5, timeout=10_000)
    with sqlite_db.read() as s:
        user = next(u for u in accounts.list_users(s, desk.admin) if u.username == "stu2026")
    assert user.role == "volunteer" and user.valid_until == dt.date(2027, 1, 20)
    # An officer's account does not end with a term: the end date is off by default,
    # and an account given one by mistake is made long-term again.
    officer_form = NewUserDialog(ctx, dialog)
    qtbot.addWidget(officer_form)
    assert officer_form.expires_check.isChecked()  # volunteer first
    officer_form.role_combo.setCurrentIndex(officer_form.role_combo.findData("officer"))
    assert not officer_form.expires_check.isChecked()
    dialog.select_username("stu2026")
    assert dialog.no_end_button.isEnabled()
    dialog.no_end_button.click()
    qtbot.waitUntil(lambda: any(dialog.table.item(r, 0).text() == "stu2026" and dialog.table.item(r, 4).text() == "长期"
                                for r in range(dialog.table.rowCount())), timeout=10_000)
    dialog.select_username("stu2026")
    assert dialog.toggle_button.text() == "停用"
    dialog.toggle_button.click()
    qtbot.waitUntil(lambda: any(dialog.table.item(r, 3).text() == "已停用"
                                for r in range(dialog.table.rowCount())), timeout=10_000)
