"""Working days as a clerk counts them, against chinese_calendar's own answers (issue 17).

The oracle is the package's ``get_workdays`` (its list of working days in a closed span),
not our own calendar walked day by day; and boundary dates written by hand.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mediation.workdays import HolidayEntry, WorkCalendar, chinese_calendar_years, seed_from_chinese_calendar

D = date
ONE = timedelta(days=1)
CAL = WorkCalendar.from_chinese_calendar()
LAST_KNOWN = D(chinese_calendar_years().stop - 1, 12, 31)
known_days = st.dates(min_value=D(2004, 1, 1), max_value=LAST_KNOWN - timedelta(days=160))


@settings(max_examples=300, deadline=None)
@given(known_days, st.integers(min_value=0, max_value=90))
def test_working_days_in_a_span_are_the_packages(a: date, span: int) -> None:
    b = a + timedelta(days=span)
    expected = chinese_calendar.get_workdays(a + ONE, b) if span else []
    assert CAL.workdays_between(a, b) == len(expected)
    assert CAL.workdays_between(b, a) == -len(expected)


@settings(max_examples=300, deadline=None)
@given(known_days, st.integers(min_value=1, max_value=40))
def test_nth_working_day_is_the_packages(start: date, n: int) -> None:
    listed = chinese_calendar.get_workdays(start + ONE, start + timedelta(days=n * 3 + 30))
    assert CAL.add_workdays(start, n) == listed[n - 1]


@settings(max_examples=200, deadline=None)
@given(known_days)
def test_a_day_off_rolls_forward_to_the_packages_next_working_day(d: date) -> None:
    following = chinese_calendar.get_workdays(d, d + timedelta(days=30))
    assert CAL.add_workdays(d, 0) == following[0]
    assert CAL.next_workday(d, include_self=True) == following[0]
    assert CAL.next_workday(d) == next(x for x in following if x > d)
    assert CAL.is_workday(d) == chinese_calendar.is_workday(d)


def test_every_year_the_package_covers_is_known_and_no_other() -> None:
    years = chinese_calendar_years()
    cal = WorkCalendar.from_chinese_calendar()  # built here, not at import: the code under test runs now
    assert cal.known_years == frozenset(years)
    assert cal.is_known(years.start) and cal.is_known(years.stop - 1)
    assert not cal.is_known(years.start - 1) and not cal.is_known(years.stop)
    assert cal.unknown_years(D(years.start, 1, 1), D(years.stop - 1, 12, 31)) == []
    assert cal.unknown_years(D(years.stop - 1, 6, 1), D(years.stop + 1, 1, 1)) == [years.stop, years.stop + 1]
    assert cal.unknown_years(D(years.stop, 1, 1), D(years.stop, 12, 31)) == [years.stop]


def test_known_years_are_what_the_administrator_filled_in() -> None:
    c = WorkCalendar.from_entries([HolidayEntry(D(2030, 10, 1), "holiday", "国庆节")], known_years=[2030])
    assert c.known_years == frozenset({2030})
    assert c.is_known(2030) and not c.is_known(2031)
    assert not c.is_workday(D(2030, 10, 1))


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        # National Day 2025: 1–8 Oct off, Sat 11 Oct worked (调休).
        (D(2025, 9, 30), 1, D(2025, 10, 9)),
        (D(2025, 9, 30), 2, D(2025, 10, 10)),
        (D(2025, 9, 30), 3, D(2025, 10, 11)),
        (D(2025, 9, 28), 1, D(2025, 9, 29)),  # Sun 28 Sep worked, then Monday
        # Spring Festival 2024: 10–17 Feb off, Sun 4 Feb and Sat 18 Feb worked.
        (D(2024, 2, 9), 1, D(2024, 2, 18)),
        (D(2024, 2, 3), 1, D(2024, 2, 4)),
        # A plain Friday to Monday, and across a year end.
        (D(2025, 11, 14), 1, D(2025, 11, 17)),
        (D(2025, 12, 31), 1, D(2026, 1, 4)),  # New Year 2026: 1–3 Jan off, Sun 4 Jan worked
    ],
)
def test_deadlines_around_holidays(start: date, n: int, due: date) -> None:
    assert CAL.add_workdays(start, n) == due
    assert CAL.workdays_between(start, due) == n


def test_period_of_zero_days_ends_on_the_day_or_the_next_working_day() -> None:
    assert CAL.end_of_period(D(2025, 10, 10), 0) == D(2025, 10, 10)
    assert CAL.end_of_period(D(2025, 10, 1), 0) == D(2025, 10, 9)
    assert CAL.end_of_period(D(2025, 10, 1), 10) == D(2025, 10, 11)  # a worked Saturday ends it


def test_seed_names_festivals_in_chinese_and_sorts_by_day() -> None:
    rows = seed_from_chinese_calendar([2025])
    assert rows == sorted(rows, key=lambda e: (e.day, e.kind))
    assert HolidayEntry(D(2025, 10, 1), "holiday", "国庆节") in rows
    assert HolidayEntry(D(2025, 10, 11), "workday", "国庆节") in rows
    assert HolidayEntry(D(2025, 1, 1), "holiday", "元旦") in rows
    assert {e.day.year for e in rows} == {2025}
    assert seed_from_chinese_calendar([1990]) == []


def test_the_last_representable_day() -> None:
    c = WorkCalendar()
    assert c.end_of_period(D(9999, 12, 30), 1) == D(9999, 12, 31)  # a Friday
    with pytest.raises(OverflowError):
        c.end_of_period(D(9999, 12, 31), 1)
    with pytest.raises(OverflowError):
        c.add_workdays(D(9999, 12, 31), 1)


def test_a_calendar_package_without_data_covers_no_year(monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    import mediation.workdays as workdays

    empty = types.SimpleNamespace(holidays={}, workdays={}, Holiday=chinese_calendar.Holiday)
    monkeypatch.setattr(workdays, "_chinese_calendar_module", lambda: empty)
    assert list(chinese_calendar_years()) == []
    assert seed_from_chinese_calendar() == []
    assert WorkCalendar.from_chinese_calendar().known_years == frozenset()


def test_a_festival_the_package_cannot_name_in_chinese_keeps_its_english_name(monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    import mediation.workdays as workdays

    odd = types.SimpleNamespace(holidays={D(2030, 5, 6): "Founders Day"}, workdays={},
                                Holiday=chinese_calendar.Holiday)
    monkeypatch.setattr(workdays, "_chinese_calendar_module", lambda: odd)
    assert seed_from_chinese_calendar() == [HolidayEntry(D(2030, 5, 6), "holiday", "Founders Day")]
