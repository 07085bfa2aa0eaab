"""A day at the desk, by hand: the volunteer logs in with the password from the sheet and is
checked in to the shift on now, signs off with a handover (签退与交接班); the next volunteer
sees it on the today panel and acknowledges it; the adviser sees the hours. Logging out while
on duty asks for the handover; the idle lock does not."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from mediation.db import Database
from mediation.services import roster
from mediation.services.roster import terms, timetable
from mediation.timeutil import local_now, local_today
from mediation.ui.context import AppContext
from mediation.ui.handover_dialog import HandoverDialog
from mediation.ui.handover_section import HandoverSection
from mediation.ui.login_dialog import LoginDialog
from mediation.ui.main_window import MainWindow
from mediation.ui.roster_overview_window import RosterOverviewWindow
from mediation.ui.state import UiState
from tests.conftest import Desk
from tests.roster_fixtures import Student, desk_time, enrol, slot
from tests.ui.conftest import type_text, wait_ops

TODAY = local_today()
MONDAY = TODAY - dt.timedelta(days=TODAY.weekday())


def _on_duty_now(db: Database, desk: Desk) -> tuple[int, list[Student], int]:
    """A term with two students; the first is on a shift that is on now (this hour to three hours
    on, within today), and kept a three-hour shift last week."""
    with db.write() as s:
        term_id = terms.create_term(s, desk.admin, terms.TermInput("本学期", MONDAY - dt.timedelta(days=14),
                                                                   MONDAY + dt.timedelta(days=120)))
    students = enrol(db, desk.admin, term_id, 2, on=MONDAY - dt.timedelta(days=10))
    now = local_now()
    start = max(0, now.hour * 60 - 30)
    end = min(24 * 60, start + 180)
    today_slot = slot(db, desk.admin, term_id, TODAY.weekday(), f"{start // 60:02d}:{start % 60:02d}",
                      f"{end // 60:02d}:{end % 60:02d}")
    with desk_time(MONDAY - dt.timedelta(days=8), 8), db.write() as s:
        shift = timetable.assign(s, desk.admin, today_slot, TODAY, students[0].actor.user_id)
        earlier = timetable.add_slot(s, desk.admin, term_id, timetable.SlotInput(0, 9 * 60, 12 * 60))
        last_week = timetable.assign(s, desk.admin, earlier, MONDAY - dt.timedelta(days=7), students[0].actor.user_id)
    with desk_time(MONDAY - dt.timedelta(days=7), 9), db.write() as s:
        roster.check_in(s, students[0].actor, last_week)
    with desk_time(MONDAY - dt.timedelta(days=7), 12), db.write() as s:
        roster.check_out(s, students[0].actor, last_week)
    return term_id, students, shift


def test_a_shift_checked_in_at_login_signed_off_with_a_handover_acknowledged_and_counted(
        qtbot: QtBot, sqlite_db: Database, desk: Desk, tmp_path: Path) -> None:
    _term_id, (a, b), shift = _on_duty_now(sqlite_db, desk)
    # The volunteer logs in with the one-time password from the sheet.
    login = LoginDialog(sqlite_db, username=a.username)
    qtbot.addWidget(login)
    login.show()
    qtbot.keyClicks(login.form.password_edit, a.password)
    qtbot.mouseClick(login.login_button, Qt.MouseButton.LeftButton)
    # The password from the sheet is a one-time one: the first login chooses her own.
    qtbot.waitUntil(lambda: login.form.change_password_dialog is not None
                    and login.form.change_password_dialog.isVisible(), timeout=10_000)
    change = login.form.change_password_dialog
    assert login.actor is None
    qtbot.keyClicks(change.new_password, "Mine-Own-Choice-2026")
    qtbot.keyClicks(change.confirm_password, "Mine-Own-Choice-2026")
    with qtbot.waitSignal(login.accepted, timeout=10_000):
        qtbot.mouseClick(change.ok_button, Qt.MouseButton.LeftButton)
    assert login.actor is not None and login.actor.user_id == a.actor.user_id
    # The main window opens: checked in to the shift on now, without a click.
    window = MainWindow(AppContext(sqlite_db, login.actor), UiState(tmp_path / "a.ini"))
    qtbot.addWidget(window)
    window.show()
    duty = window.today_panel.duty
    qtbot.waitUntil(lambda: duty.on_duty_shift == shift, timeout=10_000)
    assert a.actor.display_name in duty.now_label.text() and duty.check_button.text() == "签退"
    # The idle lock covers the screen and changes nothing of the shift.
    window.lock(idle=True)
    assert window.locked
    window.locker.unlock()
    with sqlite_db.read() as s:
        assert [v.id for v in roster.shifts_on(s, a.actor, TODAY) if v.present] == [shift]
    # 签退: the handover, filled in, with the volunteer's note.
    qtbot.mouseClick(duty.check_button, Qt.MouseButton.LeftButton)
    dialog = window.findChild(HandoverDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(dialog.sign_off_button.isEnabled, timeout=10_000)
    assert "本班次" in dialog.shift_label.text()
    type_text(dialog.note_edit, "下午三点张同学来取押金收据，已答应代为转交。")
    qtbot.mouseClick(dialog.sign_off_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    qtbot.waitUntil(lambda: duty.on_duty_shift is None and duty.check_button.text() != "签退", timeout=10_000)
    assert dialog.outcome == "signed_off"
    # The next volunteer sees it in the today panel and acknowledges it.
    nxt = MainWindow(AppContext(sqlite_db, b.actor), UiState(tmp_path / "b.ini"))
    qtbot.addWidget(nxt)
    nxt.show()
    section = next(s for s in nxt.today_panel.sections if isinstance(s, HandoverSection))
    qtbot.waitUntil(lambda: section.isVisible() and section.list.count() == 1, timeout=10_000)
    assert a.actor.display_name in section.list.item(0).text()
    assert "张同学来取押金收据" in section.detail.text()
    qtbot.mouseClick(section.ack_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    qtbot.waitUntil(lambda: not section.isVisible(), timeout=10_000)
    # The adviser sees the hours: last week's three hours, and today's shift kept.
    overview = RosterOverviewWindow(AppContext(sqlite_db, desk.adviser))
    qtbot.addWidget(overview)
    overview.show()
    qtbot.waitUntil(lambda: overview.students.rowCount() == 2, timeout=10_000)
    row = next(r for r in range(2) if overview.students.item(r, 1).text() == a.actor.display_name)
    cols = [overview.students.horizontalHeaderItem(c).text() for c in range(overview.students.columnCount())]
    cell = {name: overview.students.item(row, c).text() for c, name in enumerate(cols)}
    assert cell["已值班"] == "2" and float(cell["值班（小时）"]) >= 3.0 and cell["培训（小时）"] == "8.0"
    assert overview.handovers.rowCount() == 0  # acknowledged: nothing left for the adviser to chase
    for w in (window, nxt):
        w.close()


def test_logging_out_on_duty_asks_for_the_handover_first(qtbot: QtBot, sqlite_db: Database, desk: Desk,
                                                          tmp_path: Path) -> None:
    _term_id, (a, _b), shift = _on_duty_now(sqlite_db, desk)
    window = MainWindow(AppContext(sqlite_db, a.actor), UiState(tmp_path / "a.ini"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.today_panel.duty.on_duty_shift == shift, timeout=10_000)
    assert not window.close()  # not yet: the handover comes first
    dialog = window.findChild(HandoverDialog)
    assert dialog is not None and dialog.logout and dialog.stay_button.isVisible()
    qtbot.waitUntil(dialog.sign_off_button.isEnabled, timeout=10_000)
    # Leaving the shift open: the window closes, the shift stays checked in (closed at its end, marked).
    with qtbot.waitSignal(dialog.finished_with, timeout=10_000):
        qtbot.mouseClick(dialog.stay_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    with sqlite_db.read() as s:
        assert [v.id for v in roster.shifts_on(s, a.actor, TODAY) if v.present] == [shift]
