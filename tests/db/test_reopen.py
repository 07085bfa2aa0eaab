"""恢复调解 (reopen): the service (officer only, desk checked, audited, what it clears) and the
statistics of a case terminated in September and reopened and agreed in October, with the
figures worked out by hand, and a submitted September report that shows 报送后有变动."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from mediation import statistics, workflow
from mediation.db import Database
from mediation.errors import Conflict, NotFound, PermissionDenied, ValidationError, WorkflowError
from mediation.models import AuditLog, Case, CaseEvent
from mediation.services import case_detail, cases, reports, setup
from mediation.statistics import Period
from mediation.timeutil import clock_at
from tests.conftest import Desk
from tests.db.test_statistics import agree, at, make_case, session_on, terminate
from tests.factories import dispute

SEP, OCT = Period.parse("2026-09"), Period.parse("2026-10")


def _terminated_in_september(db: Database, desk: Desk, *, sessions: bool = True) -> int:
    with db.write() as s:
        case_id = make_case(s, desk, accepted=at(2026, 9, 10), category="合同")
        if sessions:
            session_on(s, desk, case_id, at(2026, 9, 12))
        terminate(s, desk, case_id, at(2026, 9, 20))
    return case_id


def test_officer_reopens_a_terminated_case_back_to_mediation(db: Database, desk: Desk) -> None:
    case_id = _terminated_in_september(db, desk)
    with db.read() as s:
        version = s.get(Case, case_id).version_id
    with db.write() as s, pytest.raises(ValidationError) as err:
        cases.reopen_case(s, desk.officer, case_id, reason="  ")
    assert "reason" in err.value.errors
    for who in (desk.volunteer, desk.admin):  # the officer decides it
        with db.write() as s, pytest.raises(PermissionDenied):
            cases.reopen_case(s, who, case_id, reason="当事人申请重新调解")
    with db.write() as s, clock_at(at(2026, 10, 5)):
        ref = cases.reopen_case(s, desk.officer, case_id, reason="当事人申请重新调解", expected_version=version)
    assert (ref.stage, ref.version) == (workflow.MEDIATING, version + 1)
    with db.read() as s:
        case = s.get(Case, case_id)
        assert (case.result, case.terminated_at, case.closed_at, case.outcome_reason) == (None, None, None, "")
        # Accepted 10 September, its month ran out on 10 October; reopened on 5 October, the
        # month of mediation runs again from then (not overdue the moment it is taken up).
        assert (case.deadline, case.deadline_label) == (dt.date(2026, 11, 4), "调解期限（受理后一个月）")
        event = s.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id.desc())).first()
        assert (event.kind, event.stage_from, event.stage_to, event.summary) == (
            "reopen", workflow.TERMINATED, workflow.MEDIATING, "恢复调解：当事人申请重新调解")
        row = s.scalars(select(AuditLog).where(AuditLog.case_id == case_id, AuditLog.action == "case.reopen")).one()
        assert row.user_id == desk.officer.user_id
        assert row.before["stage"] == workflow.TERMINATED and row.before["result"] == "terminated"
        assert row.before["terminated_at"] is not None and row.before["outcome_reason"] == "一方不愿继续调解。"
        assert row.after["stage"] == workflow.MEDIATING and row.after["terminated_at"] is None
        assert row.after["reason"] == "当事人申请重新调解"
        # the case window offers its next steps again, and no longer 恢复调解
        actions = [a.action for a in case_detail.get_case(s, desk.officer, case_id).actions]
        assert "agree" in actions and "reopen" not in actions
    # a second window still showing the terminated case: a conflict; and it is no longer terminated
    with db.write() as s, pytest.raises(Conflict):
        cases.reopen_case(s, desk.officer, case_id, reason="再次", expected_version=version)
    with db.write() as s, pytest.raises(WorkflowError, match="调解"):
        cases.reopen_case(s, desk.officer, case_id, reason="再次")


def test_reopen_after_closing_and_the_cases_that_stay_closed(db: Database, desk: Desk) -> None:
    never_mediated = _terminated_in_september(db, desk, sessions=False)
    with db.write() as s:
        cases.close_case(s, desk.officer, never_mediated)  # closed after termination
        declined = cases.register_case(s, desk.volunteer, dispute()).id
        cases.decline_case(s, desk.officer, declined, reason="已向法院起诉")
        withdrawn = cases.register_case(s, desk.volunteer, dispute()).id
        cases.withdraw_case(s, desk.officer, withdrawn, reason="双方已和解")
    with db.read() as s:  # offered on the closed case, to the officer only
        assert "reopen" in [a.action for a in case_detail.get_case(s, desk.officer, never_mediated).actions]
        assert "reopen" not in [a.action for a in case_detail.get_case(s, desk.volunteer, never_mediated).actions]
        assert "reopen" not in [a.action for a in case_detail.get_case(s, desk.officer, withdrawn).actions]
    with db.write() as s:
        assert cases.reopen_case(s, desk.officer, never_mediated, reason="出现新情况").stage == workflow.ACCEPTED
        assert cases.reopen_case(s, desk.officer, declined, reason="撤诉后申请调解").stage == workflow.REGISTERED
        cases.choose_track(s, desk.officer, declined, workflow.PEOPLE)
        accepted = cases.accept_case(s, desk.officer, declined)  # accepted the usual way: it gets its number
        assert accepted.number
        with pytest.raises(WorkflowError, match="申请人撤回"):
            cases.reopen_case(s, desk.officer, withdrawn, reason="想再调解")
    with db.read() as s:
        closed = s.get(Case, never_mediated)
        assert (closed.closed_at, closed.closed_by_id, closed.result) == (None, None, None)


def test_another_desks_case_is_not_reopened(db: Database, desk: Desk) -> None:
    case_id = _terminated_in_september(db, desk)
    with db.write() as s:
        other = setup.create_desk(s, desk.admin, name="第二联调中心", number_prefix="Y警校调字")
    their_officer = dataclasses.replace(desk.officer, desk_id=other)
    with db.write() as s, pytest.raises(NotFound):
        cases.reopen_case(s, their_officer, case_id, reason="当事人申请重新调解")
    roll_up = dataclasses.replace(desk.officer, desk_id=None, all_desks=True)
    with db.write() as s, pytest.raises(PermissionDenied):
        cases.reopen_case(s, roll_up, case_id, reason="当事人申请重新调解")
    with db.read() as s:
        assert s.get(Case, case_id).stage == workflow.TERMINATED


def test_terminated_in_september_reopened_and_agreed_in_october(db: Database, desk: Desk) -> None:
    case_id = _terminated_in_september(db, desk)
    with db.read() as s:
        sep = statistics.table(s, desk.officer, "people", SEP)
    # before: September has the acceptance and the termination, 0 of 1 succeeded
    assert [sep.value("contract", c, "本期") for c in ("accepted", "succeeded", "written")] == [1, 0, 0]
    assert sep.value("contract", "success_rate", "本期") == Decimal("0.0")
    with db.write() as s, clock_at(at(2026, 10, 2)):
        rid = reports.file_report(s, desk.officer, desk.desk_id, "people", SEP)
        reports.review_report(s, desk.officer, rid, approve=True)
        reports.submit_report(s, desk.officer, rid)
    with db.write() as s, clock_at(at(2026, 10, 5)):
        cases.reopen_case(s, desk.officer, case_id, reason="当事人申请重新调解")
    agree_on = at(2026, 10, 15)
    with db.write() as s:
        agree(s, desk, case_id, agree_on, amount="3000")
    with db.read() as s:
        sep = statistics.table(s, desk.officer, "people", SEP)
        octo = statistics.table(s, desk.officer, "people", OCT)
        # September now: accepted, neither succeeded nor terminated (no rate)
        assert [sep.value("contract", c, "本期") for c in ("accepted", "succeeded", "written")] == [1, 0, 0]
        assert sep.value("contract", "success_rate", "本期") is None
        assert sep.value("total", "success_rate", "本期") is None
        # October: no acceptance, the written agreement of ¥3,000 (0.3万元), 1 of 1 succeeded
        assert [octo.value("contract", c, "本期") for c in ("accepted", "succeeded", "written", "oral")] == [0, 1, 1, 0]
        assert octo.value("contract", "amount", "本期") == Decimal("0.3")
        assert octo.value("contract", "success_rate", "本期") == Decimal("100.0")
        # the year to October: accepted once, succeeded once, never terminated
        assert [octo.value("total", c, "年度累计") for c in ("accepted", "succeeded")] == [1, 1]
        assert octo.value("total", "success_rate", "年度累计") == Decimal("100.0")
        # the cases behind October's 调解成功: exactly this one
        assert statistics.figure_cases(s, desk.officer, "people", OCT, "total", "succeeded") == [case_id]
        # the submitted September report: 报送后有变动, the rate 0.0% → none
        changes = reports.changes_since_submission(s, desk.officer, rid)
        assert {(c.block, c.row, c.column, c.submitted, c.now) for c in changes} == {
            ("本期", "contract", "success_rate", Decimal("0.0"), None),
            ("本期", "total", "success_rate", Decimal("0.0"), None),
            ("年度累计", "contract", "success_rate", Decimal("0.0"), None),
            ("年度累计", "total", "success_rate", Decimal("0.0"), None)}
        note = reports.render_table(s, desk.officer, "people", SEP, "xlsx").changed_note
        assert note.startswith("报送后有变动：") and "本期·合同“调解成功率”上报 0.0% → 现在 —" in note
        # the reopening's audit row names the locked report
        row = s.scalars(select(AuditLog).where(AuditLog.case_id == case_id, AuditLog.action == "case.reopen")).one()
        assert row.after["locked_reports"] == [rid]


def test_the_changes_after_submission_are_said_through_the_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each line and the note are whole sentences of mediation.i18n (the English catalogue
    translates them); the figures are printed as the report prints them (— for none, % for a rate)."""
    said: list[str] = []

    def english(text: str) -> str:
        said.append(text)
        return {"{block}·{row}“{column}”上报 {submitted} → 现在 {now}":
                "{block} · {row} “{column}”: submitted {submitted} → now {now}",
                "报送后有变动：{changes}{more}": "Changed after submission: {changes}{more}",
                "；": "; "}.get(text, text)

    monkeypatch.setattr(reports, "_", english)
    changes = [reports.FigureChange("本期", "contract", "合同", "success_rate", "调解成功率", Decimal("0.0"), None, "%"),
               reports.FigureChange("本期", "total", "合计", "written", "书面协议", 1, 2, "件")]
    assert reports.changed_note(changes) == (
        "Changed after submission: 本期 · 合同 “调解成功率”: submitted 0.0% → now —; "
        "本期 · 合计 “书面协议”: submitted 1 → now 2")
    assert "{block}·{row}“{column}”上报 {submitted} → 现在 {now}" in said
