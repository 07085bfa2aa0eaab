"""A swap through the screens (issue 16): a volunteer asks a colleague in 我的值班与工时 →
申请换班, the colleague accepts in theirs, the adviser approves in 值班与工时总览, and the
timetable then shows each name on the other's shift."""

from __future__ import annotations

import datetime as dt

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from mediation.db import Database
from mediation.services.roster import terms
from mediation.timeutil import local_today
from mediation.ui.context import AppContext
from mediation.ui.my_duty_dialog import MyDutyDialog
from mediation.ui.roster_overview_window import RosterOverviewWindow
from mediation.ui.roster_window import RosterWindow
from mediation.ui.swap_dialog import SwapDialog
from tests.conftest import Desk
from tests.roster_fixtures import assign, enrol, slot
from tests.ui.conftest import type_text, wait_ops

TODAY = local_today()
START = TODAY - dt.timedelta(days=TODAY.weekday())  # this week's Monday
NEXT = START + dt.timedelta(days=7)  # next week: every shift still to come
SAT, SUN = 5, 6
MORNING = (9 * 60, 12 * 60)


def _rows(table: QTableWidget) -> list[list[str]]:
    return [[table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def _names_on(window: RosterWindow, weekday: int) -> list[str]:
    cell = window.grid.slot_list(weekday, *MORNING)
    assert cell is not None
    return [cell.item(i).text() for i in range(cell.count())]


def test_a_swap_asked_accepted_and_approved_through_the_screens(qtbot: QtBot, sqlite_db: Database,
                                                                desk: Desk) -> None:
    with sqlite_db.write() as s:
        term_id = terms.create_term(s, desk.admin, terms.TermInput("本学期", START, START + dt.timedelta(days=120),
                                                                   min_students=1, min_officers=0))
    a, b = enrol(sqlite_db, desk.admin, term_id, 2, on=START + dt.timedelta(days=3))
    sat = slot(sqlite_db, desk.admin, term_id, SAT, "09:00", "12:00")
    sun = slot(sqlite_db, desk.admin, term_id, SUN, "09:00", "12:00")
    assign(sqlite_db, desk.admin, sat, a.actor.user_id, week=NEXT, now=TODAY)
    assign(sqlite_db, desk.admin, sun, b.actor.user_id, week=NEXT, now=TODAY)
    a_name, b_name = a.actor.display_name, b.actor.display_name

    # The volunteer asks: 申请换班…, her Saturday for the colleague's Sunday, with a note.
    mine = MyDutyDialog(AppContext(sqlite_db, a.actor))
    qtbot.addWidget(mine)
    mine.show()
    wait_ops(qtbot)
    mine.tabs.setCurrentIndex(1)
    qtbot.mouseClick(mine.ask_button, Qt.MouseButton.LeftButton)
    ask = mine.findChild(SwapDialog)
    assert ask is not None
    wait_ops(qtbot)
    qtbot.waitUntil(lambda: ask.shift_combo.count() == 1 and ask.colleague_combo.count() == 1, timeout=10_000)
    assert ask.colleague_combo.currentText().startswith(b_name)
    ask.colleague_combo.setCurrentIndex(0)
    wait_ops(qtbot)
    qtbot.waitUntil(lambda: ask.theirs_combo.count() == 2, timeout=10_000)  # 不换 + her Sunday
    ask.theirs_combo.setCurrentIndex(1)
    type_text(ask.note_edit, "周六有课")
    qtbot.mouseClick(ask.ok_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    qtbot.waitUntil(lambda: not shiboken6.isValid(ask), timeout=10_000)  # saved: closed (and deleted)
    qtbot.waitUntil(lambda: mine.swaps.rowCount() == 1, timeout=10_000)
    assert _rows(mine.swaps)[0][1:] == [a_name, b_name, "待同学接受"]
    mine.close()

    # The colleague accepts in her own page (only she can).
    theirs = MyDutyDialog(AppContext(sqlite_db, b.actor))
    qtbot.addWidget(theirs)
    theirs.show()
    wait_ops(qtbot)
    theirs.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: theirs.swaps.rowCount() == 1, timeout=10_000)
    theirs.swaps.selectRow(0)
    assert theirs.accept_button.isEnabled() and not theirs.cancel_button.isEnabled()
    qtbot.mouseClick(theirs.accept_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    qtbot.waitUntil(lambda: _rows(theirs.swaps) and _rows(theirs.swaps)[0][3] == "待老师批准", timeout=10_000)
    theirs.close()

    # The adviser has the timetable open (next week): not swapped yet, it waits for her.
    ctx = AppContext(sqlite_db, desk.adviser)
    timetable_window = RosterWindow(ctx)
    qtbot.addWidget(timetable_window)
    timetable_window.show()
    wait_ops(qtbot)
    timetable_window.tabs.setCurrentIndex(1)
    timetable_window.week_edit.setDate(timetable_window.week_edit.date().addDays(7))
    wait_ops(qtbot)
    qtbot.waitUntil(lambda: timetable_window.grid.slot_list(SAT, *MORNING) is not None, timeout=10_000)
    assert _names_on(timetable_window, SAT) == [a_name] and _names_on(timetable_window, SUN) == [b_name]

    # She approves in the overview's 待审核 tab.
    adviser = RosterOverviewWindow(ctx)
    qtbot.addWidget(adviser)
    adviser.show()
    wait_ops(qtbot)
    adviser.tabs.setCurrentIndex(2)
    qtbot.waitUntil(lambda: adviser.swaps.rowCount() == 1, timeout=10_000)
    assert _rows(adviser.swaps)[0][1:] == [a_name, b_name, "周六有课"]
    adviser.swaps.selectRow(0)
    assert adviser.approve_swap.isVisible()
    qtbot.mouseClick(adviser.approve_swap, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    qtbot.waitUntil(lambda: adviser.swaps.rowCount() == 0, timeout=10_000)
    adviser.close()

    # The timetable (refreshed by the approval) shows each name on the other's shift; the
    # requester's page says 已换班.
    qtbot.waitUntil(lambda: _names_on(timetable_window, SAT) == [b_name], timeout=10_000)
    assert _names_on(timetable_window, SUN) == [a_name]
    assert timetable_window.week == NEXT
    timetable_window.close()
    again = MyDutyDialog(AppContext(sqlite_db, a.actor))
    qtbot.addWidget(again)
    again.show()
    wait_ops(qtbot)
    qtbot.waitUntil(lambda: again.swaps.rowCount() == 1, timeout=10_000)
    assert _rows(again.swaps)[0][3] == "已换班"
    again.close()
