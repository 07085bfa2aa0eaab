"""The roster's hour rules and its timetable checks, on plain values (no database)."""

from __future__ import annotations

import datetime as dt

from mediation import volunteering as v
from mediation.services.roster import conflicts
from mediation.services.roster.conflicts import Need, Person, Placed

TZ = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2026, 9, 14, 9, 0, tzinfo=TZ)
END = dt.datetime(2026, 9, 14, 12, 0, tzinfo=TZ)


def at(hour: int, minute: int = 0, day: int = 14) -> dt.datetime:
    return dt.datetime(2026, 9, day, hour, minute, tzinfo=TZ)


def shift(**kw: object) -> v.ShiftFacts:
    return v.ShiftFacts(START, END, **kw)  # type: ignore[arg-type]


def test_arriving_early_is_not_credited() -> None:
    a = v.attendance(shift(checked_in_at=at(8, 30), checked_out_at=at(12, 0)), at(13), grace_minutes=5)
    assert (a.state, a.credited_minutes, a.late_minutes, a.credit_start) == (v.KEPT, 180, 0, START)


def test_arriving_late_moves_the_start_and_is_late_beyond_the_grace() -> None:
    a = v.attendance(shift(checked_in_at=at(9, 40), checked_out_at=at(12, 0)), at(13), grace_minutes=5)
    assert (a.credited_minutes, a.late_minutes, a.late) == (140, 40, True)
    within = v.attendance(shift(checked_in_at=at(9, 4), checked_out_at=at(12, 0)), at(13), grace_minutes=5)
    assert (within.credited_minutes, within.late) == (176, False)  # counted from the check-in all the same


def test_staying_on_counts_only_once_the_adviser_approves() -> None:
    assert v.stayed_on_minutes(END, at(12, 50), grace_minutes=5) == 50
    assert v.stayed_on_minutes(END, at(12, 3), grace_minutes=5) == 0
    pending = v.attendance(shift(checked_in_at=at(9), checked_out_at=at(12, 50), extra_minutes=50,
                                 extra_status="pending"), at(13))
    assert (pending.credited_minutes, pending.pending_minutes) == (180, 50)
    approved = v.attendance(shift(checked_in_at=at(9), checked_out_at=at(12, 50), extra_minutes=50,
                                  extra_status="approved"), at(13))
    assert (approved.credited_minutes, approved.pending_minutes) == (230, 0)
    refused = v.attendance(shift(checked_in_at=at(9), checked_out_at=at(12, 50), extra_minutes=50,
                                 extra_status="rejected"), at(13))
    assert (refused.credited_minutes, refused.pending_minutes) == (180, 0)


def test_a_missed_check_out_closes_at_the_end_and_is_marked() -> None:
    open_ = v.attendance(shift(checked_in_at=at(9)), at(15))
    assert (open_.state, open_.credited_minutes, open_.missed_check_out, open_.credit_end) == (v.KEPT, 180, True, END)
    closed = v.attendance(shift(checked_in_at=at(9), checked_out_at=END, auto_closed=True), at(15))
    assert (closed.credited_minutes, closed.missed_check_out) == (180, True)


def test_on_duty_counts_so_far_and_a_shift_nobody_came_to_is_missed_once_over() -> None:
    now = v.attendance(shift(checked_in_at=at(9)), at(10, 30))
    assert (now.state, now.credited_minutes, now.missed_check_out) == (v.ON_DUTY, 90, False)
    assert v.attendance(shift(), at(11)).state == v.UPCOMING
    assert v.attendance(shift(), at(12)).state == v.MISSED


def test_an_unscheduled_check_in_counts_nothing_until_approved() -> None:
    f = v.ShiftFacts(at(14), at(16), at(14), at(16), scheduled=False, extra_minutes=120, extra_status="pending")
    a = v.attendance(f, at(17))
    assert (a.credited_minutes, a.pending_minutes) == (0, 120)
    assert v.attendance(v.ShiftFacts(at(14), at(16), at(14), at(16), scheduled=False, extra_minutes=120,
                                     extra_status="approved"), at(17)).credited_minutes == 120
    assert v.attendance(v.ShiftFacts(at(14), at(18), scheduled=False), at(19)).state == v.UPCOMING


# ---------------------------------------------------------------- the week's checks

STUDENT, OFFICER = "volunteer", "officer"


def people() -> dict[int, Person]:
    return {1: Person(1, "甲", STUDENT, v.ACTIVE, True),
            2: Person(2, "乙", STUDENT, v.ACTIVE, True),
            3: Person(3, "丙", STUDENT, v.TRAINING, False),
            4: Person(4, "丁", STUDENT, v.SUSPENDED, True),
            5: Person(5, "戊", STUDENT, v.ACTIVE, True, valid_until=dt.date(2026, 9, 14)),
            9: Person(9, "王警官", OFFICER)}


def need(slot: int, day: int, start: int, end: int, students: int = 2, officers: int = 1) -> Need:
    return Need(slot, dt.date(2026, 9, day), at(start, day=day), at(end, day=day), students, officers)


def test_conflicts_and_coverage_of_a_week() -> None:
    needs = [need(10, 14, 9, 12), need(11, 14, 11, 14), need(12, 15, 9, 12), need(13, 16, 9, 12)]
    placed = [
        Placed(1, 1, 10, at(9), at(12)), Placed(2, 2, 10, at(9), at(12)), Placed(3, 9, 10, at(9), at(12)),  # covered
        Placed(4, 1, 11, at(11), at(14)),  # 甲 twice at 11–12: overlap; 11–14 short of a student and the officer
        Placed(5, 3, 12, at(9, day=15), at(12, day=15)),  # 丙 untrained
        Placed(6, 4, 12, at(9, day=15), at(12, day=15)),  # 丁 suspended
        Placed(7, 5, 13, at(9, day=16), at(12, day=16)),  # 戊 expired on the 14th
    ]
    problems, coverage = conflicts.check_week(placed, needs, people(), max_weekly_minutes=300)
    kinds = sorted((p.kind, p.shift_ids) for p in problems)
    assert kinds == sorted([
        ("overlap", (1, 4)),
        ("understaffed", (4,)),  # slot 11: 1 student of 2, no officer
        ("understaffed", (5, 6)),  # slot 12: the two students are there, no officer
        ("understaffed", (7,)),  # slot 13
        ("over_weekly", (1, 4)),  # 甲: 6 hours > 5
        ("untrained", (5,)),
        ("not_on_duty", (6,)),
        ("expired", (7,)),
    ])
    assert [(c.slot_id, c.students, c.students_needed, c.officers, c.officers_needed, c.covered) for c in coverage] == [
        (10, 2, 2, 1, 1, True), (11, 1, 2, 0, 1, False), (12, 2, 2, 0, 1, False), (13, 1, 2, 0, 1, False)]
    overlap = next(p for p in problems if p.kind == "overlap")
    assert "甲" in overlap.message and "重叠" in overlap.message


def test_a_clean_week_has_no_problems() -> None:
    needs = [need(10, 14, 9, 12)]
    placed = [Placed(1, 1, 10, at(9), at(12)), Placed(2, 2, 10, at(9), at(12)), Placed(3, 9, 10, at(9), at(12))]
    problems, coverage = conflicts.check_week(placed, needs, people(), max_weekly_minutes=480)
    assert problems == [] and coverage[0].covered


def test_back_to_back_shifts_do_not_overlap() -> None:
    placed = [Placed(1, 1, None, at(9), at(12)), Placed(2, 1, None, at(12), at(15))]
    problems, _cov = conflicts.check_week(placed, [], people(), max_weekly_minutes=480)
    assert problems == []


def test_week_start_and_texts() -> None:
    assert v.week_start(dt.date(2026, 9, 17)) == dt.date(2026, 9, 14)
    assert v.minute_text(9 * 60 + 5) == "09:05"
    assert v.hours_text(90) == "1.5"
    assert v.status_label(v.LEFT) == "退出"
