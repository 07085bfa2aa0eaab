"""Administrator dialogs: accounts with a term end, roster and check-in, holiday calendar, backup."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, QTime

from mediation.db import Database
from mediation.services import accounts, roster
from mediation.timeutil import local_today
from mediation.ui.admin_dialogs import AccountsDialog, HolidayDialog, NewUserDialog, RosterDialog, start_backup
from mediation.ui.context import AppContext
from tests.conftest import Desk


def test_create_a_volunteer_with_a_term_end_then_disable(qtbot, sqlite_db: Database, desk: Desk) -> None:  # type: ignore[no-untyped-def]
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
    new.buttons.accepted.emit()
    qtbot.waitUntil(lambda: new.errors["password"].isVisible(), timeout=10_000)  # beside the field
    new.password_edit.setText("term2026a")
    with qtbot.waitSignal(new.accepted, timeout=10_000):
        new.buttons.accepted.emit()
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


def test_roster_shift_appears_and_check_in(qtbot, sqlite_db: Database, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    dialog = RosterDialog(AppContext(sqlite_db, desk.admin))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.user_combo.count() == 4, timeout=10_000)
    dialog.user_combo.setCurrentIndex(dialog.user_combo.findData(desk.volunteer.user_id))
    dialog.start_edit.setTime(QTime(0, 5))
    dialog.end_edit.setTime(QTime(23, 55))
    dialog.add_button.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10_000)
    assert "李同学" in dialog.table.item(0, 0).text()
    with sqlite_db.write() as s:
        roster.check_in(s, desk.volunteer)
    with sqlite_db.read() as s:
        assert roster.shifts_on(s, desk.volunteer, local_today())[0].present


def test_holiday_calendar_warns_for_an_unknown_year(qtbot, sqlite_db: Database, desk: Desk) -> None:  # type: ignore[no-untyped-def]
    dialog = HolidayDialog(AppContext(sqlite_db, desk.admin), year=2099)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.warning.isVisible(), timeout=10_000)
    assert "2099" in dialog.warning.text()
    dialog.day_edit.setDate(QDate(2099, 10, 1))
    dialog.name_edit.setText("国庆节")
    dialog.set_button.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10_000)
    dialog.known_check.click()
    qtbot.waitUntil(lambda: not dialog.warning.isVisible(), timeout=10_000)


def test_backup_now_runs_off_the_ui_thread(qtbot, sqlite_db: Database, desk: Desk, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox, QWidget

    parent = QWidget()
    qtbot.addWidget(parent)
    target = tmp_path / "backup.sqlite3"
    start_backup(AppContext(sqlite_db, desk.admin), parent, target)
    qtbot.waitUntil(lambda: parent.findChild(QMessageBox, "backupDoneBox") is not None, timeout=20_000)
    assert target.exists() and target.read_bytes()[:15] == b"SQLite format 3"


def test_backup_can_be_cancelled_and_leaves_no_file(qtbot, sqlite_db: Database, desk: Desk, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                    monkeypatch) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

    from mediation.services import backup

    monkeypatch.setattr(backup, "BACKUP_STEP_PAGES", 1)  # many small steps: room to press 取消
    parent = QWidget()
    qtbot.addWidget(parent)
    target = tmp_path / "backup.sqlite3"
    progress = start_backup(AppContext(sqlite_db, desk.admin), parent, target)
    assert progress is not None
    button = progress.findChild(QPushButton)
    assert button is not None and button.text() == "取消"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: parent.findChild(QMessageBox, "backupCancelledBox") is not None, timeout=20_000)
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
