"""A case and its stages: registration to archive, on every backend."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from mediation import workflow
from mediation.errors import Conflict, NotFound, PermissionDenied, ValidationError, WorkflowError
from mediation.models import AuditLog, Case, Party
from mediation.services import audit, case_detail, case_records, cases, parties, setup
from mediation.services.case_records import FollowUpInput, SessionInput
from mediation.services.cases import AgreementInput, CaseEdit
from mediation.timeutil import utcnow
from tests.factories import dispute, final_cover, person


def _register(db, actor, **kw):
    with db.write() as s:
        return cases.register_case(s, actor, dispute(**kw))


def test_whole_people_mediation_flow(db, desk):
    ref = _register(db, desk.volunteer)
    assert ref.stage == workflow.REGISTERED and ref.number is None

    with db.write() as s, pytest.raises(WorkflowError) as exc:
        cases.accept_case(s, desk.officer, ref.id)
    assert "调解类型" in str(exc.value)

    with db.write() as s:
        cases.choose_track(s, desk.officer, ref.id, workflow.PEOPLE)
        cases.assign_mediator(s, desk.officer, ref.id, desk.volunteer.user_id)
        accepted = cases.accept_case(s, desk.officer, ref.id)
    year = dt.datetime.now().year
    assert accepted.number == f"（{accepted.number[1:5]}）X警校调字第001号"
    assert abs(int(accepted.number[1:5]) - year) <= 1

    now = utcnow()
    with db.write() as s:
        case_records.add_session_record(s, desk.volunteer, ref.id, SessionInput(
            held_at=now, content="双方陈述意见，同意退还部分押金。", place="联调中心调解室",
            attendees="张三、李四、李同学", result="agreed"))
        cases.record_agreement(s, desk.volunteer, ref.id, AgreementInput(
            kind="oral", terms="被申请人当场退还押金2000元。", amount="2000", signed=True))
        case_records.add_follow_up(s, desk.volunteer, ref.id, FollowUpInput(
            visited_at=now, result="已当场退还。", performance_status="performed"))
        closed = cases.close_case(s, desk.officer, ref.id)
    assert closed.stage == workflow.CLOSED

    # One retention field, on the cover, and archiving needs the cover final (issue 12 item 24).
    with db.write() as s, pytest.raises(WorkflowError, match="卷宗封面"):
        cases.archive_case(s, desk.officer, ref.id)
    with db.write() as s:
        final_cover(s, desk, ref.id, retention="三十年")
    with db.write() as s:
        archived = cases.archive_case(s, desk.officer, ref.id)
    assert archived.stage == workflow.ARCHIVED
    with db.read() as s:
        assert s.get(Case, ref.id).retention_years == 30

    with db.read() as s:
        detail = case_detail.get_case(s, desk.officer, ref.id)
        stages = [(e.stage_from, e.stage_to) for e in detail.events if e.stage_to]
        assert (workflow.REGISTERED, workflow.ACCEPTED) in stages
        assert (workflow.PERFORMING, workflow.CLOSED) in stages
        assert detail.result == "success"
        assert detail.agreement_amount == Decimal("2000.00")
        assert len(detail.sessions) == 1 and len(detail.follow_ups) == 1
        assert detail.parties[0].id_number_masked.startswith("110") and "*" in detail.parties[0].id_number_masked
        actions = {a[0] for a in s.execute(select(AuditLog.action).where(AuditLog.case_id == ref.id))}
        assert {"case.register", "case.accept", "case.session", "case.agreement", "case.close",
                "case.archive"} <= actions
        assert audit.verify(s).ok


def test_bad_input_reports_every_field_and_saves_nothing(db, desk):
    bad = dispute(parties=[person("applicant", "张三", seq=111),
                           parties.PartyInput(role="respondent", name="李四", id_number="110105200305171234",
                                            phone="12345")],
                  facts="", amount="12.345")
    with db.write() as s, pytest.raises(ValidationError) as exc:
        cases.register_case(s, desk.volunteer, bad)
    errs = exc.value.errors
    assert {"facts", "amount", "parties.1.id_number", "parties.1.phone"} <= set(errs)
    with db.read() as s:
        assert s.scalar(select(Party.id)) is None


def test_second_save_of_stale_version_conflicts(db, desk):
    ref = _register(db, desk.volunteer)
    edit = CaseEdit(facts="补充事实：押金收据丢失。", claims="退还押金", category="合同", source="当事人申请")
    with db.write() as s:
        first = cases.update_case(s, desk.volunteer, ref.id, edit, expected_version=ref.version)
    assert first.version == ref.version + 1
    with db.write() as s, pytest.raises(Conflict):
        cases.update_case(s, desk.officer, ref.id, CaseEdit(facts="别的内容"), expected_version=ref.version)
    with db.read() as s:
        assert case_detail.get_case(s, desk.officer, ref.id).facts == "补充事实：押金收据丢失。"


def test_volunteer_cannot_accept(db, desk):
    ref = _register(db, desk.volunteer)
    with db.write() as s:
        cases.choose_track(s, desk.officer, ref.id, workflow.PEOPLE)
    with db.write() as s, pytest.raises(PermissionDenied):
        cases.accept_case(s, desk.volunteer, ref.id)


def test_police_track_needs_acknowledged_exclusions_and_guardian(db, desk):
    minor_birth = dt.date.today().replace(year=dt.date.today().year - 15)
    ref = _register(db, desk.volunteer, parties=[
        person("applicant", "张三", seq=111),
        person("respondent", "小明", birth=minor_birth, seq=333)])
    with db.write() as s, pytest.raises(WorkflowError) as exc:
        cases.choose_track(s, desk.officer, ref.id, workflow.POLICE)
    assert "监护人" in str(exc.value)
    # Add the guardian and try again with an exclusion circumstance.
    with db.read() as s:
        d = case_detail.get_case(s, desk.officer, ref.id)
    parties = [person("applicant", "张三", seq=111), person("respondent", "小明", birth=minor_birth, seq=333),
               person("guardian", "小明妈妈", birth=dt.date(1980, 1, 2), seq=444, represents=1)]
    with db.write() as s:
        cases.update_case(s, desk.volunteer, ref.id, CaseEdit(
            facts=d.facts, claims=d.claims, category=d.category, source=d.source, parties=parties),
            expected_version=d.version)
    with db.write() as s, pytest.raises(WorkflowError) as exc:
        cases.choose_track(s, desk.officer, ref.id, workflow.POLICE, exclusions=["repeat"])
    assert "屡教不改" in str(exc.value)
    with db.write() as s:
        cases.choose_track(s, desk.officer, ref.id, workflow.POLICE, exclusions=["repeat"], acknowledge=True)
        cases.assign_mediator(s, desk.officer, ref.id, desk.officer.user_id)
        accepted = cases.accept_case(s, desk.officer, ref.id)
    with db.read() as s:
        detail = case_detail.get_case(s, desk.officer, ref.id)
    assert detail.deadline is not None and "3个工作日" in detail.deadline_label
    assert accepted.number.endswith("第001号")


def test_numbers_are_sequential_per_desk(db, desk):
    numbers = []
    for _i in range(3):
        ref = _register(db, desk.volunteer)
        with db.write() as s:
            cases.choose_track(s, desk.officer, ref.id, workflow.PEOPLE)
            numbers.append(cases.accept_case(s, desk.officer, ref.id).number)
    assert [n[-5:] for n in numbers] == ["第001号", "第002号", "第003号"]


def test_case_list_pages_filters_and_search(db, desk):
    from mediation.services import caselist
    from mediation.services.caselist import CaseQuery

    ids = [_register(db, desk.volunteer).id for _i in range(5)]
    with db.write() as s:
        cases.choose_track(s, desk.officer, ids[0], workflow.PEOPLE)
        cases.accept_case(s, desk.officer, ids[0])
    with db.read() as s:
        first = caselist.list_cases(s, desk.volunteer, CaseQuery(), limit=2)
        second = caselist.list_cases(s, desk.volunteer, CaseQuery(), cursor=first.cursor, limit=2)
        third = caselist.list_cases(s, desk.volunteer, CaseQuery(), cursor=second.cursor, limit=2)
        seen = [r.id for r in first.rows + second.rows + third.rows]
        assert seen == sorted(ids, reverse=True) and third.cursor is None
        assert caselist.count_cases(s, desk.volunteer, CaseQuery(stages=(workflow.ACCEPTED,))) == 1
        assert [r.id for r in caselist.search(s, desk.volunteer, "张三")][-1] == ids[0]
        assert caselist.search(s, desk.volunteer, "第001号")[0].id == ids[0]
        assert caselist.search(s, desk.volunteer, "不存在的名字") == []


def test_consultation_converts_to_case(db, desk):
    from mediation.services import consultations as cons

    with db.write() as s:
        cid = cons.log_consultation(s, desk.volunteer, cons.ConsultationInput(
            topic="押金不退怎么办", answer="建议先协商，保留转账记录，可申请调解。", person_name="陈一",
            phone="13712345678", question="房东不退押金", category="合同", minutes=15))
    with db.read() as s:
        form = cons.prefill_case(s, desk.volunteer, cid)
    form.parties.append(person("respondent", "房东周某", seq=555))
    with db.write() as s:
        ref = cons.convert_to_case(s, desk.volunteer, cid, form)
    with db.read() as s:
        assert cons.get_consultation(s, desk.volunteer, cid).converted_case_id == ref.id
        assert case_detail.get_case(s, desk.volunteer, ref.id).parties[0].name == "陈一"


@pytest.mark.parametrize("action", ["decline", "withdraw"])
def test_the_audit_row_of_a_decline_or_withdrawal_holds_its_reason(db, desk, action) -> None:
    ref = _register(db, desk.volunteer)
    reason = "双方已自行和解。" if action == "withdraw" else "已向法院起诉，不属于受理范围。"
    with db.write() as s:
        done = getattr(cases, f"{action}_case")(s, desk.officer, ref.id, reason=reason,
                                               expected_version=ref.version)
    # One action, one new version.
    assert done.version == ref.version + 1
    with db.read() as s:
        row = s.scalars(select(AuditLog).where(AuditLog.case_id == ref.id,
                                               AuditLog.action == f"case.{action}")).one()
        assert row.after["outcome_reason"] == reason
        assert row.after["stage"] == workflow.CLOSED
        assert s.get(cases.Case, ref.id).outcome_reason == reason


def test_a_desk_is_changed_only_by_its_own_people(db, desk) -> None:
    """Issue 11's rule, stated once in permissions.Actor: a roll-up account reads across
    desks and changes none; a desk's administrator neither reads nor changes another desk;
    the installation's administrator (the first one) does both."""
    with db.write() as s:
        other_desk = setup.create_desk(s, desk.admin, name="第二联调中心", number_prefix="Y警校调字")
    their_officer = dataclasses.replace(desk.officer, desk_id=other_desk)
    with db.write() as s:
        theirs = cases.register_case(s, their_officer, dispute(desk_id=other_desk)).id
    roll_up = dataclasses.replace(desk.officer, desk_id=None, all_desks=True)
    with db.read() as s:
        assert case_detail.get_case(s, roll_up, theirs).desk_id == other_desk  # may read it
    with db.write() as s, pytest.raises(PermissionDenied):
        cases.choose_track(s, roll_up, theirs, workflow.PEOPLE)
    desk_admin = dataclasses.replace(desk.admin, all_desks=False)
    with db.read() as s, pytest.raises(NotFound):
        case_detail.get_case(s, desk_admin, theirs)
    with db.write() as s, pytest.raises(NotFound):
        cases.choose_track(s, desk_admin, theirs, workflow.PEOPLE)
    for outsider in (roll_up, desk_admin):
        with db.write() as s, pytest.raises(ValidationError) as err:
            cases.register_case(s, outsider, dispute(desk_id=other_desk))
        assert "desk_id" in err.value.errors
    with db.read() as s:  # the installation's administrator reads it too
        assert case_detail.get_case(s, desk.admin, theirs).desk_id == other_desk
    with db.write() as s:  # their own officer may
        cases.choose_track(s, their_officer, theirs, workflow.PEOPLE)
