"""The today panel: my cases, check-in, and a section added by a later feature."""

from __future__ import annotations

from PySide6.QtCore import Qt

from mediation.services import roster
from mediation.timeutil import local_today
from mediation.ui.main_window import MainWindow


def test_today_panel_shows_my_cases_and_check_in(qtbot, window: MainWindow, populated) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: window.today_panel.mine.list.count() > 1, timeout=10_000)
    assert "12" in window.today_panel.mine.title()
    db, pop = populated
    qtbot.mouseClick(window.today_panel.duty.check_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.today_panel.duty.list.count() == 1
                    and window.today_panel.duty.list.item(0).text().startswith("在岗"), timeout=10_000)
    assert "（" in window.today_panel.duty.list.item(0).toolTip()  # the role, in the tooltip
    assert window.today_panel.duty.check_button.text() == "签退"
    with db.read() as s:
        shifts = roster.shifts_on(s, pop.desk.volunteer, local_today())
    assert shifts and shifts[0].present
