"""The stage machine as data: every transition's guard explains what is missing."""

from __future__ import annotations

import datetime as dt

import pytest

from mediation import workflow as wf
from mediation.errors import WorkflowError
from mediation.permissions import PERMISSIONS

A = wf.PartyFacts("applicant", "张三")
R = wf.PartyFacts("respondent", "李四")


def facts(**kw: object) -> wf.CaseFacts:
    base: dict[str, object] = dict(stage=wf.REGISTERED, track=wf.PEOPLE, category="合同", facts="事实",
                                   parties=(A, R))
    base.update(kw)
    return wf.CaseFacts(**base)


def test_every_transition_is_well_formed() -> None:
    for t in wf.TRANSITIONS:
        assert t.sources and t.target in wf.STAGES
        assert all(s in wf.STAGES for s in t.sources)
        assert t.permission in PERMISSIONS
    # Every open stage can be left; archived is the end.
    for stage in wf.STAGES:
        assert bool(wf.available(stage)) == (stage != wf.ARCHIVED)


@pytest.mark.parametrize("change, missing", [
    (dict(track=None), "调解类型"),
    (dict(category=""), "纠纷类别"),
    (dict(facts=" "), "纠纷事实"),
    (dict(parties=(A,)), "被申请人"),
    (dict(parties=(R,)), "申请人"),
    (dict(parties=(A, wf.PartyFacts("respondent", "小明", is_minor=True))), "监护人"),
    (dict(track=wf.POLICE, police_exclusions=("repeat",)), "排除情形"),
])
def test_accept_guard_names_what_is_missing(change: dict[str, object], missing: str) -> None:
    with pytest.raises(WorkflowError) as exc:
        wf.ensure("accept", facts(**change))
    assert missing in str(exc.value)


def test_accept_passes_when_complete() -> None:
    assert wf.ensure("accept", facts()).target == wf.ACCEPTED
    assert wf.ensure("accept", facts(track=wf.POLICE, police_exclusions=("repeat",),
                                     police_exclusions_ack=True)).target == wf.ACCEPTED


def test_wrong_stage_is_refused_with_the_stage_named() -> None:
    with pytest.raises(WorkflowError) as exc:
        wf.ensure("close", facts(stage=wf.REGISTERED))
    assert "登记" in str(exc.value)


def test_written_agreement_needs_performance_terms() -> None:
    f = facts(stage=wf.MEDIATING, mediator_id=1, agreement_kind="written", agreement_terms="退还押金")
    chk = wf.check("agree", f)
    assert not chk.allowed and {"履行方式", "履行期限"} <= set(chk.missing)
    ok = facts(stage=wf.MEDIATING, mediator_id=1, agreement_kind="written", agreement_terms="退还押金",
               performance_manner="转账", performance_deadline=dt.date(2026, 12, 1))
    assert wf.check("agree", ok).allowed


def test_police_agreement_needs_a_session() -> None:
    f = facts(stage=wf.ACCEPTED, track=wf.POLICE, mediator_id=1, agreement_kind="oral", agreement_terms="赔偿")
    assert "至少一次调解记录" in wf.check("agree", f).missing
    assert wf.check("agree", facts(stage=wf.MEDIATING, track=wf.POLICE, mediator_id=1, sessions=1,
                                   agreement_kind="oral", agreement_terms="赔偿")).allowed


def test_closing_an_agreed_case_needs_a_signed_agreement_and_performance() -> None:
    chk = wf.check("close_agreed", facts(stage=wf.AGREED))
    assert "已签署的调解协议" in chk.missing
    assert wf.check("close_agreed", facts(stage=wf.AGREED, agreement_signed=True,
                                          performance_status="performed")).allowed
    assert not wf.check("perform", facts(stage=wf.AGREED)).allowed


def test_closing_after_follow_up_needs_a_follow_up_record() -> None:
    f = facts(stage=wf.PERFORMING, performance_status="performed")
    assert "至少一次回访记录" in wf.check("close", f).missing
    assert wf.check("close", facts(stage=wf.PERFORMING, performance_status="performed", follow_ups=1)).allowed


def test_refer_and_decline_need_reasons() -> None:
    assert "理由" in wf.check("decline", facts()).missing
    missing = wf.check("refer", facts(reason="属劳动争议"))
    assert not missing.allowed and any("去向" in m for m in missing.missing)
    assert wf.check("refer", facts(reason="属劳动争议", referred_to="劳动人事争议仲裁委员会")).allowed


def test_deadline_rules_round_trip_as_data() -> None:
    data = wf.rules_to_data(wf.DEFAULT_DEADLINE_RULES)
    assert wf.rules_from_data(data) == wf.DEFAULT_DEADLINE_RULES
    assert wf.rules_from_data(None) == wf.DEFAULT_DEADLINE_RULES


def test_the_recorded_vocabulary_lives_in_the_workflow() -> None:
    assert set(wf.PARTY_ROLES) < set(wf.SIGNER_ROLES)
    assert {"mediator", "recorder", "officer", "witness"} <= set(wf.SIGNER_ROLES)
    assert wf.agreement_forms_for(wf.ORAL) == (wf.ORAL_AGREEMENT,)
    assert set(wf.agreement_forms_for(wf.WRITTEN)) | {wf.ORAL_AGREEMENT} == wf.AGREEMENT_FORMS
    assert set(wf.AGREEMENT_KINDS) == {wf.WRITTEN, wf.ORAL}
    assert "agreed" in wf.SESSION_RESULTS and "phone" in wf.FOLLOW_UP_METHODS


def test_every_action_has_its_stages_permission_and_guard_once() -> None:
    names = [a.action for a in wf.ACTIONS]
    assert len(names) == len(set(names))
    assert [a.action for a in wf.RECORD_ACTIONS] == [
        "choose_track", "assign", "investigation", "session", "sign", "follow_up", "outcome"]
    for a in wf.ACTIONS:
        assert a.stages and a.stages <= set(wf.STAGES) and a.permission in PERMISSIONS
        assert wf.rule(a.action) is a and a.kind in (wf.TRANSITION, wf.RECORD)
    # Offered in order: the stage's transitions, then what may be recorded in it.
    agreed = facts(stage=wf.AGREED)
    assert [a.action for a in wf.offered(agreed)] == [
        "perform", "close_agreed", "assign", "sign", "follow_up", "outcome"]
    assert "sign" not in [a.action for a in wf.offered(facts(stage=wf.AGREED, agreement_signed=True))]
    with pytest.raises(WorkflowError) as exc:
        wf.ensure_stage("follow_up", wf.MEDIATING)
    assert str(exc.value) == "只有达成协议后的案件才能回访。"
    assert not wf.check("session", facts(stage=wf.MEDIATING)).allowed
    assert wf.check("session", facts(stage=wf.MEDIATING, mediator_id=3)).allowed


# ---------------------------------------------------------------- 恢复调解 (reopen)


@pytest.mark.parametrize("stage, result, ended_from, sessions, target", [
    (wf.TERMINATED, "terminated", wf.MEDIATING, 0, wf.MEDIATING),     # terminated while mediating
    (wf.TERMINATED, "terminated", wf.ACCEPTED, 2, wf.MEDIATING),      # sessions on record: it was mediated
    (wf.TERMINATED, "terminated", wf.INVESTIGATING, 0, wf.ACCEPTED),  # never mediated
    (wf.CLOSED, "terminated", wf.MEDIATING, 1, wf.MEDIATING),         # closed after termination
    (wf.CLOSED, "declined", wf.REGISTERED, 0, wf.REGISTERED),         # never accepted: accepted again
])
def test_reopen_goes_back_to_where_the_case_was_worked(stage: str, result: str, ended_from: str, sessions: int,
                                                       target: str) -> None:
    f = facts(stage=stage, result=result, ended_from=ended_from, sessions=sessions, reason="当事人申请重新调解")
    rule = wf.ensure("reopen", f)
    assert isinstance(rule, wf.Transition) and rule.permission == "case.reopen"
    assert rule.target_for(f) == target
    assert rule in wf.offered(f)


def test_reopen_needs_a_reason() -> None:
    with pytest.raises(WorkflowError) as exc:
        wf.ensure("reopen", facts(stage=wf.TERMINATED, result="terminated", reason="  "))
    assert exc.value.missing == ["理由"]


@pytest.mark.parametrize("result", ["success", "referred", "withdrawn"])
def test_a_case_closed_otherwise_is_not_reopened(result: str) -> None:
    f = facts(stage=wf.CLOSED, result=result, reason="想再调解")
    with pytest.raises(WorkflowError) as exc:
        wf.ensure("reopen", f)
    assert "终止调解或不予受理后结案的案件" in str(exc.value)
    assert wf.RESULTS[result] in str(exc.value)
    assert "reopen" not in [a.action for a in wf.offered(f)]  # not even offered


@pytest.mark.parametrize("stage", [wf.ARCHIVED, wf.MEDIATING, wf.REGISTERED, wf.AGREED])
def test_reopen_only_from_terminated_or_closed(stage: str) -> None:
    f = facts(stage=stage, result="terminated", reason="理由")
    assert not wf.check("reopen", f).allowed
    assert "reopen" not in [a.action for a in wf.offered(f)]


def test_only_the_officer_reopens() -> None:
    assert PERMISSIONS["case.reopen"] == frozenset({"officer"})
