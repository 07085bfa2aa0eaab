"""What every window gets from the application's event filter (issue 12 items 5, 8, 22, 23)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QHelpEvent, QWheelEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QPushButton,
    QSpinBox,
    QToolTip,
    QWidget,
)

from mediation.timeutil import local_today
from mediation.ui.case_view import CaseWindow
from mediation.ui.context import AppContext
from mediation.ui.intake_dialog import IntakeDialog
from mediation.ui.main_window import MainWindow
from mediation.ui.widgets import DateEdit, qdate
from tests.ui.case_fixtures import CaseEnv, case_env, wait_ops
from tests.ui.conftest import process_events

__all__ = ["case_env"]


def turn_wheel(widget: QWidget, clicks: int = -1) -> None:
    """One notch of the mouse wheel over the middle of ``widget`` (negative: towards the user)."""
    local = QPointF(widget.rect().center())
    event = QWheelEvent(local, QPointF(widget.mapToGlobal(local.toPoint())), QPoint(0, 0), QPoint(0, 120 * clicks),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


# ---------------------------------------------------------------- item 8: the wheel


def test_scrolling_the_intake_form_over_a_field_scrolls_and_changes_nothing(qtbot: Any, case_env: CaseEnv) -> None:
    dlg = case_env.keep(IntakeDialog(case_env.volunteer))
    dlg.resize(900, 500)  # short enough to scroll
    qtbot.waitUntil(dlg.is_ready, timeout=5000)
    applicant = dlg.party_editors()[0]
    sex, birth = applicant.sex.editor, applicant.birth_date.editor
    assert isinstance(sex, QComboBox) and isinstance(birth, DateEdit)
    dlg.facts.editor.setFocus()
    process_events()
    bar = dlg._scroll.verticalScrollBar()
    assert bar.maximum() > 0
    for field in (sex, birth):
        before, scrolled = (field.currentIndex() if isinstance(field, QComboBox) else field.date()), bar.value()
        turn_wheel(field)
        assert (field.currentIndex() if isinstance(field, QComboBox) else field.date()) == before
        assert bar.value() > scrolled  # the form moved instead
        bar.setValue(0)
    assert applicant.sex.value() == "" and applicant.birth_date.value() is None
    # Once chosen by click or Tab, the wheel works on the field as usual.
    assert sex.focusPolicy() == Qt.FocusPolicy.StrongFocus
    sex.setFocus()
    turn_wheel(sex)
    assert sex.currentIndex() == 1


def test_every_form_editor_ignores_the_wheel_unless_focused(qtbot: Any) -> None:
    """Plain Qt editors in any window, not only the shared form classes."""
    form = QWidget()
    qtbot.addWidget(form)
    combo, spin, date = QComboBox(form), QSpinBox(form), QDateEdit(form)
    combo.addItems(["一", "二", "三"])
    spin.setValue(5)
    date.setDate(qdate(dt.date(2026, 12, 6)))
    lay = QHBoxLayout(form)
    for w in (combo, spin, date):
        lay.addWidget(w)
    form.show()
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    for w in (combo, spin, date):
        assert w.focusPolicy() == Qt.FocusPolicy.StrongFocus
        turn_wheel(w, 1)
    assert (combo.currentIndex(), spin.value(), date.date()) == (0, 5, qdate(dt.date(2026, 12, 6)))
    spin.setFocus()
    turn_wheel(spin, 1)
    assert spin.value() == 6


# ---------------------------------------------------------------- item 5: application-wide shortcuts


def open_case_window(qtbot: Any, env: CaseEnv) -> tuple[MainWindow, CaseWindow]:
    case_id = env.register()
    main = MainWindow(AppContext(env.db, env.desk.officer))
    qtbot.addWidget(main)
    main.show()
    main.open_case(case_id)
    window = main.case_windows()[case_id]
    assert isinstance(window, CaseWindow)
    qtbot.waitUntil(lambda: window.detail is not None, timeout=5000)
    window.activateWindow()
    return main, window


def test_ctrl_l_locks_from_the_case_window_and_from_a_dialog_over_it(qtbot: Any, case_env: CaseEnv) -> None:
    main, window = open_case_window(qtbot, case_env)
    qtbot.keyClick(window.tabs, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert main.locked and not window.isVisible()
    main.locker.unlock()
    assert window.isVisible()
    dialog = window.open_action("choose_track")  # window-modal over the case window
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClick(dialog, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert main.locked and not dialog.isVisible()
    main.locker.unlock()
    dialog.hide()


def test_ctrl_n_from_the_case_window_opens_a_new_intake_and_nothing_fires_while_locked(
        qtbot: Any, case_env: CaseEnv) -> None:
    main, window = open_case_window(qtbot, case_env)
    qtbot.keyClick(window.tabs, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    intakes = [w for w in QApplication.topLevelWidgets() if isinstance(w, IntakeDialog) and w.isVisible()]
    assert len(intakes) == 1
    qtbot.waitUntil(intakes[0].is_ready, timeout=5000)
    intakes[0].close_keeping_draft()
    wait_ops(qtbot)
    main.lock()
    qtbot.keyClick(main.lock_screen.password_edit, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert not any(isinstance(w, IntakeDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
    main.locker.unlock()


# ---------------------------------------------------------------- item 22: tooltips


def test_a_buttons_tooltip_covers_no_button_of_its_row_and_lets_clicks_through(qtbot: Any) -> None:
    row = QWidget()
    qtbot.addWidget(row)
    lay = QHBoxLayout(row)
    blocked, nxt = QPushButton("受理"), QPushButton("不予受理")
    blocked.setToolTip("还缺少：调解类型。受理由督导民警办理，请联系值班的督导民警。")
    lay.addWidget(blocked)
    lay.addWidget(nxt)
    lay.addStretch(1)
    row.move(200, 300)
    row.show()
    qtbot.waitExposed(row)
    hover = QPoint(blocked.width() - 3, blocked.height() - 3)  # the pointer near the next button
    QApplication.sendEvent(blocked, QHelpEvent(QHelpEvent.Type.ToolTip, hover, blocked.mapToGlobal(hover)))
    tip = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "qtooltip_label" and w.isVisible())
    placed = tip.frameGeometry()
    for button in (blocked, nxt):
        assert not placed.intersects(QRect(button.mapToGlobal(QPoint(0, 0)), button.size()))
    handle = tip.windowHandle()
    assert handle is not None and handle.flags() & Qt.WindowType.WindowTransparentForInput
    QToolTip.hideText()


# ---------------------------------------------------------------- item 23: date pickers


def open_calendar(qtbot: Any, edit: QDateEdit) -> None:
    """Click the date edit's arrow, as a person opens its calendar."""
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton, pos=QPoint(edit.width() - 8, edit.height() // 2))


def test_an_empty_date_picker_opens_on_the_desks_today(qtbot: Any) -> None:
    today = qdate(local_today())
    form = QWidget()
    qtbot.addWidget(form)
    empty = DateEdit(form, optional=True)  # e.g. 履行期限, a document's date
    at_minimum = QDateEdit(form)  # a plain date edit that starts at its minimum
    at_minimum.setCalendarPopup(True)
    at_minimum.setMinimumDate(qdate(dt.date(2020, 1, 31)))
    at_minimum.setDate(at_minimum.minimumDate())
    lay = QHBoxLayout(form)
    lay.addWidget(empty)
    lay.addWidget(at_minimum)
    form.show()
    for edit in (empty, at_minimum):
        open_calendar(qtbot, edit)
        calendar = edit.calendarWidget()
        qtbot.waitUntil(calendar.isVisible)
        assert calendar.selectedDate() == today
        assert (calendar.yearShown(), calendar.monthShown()) == (today.year(), today.month())
        qtbot.keyClick(calendar, Qt.Key.Key_Escape)  # nothing picked: still empty
        qtbot.waitUntil(lambda c=calendar: not c.isVisible())
    assert empty.value() is None and at_minimum.date() == at_minimum.minimumDate()
    birth = DateEdit(form, optional=True, page_hint=dt.date(2004, 1, 1))  # students' birth dates
    lay.addWidget(birth)
    birth.show()
    open_calendar(qtbot, birth)
    qtbot.waitUntil(birth.calendarWidget().isVisible)
    assert birth.calendarWidget().selectedDate() == qdate(dt.date(2004, 1, 1))
    qtbot.keyClick(birth.calendarWidget(), Qt.Key.Key_Escape)


def test_after_ctrl_l_in_a_dialog_unlocking_brings_the_dialog_back_on_top_and_active(
        qtbot: Any, case_env: CaseEnv) -> None:
    """Locked from a dialog over the case window, the user comes back to the dialog, not to a case
    window that the dialog blocks (keys went nowhere, Esc did nothing)."""
    main, window = open_case_window(qtbot, case_env)
    dialog = window.open_action("choose_track")
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    qtbot.keyClick(dialog, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert main.locked
    window.activateWindow()  # meanwhile something else was active (the lock screen's window)
    main.locker.unlock()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    assert dialog.isVisible() and window.isVisible()
    dialog.hide()
