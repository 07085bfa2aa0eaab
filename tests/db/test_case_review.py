"""抽卷评查 (issue 15 item 6): the draw, the checklist, findings, the summary."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from mediation import workflow
from mediation.db import Database
from mediation.errors import PermissionDenied, ValidationError
from mediation.models import AuditLog, CaseReviewDraw
from mediation.services import audit_view, case_records, case_review, cases, setup
from mediation.services.audit_view import AuditQuery
from mediation.services.case_records import FollowUpInput
from mediation.services.case_review import ItemInput
from mediation.services.cases import AgreementInput
from mediation.timeutil import clock_at, utcnow
from tests.conftest import Desk
from tests.factories import dispute, mediating_case

CST = dt.timezone(dt.timedelta(hours=8))


def declined_on(db: Database, desk: Desk, at: dt.datetime) -> int:
    """A case registered and declined (closed at once) at ``at``."""
    with clock_at(at), db.write() as s:
        ref = cases.register_case(s, desk.volunteer, dispute())
        cases.decline_case(s, desk.officer, ref.id, reason="不属于调解范围。")
    return int(ref.id)


def settled_on(db: Database, desk: Desk, at: dt.datetime) -> int:
    """A people's-mediation case settled by an oral agreement, followed up and closed at ``at``;
    the volunteer mediated."""
    with clock_at(at), db.write() as s:
        case_id = mediating_case(s, desk)
        cases.record_agreement(s, desk.volunteer, case_id, AgreementInput(
            kind="oral", terms="当场退还押金2000元。", amount="2000", signed=True))
        case_records.add_follow_up(s, desk.volunteer, case_id, FollowUpInput(
            visited_at=utcnow(), result="已退还。", performance_status="performed"))
        cases.close_case(s, desk.officer, case_id)
    return case_id


def terminated_on(db: Database, desk: Desk, at: dt.datetime) -> int:
    """A people's-mediation case the volunteer mediated, terminated without agreement and closed at ``at``."""
    with clock_at(at), db.write() as s:
        case_id = mediating_case(s, desk)
        cases.terminate_case(s, desk.officer, case_id, reason="双方分歧较大。", routes="可向人民法院起诉。")
        cases.close_case(s, desk.officer, case_id)
    return case_id


def test_the_draw_takes_only_closed_cases_of_the_period_and_desk_and_is_reproducible(db: Database, desk: Desk) -> None:
    october = [declined_on(db, desk, dt.datetime(2026, 10, d, 10, 0, tzinfo=CST)) for d in (8, 9, 12, 13, 14, 15)]
    # Closed just outside October (desk time), and an open case: never drawn.
    before = declined_on(db, desk, dt.datetime(2026, 9, 30, 23, 59, tzinfo=CST))
    after = declined_on(db, desk, dt.datetime(2026, 11, 1, 0, 1, tzinfo=CST))
    with db.write() as s:
        open_case = cases.register_case(s, desk.volunteer, dispute()).id
        other = setup.create_desk(s, desk.admin, name="另一个联调中心", number_prefix="Y警校调字")
    with db.write() as s:
        result = case_review.draw_cases(s, desk.officer, period_from=dt.date(2026, 10, 1),
                                        period_to=dt.date(2026, 10, 31), n=4, seed=20261006)
    assert result.population == 6 and len(result.case_ids) == 4
    assert set(result.case_ids) <= set(october)
    assert not {before, after, open_case} & set(result.case_ids)
    # The same seed and population give the same cases; the record says so.
    assert case_review.pick(october, 20261006, 4) == result.case_ids
    with db.read() as s:
        recorded, again = case_review.reproduce_draw(s, desk.officer, result.draw_id)
        draws = case_review.list_draws(s, desk.officer)
        row = s.execute(select(AuditLog.desk_id, AuditLog.after).where(AuditLog.action == "review.draw")).one()
    assert recorded == again == result.case_ids
    assert draws[0].seed == "20261006" and draws[0].population == 6
    assert [r.case_id for r in draws[0].reviews] == result.case_ids
    assert row.desk_id == desk.desk_id and row.after is not None
    assert row.after["seed"] == "20261006" and row.after["cases"] == result.case_ids
    # Asking for more than there are takes them all; a seed not given is made and recorded.
    with db.write() as s:
        all_of_them = case_review.draw_cases(s, desk.officer, period_from=dt.date(2026, 10, 1),
                                             period_to=dt.date(2026, 10, 31), n=50)
    assert sorted(all_of_them.case_ids) == october
    with db.read() as s:
        recorded, again = case_review.reproduce_draw(s, desk.officer, all_of_them.draw_id)
    assert recorded == again
    # Another desk's cases: the officer may not draw there.
    with db.write() as s, pytest.raises(PermissionDenied):
        case_review.draw_cases(s, desk.officer, period_from=dt.date(2026, 10, 1), period_to=dt.date(2026, 10, 31),
                               n=2, desk_id=other)


def test_a_changed_record_no_longer_reproduces(db: Database, desk: Desk) -> None:
    population = [declined_on(db, desk, dt.datetime(2026, 10, d, 10, 0, tzinfo=CST)) for d in (8, 9, 12, 13, 14)]
    with db.write() as s:
        result = case_review.draw_cases(s, desk.officer, period_from=dt.date(2026, 10, 1),
                                        period_to=dt.date(2026, 10, 31), n=2, seed=1)
    forged = next(seed for seed in range(2, 100) if case_review.pick(population, seed, 2) != result.case_ids)
    with db.write() as s:
        s.execute(update(CaseReviewDraw).values(seed=str(forged)))
    with db.read() as s:
        recorded, again = case_review.reproduce_draw(s, desk.officer, result.draw_id)
    assert recorded == result.case_ids
    assert again == case_review.pick(population, forged, 2) != recorded


def test_bad_input_is_refused_where_it_was_typed(db: Database, desk: Desk) -> None:
    with db.write() as s, pytest.raises(ValidationError) as exc:
        case_review.draw_cases(s, desk.officer, period_from=dt.date(2026, 10, 31), period_to=dt.date(2026, 10, 1), n=0)
    assert set(exc.value.errors) >= {"period_to", "count"}
    with db.write() as s, pytest.raises(ValidationError) as exc:
        case_review.draw_cases(s, desk.officer, period_from=dt.date(2020, 1, 1), period_to=dt.date(2020, 1, 31), n=3)
    assert "没有已结案的案件" in str(exc.value)
    with db.write() as s, pytest.raises(PermissionDenied):
        case_review.draw_cases(s, desk.volunteer, period_from=dt.date(2026, 10, 1), period_to=dt.date(2026, 10, 31),
                               n=3)


def test_checklist_is_prefilled_findings_recorded_and_the_volunteer_sees_them(db: Database, desk: Desk) -> None:
    good = settled_on(db, desk, dt.datetime(2026, 10, 12, 10, 0, tzinfo=CST))
    no_follow_up = terminated_on(db, desk, dt.datetime(2026, 10, 13, 10, 0, tzinfo=CST))
    with db.write() as s:
        result = case_review.draw_cases(s, desk.officer, period_from=dt.date(2026, 10, 1),
                                        period_to=dt.date(2026, 10, 31), n=2, seed=5)
    with db.read() as s:
        draw = case_review.list_draws(s, desk.officer)[0]
        by_case = {r.case_id: r.id for r in draw.reviews}
        first = case_review.get_review(s, desk.officer, by_case[good])
        second = case_review.get_review(s, desk.officer, by_case[no_follow_up])
    assert sorted(result.case_ids) == sorted([good, no_follow_up])
    hints = {i.key: i for i in first.items}
    assert hints["follow_up"].suggested is True and "1 次回访" in hints["follow_up"].reason
    assert hints["documents"].suggested is False  # no documents were drafted on this case
    assert hints["deadlines"].suggested is True
    assert {i.key: (i.suggested, i.reason) for i in second.items}["follow_up"] == (True, "未达成协议，无需回访。")
    assert {i.key: i.suggested for i in second.items}["signatures"] is None  # no final document to look at
    assert all(i.met is None for i in first.items) and first.status == "pending"

    # An item not met needs a note saying what is wrong: nothing is saved without it.
    with db.write() as s, pytest.raises(ValidationError) as exc:
        case_review.record_review(s, desk.officer, by_case[no_follow_up], {
            "documents": ItemInput(True), "deadlines": ItemInput(True), "signatures": ItemInput(True),
            "follow_up": ItemInput(False, "  ")})
    assert list(exc.value.errors) == ["follow_up"]
    with db.write() as s:
        found = case_review.record_review(s, desk.officer, by_case[no_follow_up], {
            "documents": ItemInput(False, "缺终止调解告知书。"), "deadlines": ItemInput(True),
            "signatures": ItemInput(True), "follow_up": ItemInput(False, "终止后未回访当事人。")},
            other="卷宗目录未编页码。", comment="整改后复查。")
        case_review.record_review(s, desk.officer, by_case[good], {
            k: ItemInput(True) for k in case_review.CHECK_ITEMS})
    assert [f["kind"] for f in found] == ["documents", "follow_up", "other"]
    with db.read() as s:
        again = case_review.get_review(s, desk.officer, by_case[no_follow_up])
        mine = case_review.findings_for(s, desk.volunteer)
        officers = case_review.findings_for(s, desk.adviser)
        summary = case_review.summary(s, desk.officer, dt.date(2026, 10, 1), dt.date(2026, 12, 31))
        audited = list(audit_view.iter_entries(s, desk.officer, AuditQuery(action="review.record")))
    assert again.status == "reviewed" and {i.key: i.met for i in again.items}["follow_up"] is False
    assert [(f.case_id, f.kind_label, f.text) for f in mine] == [
        (no_follow_up, "文书齐全且已定稿", "缺终止调解告知书。"), (no_follow_up, "回访已完成", "终止后未回访当事人。"),
        (no_follow_up, "其他问题", "卷宗目录未编页码。")]
    assert officers == []  # the adviser did not work these cases
    assert (summary.draws, summary.drawn, summary.reviewed, summary.with_findings) == (1, 2, 2, 1)
    assert summary.by_kind == {"documents": 1, "deadlines": 0, "signatures": 0, "follow_up": 1, "other": 1}
    assert {e.case_id for e in audited} == {good, no_follow_up}
    assert all(e.desk_id == desk.desk_id for e in audited)


def test_police_deadlines_are_checked_in_working_days(db: Database, desk: Desk) -> None:
    from mediation.services import deadlines
    from mediation.services.case_records import SessionInput

    # National Day 2026 (the calendar the desk is seeded with): 10-01 to 10-07 off, Saturday
    # 10-10 worked. Accepted Wednesday 09-30, the three working days are 10-08, 10-09, 10-10.
    with clock_at(dt.datetime(2026, 9, 30, 10, 0, tzinfo=CST)), db.write() as s:
        ref = cases.register_case(s, desk.volunteer, dispute())
        cases.choose_track(s, desk.officer, ref.id, workflow.POLICE)
        cases.assign_mediator(s, desk.officer, ref.id, desk.volunteer.user_id)
        cases.accept_case(s, desk.officer, ref.id)
    with db.read() as s:
        assert deadlines.calendar(s).is_workday(dt.date(2026, 10, 10))
    with clock_at(dt.datetime(2026, 10, 12, 10, 0, tzinfo=CST)), db.write() as s:
        case_records.add_session_record(s, desk.volunteer, ref.id, SessionInput(
            held_at=utcnow(), content="双方和解。", place="派出所", attendees="双方", result="agreed"))
    with db.read() as s:
        hint = case_review.suggest(s, cases.load_case(s, desk.officer, ref.id))["deadlines"]
    assert hint.met is False and hint.reason == "首次调解 2026-10-12，超过期限 2026-10-10。"
