"""Consultations no longer vanish (issue 12 item 7): 保存咨询 is confirmed; 案件 → 咨询记录 lists them,
filtered by date, who answered and topic; one opens to be corrected; one is turned into a case."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt

from mediation.services import consultations
from mediation.services.consultations import ConsultationInput
from mediation.timeutil import local_today, start_of_local_day
from mediation.ui.consultation_dialog import ConsultationDialog
from mediation.ui.consultations_dialog import ConsultationsDialog
from mediation.ui.intake_dialog import IntakeDialog
from mediation.ui.main_window import MainWindow
from mediation.ui.state import UiState
from tests.ui.case_fixtures import CaseEnv, case_env, pick_category, type_text, wait_ops

__all__ = ["case_env"]


def _rows(dialog: ConsultationsDialog) -> list[str]:
    return [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())]


def _select(dialog: ConsultationsDialog, topic: str) -> None:
    dialog.table.selectRow(_rows(dialog).index(topic))


@pytest.mark.qt_log_ignore(r"^This plugin does not support (propagateSizeHints|raise)")  # offscreen noise
def test_saved_listed_filtered_edited_and_turned_into_a_case(qtbot, case_env: CaseEnv, ui_state: UiState) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(case_env.volunteer, ui_state)
    case_env.keep(window)
    qtbot.waitUntil(lambda: window.model.total is not None, timeout=10_000)

    # 保存咨询: the window closes and the save is confirmed where the volunteer looks next.
    window.consultation_action.trigger()
    dlg = next(w for w in window.findChildren(ConsultationDialog) if w.isVisible())
    wait_ops(qtbot)
    type_text(dlg.person_name.editor, "王小明")
    qtbot.keyClicks(dlg.phone.editor, "13700137000")
    type_text(dlg.topic.editor, "租房押金不退")
    type_text(dlg.answer.editor, "可以先协商，协商不成可申请调解。")
    with qtbot.waitSignal(dlg.consultation_saved, timeout=10_000):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert "咨询已保存" in window.statusBar().currentMessage()

    # Two more: an officer's, a week ago; another of the volunteer's.
    week_ago = start_of_local_day(local_today() - dt.timedelta(days=7)) + dt.timedelta(hours=3)
    with case_env.db.write() as s:
        consultations.log_consultation(s, case_env.desk.officer, ConsultationInput(
            topic="宿舍噪音扰民", answer="先找宿管协调。", asked_at=week_ago, category="邻里"))
        consultations.log_consultation(s, case_env.desk.volunteer, ConsultationInput(
            topic="兼职工资被拖欠", answer="保留聊天记录，可申请劳动仲裁。"))

    window.consultations_action.trigger()
    listing = next(w for w in window.findChildren(ConsultationsDialog) if w.isVisible())
    qtbot.waitUntil(lambda: len(_rows(listing)) == 3, timeout=10_000)
    assert _rows(listing)[-1] == "宿舍噪音扰民"  # newest first

    listing.answerer_combo.setCurrentIndex(listing.answerer_combo.findText("王警官"))
    qtbot.waitUntil(lambda: _rows(listing) == ["宿舍噪音扰民"], timeout=10_000)
    listing.answerer_combo.setCurrentIndex(0)
    qtbot.waitUntil(lambda: len(_rows(listing)) == 3, timeout=10_000)
    type_text(listing.topic_edit, "押金")
    qtbot.mouseClick(listing.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _rows(listing) == ["租房押金不退"], timeout=10_000)
    listing.topic_edit.clear()
    today = QDate(local_today().year, local_today().month, local_today().day)
    listing.set_dates(today.addDays(-8), today.addDays(-6))
    qtbot.waitUntil(lambda: _rows(listing) == ["宿舍噪音扰民"], timeout=10_000)
    listing.date_check.setChecked(False)
    qtbot.waitUntil(lambda: len(_rows(listing)) == 3, timeout=10_000)

    # Open one to correct it: the phone stays masked and is kept as it was.
    _select(listing, "租房押金不退")
    edit = listing.open_selected()
    assert isinstance(edit, ConsultationDialog)
    qtbot.waitUntil(lambda: edit.topic.text() == "租房押金不退", timeout=10_000)
    assert edit.phone.text() == "137****7000" and edit.windowTitle() == "修改法律咨询"
    edit.answer.editor.clear()
    type_text(edit.answer.editor, "押金应当退还：可申请人民调解，或向法院起诉。")
    with qtbot.waitSignal(edit.consultation_saved, timeout=10_000):
        qtbot.mouseClick(edit.ok_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    with case_env.db.read() as s:
        saved = [c for c in consultations.list_consultations(s, case_env.desk.volunteer) if c.topic == "租房押金不退"]
        assert saved[0].answer.startswith("押金应当退还") and saved[0].phone_masked == "137****7000"
        from mediation.models import Consultation

        assert s.get(Consultation, saved[0].id).phone == "13700137000"

    # Turn it into a case: the intake opens pre-filled; saving opens the case.
    _select(listing, "租房押金不退")
    assert listing.convert_button.text() == "转为案件…"
    intake = listing.convert_selected()
    assert isinstance(intake, IntakeDialog)
    case_env.widgets.append(intake)
    qtbot.waitUntil(intake.is_ready, timeout=10_000)
    applicant, respondent = intake.party_editors()
    assert applicant.name.text() == "王小明"
    type_text(respondent.name.editor, "房东甲")
    pick_category(intake, "合同")  # acceptance needs one: registering without asks first
    with qtbot.waitSignal(listing.case_requested, timeout=10_000) as opened:
        qtbot.mouseClick(intake.ok_button, Qt.MouseButton.LeftButton)
    case_id = opened.args[0]
    qtbot.waitUntil(lambda: case_id in window.case_windows(), timeout=10_000)
    qtbot.waitUntil(lambda: listing.table.item(_rows(listing).index("租房押金不退"), 6).text() == "已转（待受理）",
                    timeout=10_000)
    _select(listing, "租房押金不退")
    assert listing.convert_button.text() == "打开案件"
    with qtbot.waitSignal(listing.case_requested, timeout=5_000) as again:
        qtbot.mouseClick(listing.convert_button, Qt.MouseButton.LeftButton)
    assert again.args == [case_id]
    wait_ops(qtbot)
