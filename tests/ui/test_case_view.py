"""Case view: a whole flow by clicking its action buttons, blocked actions explaining, attachments, IDs."""

from __future__ import annotations

import hashlib
from pathlib import Path

import shiboken6
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from mediation import workflow
from mediation.models import AuditLog
from mediation.services import case_records, cases
from mediation.ui import case_view
from mediation.ui.action_dialogs import (
    AgreementDialog,
    AssignMediatorDialog,
    ChooseTrackDialog,
    CloseDialog,
    ConfirmActionDialog,
    FollowUpDialog,
    SessionDialog,
    TerminateDialog,
)
from mediation.ui.case_view import CaseWindow
from tests.factories import accepted_case
from tests.ui.case_fixtures import (
    CaseEnv,
    answering,
    case_env,
    type_text,
    wait_ops,
)

__all__ = ["case_env"]


def _window(qtbot, env: CaseEnv, ctx, case_id: int) -> CaseWindow:
    win = CaseWindow(ctx, case_id)
    with qtbot.waitSignal(win.detail_loaded, timeout=5000):
        env.keep(win)
    return win


def _click_action(qtbot, win: CaseWindow, action: str):
    button = win.action_buttons[action]
    assert not button.blocked, button.message
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dlg = win.current_dialog
    assert dlg is not None and dlg.isVisible()
    return dlg


def _submit(qtbot, win: CaseWindow, dlg) -> None:
    """Save the dialog and wait until the window has reloaded the case."""
    with qtbot.waitSignal(win.detail_loaded, timeout=5000):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert _closed(dlg)


def _closed(dlg) -> bool:
    return not shiboken6.isValid(dlg) or not dlg.isVisible()


def test_whole_flow_by_clicking_the_case_view(qtbot, case_env: CaseEnv) -> None:
    case_id = case_env.register()
    win = _window(qtbot, case_env, case_env.officer, case_id)
    assert win.number_label.text().startswith("未受理")
    assert win.deadline_state == "none"

    # Accepting is not possible yet, and the button says why.
    accept = win.action_buttons["accept"]
    assert accept.blocked and "调解类型" in accept.message and accept.toolTip() == accept.message
    qtbot.mouseClick(accept, Qt.MouseButton.LeftButton)
    assert win.hint_label.text() == accept.message
    assert win.current_dialog is None

    dlg = _click_action(qtbot, win, "choose_track")
    assert isinstance(dlg, ChooseTrackDialog)
    dlg.track.set_value(workflow.PEOPLE)
    _submit(qtbot, win, dlg)
    assert win.detail.track == workflow.PEOPLE

    dlg = _click_action(qtbot, win, "assign")
    assert isinstance(dlg, AssignMediatorDialog)
    wait_ops(qtbot)
    combo = dlg.mediator.editor
    assert combo.findData(case_env.desk.admin.user_id) == -1  # the administrator's account is no mediator
    assert combo.findData(case_env.desk.officer.user_id) > 0
    combo.setCurrentIndex(combo.findData(case_env.desk.volunteer.user_id))
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert "回避" in dlg.recusal.error()  # the service's own message, beside the checkbox
    dlg.recusal.editor.setChecked(True)
    _submit(qtbot, win, dlg)
    assert win.detail.mediator == "李同学"

    dlg = _click_action(qtbot, win, "accept")
    assert isinstance(dlg, ConfirmActionDialog)
    _submit(qtbot, win, dlg)
    assert win.detail.stage == workflow.ACCEPTED
    assert win.number_label.text() == win.detail.number and "X警校调字" in win.detail.number
    assert win.deadline_state in ("ok", "due_soon")

    dlg = _click_action(qtbot, win, "session")
    assert isinstance(dlg, SessionDialog)
    assert "张三" in dlg.attendees.text() and dlg.place.text()
    type_text(dlg.applicant_said.editor, "要求退还押金2500元。")
    type_text(dlg.respondent_said.editor, "房屋有损坏，只同意退2000元。")
    dlg.outcome.set_value("agreed")
    _submit(qtbot, win, dlg)
    assert win.detail.stage == workflow.MEDIATING
    assert "房屋有损坏" in win.detail.sessions[0].content

    dlg = _click_action(qtbot, win, "agree")
    assert isinstance(dlg, AgreementDialog)
    # A written agreement without how and by when it is performed: said beside each field.
    qtbot.mouseClick(dlg.kind.editor.button("written"), Qt.MouseButton.LeftButton)
    type_text(dlg.terms_editor.edits()[0], "被申请人退还押金2000元")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert "履行方式" in dlg.performance_manner.error() and "履行期限" in dlg.performance_deadline.error()
    assert dlg.isVisible() and win.detail.stage == workflow.MEDIATING
    dlg.terms_editor.edits()[0].clear()
    qtbot.mouseClick(dlg.kind.editor.button("oral"), Qt.MouseButton.LeftButton)
    assert dlg.signed.isVisibleTo(dlg) and dlg.signed.value() is True
    type_text(dlg.terms_editor.edits()[0], "被申请人当场退还押金2000元")
    qtbot.mouseClick(dlg.terms_editor.add_button, Qt.MouseButton.LeftButton)
    type_text(dlg.terms_editor.edits()[1], "双方就本纠纷再无其他争议")
    qtbot.keyClicks(dlg.amount.editor, "2000")
    assert "贰仟元整" in dlg.amount.hint.text()
    _submit(qtbot, win, dlg)
    assert win.detail.stage == workflow.AGREED
    assert win.detail.agreement_terms == "一、被申请人当场退还押金2000元\n二、双方就本纠纷再无其他争议"
    assert win.detail.agreement_signed_at is not None

    dlg = _click_action(qtbot, win, "follow_up")
    assert isinstance(dlg, FollowUpDialog)
    type_text(dlg.visit_result.editor, "申请人确认已收到2000元。")
    dlg.performance_status.set_value("performed")
    _submit(qtbot, win, dlg)
    assert win.detail.stage == workflow.PERFORMING

    dlg = _click_action(qtbot, win, "close")
    assert isinstance(dlg, CloseDialog)
    dlg.prevented.editor.setChecked(True)
    _submit(qtbot, win, dlg)
    d = win.detail
    assert d.stage == workflow.CLOSED and d.result == "success" and d.prevented_escalation
    assert win.edit_button.blocked
    timeline = [win.timeline.item(i).text() for i in range(win.timeline.count())]
    assert any("受理" in t for t in timeline) and any("结案" in t for t in timeline)
    assert win.tabs.tabText(win.tabs.indexOf(win.sessions)) == "调解记录 (1)"


def test_the_button_row_is_the_actions_the_case_returns(qtbot, case_env: CaseEnv) -> None:
    """One button per ActionView, in its order: label, enabled = allowed, tooltip = message."""
    case_id = case_env.register()
    for ctx in (case_env.officer, case_env.volunteer):
        win = _window(qtbot, case_env, ctx, case_id)
        qtbot.waitUntil(lambda w=win: all(b.isVisible() for b in w.action_buttons.values()), timeout=5000)
        buttons = sorted(win.action_buttons.values(), key=lambda b: b.x())  # as laid out, left to right
        assert len({b.y() for b in buttons}) == 1  # one row
        assert [(b.action, b.text(), not b.blocked, b.toolTip()) for b in buttons] == [
            (a.action, a.label, a.allowed, a.message) for a in win.detail.actions]
        assert {"accept", "choose_track", "assign"} <= set(win.action_buttons)
    # The officer may choose the track; the volunteer (the last window) is told why not.
    assert win.action_buttons["choose_track"].blocked
    assert win.action_buttons["choose_track"].message == "“确定调解类型”须由督导民警或管理员办理，请联系本调解点的督导民警或管理员。"


def test_police_track_needs_explicit_confirmation_of_exclusions(qtbot, case_env: CaseEnv) -> None:
    case_id = case_env.register()
    win = _window(qtbot, case_env, case_env.officer, case_id)
    dlg = _click_action(qtbot, win, "choose_track")
    qtbot.mouseClick(dlg.track.editor.button(workflow.POLICE), Qt.MouseButton.LeftButton)
    assert dlg.exclusions_box.isVisibleTo(dlg)
    dlg.exclusion_checks["group_fight"].setChecked(True)
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert dlg.isVisible() and "不宜治安调解" in dlg.banner.label.text()
    assert dlg.acknowledge.isVisibleTo(dlg)
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert "勾选确认" in dlg.acknowledge.error()
    dlg.acknowledge.editor.setChecked(True)
    _submit(qtbot, win, dlg)
    assert win.detail.track == workflow.POLICE


def test_blocked_actions_explain_what_is_missing(qtbot, case_env: CaseEnv) -> None:
    case_id = case_env.register()
    with case_env.db.write() as s:
        cases.choose_track(s, case_env.desk.officer, case_id, workflow.PEOPLE)
    win = _window(qtbot, case_env, case_env.volunteer, case_id)
    accept = win.action_buttons["accept"]
    assert accept.blocked and accept.message == "“受理”须由督导民警或管理员办理，请联系本调解点的督导民警或管理员。"
    QApplication.sendEvent(accept, _enter_event())  # hovering explains too
    assert win.hint_label.text() == accept.message
    with case_env.db.write() as s:
        cases.accept_case(s, case_env.desk.officer, case_id)
    with qtbot.waitSignal(win.detail_loaded, timeout=5000):
        win.reload()
    session = win.action_buttons["session"]
    assert session.blocked and "调解员" in session.message
    qtbot.mouseClick(session, Qt.MouseButton.LeftButton)
    assert "调解员" in win.hint_label.text() and win.current_dialog is None


def _enter_event():
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QEnterEvent

    return QEnterEvent(QPointF(2, 2), QPointF(2, 2), QPointF(2, 2))


def test_action_dialog_validation_workflow_error_and_esc(qtbot, case_env: CaseEnv) -> None:
    with case_env.db.write() as s:
        case_id = accepted_case(s, case_env.desk)
    win = _window(qtbot, case_env, case_env.officer, case_id)
    dlg = _click_action(qtbot, win, "terminate")
    assert isinstance(dlg, TerminateDialog)
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert dlg.reason.error() and dlg.isVisible()  # required, said beside the field
    qtbot.mouseClick(_button(dlg, "申请劳动仲裁"), Qt.MouseButton.LeftButton)
    assert dlg.routes.text() == "申请劳动仲裁"
    with answering("继续编辑") as asked:
        qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert asked and dlg.isVisible()  # typed text is not thrown away silently
    with answering("放弃输入"):
        qtbot.keyClick(dlg, Qt.Key.Key_Escape)
    assert _closed(dlg)

    # A workflow refusal is shown inside the dialog, not as a crash.
    stale = win.detail
    with case_env.db.write() as s:
        cases.terminate_case(s, case_env.desk.officer, case_id, reason="当事人拒绝继续调解")
    dlg = win.open_action("terminate")
    assert dlg is not None and dlg.detail is stale
    type_text(dlg.reason.editor, "再次终止")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert dlg.isVisible() and dlg.banner.label.text()


def _button(parent, text):
    from tests.ui.case_fixtures import button_with_text

    return button_with_text(parent, text)


def test_attachments_drop_hash_and_open(qtbot, case_env: CaseEnv, tmp_path: Path, monkeypatch) -> None:
    case_id = case_env.register()
    win = _window(qtbot, case_env, case_env.volunteer, case_id)
    f = tmp_path / "租房合同.txt"
    f.write_bytes("押金2500元".encode())
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f))])
    panel = win.attachments
    enter = QDragEnterEvent(QPoint(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(panel, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                      Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(win.detail_loaded, timeout=5000):
        QApplication.sendEvent(panel, drop)
    digest = hashlib.sha256(f.read_bytes()).hexdigest()
    assert panel.table.rowCount() == 1 and panel.table.item(0, 0).text() == "租房合同.txt"
    assert panel.table.item(0, 2).text() == digest

    opened: list[Path] = []
    monkeypatch.setattr(case_view, "open_local_file", lambda p: opened.append(p) or True)
    panel.table.selectRow(0)
    qtbot.mouseClick(panel.open_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(opened), timeout=5000)
    assert opened[0].read_bytes() == f.read_bytes() and opened[0].name == "租房合同.txt"
    win.close()
    assert not opened[0].exists()  # the temporary copy goes with the window


def test_officer_reveals_full_id_and_it_is_audited(qtbot, case_env: CaseEnv) -> None:
    case_id = case_env.register()
    win = _window(qtbot, case_env, case_env.officer, case_id)
    assert "*" in win.parties_table.item(0, 5).text()
    win.parties_table.selectRow(0)
    assert win.reveal_button.isEnabled()
    qtbot.mouseClick(win.reveal_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "*" not in win.parties_table.item(0, 5).text(), timeout=5000)
    assert len(win.parties_table.item(0, 5).text()) == 18
    with case_env.db.read() as s:
        assert s.scalar(select(AuditLog).where(AuditLog.action == "party.view_id")) is not None


def test_edit_button_opens_the_intake_on_this_case(qtbot, case_env: CaseEnv) -> None:
    case_id = case_env.register()
    win = _window(qtbot, case_env, case_env.volunteer, case_id)
    qtbot.mouseClick(win.edit_button, Qt.MouseButton.LeftButton)
    dlg = win.current_dialog
    qtbot.waitUntil(dlg.is_ready, timeout=5000)
    case_env.widgets.append(dlg)
    assert dlg.case_id == case_id and dlg.party_editors()[0].name.text() == "张三"
    dlg.claims.editor.setPlainText("请求退还押金2500元并支付利息。")
    with qtbot.waitSignal(win.detail_loaded, timeout=5000):
        qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    assert "利息" in win.overview.toPlainText()


def test_stale_action_dialog_reloads_and_keeps_input(qtbot, case_env: CaseEnv) -> None:
    with case_env.db.write() as s:
        case_id = accepted_case(s, case_env.desk)
        case_records.add_session_record(s, case_env.desk.volunteer, case_id, case_records.SessionInput(
            held_at=cases.utcnow(), content="双方陈述。", result="agreed"))
    win = _window(qtbot, case_env, case_env.volunteer, case_id)
    dlg = _click_action(qtbot, win, "agree")
    type_text(dlg.terms_editor.edits()[0], "被申请人退还押金2000元")
    dlg.kind.set_value("oral")
    with case_env.db.write() as s:  # meanwhile, at another desk PC
        case_records.add_note(s, case_env.desk.officer, case_id, "已电话联系双方")
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert dlg.isVisible() and "其他人修改" in dlg.banner.label.text()
    qtbot.mouseClick(_button(dlg, "载入最新版本（保留我的输入）"), Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert dlg.terms_editor.edits()[0].text() == "被申请人退还押金2000元"
    _submit(qtbot, win, dlg)
    assert win.detail.stage == workflow.AGREED


def test_officer_reopens_a_terminated_case_by_clicking(qtbot, case_env: CaseEnv) -> None:
    """终止调解 → 恢复调解 with a reason typed in its dialog: the case is back in 调解 (a session
    was on record), the buttons follow, and the volunteer is not offered the button at all."""
    from mediation.services.case_records import SessionInput
    from mediation.timeutil import utcnow
    from mediation.ui.action_dialogs import ReasonDialog

    with case_env.db.write() as s:
        case_id = accepted_case(s, case_env.desk)
        case_records.add_session_record(s, case_env.desk.volunteer, case_id, SessionInput(
            held_at=utcnow(), content="双方陈述。", result="continued"))
        cases.terminate_case(s, case_env.desk.officer, case_id, reason="一方不愿继续调解")
    mine = _window(qtbot, case_env, case_env.volunteer, case_id)
    assert "reopen" not in mine.action_buttons
    win = _window(qtbot, case_env, case_env.officer, case_id)
    dlg = _click_action(qtbot, win, "reopen")
    assert isinstance(dlg, ReasonDialog) and dlg.windowTitle() == "恢复调解"
    qtbot.mouseClick(dlg.ok_button, Qt.MouseButton.LeftButton)
    wait_ops(qtbot)
    assert dlg.reason.error() and dlg.isVisible()  # the reason is required, said beside it
    qtbot.mouseClick(_button(dlg, "当事人申请重新调解"), Qt.MouseButton.LeftButton)
    _submit(qtbot, win, dlg)
    assert win.detail.stage == workflow.MEDIATING and win.detail.result is None
    assert "reopen" not in win.action_buttons and "agree" in win.action_buttons
    with case_env.db.read() as s:
        row = s.scalars(select(AuditLog).where(AuditLog.case_id == case_id, AuditLog.action == "case.reopen")).one()
        assert row.after["reason"] == "当事人申请重新调解"
