"""Every hour rule through the services, as the day goes: check-in at login, early, late, stayed
on (the adviser approves), missed check-out (closed at the end and marked), hours added
afterwards (a reason and the adviser's confirmation), locked periods; 值班/办案/培训 apart."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from mediation import workflow
from mediation.db import Database
from mediation.errors import Conflict, PermissionDenied, ValidationError
from mediation.models import AuditLog, DutyShift
from mediation.services import case_records, cases, roster
from mediation.services.case_records import InvestigationInput, SessionInput
from mediation.services.roster import hours, overview
from tests.conftest import Desk
from tests.factories import dispute
from tests.roster_fixtures import WEEK, assign, at, desk_time, enrol, open_term, slot

MON, TUE = WEEK, WEEK + dt.timedelta(days=1)


@pytest.fixture
def day(db: Database, desk: Desk) -> tuple[int, list, dict[str, int]]:
    """A term, three students, and their Monday and Tuesday shifts (09:00–12:00)."""
    term_id = open_term(db, desk.admin)
    students = enrol(db, desk.admin, term_id, 3)
    mon = slot(db, desk.admin, term_id, 0, "09:00", "12:00")
    tue = slot(db, desk.admin, term_id, 1, "09:00", "12:00")
    shifts = {}
    for i, st in enumerate(students):
        shifts[f"mon{i}"] = assign(db, desk.admin, mon, st.actor.user_id)
        shifts[f"tue{i}"] = assign(db, desk.admin, tue, st.actor.user_id)
    return term_id, students, shifts


def figures(db: Database, desk: Desk, term_id: int, student, today: dt.date = TUE) -> overview.StudentFigures:
    with desk_time(today, 20), db.read() as s:
        return next(f for f in overview.term_overview(s, desk.adviser, term_id).students
                    if f.volunteer_id == student.volunteer_id)


def test_check_in_at_login_early_is_not_credited_and_check_out_at_the_end(db: Database, desk: Desk, day) -> None:
    term_id, (a, _b, _c), shifts = day
    with desk_time(MON, 8, 0), db.write() as s:  # too early: the window opens at 08:30
        assert roster.check_in_at_login(s, a.actor) is None
    with desk_time(MON, 8, 40), db.write() as s:
        assert roster.check_in_at_login(s, a.actor) == shifts["mon0"]
    with desk_time(MON, 8, 45), db.write() as s:  # a second login (after the idle lock, say) changes nothing
        assert roster.check_in_at_login(s, a.actor) is None
    with desk_time(MON, 12, 0), db.write() as s:
        done = roster.check_out(s, a.actor, shifts["mon0"])
    assert done.extra_minutes == 0
    f = figures(db, desk, term_id, a, MON)
    assert (f.duty_minutes, f.kept, f.late, f.missed) == (180, 1, 0, 0)


def test_late_arrival_moves_the_start_and_is_shown_to_the_adviser(db: Database, desk: Desk, day) -> None:
    term_id, (_a, b, _c), shifts = day
    with desk_time(MON, 9, 40), db.write() as s:
        assert roster.check_in(s, b.actor) == shifts["mon1"]
    with desk_time(MON, 12, 0), db.write() as s:
        roster.check_out(s, b.actor, shifts["mon1"])
    f = figures(db, desk, term_id, b, MON)
    assert (f.duty_minutes, f.late) == (140, 1)
    with desk_time(MON, 20), db.read() as s:
        ov = overview.term_overview(s, desk.adviser, term_id)
    issues = [(i.shift_id, i.kind, i.minutes) for i in ov.attendance if i.name == b.actor.display_name]
    assert (shifts["mon1"], "late", 40) in issues


def test_staying_on_needs_the_advisers_approval(db: Database, desk: Desk, day) -> None:
    term_id, (a, _b, _c), shifts = day
    with desk_time(MON, 9, 0), db.write() as s:
        roster.check_in(s, a.actor)
    with desk_time(MON, 13, 0), db.write() as s:
        assert roster.check_out(s, a.actor, shifts["mon0"]).extra_minutes == 60
    f = figures(db, desk, term_id, a, MON)
    assert (f.duty_minutes, f.pending_minutes) == (180, 60)
    with db.read() as s:
        pending = hours.pending(s, desk.adviser)
    assert [(e.shift_id, e.minutes) for e in pending.extras] == [(shifts["mon0"], 60)]
    with db.write() as s, pytest.raises(PermissionDenied):
        hours.decide_extra(s, desk.officer, shifts["mon0"], approve=True)  # the adviser's decision
    with desk_time(MON, 18), db.write() as s:
        hours.decide_extra(s, desk.adviser, shifts["mon0"], approve=True)
    f = figures(db, desk, term_id, a, MON)
    assert (f.duty_minutes, f.pending_minutes) == (240, 0)


def test_a_missed_check_out_closes_at_the_end_and_is_marked(db: Database, desk: Desk, day) -> None:
    term_id, (a, _b, c), shifts = day
    with desk_time(MON, 9, 0), db.write() as s:
        roster.check_in(s, c.actor)
    # Nobody checks out. The next day someone checks in: the desk's open shifts are swept.
    with desk_time(TUE, 8, 50), db.write() as s:
        roster.check_in(s, a.actor)
    with db.read() as s:
        shift = s.get(DutyShift, shifts["mon2"])
        assert shift is not None and shift.auto_closed and shift.checked_out_at == at(MON, 12)
        assert s.scalars(select(AuditLog).where(AuditLog.action == "shift.auto_close")).one().after == {
            "shifts": [shifts["mon2"]]}
    f = figures(db, desk, term_id, c, TUE)
    assert (f.duty_minutes, f.missed_check_outs, f.kept) == (180, 1, 1)
    with desk_time(TUE, 20), db.read() as s:
        ov = overview.term_overview(s, desk.adviser, term_id)
    assert (shifts["mon2"], "missed_check_out") in [(i.shift_id, i.kind) for i in ov.attendance]


def test_a_shift_nobody_came_to_is_missed(db: Database, desk: Desk, day) -> None:
    term_id, (_a, b, _c), shifts = day
    f = figures(db, desk, term_id, b, TUE)  # Tuesday evening: both shifts are over, neither was kept
    assert (f.shifts, f.kept, f.missed, f.duty_minutes) == (2, 0, 2, 0)
    with desk_time(TUE, 20), db.read() as s:
        ov = overview.term_overview(s, desk.adviser, term_id)
    assert {i.shift_id for i in ov.attendance if i.kind == "missed" and i.name == b.actor.display_name} == {
        shifts["mon1"], shifts["tue1"]}


def test_the_idle_lock_is_no_event_for_the_hours(db: Database, desk: Desk, day) -> None:
    """Only check-in and check-out touch a shift: locking the screen and unlocking it calls neither
    (the UI test shows the lock controller does not), and hours keep running."""
    term_id, (a, _b, _c), shifts = day
    with desk_time(MON, 9, 0), db.write() as s:
        roster.check_in(s, a.actor)
    f = figures(db, desk, term_id, a, MON)  # evening, never checked out: closed at the end
    assert f.duty_minutes == 180
    with desk_time(MON, 10, 30), db.read() as s:
        on_duty = [v for v in roster.shifts_on(s, a.actor, MON) if v.present]
    assert [v.id for v in on_duty] == [shifts["mon0"]]


def test_an_unscheduled_check_in_counts_once_the_adviser_confirms(db: Database, desk: Desk, day) -> None:
    term_id, (a, _b, _c), _shifts = day
    thu = WEEK + dt.timedelta(days=3)
    with desk_time(thu, 14, 0), db.write() as s:
        shift_id = roster.check_in(s, a.actor)  # no shift on Thursday: 临时到岗
    with desk_time(thu, 16, 0), db.write() as s:
        assert roster.check_out(s, a.actor, shift_id).extra_minutes == 120
    f = figures(db, desk, term_id, a, thu)
    assert (f.pending_minutes, f.duty_minutes) == (120, 0)
    with desk_time(thu, 17), db.write() as s:
        hours.decide_extra(s, desk.adviser, shift_id, approve=True)
    assert figures(db, desk, term_id, a, thu).duty_minutes == 120


def test_hours_added_afterwards_need_a_reason_and_the_advisers_confirmation(db: Database, desk: Desk, day) -> None:
    term_id, (a, b, _c), _shifts = day
    with desk_time(TUE, 15), db.write() as s, pytest.raises(ValidationError) as exc:
        hours.claim_hours(s, a.actor, kind="duty", worked_on=MON, minutes=90, reason="")
    assert set(exc.value.errors) == {"reason"}
    with desk_time(TUE, 15), db.write() as s, pytest.raises(ValidationError) as exc:
        hours.claim_hours(s, a.actor, kind="case", worked_on=MON, minutes=90, reason="调解")
    assert set(exc.value.errors) == {"kind"}  # 办案 time comes from the case records only
    with desk_time(TUE, 15), db.write() as s:
        claim = hours.claim_hours(s, a.actor, kind="duty", worked_on=MON, minutes=90,
                                  reason="周一下午协助接待来访，系统故障未能签到")
        training = hours.claim_hours(s, a.actor, kind="training", worked_on=MON, minutes=120, reason="参加区司法局培训")
    f = figures(db, desk, term_id, a)
    assert (f.duty_minutes, f.training_minutes, f.pending_minutes) == (0, 480, 210)
    with db.write() as s, pytest.raises(PermissionDenied):
        hours.decide_claim(s, b.actor, claim, confirm=True)
    with desk_time(TUE, 16), db.write() as s:
        hours.decide_claim(s, desk.adviser, claim, confirm=True)
        hours.decide_claim(s, desk.adviser, training, confirm=False, note="无培训证明")
    f = figures(db, desk, term_id, a)
    assert (f.duty_minutes, f.training_minutes, f.pending_minutes) == (90, 480, 0)
    with db.write() as s, pytest.raises(Conflict):
        hours.decide_claim(s, desk.adviser, claim, confirm=False)


def test_a_locked_period_refuses_changes_to_its_hours(db: Database, desk: Desk, day) -> None:
    _term_id, (a, _b, _c), shifts = day
    with desk_time(MON, 9, 0), db.write() as s:
        roster.check_in(s, a.actor)
    with desk_time(MON, 13, 0), db.write() as s:
        roster.check_out(s, a.actor, shifts["mon0"])  # 60 minutes waiting for the adviser
    later = WEEK + dt.timedelta(days=8)
    with desk_time(later, 10), db.write() as s, pytest.raises(Conflict) as exc:
        hours.lock_period(s, desk.adviser, starts_on=WEEK, ends_on=WEEK + dt.timedelta(days=6), note="九月第二周")
    assert "1 个班次" in exc.value.message
    with desk_time(later, 10), db.write() as s:
        hours.decide_extra(s, desk.adviser, shifts["mon0"], approve=False)
        hours.lock_period(s, desk.adviser, starts_on=WEEK, ends_on=WEEK + dt.timedelta(days=6), note="九月第二周")
    with desk_time(later, 11), db.write() as s, pytest.raises(ValidationError) as exc:
        hours.claim_hours(s, a.actor, kind="duty", worked_on=TUE, minutes=60, reason="补记")
    assert "锁定" in exc.value.message
    with desk_time(later, 11), db.write() as s, pytest.raises(ValidationError):
        hours.lock_period(s, desk.adviser, starts_on=later, ends_on=later)  # only days gone by


def test_case_hours_come_from_the_case_records_and_are_kept_apart(db: Database, desk: Desk, day) -> None:
    term_id, (a, b, _c), _shifts = day
    with desk_time(MON, 12), db.write() as s:
        ref = cases.register_case(s, a.actor, dispute())
        cases.choose_track(s, desk.officer, ref.id, workflow.PEOPLE)
        cases.assign_mediator(s, desk.officer, ref.id, a.actor.user_id)
        cases.accept_case(s, desk.officer, ref.id)
        case_records.add_investigation(s, a.actor, ref.id, InvestigationInput(held_at=at(MON, 10), content="走访房东"))
        case_records.add_session_record(s, a.actor, ref.id, SessionInput(held_at=at(MON, 11), content="双方陈述",
                                                                           result="continued"))
        case_records.add_session_record(s, b.actor, ref.id, SessionInput(held_at=at(MON, 11, 30), content="继续",
                                                                           result="continued"))
    f_a, f_b = figures(db, desk, term_id, a), figures(db, desk, term_id, b)
    # a: mediator of both sessions (60 min each), recorder of the first, one investigation (45).
    assert (f_a.sessions, f_a.investigations, f_a.case_minutes) == (2, 1, 165)
    assert (f_b.sessions, f_b.case_minutes, f_b.cases_handled) == (1, 60, 1)  # recorder of the second
    assert f_a.duty_minutes == 0 and f_a.training_minutes == 480  # kinds kept apart
    assert f_a.cases_handled == 1 and f_a.case_types[0].category == "合同"
