"""Tests for mediation.workdays."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mediation.workdays import (
    HolidayEntry,
    WorkCalendar,
    chinese_calendar_years,
    seed_from_chinese_calendar,
)

D = date
ONE = timedelta(days=1)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar.from_chinese_calendar()


# Built once for the hypothesis tests (fixtures do not mix with @given well).
CAL = WorkCalendar.from_chinese_calendar()
known_days = st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 10, 31))


def brute_add(calendar: WorkCalendar, start: date, n: int) -> date:
    """Day-by-day reference for add_workdays."""
    d = start
    if n == 0:
        while not calendar.is_workday(d):
            d += ONE
        return d
    while n:
        d += ONE
        if calendar.is_workday(d):
            n -= 1
    return d


# --------------------------------------------------------------------------------------
# facts from the package data


def test_package_coverage() -> None:
    years = chinese_calendar_years()
    assert years.start == 2004
    assert {2024, 2025, 2026} <= set(years)
    # Same range the package itself enforces.
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(years.stop, 1, 5))
    chinese_calendar.is_workday(D(years.stop - 1, 12, 31))


def test_agrees_with_package_on_every_known_day(cal: WorkCalendar) -> None:
    years = chinese_calendar_years()
    d, end = D(years.start, 1, 1), D(years.stop - 1, 12, 31)
    mismatches = []
    while d <= end:
        if cal.is_workday(d) != chinese_calendar.is_workday(d):
            mismatches.append(d)
        d += ONE
    assert mismatches == []


def test_national_day_2025(cal: WorkCalendar) -> None:
    for day in range(1, 9):
        assert not cal.is_workday(D(2025, 10, day)), day
    assert cal.is_workday(D(2025, 9, 28))  # Sunday, 调休
    assert cal.is_workday(D(2025, 10, 11))  # Saturday, 调休
    assert cal.is_workday(D(2025, 10, 9))
    assert not cal.is_workday(D(2025, 10, 12))  # ordinary Sunday
    assert cal.next_workday(D(2025, 9, 30)) == D(2025, 10, 9)
    assert cal.add_workdays(D(2025, 9, 26), 3) == D(2025, 9, 30)  # Sun 28th counts
    assert cal.workdays_between(D(2025, 9, 26), D(2025, 10, 12)) == 6


def test_2024_facts(cal: WorkCalendar) -> None:
    assert cal.is_workday(D(2024, 2, 4))  # Sunday before Spring Festival
    assert cal.is_workday(D(2024, 2, 18))  # Sunday after
    for day in range(10, 18):
        assert not cal.is_workday(D(2024, 2, day))
    assert cal.is_workday(D(2024, 9, 29)) and cal.is_workday(D(2024, 10, 12))
    assert not cal.is_workday(D(2024, 10, 7))  # a Monday inside National Day


def test_2026_spring_festival_matches_package(cal: WorkCalendar) -> None:
    spring = sorted(
        d for d, name in chinese_calendar.holidays.items()
        if d.year == 2026 and name == chinese_calendar.Holiday.spring_festival.value
    )
    assert spring[0] == D(2026, 2, 15) and spring[-1] == D(2026, 2, 23)
    assert all(not cal.is_workday(d) for d in spring)
    swaps = sorted(
        d for d, name in chinese_calendar.workdays.items()
        if d.year == 2026 and name == chinese_calendar.Holiday.spring_festival.value
    )
    assert swaps == [D(2026, 2, 14), D(2026, 2, 28)]  # both Saturdays
    assert all(cal.is_workday(d) and d.weekday() == 5 for d in swaps)
    assert cal.add_workdays(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert cal.add_workdays(D(2026, 2, 14), 1) == D(2026, 2, 24)


def test_seed_rows() -> None:
    rows = seed_from_chinese_calendar()
    assert rows == sorted(rows, key=lambda e: (e.day, e.kind))
    assert {r.day.year for r in rows} == set(chinese_calendar_years())
    assert HolidayEntry(D(2025, 10, 6), "holiday", "中秋") in rows
    assert HolidayEntry(D(2025, 10, 1), "holiday", "国庆节") in rows
    assert HolidayEntry(D(2025, 9, 28), "workday", "国庆节") in rows
    assert HolidayEntry(D(2026, 2, 14), "workday", "春节") in rows
    assert HolidayEntry(D(2015, 9, 3), "holiday",
                        "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日") in rows
    assert all(r.kind in ("holiday", "workday") for r in rows)
    # Every package entry, nothing more.
    assert len(rows) == len(chinese_calendar.holidays) + len(chinese_calendar.workdays)
    with pytest.raises(dataclasses.FrozenInstanceError):
        rows[0].name = "x"


def test_seed_year_selection_never_crashes_on_unknown_years() -> None:
    rows = seed_from_chinese_calendar([2025, 1990, 2099])
    assert rows and {r.day.year for r in rows} == {2025}
    assert seed_from_chinese_calendar([2099]) == []
    assert seed_from_chinese_calendar([]) == []


def test_round_trip_through_entries(cal: WorkCalendar) -> None:
    rebuilt = WorkCalendar.from_entries(seed_from_chinese_calendar(), chinese_calendar_years())
    d = D(2024, 1, 1)
    while d < D(2027, 1, 1):
        assert rebuilt.is_workday(d) == cal.is_workday(d)
        d += ONE


# --------------------------------------------------------------------------------------
# unknown years


def test_unknown_years_fall_back_to_monday_friday(cal: WorkCalendar) -> None:
    assert cal.is_known(2025) and cal.is_known(2026)
    assert not cal.is_known(2099) and not cal.is_known(2003)
    assert cal.is_workday(D(2099, 10, 1))  # a Thursday; its holidays are not known
    assert not cal.is_workday(D(2099, 10, 3))  # Saturday
    assert cal.unknown_years(D(2026, 12, 1), D(2028, 1, 31)) == [2027, 2028]
    assert cal.unknown_years(D(2025, 1, 1), D(2024, 1, 1)) == []


def test_listed_days_apply_even_before_a_year_is_marked_known() -> None:
    c = WorkCalendar(holidays=[D(2099, 10, 1)], workdays=[D(2099, 10, 10)], known_years=[])
    assert not c.is_known(2099)
    assert not c.is_workday(D(2099, 10, 1))
    assert c.is_workday(D(2099, 10, 10))  # a Saturday


def test_empty_calendar_is_monday_to_friday() -> None:
    c = WorkCalendar()
    assert c.add_workdays(D(2030, 1, 4), 1) == D(2030, 1, 7)  # Fri -> Mon
    assert c.add_workdays(D(2030, 1, 5), 0) == D(2030, 1, 7)  # Sat rolls to Mon
    assert c.workdays_between(D(2030, 1, 6), D(2030, 1, 13)) == 5
    assert c.known_years == frozenset()


def test_bad_construction_and_arguments(cal: WorkCalendar) -> None:
    with pytest.raises(ValueError):
        WorkCalendar(holidays=[D(2025, 1, 1)], workdays=[D(2025, 1, 1)])
    with pytest.raises(ValueError):
        cal.add_workdays(D(2025, 1, 1), -1)
    with pytest.raises(ValueError):
        cal.end_of_period(D(2025, 1, 1), -1)
    with pytest.raises(OverflowError):
        cal.add_workdays(D(9999, 12, 1), 100)


# --------------------------------------------------------------------------------------
# conventions


def test_n_zero_convention(cal: WorkCalendar) -> None:
    assert cal.add_workdays(D(2025, 10, 9), 0) == D(2025, 10, 9)
    assert cal.add_workdays(D(2025, 10, 1), 0) == D(2025, 10, 9)
    assert cal.add_workdays(D(2025, 9, 28), 0) == D(2025, 9, 28)
    assert cal.next_workday(D(2025, 10, 9)) == D(2025, 10, 10)
    assert cal.next_workday(D(2025, 10, 9), include_self=True) == D(2025, 10, 9)
    assert cal.next_workday(D(2025, 10, 4), include_self=True) == D(2025, 10, 9)


def test_end_of_period(cal: WorkCalendar) -> None:
    # 30 days after 3 Sep 2025 is 3 Oct, inside National Day: moved to 9 Oct.
    assert cal.end_of_period(D(2025, 9, 3), 30) == D(2025, 10, 9)
    # 30 days after 11 Sep 2025 is Saturday 11 Oct, a 调休 working day: stays.
    assert cal.end_of_period(D(2025, 9, 11), 30) == D(2025, 10, 11)
    # An ordinary weekend moves to Monday.
    assert cal.end_of_period(D(2025, 11, 1), 7) == D(2025, 11, 10)
    assert cal.end_of_period(D(2025, 11, 3), 0) == D(2025, 11, 3)


# --------------------------------------------------------------------------------------
# properties


@settings(max_examples=200)
@given(known_days, st.integers(min_value=0, max_value=400))
def test_add_workdays_properties(d: date, n: int) -> None:
    result = CAL.add_workdays(d, n)
    assert CAL.is_workday(result)
    if n == 0:
        assert result >= d
        assert CAL.workdays_between(d, result) == (0 if result == d else 1)
    else:
        assert result > d
        assert CAL.workdays_between(d, result) == n
        assert CAL.workdays_between(d, result - ONE) == n - 1  # the *first* such day
        assert CAL.workdays_between(result, d) == -n


@settings(max_examples=150)
@given(known_days, st.integers(min_value=0, max_value=60), st.integers(min_value=0, max_value=30))
def test_add_workdays_is_monotone(d: date, n: int, k: int) -> None:
    assert CAL.add_workdays(d, n) <= CAL.add_workdays(d, n + k)
    if k:
        assert CAL.add_workdays(d, n) < CAL.add_workdays(d, n + k)
    assert CAL.add_workdays(d, n) <= CAL.add_workdays(d + timedelta(days=k), n)


@settings(max_examples=150)
@given(known_days, st.integers(min_value=0, max_value=40))
def test_add_workdays_matches_brute_force(d: date, n: int) -> None:
    assert CAL.add_workdays(d, n) == brute_add(CAL, d, n)


@settings(max_examples=150)
@given(known_days, st.integers(min_value=0, max_value=120))
def test_workdays_between_matches_counting(a: date, span: int) -> None:
    b = a + timedelta(days=span)
    expected = sum(CAL.is_workday(a + timedelta(days=i)) for i in range(1, span + 1))
    assert CAL.workdays_between(a, b) == expected


@settings(max_examples=150)
@given(known_days, st.integers(min_value=0, max_value=60))
def test_end_of_period_properties(start: date, days: int) -> None:
    end = CAL.end_of_period(start, days)
    nominal = start + timedelta(days=days)
    assert CAL.is_workday(end) and end >= nominal
    d = nominal
    while d < end:  # every day skipped was a day off
        assert not CAL.is_workday(d)
        d += ONE


# Arbitrary calendars, including long runs of holidays, exercise the search bracket.
base = D(2030, 1, 1)
offsets = st.sets(st.integers(min_value=0, max_value=200), max_size=120)


@settings(max_examples=150)
@given(offsets, offsets, st.integers(min_value=0, max_value=200), st.integers(0, 60))
def test_random_calendars_match_brute_force(
    off: set[int], on: set[int], start: int, n: int
) -> None:
    on -= off
    c = WorkCalendar(
        holidays=[base + timedelta(days=i) for i in off],
        workdays=[base + timedelta(days=i) for i in on],
        known_years=[2030],
    )
    d = base + timedelta(days=start)
    result = c.add_workdays(d, n)
    assert result == brute_add(c, d, n)
    assert c.workdays_between(d, result) == (n if n else int(result != d))


def test_long_holiday_run() -> None:
    # Sixty consecutive days off, weekdays included: the search must widen its bracket.
    c = WorkCalendar(holidays=[D(2030, 3, 1) + timedelta(days=i) for i in range(60)])
    assert c.add_workdays(D(2030, 2, 28), 1) == D(2030, 4, 30)
    assert c.next_workday(D(2030, 3, 10), include_self=True) == D(2030, 4, 30)


def test_add_workdays_bisects_rather_than_walking_day_by_day(cal: WorkCalendar, monkeypatch: pytest.MonkeyPatch) -> None:
    """A year of working days is found by bisection: a handful of counts, not one per day
    (the cost is measured by counting, not by a clock; timings live in tests/benchmarks)."""
    calls = 0
    count_to = WorkCalendar._count_to

    def counting(self: WorkCalendar, o: int) -> int:
        nonlocal calls
        calls += 1
        return count_to(self, o)

    monkeypatch.setattr(WorkCalendar, "_count_to", counting)
    for i in range(0, 365, 7):
        start = D(2025, 1, 1) + timedelta(days=i)
        calls = 0
        end = cal.add_workdays(start, 250)
        assert calls <= 16, (start, calls)
        assert cal.workdays_between(start, end) == 250
