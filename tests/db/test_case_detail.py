"""What a case window shows, and the actions allowed now: every button, in order, with why not."""

from __future__ import annotations

import pytest

from mediation import workflow
from mediation.errors import WorkflowError
from mediation.services import case_detail, case_records, cases
from mediation.services.case_records import SessionInput
from mediation.services.cases import AgreementInput
from mediation.timeutil import local_today, utcnow
from tests.factories import dispute


def _actions(db, actor, case_id):
    with db.read() as s:
        return {a.action: a for a in case_detail.get_case(s, actor, case_id).actions}


def test_a_registered_case_offers_every_action_in_order(db, desk) -> None:
    with db.write() as s:
        case_id = cases.register_case(s, desk.volunteer, dispute()).id
    with db.read() as s:
        officer = case_detail.get_case(s, desk.officer, case_id).actions
        volunteer = case_detail.get_case(s, desk.volunteer, case_id).actions
    assert [(a.action, a.kind) for a in officer] == [
        ("accept", "transition"), ("decline", "transition"), ("refer", "transition"),
        ("withdraw", "transition"), ("choose_track", "record"), ("assign", "record")]
    assert [a.allowed for a in officer] == [False, True, True, True, True, True]
    # A volunteer is not offered what only an officer decides, and is told who does the rest.
    assert [a.action for a in volunteer] == ["accept", "choose_track", "assign"]
    assert not any(a.allowed for a in volunteer)
    assert volunteer[1].message == "“确定调解类型”须由督导民警或管理员办理，请联系本调解点的督导民警或管理员。" and volunteer[1].who == "督导民警或管理员"


def test_a_disabled_accept_says_what_is_missing_and_who_accepts(db, desk) -> None:
    """Issue 12 item 19: not only “还缺少：调解类型”, but that an officer accepts, and whom to ask."""
    with db.write() as s:
        case_id = cases.register_case(s, desk.volunteer, dispute()).id
    accept = _actions(db, desk.volunteer, case_id)["accept"]
    assert not accept.allowed and accept.who == "督导民警或管理员"
    assert "还缺少：调解类型" in accept.message
    assert "须由督导民警或管理员办理" in accept.message and "请联系本调解点的督导民警" in accept.message
    assert "调解类型（人民调解/治安调解）" in accept.missing
    officer_view = _actions(db, desk.officer, case_id)["accept"]
    assert officer_view.who == "" and "督导民警" not in officer_view.message


def test_record_actions_follow_the_case(db, desk) -> None:
    with db.write() as s:
        case_id = cases.register_case(s, desk.volunteer, dispute()).id
        cases.choose_track(s, desk.officer, case_id, workflow.PEOPLE)
        cases.accept_case(s, desk.officer, case_id)
    session = _actions(db, desk.volunteer, case_id)["session"]
    assert (session.kind, session.allowed) == ("record", False)
    assert session.message == "无法“添加调解记录”，还缺少：调解员（请先“指派调解员”）。"
    # The service holds to the same rule, in the same words.
    with db.write() as s, pytest.raises(WorkflowError) as err:
        case_records.add_session_record(s, desk.volunteer, case_id, SessionInput(
            held_at=utcnow(), content="双方陈述。"))
    assert str(err.value) == session.message
    with db.write() as s:
        cases.assign_mediator(s, desk.officer, case_id, desk.volunteer.user_id)
        case_records.add_session_record(s, desk.volunteer, case_id, SessionInput(
            held_at=utcnow(), content="双方陈述。", result="agreed"))
    mediating = _actions(db, desk.volunteer, case_id)
    assert mediating["session"].allowed and "choose_track" not in mediating
    with db.write() as s, pytest.raises(WorkflowError) as err:
        cases.choose_track(s, desk.officer, case_id, workflow.POLICE)
    assert str(err.value) == "开始调解后不能再更改调解类型。"
    with db.write() as s:
        cases.record_agreement(s, desk.volunteer, case_id, AgreementInput(
            kind="written", terms="退还押金。", performance_manner="微信转账",
            performance_deadline=local_today()))
    agreed = _actions(db, desk.volunteer, case_id)
    assert [a for a in agreed if agreed[a].kind == "record"] == ["assign", "sign", "follow_up", "outcome"]
    with db.write() as s:
        cases.mark_agreement_signed(s, desk.volunteer, case_id)
    assert "sign" not in _actions(db, desk.volunteer, case_id)  # done: no longer offered
