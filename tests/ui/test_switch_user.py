"""Switching user: each person keeps their own view of the case list, gets their half-finished
intake back whenever they log in, and the screen says what is happening (issue 12 items 20, 27, 28)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from mediation import workflow
from mediation.db import Database
from mediation.ui import intake_dialog
from mediation.ui.context import AppContext
from mediation.ui.intake_dialog import IntakeDialog
from mediation.ui.main_window import MainWindow
from mediation.ui.models.case_table_model import COL_DEADLINE, COL_REGISTERED
from mediation.ui.operations import wait_for_all
from mediation.ui.state import UiState
from tests.conftest import Desk
from tests.ui.conftest import process_events, type_text


@pytest.fixture
def window(qtbot: Any, sqlite_db: Database, desk: Desk, ui_state: UiState) -> Iterator[MainWindow]:
    w = MainWindow(AppContext(sqlite_db, desk.volunteer), ui_state)
    qtbot.addWidget(w)
    w.show()
    qtbot.waitUntil(lambda: w.model.total is not None, timeout=10_000)
    yield w
    for dialog in QApplication.topLevelWidgets():
        if isinstance(dialog, IntakeDialog) and dialog.isVisible():
            dialog.mark_clean()
            dialog.hide()
    wait_for_all()
    process_events()


def switch_to(qtbot: Any, window: MainWindow, username: str, password: str = "pass1234") -> None:
    """What a person does: 切换用户, their own name and password, 登录."""
    window.switch_user_action.trigger()
    form = window.lock_screen.switch_form
    form.username_edit.clear()
    qtbot.keyClicks(form.username_edit, username)
    qtbot.keyClicks(form.password_edit, password)
    with qtbot.waitSignal(window.ctx.actor_changed, timeout=10_000):
        qtbot.mouseClick(form.login_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.model.loading, timeout=10_000)
    process_events()


def intakes() -> list[IntakeDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, IntakeDialog) and w.isVisible()]


def test_each_user_gets_their_own_filters_columns_and_sort(qtbot: Any, window: MainWindow,
                                                          ui_state: UiState) -> None:
    bar = window.filter_bar
    bar.stage_combo.setCurrentIndex(bar.stage_combo.findData(workflow.MEDIATING))
    bar.mine_check.setChecked(True)
    window.table.sortByColumn(COL_DEADLINE, Qt.SortOrder.AscendingOrder)
    type_text(bar.search_edit, "张")

    switch_to(qtbot, window, "officer")
    assert bar.stage_combo.currentIndex() == 0 and not bar.mine_check.isChecked()
    assert bar.search_edit.text() == ""  # a party's name typed by the last person is gone too
    hh = window.table.horizontalHeader()
    assert (hh.sortIndicatorSection(), hh.sortIndicatorOrder()) == (COL_REGISTERED, Qt.SortOrder.DescendingOrder)
    assert window.model.query.stages == () and window.model.query.mediator_id is None
    bar.overdue_check.setChecked(True)

    switch_to(qtbot, window, "volunteer")
    assert bar.stage_combo.currentData() == workflow.MEDIATING and bar.mine_check.isChecked()
    assert not bar.overdue_check.isChecked() and bar.search_edit.text() == ""
    assert (hh.sortIndicatorSection(), hh.sortIndicatorOrder()) == (COL_DEADLINE, Qt.SortOrder.AscendingOrder)
    assert window.model.query.stages == (workflow.MEDIATING,) and window.model.query.sort == "deadline"

    window.close()  # and the next start remembers each person's view
    again = MainWindow(AppContext(window.ctx.db, window.ctx.actor), UiState(Path(ui_state.settings.fileName())))
    qtbot.addWidget(again)
    assert again.filter_bar.mine_check.isChecked() and again.model.query.sort == "deadline"


def test_a_half_finished_intake_is_offered_when_its_owner_logs_in_again(qtbot: Any, window: MainWindow) -> None:
    dialog = window.open_intake()
    assert isinstance(dialog, IntakeDialog)
    qtbot.waitUntil(dialog.is_ready, timeout=10_000)
    phone = dialog.party_editors()[0].phone.editor
    assert isinstance(phone, QLineEdit)
    qtbot.keyClicks(phone, "13912345678")

    switch_to(qtbot, window, "officer")  # the volunteer's form is put aside as their draft
    assert intakes() == []
    switch_to(qtbot, window, "volunteer")  # … and comes back when they log in again
    qtbot.waitUntil(lambda: len(intakes()) == 1, timeout=5_000)
    offered = intakes()[0]
    qtbot.waitUntil(offered.is_ready, timeout=10_000)
    assert offered.draft_banner.isVisible() and "草稿" in offered.draft_banner.label.text()
    assert offered.restore_draft()
    assert offered.party_editors()[0].phone.value() == "13912345678"
    offered.close_keeping_draft()
    wait_for_all()
    assert len(list(intake_dialog.drafts_dir("volunteer").glob("*.json"))) == 1


def test_a_draft_is_offered_at_start_but_not_to_another_user(qtbot: Any, sqlite_db: Database, desk: Desk,
                                                             ui_state: UiState) -> None:
    first = MainWindow(AppContext(sqlite_db, desk.volunteer), ui_state)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitUntil(lambda: first.model.total is not None, timeout=10_000)
    dialog = first.open_intake()
    assert isinstance(dialog, IntakeDialog)
    qtbot.waitUntil(dialog.is_ready, timeout=10_000)
    qtbot.keyClicks(dialog.party_editors()[0].phone.editor, "13912345678")
    dialog.close_keeping_draft()  # the program was closed with the form open
    first.close()
    wait_for_all()
    process_events()

    officer = MainWindow(AppContext(sqlite_db, desk.officer), ui_state)
    qtbot.addWidget(officer)
    officer.show()
    qtbot.waitUntil(lambda: officer.model.total is not None, timeout=10_000)
    process_events()
    assert intakes() == []
    officer.close()

    volunteer = MainWindow(AppContext(sqlite_db, desk.volunteer), ui_state)
    qtbot.addWidget(volunteer)
    volunteer.show()
    qtbot.waitUntil(lambda: len(intakes()) == 1, timeout=10_000)
    offered = intakes()[0]
    qtbot.waitUntil(offered.is_ready, timeout=10_000)
    assert offered.draft_banner.isVisible()
    offered.close_keeping_draft()
    volunteer.close()


def test_switching_user_says_so_rather_than_screen_locked(qtbot: Any, window: MainWindow) -> None:
    window.switch_user_action.trigger()
    lock = window.lock_screen
    assert lock.switch_box.isVisible()
    assert lock.title_label.text() == "切换用户"
    assert "锁定" not in lock.reason_label.text()
    window.locker.unlock()
    window.lock_action.trigger()
    assert lock.title_label.text() == "屏幕已锁定" and "手动锁定" in lock.reason_label.text()
    window.locker.unlock()
