"""A deadline in a year whose holidays are not entered is pointed out (issue 12 item 17): beside the
deadline in the case window, and in the administrator's holiday calendar, until the year is entered."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from sqlalchemy import update

from mediation.models import Case
from mediation.ui.case_view import CaseWindow
from mediation.ui.context import AppContext
from mediation.ui.holiday_dialog import HolidayDialog
from tests.factories import mediating_case
from tests.ui.case_fixtures import CaseEnv, case_env, wait_ops

__all__ = ["case_env"]

FAR = 2099
"""A year no bundled calendar knows (in 2026 the first unknown one was 2027)."""


def test_deadline_in_an_unknown_year_is_flagged_until_the_year_is_entered(qtbot, case_env: CaseEnv) -> None:  # type: ignore[no-untyped-def]
    with case_env.db.write() as s:
        case_id = mediating_case(s, case_env.desk)
        s.execute(update(Case).where(Case.id == case_id).values(deadline=dt.date(FAR, 1, 15)))
    win = CaseWindow(case_env.volunteer, case_id)
    with qtbot.waitSignal(win.detail_loaded, timeout=10_000):
        case_env.keep(win)
    assert win.calendar_warning.isVisible()
    assert f"{FAR} 年的节假日" in win.calendar_warning.text() and "节假日与调休" in win.calendar_warning.text()

    admin = HolidayDialog(AppContext(case_env.db, case_env.desk.admin))
    case_env.keep(admin)
    qtbot.waitUntil(admin.deadline_warning.isVisible, timeout=10_000)
    assert f"有 1 件在办案件的期限落在 {FAR} 年" in admin.deadline_warning.text()
    admin.year_spin.setValue(FAR)
    qtbot.waitUntil(lambda: admin.warning.isVisible() and str(FAR) in admin.warning.text(), timeout=10_000)
    qtbot.mouseClick(admin.known_check, Qt.MouseButton.LeftButton)  # the year is entered and checked
    qtbot.waitUntil(lambda: not admin.deadline_warning.isVisible() and not admin.warning.isVisible(), timeout=10_000)

    with qtbot.waitSignal(win.detail_loaded, timeout=10_000):
        qtbot.mouseClick(win.refresh_button, Qt.MouseButton.LeftButton)
    assert not win.calendar_warning.isVisible()
    wait_ops(qtbot)
