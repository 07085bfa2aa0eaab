"""The statistics' periods as a desk's officer names them (issue 17).

Every table, chart and report is computed over a :class:`Period`, and its 同比 and 环比
columns over the period a year earlier and the one just before. Known answers written
by hand from the calendar: the days of each month and quarter, leap years, the year end,
the moments at which the desk's days begin in China Standard Time.
"""

from __future__ import annotations

import datetime as dt

import pytest

from mediation.errors import ValidationError
from mediation.statistics.periods import MONTH, QUARTER, RANGE, YEAR, Period, months_back

D = dt.date
UTC = dt.UTC


def _span(p: Period) -> tuple[dt.date, dt.date, str]:
    return p.start, p.end, p.kind


# ---------------------------------------------------------------- what a typed period means


@pytest.mark.parametrize(("typed", "start", "end", "kind", "code"), [
    ("2026-10", D(2026, 10, 1), D(2026, 10, 31), MONTH, "2026-10"),
    ("2026-01", D(2026, 1, 1), D(2026, 1, 31), MONTH, "2026-01"),
    ("2026-12", D(2026, 12, 1), D(2026, 12, 31), MONTH, "2026-12"),
    ("2026-3", D(2026, 3, 1), D(2026, 3, 31), MONTH, "2026-03"),
    ("2026-04", D(2026, 4, 1), D(2026, 4, 30), MONTH, "2026-04"),
    ("2026-02", D(2026, 2, 1), D(2026, 2, 28), MONTH, "2026-02"),
    ("2028-02", D(2028, 2, 1), D(2028, 2, 29), MONTH, "2028-02"),
    ("2026-Q1", D(2026, 1, 1), D(2026, 3, 31), QUARTER, "2026-Q1"),
    ("2026-Q2", D(2026, 4, 1), D(2026, 6, 30), QUARTER, "2026-Q2"),
    ("2026-Q3", D(2026, 7, 1), D(2026, 9, 30), QUARTER, "2026-Q3"),
    ("2026-Q4", D(2026, 10, 1), D(2026, 12, 31), QUARTER, "2026-Q4"),
    ("2026q4", D(2026, 10, 1), D(2026, 12, 31), QUARTER, "2026-Q4"),
    (" 2025-q1 ", D(2025, 1, 1), D(2025, 3, 31), QUARTER, "2025-Q1"),
    ("2025", D(2025, 1, 1), D(2025, 12, 31), YEAR, "2025"),
    (" 2024\n", D(2024, 1, 1), D(2024, 12, 31), YEAR, "2024"),
])
def test_a_typed_period_is_the_days_it_names(typed: str, start: dt.date, end: dt.date, kind: str,
                                             code: str) -> None:
    p = Period.parse(typed)
    assert _span(p) == (start, end, kind)
    assert p.code == code
    assert Period.parse(p.code) == p  # the code a report stores reads back as the same period


@pytest.mark.parametrize("typed", [
    "2026-13", "2026-0", "2026-00", "2026-Q0", "2026-Q5", "2026-", "2026-Q", "26-10", "202-10",
    "20261", "12026", "2026-10-01", "2026/10", "2026年10月", "Q1-2026", "", "  ", "abcd", "2026-123",
])
def test_anything_else_is_refused_naming_what_was_typed(typed: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Period.parse(typed)
    assert list(caught.value.errors) == ["period"]
    assert f"“{typed}”" in caught.value.errors["period"]
    assert "2026-Q4" in caught.value.errors["period"]  # the forms it does take, as an example


@pytest.mark.parametrize(("p", "label"), [
    (Period.month(2026, 10), "2026年10月"),
    (Period.month(2026, 1), "2026年1月"),
    (Period.quarter(2026, 1), "2026年第一季度"),
    (Period.quarter(2026, 2), "2026年第二季度"),
    (Period.quarter(2026, 3), "2026年第三季度"),
    (Period.quarter(2026, 4), "2026年第四季度"),
    (Period.year(2025), "2025年度"),
    (Period.between(D(2025, 12, 20), D(2026, 1, 5)), "2025-12-20至2026-01-05"),
])
def test_a_report_names_its_period(p: Period, label: str) -> None:
    assert p.label == label


def test_a_custom_range_across_the_year_end() -> None:
    p = Period.between(D(2025, 12, 20), D(2026, 1, 5))
    assert _span(p) == (D(2025, 12, 20), D(2026, 1, 5), RANGE)
    assert p.code == "2025-12-20..2026-01-05"
    assert p.days == 17
    assert p.contains(D(2025, 12, 31)) and p.contains(D(2026, 1, 1))


def test_a_range_of_one_day_is_a_period_and_one_ending_before_it_starts_is_refused() -> None:
    one = Period.between(D(2026, 3, 1), D(2026, 3, 1))
    assert one.days == 1 and one.contains(D(2026, 3, 1))
    with pytest.raises(ValidationError) as caught:
        Period.between(D(2026, 3, 2), D(2026, 3, 1))
    assert list(caught.value.errors) == ["period"]


@pytest.mark.parametrize(("p", "days"), [
    (Period.month(2026, 10), 31), (Period.month(2026, 11), 30), (Period.month(2026, 2), 28),
    (Period.month(2028, 2), 29), (Period.quarter(2026, 1), 90), (Period.quarter(2028, 1), 91),
    (Period.quarter(2026, 2), 91), (Period.quarter(2026, 3), 92), (Period.quarter(2026, 4), 92),
    (Period.year(2026), 365), (Period.year(2028), 366),
])
def test_the_days_a_period_counts(p: Period, days: int) -> None:
    assert p.days == days


def test_a_period_holds_its_first_and_last_day_and_nothing_outside() -> None:
    p = Period.month(2026, 10)
    assert p.contains(D(2026, 10, 1)) and p.contains(D(2026, 10, 15)) and p.contains(D(2026, 10, 31))
    assert not p.contains(D(2026, 9, 30))
    assert not p.contains(D(2026, 11, 1))


# ---------------------------------------------------------------- the moments it covers


def test_a_month_runs_from_the_desks_midnight_to_the_midnight_after_its_last_day(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDIATION_TZ", "Asia/Shanghai")
    # China Standard Time is UTC+8: the desk's midnight is 16:00 UTC the day before.
    assert Period.parse("2026-10").utc_bounds() == (dt.datetime(2026, 9, 30, 16, tzinfo=UTC),
                                                     dt.datetime(2026, 10, 31, 16, tzinfo=UTC))
    assert Period.parse("2026").utc_bounds() == (dt.datetime(2025, 12, 31, 16, tzinfo=UTC),
                                                  dt.datetime(2026, 12, 31, 16, tzinfo=UTC))
    start, end = Period.between(D(2026, 3, 1), D(2026, 3, 1)).utc_bounds()
    assert (start, end) == (dt.datetime(2026, 2, 28, 16, tzinfo=UTC), dt.datetime(2026, 3, 1, 16, tzinfo=UTC))
    assert start.utcoffset() == dt.timedelta(0)


def test_the_bounds_are_utc_moments_whatever_the_pcs_own_clock_zone(monkeypatch: pytest.MonkeyPatch,
                                                                    shanghai_clock: None) -> None:
    # What the statistics' queries are given: UTC moments (the stored timestamps are UTC), not
    # the same moments written in the PC's zone.
    monkeypatch.setenv("MEDIATION_TZ", "Asia/Shanghai")
    lo, hi = Period.parse("2026-10").utc_bounds()
    assert (lo.isoformat(), hi.isoformat()) == ("2026-09-30T16:00:00+00:00", "2026-10-31T16:00:00+00:00")


def test_a_desk_in_another_time_zone_counts_its_own_midnights(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDIATION_TZ", "UTC")
    assert Period.parse("2026-Q1").utc_bounds() == (dt.datetime(2026, 1, 1, tzinfo=UTC),
                                                     dt.datetime(2026, 4, 1, tzinfo=UTC))


# ---------------------------------------------------------------- 同比, 环比, 年度累计


@pytest.mark.parametrize(("typed", "earlier"), [
    ("2026-10", "2025-10"),
    ("2026-01", "2025-01"),
    ("2028-02", "2027-02"),
    ("2027-02", "2026-02"),
    ("2026-Q1", "2025-Q1"),
    ("2026-Q2", "2025-Q2"),
    ("2026-Q3", "2025-Q3"),
    ("2026-Q4", "2025-Q4"),
    ("2026", "2025"),
    ("2025", "2024"),
])
def test_a_year_earlier_is_the_same_month_quarter_or_year(typed: str, earlier: str) -> None:
    assert Period.parse(typed).same_period_last_year() == Period.parse(earlier)


def test_a_year_earlier_of_february_in_a_leap_year_ends_on_the_28th() -> None:
    assert _span(Period.parse("2028-02").same_period_last_year()) == (D(2027, 2, 1), D(2027, 2, 28), MONTH)
    assert _span(Period.parse("2029-02").same_period_last_year()) == (D(2028, 2, 1), D(2028, 2, 29), MONTH)


@pytest.mark.parametrize(("start", "end", "a", "b"), [
    (D(2025, 12, 20), D(2026, 1, 5), D(2024, 12, 20), D(2025, 1, 5)),
    (D(2028, 2, 29), D(2028, 3, 10), D(2027, 2, 28), D(2027, 3, 10)),
    (D(2028, 2, 10), D(2028, 2, 29), D(2027, 2, 10), D(2027, 2, 28)),
    (D(2024, 2, 29), D(2024, 2, 29), D(2023, 2, 28), D(2023, 2, 28)),
    (D(2026, 3, 1), D(2026, 3, 31), D(2025, 3, 1), D(2025, 3, 31)),
])
def test_a_year_earlier_of_a_range_is_the_same_days(start: dt.date, end: dt.date, a: dt.date, b: dt.date) -> None:
    assert _span(Period.between(start, end).same_period_last_year()) == (a, b, RANGE)


@pytest.mark.parametrize(("typed", "before"), [
    ("2026-01", "2025-12"),
    ("2026-02", "2026-01"),
    ("2026-03", "2026-02"),
    ("2026-12", "2026-11"),
    ("2026-Q1", "2025-Q4"),
    ("2026-Q2", "2026-Q1"),
    ("2026-Q3", "2026-Q2"),
    ("2026-Q4", "2026-Q3"),
    ("2026", "2025"),
])
def test_the_period_before_is_the_month_quarter_or_year_before(typed: str, before: str) -> None:
    assert Period.parse(typed).previous() == Period.parse(before)


def test_the_month_before_march_in_a_leap_year_has_29_days() -> None:
    assert _span(Period.parse("2028-03").previous()) == (D(2028, 2, 1), D(2028, 2, 29), MONTH)


@pytest.mark.parametrize(("start", "end", "a", "b"), [
    # as many days, ending the day before it starts
    (D(2026, 1, 1), D(2026, 1, 10), D(2025, 12, 22), D(2025, 12, 31)),
    (D(2026, 1, 1), D(2026, 1, 1), D(2025, 12, 31), D(2025, 12, 31)),
    (D(2026, 3, 1), D(2026, 3, 31), D(2026, 1, 29), D(2026, 2, 28)),
    (D(2025, 12, 20), D(2026, 1, 5), D(2025, 12, 3), D(2025, 12, 19)),
])
def test_the_range_before_a_range_has_as_many_days(start: dt.date, end: dt.date, a: dt.date, b: dt.date) -> None:
    before = Period.between(start, end).previous()
    assert _span(before) == (a, b, RANGE)
    assert before.days == Period.between(start, end).days


@pytest.mark.parametrize(("p", "start", "end"), [
    (Period.parse("2026-10"), D(2026, 1, 1), D(2026, 10, 31)),
    (Period.parse("2026-Q2"), D(2026, 1, 1), D(2026, 6, 30)),
    (Period.parse("2026-01"), D(2026, 1, 1), D(2026, 1, 31)),
    (Period.between(D(2025, 12, 20), D(2026, 1, 5)), D(2026, 1, 1), D(2026, 1, 5)),
])
def test_the_year_to_date_runs_from_new_year_of_the_year_the_period_ends_in(p: Period, start: dt.date,
                                                                            end: dt.date) -> None:
    assert _span(p.year_to_date()) == (start, end, RANGE)


# ---------------------------------------------------------------- the charts' months


def test_the_charts_months_end_with_the_periods_last_month_oldest_first() -> None:
    assert [m.code for m in months_back(Period.parse("2026-Q1"), 3)] == ["2026-01", "2026-02", "2026-03"]
    assert [m.code for m in months_back(Period.parse("2026-10"), 1)] == ["2026-10"]
    assert months_back(Period.parse("2026-10"), 0) == []


def test_the_charts_months_go_back_across_january() -> None:
    back = months_back(Period.parse("2026-02"), 4)
    assert [m.code for m in back] == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert all(m.kind == MONTH for m in back)
    assert _span(back[1]) == (D(2025, 12, 1), D(2025, 12, 31), MONTH)
    year = months_back(Period.parse("2026-01"), 13)
    assert [m.code for m in year] == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07",
                                      "2025-08", "2025-09", "2025-10", "2025-11", "2025-12", "2026-01"]
    two_years = months_back(Period.parse("2026-12"), 24)
    assert (two_years[0].code, two_years[11].code, two_years[12].code, two_years[-1].code) == (
        "2025-01", "2025-12", "2026-01", "2026-12")


def test_the_charts_months_of_a_range_end_with_the_month_of_its_last_day() -> None:
    back = months_back(Period.between(D(2025, 12, 20), D(2026, 1, 5)), 2)
    assert [m.code for m in back] == ["2025-12", "2026-01"]
    assert _span(back[1]) == (D(2026, 1, 1), D(2026, 1, 31), MONTH)
