"""Consultations: logged with the quick form, and turned into a case through the intake form."""

from __future__ import annotations

from PySide6.QtCore import Qt

from mediation.services import consultations
from mediation.ui.consultation_dialog import ConsultationDialog
from tests.ui.case_fixtures import CaseEnv, case_env, type_text, wait_ops

__all__ = ["case_env"]


def _fill(qtbot, dlg: ConsultationDialog) -> None:
    type_text(dlg.person_name.editor, "王小明")
    qtbot.keyClicks(dlg.phone.editor, "13700137000")
    type_text(dlg.topic.editor, "网购商品不退款")
    dlg.category.set_value("消费")
    type_text(dlg.question.editor, "网店拒绝七天无理由退货，已付款800元。")
    type_text(dlg.answer.editor, "可先与商家协商，协商不成可向消费者协会投诉。")


def test_consultation_logged(qtbot, case_env: CaseEnv) -> None:
    dlg = case_env.keep(ConsultationDialog(case_env.volunteer))
    wait_ops(qtbot)
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert dlg.isVisible() and dlg.topic.error() and dlg.answer.error()  # both required
    _fill(qtbot, dlg)
    dlg.minutes.set_value(25)
    with qtbot.waitSignal(dlg.consultation_saved, timeout=5000) as saved:
        qtbot.keyClick(dlg, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_ops(qtbot)
    assert not dlg.isVisible()
    with case_env.db.read() as s:
        view = consultations.get_consultation(s, case_env.desk.volunteer, saved.args[0])
    assert (view.person_name, view.topic, view.category, view.minutes) == ("王小明", "网购商品不退款", "消费", 25)


def test_consultation_converted_into_a_case(qtbot, case_env: CaseEnv) -> None:
    dlg = case_env.keep(ConsultationDialog(case_env.volunteer))
    wait_ops(qtbot)
    _fill(qtbot, dlg)
    qtbot.mouseClick(dlg.convert_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dlg.intake is not None and dlg.intake.is_ready(), timeout=5000)
    intake = dlg.intake
    case_env.widgets.append(intake)
    applicant, respondent = intake.party_editors()
    assert (applicant.role_value(), applicant.name.text(), applicant.phone.text()) == (
        "applicant", "王小明", "13700137000")
    assert respondent.role_value() == "respondent"
    assert intake.facts.text() == "网店拒绝七天无理由退货，已付款800元。"
    assert intake.category.value() == "消费" and intake.title_field.text() == "网购商品不退款"
    qtbot.mouseClick(respondent.kind.editor.button("org"), Qt.MouseButton.LeftButton)
    type_text(respondent.name.editor, "某某网店")
    with qtbot.waitSignal(dlg.case_saved, timeout=5000) as saved:
        qtbot.mouseClick(intake.ok_button, Qt.MouseButton.LeftButton)
    case_id = saved.args[0]
    with case_env.db.read() as s:
        view = consultations.list_consultations(s, case_env.desk.volunteer)[0]
    assert view.converted_case_id == case_id
    detail = case_env.detail(case_id)
    assert [p.name for p in detail.parties] == ["王小明", "某某网店"]
