"""The stage machine, stated in full by hand (issue 17).

The table below says, for every action, the stages it may start from and where it
leads; the test checks every (action, stage) pair against it, allowed and refused. The
module-level tables (TRANSITIONS, RECORD_ACTIONS, DEFAULT_DEADLINE_RULES) are data that
mutation testing cannot mutate: these tables pin them instead.

When an action is added (a ``reopen`` …), add its line here: the test fails until then.
"""

from __future__ import annotations

import datetime as dt

import pytest

from mediation import workflow as wf
from mediation.errors import WorkflowError

A = wf.PartyFacts("applicant", "张三")
R = wf.PartyFacts("respondent", "李四")

REG, ACC, INV, MED, AGR, TER, PER, CLO, ARC = (
    "registered", "accepted", "investigating", "mediating", "agreed", "terminated", "performing", "closed", "archived")
ALL = {REG, ACC, INV, MED, AGR, TER, PER, CLO, ARC}

# action: (stages it starts from, stage it leads to or None for a record, permission, result)
EXPECTED: dict[str, tuple[set[str], str | None, str, str | None]] = {
    "accept": ({REG}, ACC, "case.accept", None),
    "decline": ({REG}, CLO, "case.decline", "declined"),
    "refer": ({REG, ACC, INV, MED}, CLO, "case.refer", "referred"),
    "withdraw": ({REG, ACC, INV, MED}, CLO, "case.terminate", "withdrawn"),
    "investigate": ({ACC}, INV, "case.investigate", None),
    "mediate": ({ACC, INV}, MED, "case.session", None),
    "agree": ({ACC, INV, MED}, AGR, "case.agreement", None),
    "terminate": ({ACC, INV, MED}, TER, "case.terminate", "terminated"),
    "perform": ({AGR}, PER, "case.agreement", None),
    "close_agreed": ({AGR}, CLO, "case.close", "success"),
    "close": ({PER}, CLO, "case.close", "success"),
    "close_terminated": ({TER}, CLO, "case.close", "terminated"),
    "archive": ({CLO}, ARC, "case.archive", None),
    # 恢复调解: from a terminated case, or a closed one that ended terminated or declined (the
    # facts below say "terminated"); where it leads depends on the case (reopen_target).
    "reopen": ({TER, CLO}, MED, "case.reopen", None),
    "choose_track": ({REG, ACC, INV}, None, "case.choose_track", None),
    "assign": ({REG, ACC, INV, MED, AGR, PER, TER}, None, "case.assign", None),
    "investigation": ({ACC, INV, MED}, None, "case.investigate", None),
    "session": ({ACC, INV, MED}, None, "case.session", None),
    "sign": ({AGR}, None, "case.agreement", None),
    "follow_up": ({AGR, PER, CLO}, None, "case.follow_up", None),
    "outcome": ({ACC, INV, MED, AGR, TER, PER, CLO}, None, "case.edit", None),
}

# Facts under which every guard passes: what a complete case has.
COMPLETE = dict(track="people", category="合同", facts="事实", parties=(A, R), mediator_id=1, sessions=1,
                agreement_kind="written", agreement_terms="退还押金", performance_manner="转账",
                performance_deadline=dt.date(2026, 12, 1), agreement_signed=False, performance_status="performed",
                follow_ups=1, reason="双方自愿", referred_to="某区人民法院", case_file_cover=True)


def facts(stage: str, **kw: object) -> wf.CaseFacts:
    base: dict[str, object] = dict(COMPLETE)
    base.update(kw)
    return wf.CaseFacts(stage=stage, **base)  # type: ignore[arg-type]


def test_the_table_names_every_action_and_nothing_else() -> None:
    assert {a.action for a in wf.ACTIONS} == set(EXPECTED)
    assert set(wf.STAGES) == ALL


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_every_action_in_every_stage(action: str) -> None:
    stages, target, permission, result = EXPECTED[action]
    rule = wf.rule(action)
    assert rule.permission == permission
    if target is None:
        assert rule.kind == wf.RECORD and not isinstance(rule, wf.Transition)
        with pytest.raises(KeyError):
            wf.transition(action)
    else:
        t = wf.transition(action)
        assert (t.kind, t.target, t.result) == (wf.TRANSITION, target, result)
        assert t.stages == t.sources
    signed = action in ("perform", "close_agreed")
    ended = {"result": "terminated", "ended_from": MED} if action == "reopen" else {}
    for stage in sorted(ALL):
        check = wf.check(action, facts(stage, agreement_signed=signed, **ended))
        assert check.allowed == (stage in stages), (action, stage)
        if stage in stages:
            assert check.missing == [] and check.message == ""
            assert wf.ensure(action, facts(stage, agreement_signed=signed, **ended)) is rule
            wf.ensure_stage(action, stage)
        else:
            assert len(check.missing) == 1
            with pytest.raises(WorkflowError) as exc:
                wf.ensure(action, facts(stage))
            assert exc.value.missing == check.missing
            assert str(exc.value) == check.missing[0] + "。"
            with pytest.raises(WorkflowError) as exc:
                wf.ensure_stage(action, stage)
            assert str(exc.value) == check.missing[0] + "。" and exc.value.missing == check.missing


def test_moves_from_each_stage_in_the_order_the_window_shows_them() -> None:
    assert [t.action for t in wf.available(REG)] == ["accept", "decline", "refer", "withdraw"]
    assert [t.action for t in wf.available(ACC)] == ["refer", "withdraw", "investigate", "mediate", "agree", "terminate"]
    assert [t.action for t in wf.available(MED)] == ["refer", "withdraw", "agree", "terminate"]
    assert [t.action for t in wf.available(AGR)] == ["perform", "close_agreed"]
    assert [t.action for t in wf.available(TER)] == ["close_terminated", "reopen"]
    assert [t.action for t in wf.available(CLO)] == ["archive", "reopen"]
    assert wf.available(ARC) == []
    assert [a.action for a in wf.offered(facts(REG))] == ["accept", "decline", "refer", "withdraw", "choose_track", "assign"]
    assert [a.action for a in wf.offered(facts(ARC))] == []


def test_only_those_who_decide_see_the_ending_moves() -> None:
    hidden = {t.action for t in wf.TRANSITIONS if t.hidden_unless_permitted}
    assert hidden == {"decline", "refer", "withdraw", "terminate", "reopen"}
    assert not any(a.hidden_unless_permitted for a in wf.RECORD_ACTIONS)


# ---------------------------------------------------------------- what is missing, and why


def test_mediate_without_a_mediator_is_refused_naming_the_mediator() -> None:
    check = wf.check("mediate", facts(ACC, mediator_id=None))
    assert not check.allowed and check.missing == ["调解员"]
    assert check.message == "无法“开始调解”，还缺少：调解员。"
    with pytest.raises(WorkflowError) as exc:
        wf.ensure("mediate", facts(INV, mediator_id=None))
    assert exc.value.missing == ["调解员"] and str(exc.value) == "无法“开始调解”，还缺少：调解员。"


def test_a_session_needs_a_mediator_assigned_first() -> None:
    assert wf.check("session", facts(MED, mediator_id=None)).missing == ["调解员（请先“指派调解员”）"]


def test_every_missing_item_is_listed_at_once_in_order() -> None:
    empty = wf.CaseFacts(stage=REG)
    check = wf.check("accept", empty)
    assert check.missing == ["调解类型（人民调解/治安调解）", "纠纷类别", "纠纷事实", "至少一名申请人", "至少一名被申请人"]
    assert check.message == "无法“受理”，还缺少：" + "、".join(check.missing) + "。"
    with pytest.raises(WorkflowError) as exc:
        wf.ensure("accept", empty)
    assert exc.value.missing == check.missing


def test_a_case_to_refer_cannot_be_accepted_for_mediation() -> None:
    assert wf.check("accept", facts(REG, track="refer")).missing == ["可调解的类型（需引导/移送的请使用“引导/移送”）"]


def test_a_minor_party_needs_a_guardian_and_a_minor_agent_does_not() -> None:
    minor = wf.PartyFacts("respondent", "小明", is_minor=True)
    assert wf.check("accept", facts(REG, parties=(A, minor))).missing == ["未成年当事人“小明”的监护人"]
    guarded = wf.PartyFacts("respondent", "小明", is_minor=True, has_guardian=True)
    assert wf.check("accept", facts(REG, parties=(A, guarded))).allowed
    third = wf.PartyFacts("third", "小红", is_minor=True)
    assert "未成年当事人“小红”的监护人" in wf.check("accept", facts(REG, parties=(A, R, third))).missing
    young_agent = wf.PartyFacts("agent", "小刚", is_minor=True)
    assert wf.check("accept", facts(REG, parties=(A, R, young_agent))).allowed


def test_police_exclusions_block_acceptance_until_acknowledged_and_only_on_the_police_track() -> None:
    assert wf.check("accept", facts(REG, track="police", police_exclusions=("drugs",))).missing == [
        "督导民警对治安调解排除情形的确认"]
    assert wf.check("accept", facts(REG, track="police", police_exclusions=())).allowed
    assert wf.check("accept", facts(REG, track="people", police_exclusions=("drugs",))).allowed
    assert wf.police_exclusion_labels(["drugs", "unknown"]) == ["涉及黑社会性质组织、毒品、赌博、卖淫嫖娼等的", "unknown"]


def test_an_agreement_needs_its_form_and_for_a_written_one_its_performance() -> None:
    assert wf.check("agree", facts(MED, agreement_kind=None)).missing == ["协议形式（书面或口头）"]
    assert wf.check("agree", facts(MED, agreement_kind="oral", performance_manner="", performance_deadline=None)).allowed
    assert wf.check("agree", facts(MED, mediator_id=None, agreement_terms=" ", performance_manner=" ",
                                   performance_deadline=None)).missing == ["调解员", "协议内容", "履行方式", "履行期限"]
    assert wf.check("agree", facts(MED, track="police", sessions=0)).missing == ["至少一次调解记录"]
    assert wf.check("agree", facts(MED, track="people", sessions=0)).allowed


def test_closing_needs_performance_known_either_way() -> None:
    for status in ("performed", "breached"):
        assert wf.check("close_agreed", facts(AGR, agreement_signed=True, performance_status=status)).allowed
        assert wf.check("close", facts(PER, performance_status=status)).allowed
    for status in (None, "partial"):
        assert wf.check("close_agreed", facts(AGR, agreement_signed=True, performance_status=status)).missing == [
            "履行情况（已履行或未履行）"]
        assert wf.check("close", facts(PER, performance_status=status, follow_ups=0)).missing == [
            "履行情况（已履行或未履行）", "至少一次回访记录"]
    assert wf.check("close_agreed", facts(AGR, agreement_signed=False)).missing == ["已签署的调解协议"]
    assert wf.check("perform", facts(AGR, agreement_signed=False)).missing == ["已签署的调解协议（签字确认后登记）"]
    assert wf.check("close_terminated", wf.CaseFacts(stage=TER)).allowed


def test_archiving_needs_the_final_cover() -> None:
    assert wf.check("archive", facts(CLO, case_file_cover=False)).missing == [
        "定稿的卷宗封面及卷内目录（在“文书”中起草、审批、定稿，写明保管期限）"]


def test_reasons_and_destinations_must_be_more_than_spaces() -> None:
    assert wf.check("terminate", facts(MED, reason="  ")).missing == ["理由"]
    assert wf.check("withdraw", facts(REG, reason="")).missing == ["理由"]
    assert wf.check("refer", facts(REG, reason=" ", referred_to=" ")).missing == [
        "理由", "引导/移送的去向（法院、劳动仲裁、消费者协会、学校等）"]


def test_a_signed_agreement_is_no_longer_offered_for_signing() -> None:
    assert "sign" in [a.action for a in wf.offered(facts(AGR, agreement_signed=False))]
    assert "sign" not in [a.action for a in wf.offered(facts(AGR, agreement_signed=True))]


def test_unknown_actions_are_a_programming_error() -> None:
    with pytest.raises(KeyError, match="nonsense"):
        wf.rule("nonsense")
    with pytest.raises(KeyError, match="not a transition"):
        wf.transition("sign")


def test_wrong_stage_messages() -> None:
    assert wf.check("close", facts(REG)).missing == ["案件当前处于“登记”阶段，不能执行此操作"]
    assert wf.check("sign", facts(MED)).missing == ["只有“达成协议”阶段的案件才能登记签署"]


# ---------------------------------------------------------------- labels and deadline rules


def test_labels() -> None:
    assert wf.stage_label(ACC) == "受理" and wf.stage_label("nonsense") == "nonsense"
    assert wf.track_label("police") == "治安调解" and wf.track_label(None) == "未定" and wf.track_label("") == "未定"
    assert wf.signer_label("recorder") == "记录人" and wf.signer_label("someone") == "someone"
    assert wf.required_copies("police", 5) == 3 and wf.required_copies("people", 2) == 3
    assert wf.required_copies(None, 3) == 4


def test_the_default_deadline_rules() -> None:
    assert [(r.track, r.stage, r.anchor, r.amount, r.unit) for r in wf.DEFAULT_DEADLINE_RULES] == [
        ("people", ACC, "accepted_at", 30, "calendar_days"),
        ("people", INV, "accepted_at", 30, "calendar_days"),
        ("people", MED, "accepted_at", 30, "calendar_days"),
        ("police", ACC, "accepted_at", 3, "working_days"),
        ("police", INV, "accepted_at", 3, "working_days"),
        ("police", MED, "first_session_at", 7, "working_days"),
        ("people", AGR, "agreement_reached_at", 30, "calendar_days"),
    ]
    stored = [{"track": "police", "stage": MED, "anchor": "first_session_at", "amount": 5, "unit": "working_days",
               "label": "第二次调解"}]
    assert wf.rules_from_data(stored) == (wf.DeadlineRule("police", MED, "first_session_at", 5, "working_days",
                                                          "第二次调解"),)
    assert wf.rules_to_data(wf.rules_from_data(stored)) == stored
    assert wf.rules_from_data([]) == wf.DEFAULT_DEADLINE_RULES


def test_a_check_says_which_action_it_is_about() -> None:
    refused = wf.check("archive", facts(MED))
    assert (refused.action, refused.label, refused.allowed) == ("archive", "归档", False)
    allowed = wf.check("terminate", facts(MED))
    assert (allowed.action, allowed.label, allowed.allowed) == ("terminate", "终止调解", True)
    missing = wf.check("mediate", facts(ACC, mediator_id=None))
    assert (missing.action, missing.label) == ("mediate", "开始调解")


def test_an_unknown_track_is_shown_as_stored_and_parties_are_counted_by_role() -> None:
    assert wf.track_label("consultation") == "consultation"
    two = wf.CaseFacts(stage=REG, parties=(A, R, wf.PartyFacts("applicant", "王五")))
    assert (two.count("applicant"), two.count("respondent"), two.count("third")) == (2, 1, 0)
