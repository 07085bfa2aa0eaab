"""Chinese working-day calendar (statutory holidays and 调休 swaps) for deadlines."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from types import ModuleType
from typing import Literal

HolidayKind = Literal["holiday", "workday"]

# date(1, 1, 1) has ordinal 1 and is a Monday, so ordinal o falls on weekday (o - 1) % 7.
_MAX_ORDINAL = date.max.toordinal()


@dataclass(frozen=True, slots=True)
class HolidayEntry:
    """One row of the editable holiday table.

    ``kind`` is ``"holiday"`` for a statutory day off (it may fall on a weekend, as the
    official notices list whole spans) or ``"workday"`` for a weekend day worked in
    exchange (调休上班). ``name`` is the festival it belongs to, e.g. ``"国庆节"``.
    """

    day: date
    kind: HolidayKind
    name: str


def _weekdays_up_to(ordinal: int) -> int:
    """Number of Monday–Friday days among ordinals 1..ordinal."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


class WorkCalendar:
    """Answers "is this a working day" and counts working days, in O(log n) per call.

    A day is a working day when it is listed in ``workdays``, or when it is Monday to
    Friday and not listed in ``holidays``. Listed dates are honoured whatever their
    year; ``known_years`` only records for which years the list is complete. For any
    other year the calendar is plain Monday–Friday (plus whatever was listed), and
    :meth:`is_known` / :meth:`unknown_years` let the UI warn the administrator.

    Internally the calendar keeps two sorted ordinal lists, the listed holidays that
    fall on weekdays and the listed workdays that fall on weekends; the number of
    working days up to any date is then a closed formula plus two bisections.
    """

    __slots__ = ("_known_years", "_off_weekdays", "_on_weekends")

    def __init__(
        self,
        holidays: Iterable[date] = (),
        workdays: Iterable[date] = (),
        known_years: Iterable[int] = (),
    ) -> None:
        holiday_set = set(holidays)
        workday_set = set(workdays)
        clash = holiday_set & workday_set
        if clash:
            raise ValueError(f"dates listed both as holiday and as workday: {sorted(clash)}")
        # A holiday on a weekend and a "workday" on a weekday change nothing.
        self._off_weekdays: list[int] = sorted(
            d.toordinal() for d in holiday_set if d.weekday() < 5
        )
        self._on_weekends: list[int] = sorted(
            d.toordinal() for d in workday_set if d.weekday() >= 5
        )
        self._known_years: frozenset[int] = frozenset(known_years)

    @classmethod
    def from_entries(
        cls, entries: Iterable[HolidayEntry], known_years: Iterable[int] = ()
    ) -> WorkCalendar:
        """Build from holiday-table rows (e.g. the output of :func:`seed_from_chinese_calendar`)."""
        holidays: list[date] = []
        workdays: list[date] = []
        for entry in entries:
            (holidays if entry.kind == "holiday" else workdays).append(entry.day)
        return cls(holidays, workdays, known_years)

    @classmethod
    def from_chinese_calendar(cls) -> WorkCalendar:
        """The calendar as the bundled ``chinese_calendar`` package knows it."""
        return cls.from_entries(seed_from_chinese_calendar(), chinese_calendar_years())

    # -- queries -----------------------------------------------------------------------

    @property
    def known_years(self) -> frozenset[int]:
        return self._known_years

    def is_known(self, year: int) -> bool:
        """Whether the holiday data for ``year`` is known (else: plain Monday–Friday)."""
        return year in self._known_years

    def unknown_years(self, start: date, end: date) -> list[int]:
        """Years touched by the span start..end (either order) whose data is missing."""
        lo, hi = sorted((start.year, end.year))
        return [y for y in range(lo, hi + 1) if y not in self._known_years]

    def is_workday(self, d: date) -> bool:
        o = d.toordinal()
        if d.weekday() < 5:
            i = bisect_left(self._off_weekdays, o)
            return not (i < len(self._off_weekdays) and self._off_weekdays[i] == o)
        i = bisect_left(self._on_weekends, o)
        return i < len(self._on_weekends) and self._on_weekends[i] == o

    def _count_to(self, ordinal: int) -> int:
        """Working days among ordinals 1..ordinal (monotone, +1 exactly at working days)."""
        return (
            _weekdays_up_to(ordinal)
            - bisect_right(self._off_weekdays, ordinal)
            + bisect_right(self._on_weekends, ordinal)
        )

    def _first_reaching(self, target: int, lo: int, hi: int) -> date:
        """Smallest date with ordinal >= lo whose running count reaches ``target``.

        ``hi`` is a first guess at an upper bound; it is doubled away while too small
        (long holiday spans), then the answer is bisected in [lo, hi].
        """
        hi = min(max(hi, lo), _MAX_ORDINAL)
        step = 16
        while self._count_to(hi) < target:
            if hi >= _MAX_ORDINAL:
                raise OverflowError("working-day count runs past date.max")
            lo = hi + 1
            hi = min(hi + step, _MAX_ORDINAL)
            step *= 2
        while lo < hi:
            mid = (lo + hi) // 2
            if self._count_to(mid) >= target:
                hi = mid
            else:
                lo = mid + 1
        return date.fromordinal(lo)

    def add_workdays(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start``, not counting ``start`` itself.

        ``n == 0`` returns ``start`` when it is a working day, else the next working
        day (a date "rolled forward" onto a working day). ``n`` must not be negative.
        Example: a session due "within 3 working days of acceptance" is due on
        ``add_workdays(accepted_on, 3)``.
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        o = start.toordinal()
        if n == 0:
            return self._first_reaching(self._count_to(o - 1) + 1, o, o + 2)
        # n working days take at least n calendar days, and at most about 7/5 of
        # that plus a weekend when nothing is listed: a tight bracket to bisect.
        return self._first_reaching(self._count_to(o) + n, o + n, o + n + (2 * n) // 5 + 3)

    def next_workday(self, d: date, *, include_self: bool = False) -> date:
        """The first working day after ``d`` (or ``d`` itself if ``include_self`` and it is one)."""
        return self.add_workdays(d, 0 if include_self else 1)

    def workdays_between(self, a: date, b: date) -> int:
        """Number of working days in the half-open span (a, b].

        So ``workdays_between(d, add_workdays(d, n)) == n`` for n >= 1. If ``b`` is
        before ``a`` the result is minus the count for (b, a].
        """
        return self._count_to(b.toordinal()) - self._count_to(a.toordinal())

    def end_of_period(self, start: date, days: int) -> date:
        """Last day of a period of ``days`` calendar days beginning after ``start``.

        The Chinese rule for periods (民法典 art. 201–203, 民事诉讼法 art. 85): the day
        of the triggering event is not counted, and if the last day is a day off
        (weekend or statutory holiday) the period ends on the next working day. A
        weekend day worked by 调休 is a working day and ends the period normally.
        Example: judicial confirmation must be applied for by
        ``end_of_period(agreement_effective_on, 30)``.
        """
        if days < 0:
            raise ValueError("days must be >= 0")
        last = start.toordinal() + days
        if last > _MAX_ORDINAL:
            raise OverflowError("period runs past date.max")
        return self.add_workdays(date.fromordinal(last), 0)


# -- seeding from the chinese_calendar package ---------------------------------------------


def _chinese_calendar_module() -> ModuleType:
    # Imported lazily: its data tables are only needed to seed the holiday table.
    import chinese_calendar  # type: ignore[import-untyped]  # the package ships no type information

    module: ModuleType = chinese_calendar
    return module


def chinese_calendar_years() -> range:
    """Years for which the installed ``chinese_calendar`` package has data (2004–2026 in 1.11)."""
    module = _chinese_calendar_module()
    holidays: dict[date, str] = module.holidays
    if not holidays:
        return range(0)
    return range(min(holidays).year, max(holidays).year + 1)


def _chinese_name(module: ModuleType, english: str) -> str:
    """The package stores festivals by English name; its ``Holiday`` enum knows the Chinese."""
    holiday_enum = module.Holiday
    try:
        return str(holiday_enum(english).chinese)
    except ValueError:
        return english


def seed_from_chinese_calendar(years: Iterable[int] | None = None) -> list[HolidayEntry]:
    """Holiday-table rows from the ``chinese_calendar`` package, sorted by date.

    ``years=None`` means every year the package covers; requested years it does not
    cover are skipped (the administrator fills them in), never an error. Holidays
    include the weekend days inside a holiday span, as the official notices list them.
    """
    module = _chinese_calendar_module()
    covered = chinese_calendar_years()
    wanted: Collection[int] = covered if years is None else set(years) & set(covered)
    entries: list[HolidayEntry] = []
    source: tuple[tuple[HolidayKind, dict[date, str]], ...] = (
        ("holiday", module.holidays),
        ("workday", module.workdays),
    )
    for kind, table in source:
        for day, english in table.items():
            if day.year in wanted:
                entries.append(HolidayEntry(day, kind, _chinese_name(module, english)))
    entries.sort(key=lambda e: (e.day, e.kind))
    return entries
