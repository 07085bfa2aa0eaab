"""Holiday calendar: a year the bundled calendar does not know is pointed out until checked."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt

from mediation.db import Database
from mediation.ui.context import AppContext
from mediation.ui.holiday_dialog import HolidayDialog
from tests.conftest import Desk


def test_holiday_calendar_warns_for_an_unknown_year(qtbot, sqlite_db: Database, desk: Desk) -> None:
    dialog = HolidayDialog(AppContext(sqlite_db, desk.admin), year=2099)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.warning.isVisible(), timeout=10_000)
    assert "2099" in dialog.warning.text()
    dialog.day_edit.setDate(QDate(2099, 10, 1))
    dialog.name_edit.setText("国庆节")
    qtbot.mouseClick(dialog.set_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10_000)
    assert dialog.table.item(0, 2).text() == "国庆节"
    qtbot.mouseClick(dialog.known_check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.warning.isVisible(), timeout=10_000)
    assert dialog.known_check.isChecked()
