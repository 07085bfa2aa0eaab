"""An officer's queue of cases (issue 12 item 13): new cases to accept (or to give a track first),
cases ready to close, terminations to confirm and overdue cases, in the today panel; each opens the
case at the right action. A volunteer, who decides none of these, does not see it."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget
from sqlalchemy import update

from mediation import workflow
from mediation.models import Case
from mediation.services import case_records, cases
from mediation.services.case_records import FollowUpInput
from mediation.services.cases import AgreementInput
from mediation.timeutil import local_today, utcnow
from mediation.ui.action_dialogs import (
    ChooseTrackDialog,
    CloseDialog,
    ConfirmActionDialog,
)
from mediation.ui.context import AppContext
from mediation.ui.main_window import MainWindow
from mediation.ui.state import UiState
from tests.conftest import Desk
from tests.factories import dispute, mediating_case, person
from tests.ui.conftest import wait_ops


def _cases(db, desk: Desk) -> dict[str, int]:  # type: ignore[no-untyped-def]
    ids: dict[str, int] = {}
    with db.write() as s:
        ids["untracked"] = cases.register_case(s, desk.volunteer, dispute(parties=[
            person("applicant", "甲同学", seq=11), person("respondent", "乙房东", seq=12)])).id
        ids["tracked"] = cases.register_case(s, desk.volunteer, dispute(parties=[
            person("applicant", "丙同学", seq=13), person("respondent", "丁房东", seq=14)])).id
        cases.choose_track(s, desk.officer, ids["tracked"], workflow.PEOPLE)
        ids["ended"] = mediating_case(s, desk)
        cases.terminate_case(s, desk.officer, ids["ended"], reason="双方分歧较大")
        ids["done"] = mediating_case(s, desk)
        cases.record_agreement(s, desk.volunteer, ids["done"], AgreementInput(
            kind="oral", terms="当场退还押金。", signed=True))
        cases.enter_performing(s, desk.volunteer, ids["done"])
        case_records.add_follow_up(s, desk.volunteer, ids["done"], FollowUpInput(
            visited_at=utcnow(), result="已退还。", performance_status="performed"))
        ids["late"] = mediating_case(s, desk)
        s.execute(update(Case).where(Case.id == ids["late"]).values(deadline=local_today() - dt.timedelta(days=3)))
    return ids


def _row(lst: QListWidget, case_id: int) -> int:
    return next(i for i in range(lst.count())
                if (lst.item(i).data(Qt.ItemDataRole.UserRole) or [None])[0] == case_id)


def _activate(qtbot, lst: QListWidget, row: int) -> None:  # type: ignore[no-untyped-def]
    lst.scrollToItem(lst.item(row))
    rect = lst.visualItemRect(lst.item(row))
    # A double click as the hand makes it: press and release, then the second press.
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


@pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints|raise)")  # offscreen noise
def test_the_officer_opens_each_waiting_case_at_its_action(qtbot, sqlite_db, desk: Desk, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ids = _cases(sqlite_db, desk)
    window = MainWindow(AppContext(sqlite_db, desk.officer), UiState(tmp_path / "ui.ini"))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    section = window.case_queue
    lst = section.list
    qtbot.waitUntil(lambda: section.isVisible() and lst.count() >= 9, timeout=10_000)
    texts = [lst.item(i).text() for i in range(lst.count())]
    heads = [t for t in texts if not t.startswith("  ")]
    assert heads == ["待受理 2 件", "可结案 1 件", "终止调解待结案 1 件", "已逾期 1 件"], texts
    assert "（5）" in section.title()
    assert texts[_row(lst, ids["untracked"])].endswith("确定调解类型")
    assert texts[_row(lst, ids["tracked"])].endswith("受理")

    expected = {"untracked": ChooseTrackDialog, "tracked": ConfirmActionDialog, "ended": CloseDialog,
                "done": CloseDialog}
    for key, kind in expected.items():
        _activate(qtbot, lst, _row(lst, ids[key]))
        qtbot.waitUntil(lambda k=key: ids[k] in window.case_windows(), timeout=10_000)
        case_window = window.case_windows()[ids[key]]
        qtbot.waitUntil(lambda w=case_window: w.current_dialog is not None and w.current_dialog.isVisible(),
                        timeout=10_000)
        assert isinstance(case_window.current_dialog, kind), (key, case_window.current_dialog)
        case_window.current_dialog.reject()
    _activate(qtbot, lst, _row(lst, ids["late"]))  # overdue: the case itself, its deadline in red
    qtbot.waitUntil(lambda: ids["late"] in window.case_windows(), timeout=10_000)
    late = window.case_windows()[ids["late"]]
    qtbot.waitUntil(lambda: late.deadline_state == "overdue", timeout=10_000)
    assert late.current_dialog is None

    # Accepting from the queue: the case leaves it.
    _activate(qtbot, lst, _row(lst, ids["tracked"]))
    tracked = window.case_windows()[ids["tracked"]]
    qtbot.waitUntil(lambda: isinstance(tracked.current_dialog, ConfirmActionDialog)
                    and tracked.current_dialog.isVisible(), timeout=10_000)
    with qtbot.waitSignal(tracked.detail_loaded, timeout=10_000):
        qtbot.mouseClick(tracked.current_dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "待受理 1 件" in [lst.item(i).text() for i in range(lst.count())], timeout=10_000)
    wait_ops(qtbot)


def test_a_volunteer_has_no_officer_queue(qtbot, sqlite_db, desk: Desk, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _cases(sqlite_db, desk)
    window = MainWindow(AppContext(sqlite_db, desk.volunteer), UiState(tmp_path / "ui.ini"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.today_panel.mine.list.count() > 0, timeout=10_000)
    wait_ops(qtbot)
    assert not window.case_queue.isVisible()
