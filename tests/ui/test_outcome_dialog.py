"""统计事项 from the case window: an officer ticks 防止群体性上访 with its people and records the
judicial confirmation; a wrong date is explained beside its field and nothing is saved."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QPoint, Qt

from mediation.services import supervision
from mediation.ui.case_view import CaseWindow
from mediation.ui.outcome_dialog import OutcomeDialog
from tests.db.test_statistics import agree, at, make_case
from tests.ui.case_fixtures import CaseEnv, case_env, type_text

__all__ = ["case_env"]


def test_officer_records_the_outcome_figures(qtbot, case_env: CaseEnv) -> None:  # type: ignore[no-untyped-def]
    with case_env.db.write() as s:
        case_id = make_case(s, case_env.desk, accepted=at(2026, 10, 8))
        agree(s, case_env.desk, case_id, at(2026, 10, 20))
    win = CaseWindow(case_env.officer, case_id)
    with qtbot.waitSignal(win.detail_loaded, timeout=5000):
        case_env.keep(win)
    button = win.action_buttons["outcome"]
    assert not button.blocked
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dlg = win.current_dialog
    assert isinstance(dlg, OutcomeDialog)
    qtbot.waitUntil(lambda: dlg.loaded, timeout=5000)
    assert not dlg.method.isVisible() and dlg.court.isVisible()  # people's track: no 当场/一般, but 司法确认
    box = dlg.petition.editor
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))  # the tick box
    assert box.isChecked()
    dlg.petition_people.editor.setValue(15)
    dlg.applied_on.editor.setDate(QDate(2026, 10, 25))
    type_text(dlg.court.editor, "某区人民法院")
    dlg.ruling.editor.setCurrentIndex(1)  # 确认有效
    dlg.decided_on.editor.setDate(QDate(2026, 10, 22))  # before the application: refused
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.decided_on.message.isVisible(), timeout=5000)
    assert "不能早于申请日期" in dlg.decided_on.message.text()
    with case_env.db.read() as s:
        assert supervision.get_outcome(s, case_env.desk.officer, case_id).prevented_petition is False
    dlg.decided_on.editor.setDate(QDate(2026, 10, 30))
    with qtbot.waitSignal(win.detail_loaded, timeout=5000):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    with case_env.db.read() as s:
        saved = supervision.get_outcome(s, case_env.desk.officer, case_id)
    assert (saved.prevented_petition, saved.prevented_petition_people, saved.judicial_court,
            saved.judicial_outcome, saved.judicial_applied_on, saved.judicial_decided_on) == (
        True, 15, "某区人民法院", "confirmed", dt.date(2026, 10, 25), dt.date(2026, 10, 30))


def test_party_type_is_chosen_at_intake_and_kept_when_the_case_is_edited(qtbot, case_env: CaseEnv) -> None:  # type: ignore[no-untyped-def]
    from mediation.ui.intake_dialog import IntakeDialog

    case_id = case_env.register()
    dlg = case_env.keep(IntakeDialog(case_env.volunteer, case_id=case_id))
    qtbot.waitUntil(dlg.is_ready, timeout=5000)
    applicant, respondent = dlg.party_editors()
    assert applicant.party_type.isVisibleTo(applicant)  # on the party's form (not hidden with the org fields)
    applicant.party_type.editor.setCurrentIndex(applicant.party_type.editor.findData("own_student"))
    respondent.party_type.editor.setCurrentIndex(respondent.party_type.editor.findData("public"))
    with qtbot.waitSignal(dlg.case_saved, timeout=5000):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert [p.party_type for p in case_env.detail(case_id).parties] == ["own_student", "public"]
    # edited again (only the claims): the types stay
    again = case_env.keep(IntakeDialog(case_env.volunteer, case_id=case_id))
    qtbot.waitUntil(again.is_ready, timeout=5000)
    assert again.party_editors()[0].party_type.value() == "own_student"
    again.claims.editor.setPlainText("请求退还押金。")
    with qtbot.waitSignal(again.case_saved, timeout=5000):
        qtbot.mouseClick(again.ok_button, Qt.MouseButton.LeftButton)
    assert [p.party_type for p in case_env.detail(case_id).parties] == ["own_student", "public"]
