"""Duty roster: a shift appears for the day and its check-in shows; a bad shift is refused where typed."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTime

from mediation.db import Database
from mediation.services import roster
from mediation.timeutil import local_today
from mediation.ui.context import AppContext
from mediation.ui.roster_dialog import RosterDialog
from tests.conftest import Desk


def test_roster_shift_appears_and_check_in(qtbot, sqlite_db: Database, desk: Desk) -> None:
    dialog = RosterDialog(AppContext(sqlite_db, desk.admin))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.user_combo.count() == 4, timeout=10_000)
    dialog.user_combo.setCurrentIndex(dialog.user_combo.findData(desk.volunteer.user_id))
    dialog.start_edit.setTime(QTime(0, 5))
    dialog.end_edit.setTime(QTime(23, 55))
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10_000)
    assert "李同学" in dialog.table.item(0, 0).text()
    assert "未签到" in dialog.table.item(0, 2).text()
    with sqlite_db.write() as s:
        roster.check_in(s, desk.volunteer)
    with sqlite_db.read() as s:
        assert roster.shifts_on(s, desk.volunteer, local_today())[0].present


def test_a_shift_that_ends_before_it_starts_is_refused_beside_the_row(
        qtbot, sqlite_db: Database, desk: Desk) -> None:
    dialog = RosterDialog(AppContext(sqlite_db, desk.admin))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.user_combo.count() == 4, timeout=10_000)
    dialog.start_edit.setTime(QTime(15, 0))
    dialog.end_edit.setTime(QTime(9, 0))
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.error.isVisible, timeout=10_000)
    assert dialog.error.text() and dialog.table.rowCount() == 0
