"""Intake form: register a dispute, validation beside fields, existing parties, drafts, conflicts."""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import Qt
from sqlalchemy import func, select

from mediation.models import Case, Party
from mediation.ui import intake_dialog
from mediation.ui.case_view import CaseWindow
from mediation.ui.intake_dialog import IntakeDialog
from tests.factories import make_id
from tests.ui.case_fixtures import (
    CaseEnv,
    answering,
    button_with_text,
    case_env,
    drafts_of,
    pick_category,
    type_text,
    wait_ops,
)

__all__ = ["case_env"]

GOOD_ID_1 = make_id(dt.date(2003, 5, 17), 111)
GOOD_ID_2 = make_id(dt.date(2004, 2, 29), 222)
BAD_ID = GOOD_ID_2[:-1] + ("1" if GOOD_ID_2[-1] != "1" else "2")  # wrong check character


def _open(qtbot, env: CaseEnv, ctx, **kw) -> IntakeDialog:
    dlg = env.keep(IntakeDialog(ctx, **kw))
    qtbot.waitUntil(dlg.is_ready, timeout=5000)
    return dlg


def _case_count(env: CaseEnv) -> int:
    with env.db.read() as s:
        return s.scalar(select(func.count()).select_from(Case)) or 0


def test_register_two_parties_bad_id_blocks_then_saves(qtbot, case_env: CaseEnv) -> None:
    dlg = _open(qtbot, case_env, case_env.volunteer)
    applicant, respondent = dlg.party_editors()
    assert (applicant.role_value(), respondent.role_value()) == ("applicant", "respondent")
    assert applicant.ethnicity.text() == "汉族"

    type_text(applicant.name.editor, "张三")
    qtbot.keyClicks(applicant.id_number.editor, GOOD_ID_1)
    assert applicant.birth_date.value() == dt.date(2003, 5, 17)  # filled from the ID
    assert applicant.sex.value() == "男"
    qtbot.keyClicks(applicant.phone.editor, "13800138000")
    type_text(respondent.name.editor, "李四")
    qtbot.keyClicks(respondent.id_number.editor, BAD_ID)
    # As you type: after a short pause the message appears beside the field.
    qtbot.waitUntil(lambda: respondent.id_number.has_error, timeout=3000)
    assert "校验位" in respondent.id_number.error()
    type_text(dlg.facts.editor, "申请人租住被申请人房屋，退租后押金2500元未退还。")
    type_text(dlg.claims.editor, "请求退还押金2500元。")
    qtbot.keyClicks(dlg.amount.editor, "2500")
    assert "贰仟伍佰元整" in dlg.amount.hint.text()
    category = dlg.category.editor
    category.setCurrentIndex(category.findData("合同"))  # as picked from the list
    assert dlg.subcategory.editor.findText("租房") >= 0  # the sub-types follow the category
    dlg.subcategory.set_value("租房")

    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert "校验位" in respondent.id_number.error()  # the service's message, on the same field
    assert dlg.banner.isVisible() and dlg.isVisible()
    assert "当事人2的证件号码" in dlg.banner.label.text()  # the banner names where to look
    assert _case_count(case_env) == 0

    respondent.id_number.editor.clear()
    qtbot.keyClicks(respondent.id_number.editor, GOOD_ID_2)
    assert not respondent.id_number.has_error  # cleared as soon as it is right
    assert respondent.sex.value() == "女"
    with qtbot.waitSignal(dlg.case_saved, timeout=5000) as saved:
        qtbot.keyClick(dlg, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Ctrl+S
    case_id = saved.args[0]
    assert not dlg.isVisible()
    assert drafts_of(case_env, "volunteer") == []

    detail = case_env.detail(case_id)
    assert [(p.role, p.name) for p in detail.parties] == [("applicant", "张三"), ("respondent", "李四")]
    assert detail.parties[1].birth_date == dt.date(2004, 2, 29)
    assert (detail.category, detail.subcategory, detail.source) == ("合同", "租房", "当事人申请")
    assert str(detail.amount) == "2500.00"

    # After saving, ID numbers are shown masked.
    win = CaseWindow(case_env.volunteer, case_id)
    with qtbot.waitSignal(win.detail_loaded, timeout=5000):
        case_env.keep(win)
    shown = win.parties_table.item(0, 5).text()
    assert shown.startswith(GOOD_ID_1[:3]) and "*" in shown and GOOD_ID_1 not in shown
    assert not win.reveal_button.isVisibleTo(win)  # volunteers cannot reveal


def test_tab_order_follows_the_form(qtbot, case_env: CaseEnv) -> None:
    dlg = _open(qtbot, case_env, case_env.volunteer)
    first, second = dlg.party_editors()
    assert first.name.editor.nextInFocusChain() is first.sex.editor
    added = dlg.add_party()
    assert added.role_value() == "third"
    assert second.remove_button.nextInFocusChain() is added.focus_widgets()[0]
    assert added.remove_button.nextInFocusChain() is dlg.add_party_button
    assert dlg.add_party_button.nextInFocusChain() is dlg.facts.editor
    assert dlg.remove_party(added, ask=False)
    assert second.remove_button.nextInFocusChain() is dlg.add_party_button


def test_agent_represents_a_party_and_org_fields(qtbot, case_env: CaseEnv) -> None:
    dlg = _open(qtbot, case_env, case_env.volunteer)
    applicant, respondent = dlg.party_editors()
    type_text(applicant.name.editor, "张三")
    qtbot.mouseClick(respondent.kind.editor.button("org"), Qt.MouseButton.LeftButton)
    type_text(respondent.name.editor, "某某房产中介有限公司")
    type_text(respondent.legal_representative.editor, "王五")
    assert not respondent.sex.isVisibleTo(respondent) and respondent.legal_representative.isVisibleTo(respondent)
    agent = dlg.add_party("agent")
    assert agent.represents.isVisibleTo(agent)
    type_text(agent.name.editor, "赵律师")
    combo = agent.represents.editor
    assert combo.count() == 3  # (请选择), 张三, the company
    type_text(dlg.facts.editor, "押金纠纷。")
    pick_category(dlg, "合同")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert "代表" in agent.represents.error()  # the service's message, beside the field
    combo.setCurrentIndex(1)
    with qtbot.waitSignal(dlg.case_saved, timeout=5000) as saved:
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    detail = case_env.detail(saved.args[0])
    agent_view = detail.parties[2]
    assert agent_view.represents_link_id == detail.parties[0].link_id
    assert detail.parties[1].kind == "org" and detail.parties[1].legal_representative == "王五"


def test_existing_party_is_offered_instead_of_a_duplicate(qtbot, case_env: CaseEnv) -> None:
    case_env.register()  # 张三 (ID seq 111, phone 13800138000) and 李四
    with case_env.db.read() as s:
        parties_before = s.scalar(select(func.count()).select_from(Party))
    dlg = _open(qtbot, case_env, case_env.volunteer)
    applicant, respondent = dlg.party_editors()
    qtbot.keyClicks(applicant.id_number.editor, GOOD_ID_1)
    applicant.lookup_now()
    qtbot.waitUntil(lambda: applicant.match_banner.isVisible(), timeout=5000)
    assert "此人已有 1 件案件" in applicant.match_banner.label.text()
    qtbot.mouseClick(button_with_text(applicant, "使用已登记信息"), Qt.MouseButton.LeftButton)
    assert applicant.existing_party_id is not None and applicant.name.text() == "张三"
    type_text(respondent.name.editor, "王五")
    type_text(dlg.facts.editor, "又发生纠纷。")
    pick_category(dlg, "合同")
    # The stored phone is shown masked, the box left empty: saving keeps it.
    assert "留空不变" in applicant.phone.editor.placeholderText()
    assert applicant.phone.text() == ""
    with qtbot.waitSignal(dlg.case_saved, timeout=5000) as saved:
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    with case_env.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Party)) == parties_before + 1  # only 王五 is new
        stored = s.get(Party, applicant.existing_party_id)
        assert (stored.phone, stored.id_number, stored.address) == ("13800138000", GOOD_ID_1, "某市某区学府路1号")
    # Found by the stored phone on the new case too.
    assert "13800138000" in case_env.detail(saved.args[0]).parties[0].phone


def test_draft_survives_closing_and_is_offered_back(qtbot, case_env: CaseEnv, monkeypatch) -> None:
    monkeypatch.setattr(intake_dialog, "AUTOSAVE_MS", 100)
    dlg = _open(qtbot, case_env, case_env.volunteer)
    applicant, _respondent = dlg.party_editors()
    type_text(applicant.name.editor, "张三")
    type_text(dlg.facts.editor, "未写完的纠纷事实")
    assert dlg.has_unsaved_changes()
    qtbot.waitUntil(lambda: dlg.draft_path.exists(), timeout=3000)  # autosaved
    saved = json.loads(dlg.draft_path.read_text(encoding="utf-8"))
    assert saved["state"]["facts"] == "未写完的纠纷事实"
    assert (dlg.draft_path.stat().st_mode & 0o077) == 0  # personal data: owner only

    with answering("保留草稿，稍后继续") as asked:
        qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert asked and not dlg.isVisible()
    assert len(drafts_of(case_env, "volunteer")) == 1

    # Another user is not offered this user's draft.
    other = _open(qtbot, case_env, case_env.officer)
    assert not other.draft_banner.isVisible()
    other.close_keeping_draft()

    again = _open(qtbot, case_env, case_env.volunteer)
    assert again.draft_banner.isVisible()
    assert "发现未保存的草稿，是否恢复？" in again.draft_banner.label.text()
    qtbot.mouseClick(button_with_text(again, "恢复草稿"), Qt.MouseButton.LeftButton)
    assert again.party_editors()[0].name.text() == "张三"
    assert again.facts.text() == "未写完的纠纷事实"

    # A crash: the process dies with the dialog open; a fresh process finds the autosaved draft.
    type_text(again.claims.editor, "请求赔偿")
    qtbot.waitUntil(lambda: "请求赔偿" in again.draft_path.read_text(encoding="utf-8"), timeout=3000)
    again.hide()
    intake_dialog._live_drafts.clear()  # what a new process starts with
    third = _open(qtbot, case_env, case_env.volunteer)
    assert third.draft_banner.isVisible()
    third.restore_draft()
    assert third.claims.text() == "请求赔偿"

    # Discarding on purpose deletes it.
    with answering("放弃输入"):
        third.reject()
    assert not third.isVisible()
    assert drafts_of(case_env, "volunteer") == []


def test_conflict_between_two_sessions_keeps_typed_text(qtbot, case_env: CaseEnv) -> None:
    case_id = case_env.register()
    first = _open(qtbot, case_env, case_env.volunteer, case_id=case_id)
    second = _open(qtbot, case_env, case_env.officer, case_id=case_id)
    assert second.facts.text().startswith("申请人于2026年9月")

    first.facts.editor.setPlainText("第一位值班学生修改的事实。")
    first.title_field.editor.setText("押金纠纷")
    first.activateWindow()  # Ctrl+S acts on the active window
    qtbot.waitUntil(first.isActiveWindow, timeout=2000)
    with qtbot.waitSignal(first.case_saved, timeout=5000):
        qtbot.keyClick(first, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    second.activateWindow()
    qtbot.waitUntil(second.isActiveWindow, timeout=2000)
    type_text(second.facts.editor, "（督导民警补充）")
    second.claims.editor.setPlainText("请求退还押金并赔偿损失。")
    qtbot.keyClick(second, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_ops(qtbot)
    assert second.isVisible()
    assert "其他人修改" in second.banner.label.text()
    assert "（督导民警补充）" in second.facts.text()  # nothing typed was lost
    qtbot.mouseClick(button_with_text(second, "载入最新版本（保留我的输入）"), Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert second.facts.has_conflict  # both changed the facts: theirs shown beside mine
    theirs = second.facts.findChild(type(second.banner.label), "theirs")
    assert theirs is not None and theirs.text() == "第一位值班学生修改的事实。"
    assert "（督导民警补充）" in second.facts.text()
    assert second.claims.text() == "请求退还押金并赔偿损失。"
    assert second.title_field.text() == "押金纠纷"  # only they changed it: taken over
    with qtbot.waitSignal(second.case_saved, timeout=5000):
        qtbot.keyClick(second, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    d = case_env.detail(case_id)
    assert "（督导民警补充）" in d.facts and d.claims == "请求退还押金并赔偿损失。" and d.title == "押金纠纷"


def test_edit_draft_is_offered_when_editing_the_same_case_again(qtbot, case_env: CaseEnv) -> None:
    case_id = case_env.register()
    dlg = _open(qtbot, case_env, case_env.volunteer, case_id=case_id)
    assert not dlg.draft_banner.isVisible()
    dlg.claims.editor.setPlainText("请求退还押金并赔礼道歉。")
    dlg.close_keeping_draft()  # e.g. the screen locked and another user logged in
    assert [p.name for p in drafts_of(case_env, "volunteer")] == [f"case-{case_id}.json"]
    new = _open(qtbot, case_env, case_env.volunteer)
    assert not new.draft_banner.isVisible()  # an edit draft belongs to its case
    new.close_keeping_draft()
    again = _open(qtbot, case_env, case_env.volunteer, case_id=case_id)
    assert again.draft_banner.isVisible()
    again.restore_draft()
    assert again.claims.text() == "请求退还押金并赔礼道歉。"
    assert again.has_unsaved_changes() and again.draft_path.exists()
    with qtbot.waitSignal(again.case_saved, timeout=5000):
        qtbot.mouseClick(again.ok_button, Qt.MouseButton.LeftButton)
    assert case_env.detail(case_id).claims == "请求退还押金并赔礼道歉。"
    assert drafts_of(case_env, "volunteer") == []


def test_a_minor_without_a_guardian_is_pointed_out_while_typing(qtbot, case_env: CaseEnv) -> None:
    dlg = _open(qtbot, case_env, case_env.volunteer)
    applicant, _respondent = dlg.party_editors()
    type_text(applicant.name.editor, "刘洋")
    today = dt.date.today()
    applicant.birth_date.set_value(dt.date(today.year - 16, 1, 15))
    assert "监护人" in applicant.birth_date.hint.text()
    guardian = dlg.add_party("guardian")
    type_text(guardian.name.editor, "刘建国")
    combo = guardian.represents.editor
    combo.setCurrentIndex(combo.findText("刘洋", Qt.MatchFlag.MatchContains))
    assert guardian.represented_editor() is applicant
    qtbot.waitUntil(lambda: applicant.birth_date.hint.text() == "", timeout=3000)
    applicant.birth_date.set_value(dt.date(today.year - 30, 1, 15))  # an adult: no hint either way
    assert applicant.birth_date.hint.text() == ""
    dlg.close_keeping_draft()


def test_registering_without_a_category_asks_once_beside_the_field(qtbot, case_env: CaseEnv) -> None:
    """受理 needs a 纠纷类别: the intake says so beside the field, stops the first 登记 without
    one with a message there (nothing saved), and registers on the second click; choosing
    a category clears the message. The address field says the agreement needs it."""
    dlg = _open(qtbot, case_env, case_env.volunteer)
    assert "受理前必须选定" in dlg.category.hint.text() and dlg.category.hint.isVisibleTo(dlg)
    applicant, respondent = dlg.party_editors()
    assert "协议书" in applicant.address.hint.text() and applicant.address.hint.isVisibleTo(dlg)
    type_text(applicant.name.editor, "张三")
    type_text(respondent.name.editor, "李四")
    type_text(dlg.facts.editor, "宿舍里深夜吵闹，双方争执。")
    assert dlg.category.value() == ""  # starts empty

    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert dlg.isVisible() and _case_count(case_env) == 0
    assert "没有类别的案件不能受理" in dlg.category.error()
    assert dlg.category.editor.hasFocus()

    # Choosing one clears the message; going back to none and clicking twice registers.
    category = dlg.category.editor
    category.setCurrentIndex(category.findData("邻里"))
    assert not dlg.category.has_error
    category.setCurrentIndex(0)
    with qtbot.waitSignal(dlg.case_saved, timeout=5000) as saved:
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert _case_count(case_env) == 1
    assert case_env.detail(saved.args[0]).category == ""
